"""Printable credential slips (R-B13): A4 pages of slips with cut lines, for a class teacher to cut and hand out.

A pure function of its input (template → HTML → WeasyPrint). The fonts ship with the code under static/fonts and
are loaded from the disk, so the PDF looks the same on every server and never reaches for the network.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from .models import School, User

COLUMNS, ROWS = 2, 4  # on A4: each slip 95 × 68 mm, big enough to read a password across a desk
SLIPS_PER_PAGE = COLUMNS * ROWS

# PT Sans and PT Mono (ParaType, SIL Open Font License; the licence lies beside each file): made for Russian,
# and PT Mono tells 0 from O and 1 from l from I. Whole fonts, not web subsets: WeasyPrint embeds subsets that
# share one font name as one font and garbles the text.
FONT_FILES = {
    ("PT Sans", 400): "fonts/pt-sans/PTSans-Regular.ttf",
    ("PT Sans", 700): "fonts/pt-sans/PTSans-Bold.ttf",
    ("PT Mono", 400): "fonts/pt-mono/PTMono-Regular.ttf",
}


@dataclass(frozen=True)
class Slip:
    full_name: str
    role: str  # what the person is: «Обучающийся, класс 5А», «Родитель: Иванова Мария, 5А», «Учитель»
    login: str
    password: str
    staff: bool = False  # staff slips add the rule that pupils never work under a teacher's login (seed 001)


class Holder(NamedTuple):
    """Whom a slip is for, and what they are, as the slip says it."""

    person: User
    role: str
    staff: bool = False


@dataclass(frozen=True)
class FontFace:
    family: str
    weight: int
    url: str


def font_faces() -> list[FontFace]:
    faces = []
    for (family, weight), path in FONT_FILES.items():
        found = finders.find(path)
        if not found:
            raise FileNotFoundError(f"static file {path} is missing: the slips' font")
        faces.append(FontFace(family, weight, Path(found).resolve().as_uri()))
    return faces


def render_slips(*, school: School, slips: list[Slip], portal_url: str) -> bytes:
    # Imported here: WeasyPrint takes a while to load, and only printing needs it (not every web process start).
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    pages = []
    for start in range(0, len(slips), SLIPS_PER_PAGE):
        # Every page has all its cells, empty ones included, so the cut lines are the same on every sheet.
        cells = slips[start : start + SLIPS_PER_PAGE]
        cells += [None] * (SLIPS_PER_PAGE - len(cells))
        pages.append([cells[r : r + COLUMNS] for r in range(0, SLIPS_PER_PAGE, COLUMNS)])
    html = render_to_string(
        "accounts/credentials/slips.html",
        {"school": school, "pages": pages, "portal_url": portal_url, "fonts": font_faces()},
    )
    # Only the font files on the disk: nothing in a person's data can make the renderer fetch a URL.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"file"})).write_pdf()
