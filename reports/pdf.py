"""PDFs of the reports (summary sheets, class bundles, period sheets, the journal printout): template → HTML →
WeasyPrint, pure functions of their input, testable without Celery (STYLE: pretix's pattern).

Every document extends `reports/pdf/base.html`: A4, the PT Sans fonts from `static/` (Cyrillic, never a CDN), the
school in the running header, «стр. N из M» and the date of generation in the footer."""

import datetime

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

from accounts.slips import font_faces


def render_html(template: str, context: dict) -> str:
    return render_to_string(template, {"fonts": font_faces(), "pdf": True, **context})


def pdf_document(template: str, context: dict):
    """The laid-out document (WeasyPrint's `Document`): its pages can be written together or a few at a time
    (`document.copy(pages).write_pdf()`), so that a class is laid out once and each pupil's pages are cut from it."""
    # Imported here: WeasyPrint takes a while to load, and only printing needs it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_html(template, context)
    # Only the font files on the disk: nothing in a name or a topic can make the renderer fetch a URL.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"file"})).render()


def render_pdf(template: str, context: dict) -> bytes:
    return pdf_document(template, context).write_pdf()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF as a download (never shown inline from our origin): `filename` without the extension."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=f"{filename}.pdf")
    return response


def generated_on(moment: datetime.datetime | datetime.date) -> str:
    """The footer's date of generation, as a Russian school writes it."""
    if isinstance(moment, datetime.datetime):
        return moment.strftime("%d.%m.%Y %H:%M")
    return moment.strftime("%d.%m.%Y")
