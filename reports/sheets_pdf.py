"""The summary sheets as PDF (R-I05, R-I06): one WeasyPrint layout for any number of pupils (a class's bundle), each
pupil from a new page; each pupil's own pages are cut from the same layout (`document.copy(pages)`), so that a
class is laid out once, not once per pupil."""

from collections.abc import Collection

from .pdf import generated_on, pdf_document
from .sheets import PupilSheet, missed_headers

TEMPLATE = "reports/sheets/pdf.html"


def render_sheets(
    *,
    school,
    sheets: list[PupilSheet],
    title: str,
    generated,
    whole: bool = True,
    parts_for: Collection[int] | None = None,
) -> tuple[bytes, dict[int, bytes]]:
    """One WeasyPrint layout for all the sheets (each pupil from a new page): the whole bundle as one PDF, and each
    pupil's own pages as a PDF of their own (cut from the same layout with `document.copy(pages)`; a pupil's first
    page carries the anchor `pupil-<id>`). Writing a PDF costs a third of the layout: the weekly job asks only for
    what it sends (`whole=False` when the class's bundle exists; `parts_for` the pupils to email), b"" and no part
    for the rest."""
    context = {
        "school": school,
        "title": title,
        "generated": generated_on(generated) if not isinstance(generated, str) else generated,
        "sheets": sheets,
        "missed_headers": missed_headers(),
    }
    document = pdf_document(TEMPLATE, context)
    wanted = {sheet.anchor: sheet.pupil_id for sheet in sheets if parts_for is None or sheet.pupil_id in parts_for}
    if len(sheets) == 1:  # a lone sheet: its own pages are the whole document
        content = document.write_pdf() if whole or wanted else b""
        return (content if whole else b""), {pupil_id: content for pupil_id in wanted.values()}
    content = document.write_pdf() if whole else b""
    if not wanted:
        return content, {}
    groups: dict[int, list] = {}
    current = None
    starts = {sheet.anchor for sheet in sheets}
    for page in document.pages:
        for anchor in page.anchors:
            if anchor in starts:
                current = wanted.get(anchor)
                if current is not None:
                    groups.setdefault(current, [])
                break
        if current is not None:
            groups[current].append(page)
    parts = {pupil_id: document.copy(pages).write_pdf() for pupil_id, pages in groups.items()}
    return content, parts
