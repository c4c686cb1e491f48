"""The Content-Security-Policy (issue 10 item 5): scripts and styles only from our static files, so that a name or a
comment that smuggles in a <script> runs nothing; and the templates stay free of what such a policy refuses."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.matrix.journal import journal_course, work_on

pytestmark = pytest.mark.django_db

REQUIRED = {
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}


def policy(response) -> dict[str, set[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = set(values)
    return directives


def pages(client, world):
    yield reverse("accounts:login")
    work_on(world)
    client.force_login(world.teacher)
    yield reverse("gradebook:journal", args=[journal_course(world).pk])
    client.force_login(world.pupil)
    yield reverse("diary:pupil", args=[world.pupil.pk])
    client.force_login(world.guardian)
    yield reverse("diary:pupil", args=[world.pupil.pk])


def test_pages_allow_no_inline_script_nor_eval(client, world):
    seen = 0
    for url in pages(client, world):
        response = client.get(url)
        assert response.status_code == 200, url
        directives = policy(response)
        for name, values in REQUIRED.items():
            assert directives.get(name) == values, (url, name, directives.get(name))
        for name in ("script-src", "style-src", "default-src"):
            assert not directives.get(name, set()) & {"'unsafe-inline'", "'unsafe-eval'"}, (url, name)
        seen += 1
    assert seen == 4


def test_a_pdf_the_browser_opens_goes_without_the_policy(client, world):
    """Chrome shows an inline PDF in a page of its own that obeys the PDF's policy (object-src 'none' blanks it);
    the PDF runs none of our scripts. Its HTML page keeps the policy."""
    client.force_login(world.class_teacher)
    url = reverse("schedule:week_class_pdf", args=[world.school_class.pk])
    response = client.get(url, {"week": "2026-11-17"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert "Content-Security-Policy" not in response
    page = client.get(reverse("schedule:timetable_class", args=[world.school_class.pk]))
    assert page.status_code == 200 and "'self'" in page["Content-Security-Policy"]


def test_htmx_is_told_to_evaluate_nothing_and_inject_no_style(client, world):
    client.force_login(world.teacher)
    page = client.get(reverse("gradebook:journal", args=[journal_course(world).pk])).content.decode()
    (config,) = re.findall(r"<meta name=\"htmx-config\" content='([^']*)'>", page)
    assert '"allowEval": false' in config
    assert '"includeIndicatorStyles": false' in config


# --- The templates -------------------------------------------------------------------------------------------------

# Templates rendered only into PDFs by WeasyPrint, never sent to a browser: their <style> is the document's own.
PDF_ONLY = {
    "accounts/templates/accounts/credentials/slips.html",
    "reports/templates/reports/pdf/base.html",
    "schedule/templates/schedule/timetable/week_pdf.html",
}

FORBIDDEN = [
    (re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script> (put it in static/js/)"),
    (re.compile(r"""\son[a-z]+\s*=\s*["'{]""", re.I), "an inline event handler (use a data- attribute and app.js)"),
    (re.compile(r"\b(?:hx|data-hx)-on\b", re.I), "hx-on (htmx runs it through eval, which the policy refuses)"),
    (re.compile(r"""\bhx-(?:vals|vars)\s*=\s*["']\s*(?:js|javascript):""", re.I), "hx-vals with js: (eval)"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
    (re.compile(r"""\sstyle\s*=\s*["']""", re.I), "a style attribute (use a class in static/css/)"),
    (re.compile(r"<style\b", re.I), "an inline <style> (use static/css/)"),
]


def templates() -> list[Path]:
    base = Path(settings.BASE_DIR)
    found = sorted(base.glob("templates/**/*.html")) + sorted(base.glob("*/templates/**/*.html"))
    return [p for p in found if not p.relative_to(base).parts[0].startswith(".")]


def test_no_template_holds_inline_script_handler_or_style():
    base = Path(settings.BASE_DIR)
    files = templates()
    assert len(files) > 50
    problems = []
    for path in files:
        name = str(path.relative_to(base))
        text = path.read_text(encoding="utf-8")
        for pattern, what in FORBIDDEN:
            if name in PDF_ONLY and "<style" in pattern.pattern:
                continue
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{name}:{line}: {what}: {match.group(0).strip()}")
    assert not problems, "\n".join(problems)


def test_the_check_finds_what_it_looks_for():
    """The patterns above do catch each kind (a check that matches nothing proves nothing)."""
    samples = [
        "<script>alert(1)</script>",
        '<button onclick="go()">',
        "<select onchange='this.form.submit()'>",
        '<div hx-on:click="x()">',
        "<div hx-vals='js:{a: 1}'>",
        '<a href="javascript:void(0)">',
        '<p style="color: red">',
        "<style>p { color: red }</style>",
    ]
    for sample in samples:
        assert any(pattern.search(sample) for pattern, _what in FORBIDDEN), sample
    allowed = ['<script src="/static/js/app.js" defer></script>', '<select data-autosubmit name="language">']
    for sample in allowed:
        assert not any(pattern.search(sample) for pattern, _what in FORBIDDEN), sample


def test_the_server_error_page_is_styled_from_static(rf):
    """templates/500.html may hold no inline style (the policy refuses it): it links app.css like every page."""
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert 'href="/static/css/app.css' in page and 'class="error-page"' in page
