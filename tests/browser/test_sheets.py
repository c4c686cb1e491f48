"""R-I05, R-A07 in Chromium: a guardian opens their child's summary sheet from the diary's tabs and downloads it as
a PDF (a real download); another child's sheet answers 404."""

import subprocess

import pytest
from playwright.sync_api import Page, expect

from gradebook.marks import mark_set
from tests.factories import PASSWORD
from tests.matrix.journal import journal_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Логин").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()


def test_a_guardian_downloads_only_their_childs_sheet_R_I05_R_A07(page: Page, live_server, world, tmp_path):
    work = journal_work(world)  # maths of 5А, the lesson of Tuesday 17.11 (this week)
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")

    _login(page, live_server, "guardian")
    page.goto(f"{live_server.url}/diary/{world.pupil.pk}/")
    page.get_by_role("link", name="Сводная ведомость").click()
    expect(page.get_by_role("heading", name="Сводная ведомость")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Математика")
    expect(page.get_by_role("table")).to_contain_text("17.11.2026")
    expect(page.get_by_text("16.11.2026–21.11.2026")).to_be_visible()
    with page.expect_download() as got:
        page.get_by_role("link", name="Скачать PDF").click()
    download = got.value
    assert download.suggested_filename.endswith(".pdf")
    path = tmp_path / "sheet.pdf"
    download.save_as(path)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout  # noqa: S603, S607
    assert world.pupil.get_full_name() in text and "Математика" in text and "5,00" in text

    response = page.request.get(f"{live_server.url}/sheets/pupils/{world.other_pupil.pk}/")
    assert response.status in (403, 404)
    response = page.request.get(f"{live_server.url}/sheets/pupils/{world.other_pupil.pk}/pdf/")
    assert response.status in (403, 404)
