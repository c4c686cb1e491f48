"""The summary sheet's pages and PDFs (issue 9 item 2; R-I05, R-I06): the figures of the hand-built pupil of
tests/reports/test_sheets.py on the screen and in the PDF (extracted with pdftotext), a subject teacher's own courses
only, the Russian errors of a bad range, the class bundle's one pupil per page group, and the class page and bundle
in a number of queries that does not grow with the class."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.reports.test_sheets import END, START, add_pupils, pdf_text, school  # noqa: F401 - `school` is a fixture

RANGE = {"start": START.isoformat(), "end": END.isoformat()}


def test_the_class_teacher_reads_the_sheet_r_i05_r_i06(client, school):  # noqa: F811
    client.force_login(school.class_teacher)
    response = client.get(reverse("reports:pupil_sheet", args=[school.pupil.pk]), RANGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Сводная ведомость" in html and school.pupil.get_full_name() in html
    sheet = response.context["sheet"]
    assert [line.subject for line in sheet.lines] == ["Математика", "Русский язык"]
    assert (sheet.held, sheet.marks_count, sheet.missed_row, sheet.late, sheet.late_minutes) == (9, 5, [1, 1, 1], 2, 15)
    for text in ("3,60", "3,20", "4,00", "Контрольная работа", "11.11.2026", "Итого", "Проведено уроков"):
        assert text in html, text
    assert "Показаны только ваши предметы." not in html


def test_a_subject_teacher_sees_only_own_courses_r_i05(client, school, tmp_path):  # noqa: F811
    client.force_login(school.teacher)
    response = client.get(reverse("reports:pupil_sheet", args=[school.pupil.pk]), RANGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Математика" in html and "Русский язык" not in html
    assert "Показаны только ваши предметы." in html
    pdf = client.get(reverse("reports:pupil_sheet_pdf", args=[school.pupil.pk]), RANGE)
    text = pdf_text(pdf.content, tmp_path)
    assert "Математика" in text and "Русский" not in text and "3,20" not in text


def test_the_pdf_is_a_download_with_the_figures_r_i05_r_i06(client, school, tmp_path):  # noqa: F811
    client.force_login(school.guardian)
    response = client.get(reverse("reports:pupil_sheet_pdf", args=[school.pupil.pk]), RANGE)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = pdf_text(response.content, tmp_path)
    for needle in ("Сводная ведомость", "5А", "3,60", "3,20", "4,00", "3,00", "Итого", "стр. 1 из 1", "17.11.2026"):
        assert needle in text, needle


def test_a_bad_range_is_refused_in_russian_r_i05(client, school):  # noqa: F811
    client.force_login(school.class_teacher)
    url = reverse("reports:pupil_sheet", args=[school.pupil.pk])
    cases = {
        ("2026-11-20", "2026-11-10"): "Конец периода раньше его начала.",
        ("2026-10-20", "2026-11-12"): "Даты выходят за границу учебного периода",
        ("завтра", ""): "Введите даты в виде ДД.ММ.ГГГГ.",
        ("2025-01-01", "2026-11-12"): "Слишком длинный период",
    }
    for (start, end), message in cases.items():
        response = client.get(url, {"start": start, "end": end})
        assert response.status_code == 400, (start, end)
        assert message in response.content.decode(), (start, end)
        pdf = client.get(reverse("reports:pupil_sheet_pdf", args=[school.pupil.pk]), {"start": start, "end": end})
        assert pdf.status_code == 400 and message in pdf.content.decode()


def test_the_default_is_the_current_week(client, school):  # noqa: F811
    client.force_login(school.pupil)
    response = client.get(reverse("reports:pupil_sheet", args=[school.pupil.pk]))
    assert response.status_code == 200
    assert "16.11.2026–21.11.2026" in response.content.decode()
    assert response.context["sheet"].held == 3  # maths 16, 17; Russian 16


def test_the_class_bundle_has_one_pupil_per_page_group_r_i06(client, school, tmp_path):  # noqa: F811
    others = add_pupils(school, 2)
    client.force_login(school.class_teacher)
    page = client.get(reverse("reports:class_sheets", args=[school.school_class.pk]), RANGE)
    assert page.status_code == 200
    html = page.content.decode()
    for pupil in (school.pupil, *others):
        assert pupil.get_full_name() in html
        assert reverse("reports:pupil_sheet", args=[pupil.pk]) in html
    assert school.other_pupil.get_full_name() not in html
    response = client.get(reverse("reports:class_sheets_pdf", args=[school.school_class.pk]), RANGE)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    pages = pdf_text(response.content, tmp_path).split("\f")
    pages = [p for p in pages if p.strip()]
    names = [school.pupil.get_full_name(), *(p.get_full_name() for p in others)]
    assert len(pages) == 3
    for text in pages:
        assert sum(name in text for name in names) == 1  # each page holds one pupil's sheet
    assert any("3,60" in p and school.pupil.get_full_name() in p for p in pages)


def test_a_subject_teachers_bundle_holds_only_own_courses(client, school, tmp_path):  # noqa: F811
    client.force_login(school.other_teacher)  # teaches Russian of 5А
    response = client.get(reverse("reports:class_sheets_pdf", args=[school.school_class.pk]), RANGE)
    text = pdf_text(response.content, tmp_path)
    assert "Русский" in text and "Математика" not in text


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, RANGE).status_code == 200
    return len(ctx.captured_queries)


def test_the_class_pages_queries_do_not_grow_with_the_class_r_i06(client, school):  # noqa: F811
    """2 pupils, then 12: the class page and the bundle make the same number of queries (pinned: at most 20)."""
    client.force_login(school.class_teacher)
    page = reverse("reports:class_sheets", args=[school.school_class.pk])
    bundle = reverse("reports:class_sheets_pdf", args=[school.school_class.pk])
    add_pupils(school, 1)
    small = (_queries(client, page), _queries(client, bundle))
    add_pupils(school, 10)
    big = (_queries(client, page), _queries(client, bundle))
    assert small == big
    assert max(big) <= 20
