"""R-I04 in Chromium: the class teacher finds last week's printable bundle of their class on "my day" and downloads
it (a PDF with a page per pupil whose family opted out); the other class's bundle is not offered to them."""

import pytest
from playwright.sync_api import Page, expect

from reports.models import ClassBundle
from tests.factories import PASSWORD
from tests.matrix.weekly import weekly_done

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Логин").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()


def test_the_class_teacher_downloads_the_class_bundle_from_my_day_r_i04(page: Page, live_server, world, tmp_path):
    run = weekly_done(world)
    bundle = ClassBundle.objects.get(run=run, school_class=world.school_class)

    _login(page, live_server, "class_teacher")
    expect(page).to_have_url(f"{live_server.url}/my-day/")
    panel = page.get_by_role("region", name="Сводные ведомости для печати")
    expect(panel).to_contain_text("2 обучающихся")
    expect(panel.get_by_role("link")).to_have_count(1)  # 5А only: 5Б's bundle is its own class teacher's
    with page.expect_download() as info:
        panel.get_by_role("link", name="5А, неделя 09.11.2026–14.11.2026").click()
    download = info.value
    assert download.suggested_filename == "Сводные ведомости 5А 09.11.2026-14.11.2026.pdf"
    path = tmp_path / "bundle.pdf"
    download.save_as(path)
    assert path.read_bytes() == bundle.file.open("rb").read()
    assert path.read_bytes().startswith(b"%PDF")
