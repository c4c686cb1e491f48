"""Printable week timetables (a class's, a teacher's, a room's): A4 landscape, one week a page.

A pure function of its input (template → HTML → WeasyPrint), with the fonts of the credential slips loaded from
the disk, so the PDF looks the same on every server and never reaches for the network."""

import datetime

from django.template.loader import render_to_string

from accounts.models import School
from accounts.slips import font_faces

from .selectors_timetable import Week


def render_week_pdf(
    *, school: School, title: str, scope: str, week: Week, printed: datetime.date | None = None
) -> bytes:
    """`scope` is "class", "teacher" or "room": what each lesson in a cell names besides its subject."""
    # Imported here: WeasyPrint takes a while to load, and only printing needs it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(
        "schedule/timetable/week_pdf.html",
        {
            "school": school,
            "title": title,
            "scope": scope,
            "week": week,
            "printed": printed,
            "fonts": font_faces(),
            "pdf": True,
        },
    )
    # Only the font files on the disk: nothing in a subject's or a room's name can make the renderer fetch a URL.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"file"})).write_pdf()
