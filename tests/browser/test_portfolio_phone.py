"""Portfolios on a phone (issue 11 item 3, R-I14): the class teacher adds a pupil's olympiad with the diploma's scan
from a phone; the parent opens the diary's «Портфолио» tab and reads it, nothing wider than the screen. In Chromium
at a phone's size."""

import pytest
from playwright.sync_api import Browser, Page, expect

from portfolio.models import Achievement
from tests.browser.screen import fits_the_screen
from tests.factories import PASSWORD
from tests.matrix.portfolio import add

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
TITLE = "Всероссийская олимпиада школьников по математике, муниципальный этап"


@pytest.fixture
def phone(browser: Browser):
    context = browser.new_context(**PHONE, locale="ru-RU")
    yield context.new_page()
    context.close()


def _login(page: Page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Логин").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()


def test_the_class_teacher_adds_an_olympiad_and_the_parent_reads_it_on_a_phone_R_I14(
    phone: Page, live_server, world, tmp_path
):
    add(world, world.class_teacher, world.pupil, title="Конкурс чтецов «Живая классика»", scan=False)
    page = phone
    _login(page, live_server, "class_teacher")
    page.goto(f"{live_server.url}/diary/{world.pupil.pk}/portfolio/")
    fits_the_screen(page)
    page.get_by_role("link", name="Добавить достижение").click()
    fits_the_screen(page)
    page.get_by_label("Вид").select_option("olympiad")
    page.get_by_label("Олимпиада, конкурс или проект").fill(TITLE)
    page.get_by_label("Уровень").select_option("municipal")
    page.locator("#id_result").select_option("prize_winner")
    page.get_by_label("Подробности результата").fill("2 место")
    page.get_by_label("Дата").fill("2026-11-10")
    scan = tmp_path / "диплом.pdf"
    scan.write_bytes(b"%PDF-1.4 a diploma")
    page.get_by_label("Скан диплома").set_input_files(str(scan))
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Достижение добавлено в портфолио.")).to_be_visible()
    entry = Achievement.objects.get(title=TITLE)
    assert (entry.level, entry.result, entry.result_note, entry.author) == (
        "municipal",
        "prize_winner",
        "2 место",
        world.class_teacher,
    )

    _login(page, live_server, "guardian")
    page.goto(f"{live_server.url}/diary/{world.pupil.pk}/")
    page.locator(".dw-tabs").get_by_role("link", name="Портфолио").click()
    expect(page).to_have_url(f"{live_server.url}/diary/{world.pupil.pk}/portfolio/")
    expect(page.get_by_text(TITLE)).to_be_visible()
    expect(page.get_by_role("link", name="Скан диплома")).to_be_visible()
    expect(page.get_by_role("link", name="Добавить достижение")).to_have_count(0)
    fits_the_screen(page)
