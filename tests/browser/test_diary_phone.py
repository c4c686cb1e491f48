"""The diary on a phone (issue 7, R-I01, R-I11): a parent reads the week, opens a mark, reports it as wrongly
entered; the teacher answers it from "my day"; the parent reads the answer. In Chromium at a phone's size."""

import pytest
from playwright.sync_api import Browser, Page, expect

from gradebook.models import MarkAppeal
from tests.browser.screen import fits_the_screen
from tests.factories import PASSWORD
from tests.matrix.diary import filled_week

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
TEXT = "За ответ на уроке была пятёрка, а стоит другая отметка."
ANSWER = "Отметка верная: это отметка за устный ответ у доски."


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


def test_a_parent_reports_a_mark_on_a_phone_and_reads_the_teachers_answer_R_I11(phone: Page, live_server, world):
    filled = filled_week(world)
    page = phone

    _login(page, live_server, "guardian")
    # The guardian starts in the child's diary: this week, with Monday's «5» and its comment.
    expect(page).to_have_url(f"{live_server.url}/diary/{world.pupil.pk}/")
    expect(page.get_by_text("Молодец, так держать")).to_be_visible()
    fits_the_screen(page)
    page.locator(f'a.dw-mark[href$="/marks/{filled.answer.pk}/"]').click()
    expect(page).to_have_url(f"{live_server.url}/diary/{world.pupil.pk}/marks/{filled.answer.pk}/")
    fits_the_screen(page)
    page.get_by_label("В чём ошибка").fill(TEXT)
    page.get_by_role("button", name="Отправить учителю").click()
    expect(page.get_by_text(TEXT)).to_be_visible()
    appeal = MarkAppeal.objects.get()
    assert (appeal.status, appeal.author, appeal.value) == ("open", world.guardian, "5")

    _login(page, live_server, "teacher")
    expect(page).to_have_url(f"{live_server.url}/my-day/")
    panel = page.get_by_role("region", name="Сообщения об ошибках в отметках")
    expect(panel).to_contain_text(TEXT)
    panel.get_by_role("link").first.click()
    page.get_by_label("Отметка остаётся: объясняю почему").check()
    page.get_by_label("Ответ семье").fill(ANSWER)
    page.get_by_role("button", name="Отправить ответ").click()
    appeal.refresh_from_db()
    assert (appeal.status, appeal.answered_by, appeal.answer) == ("answered", world.teacher, ANSWER)

    _login(page, live_server, "guardian")
    page.locator(f'a.dw-mark[href$="/marks/{filled.answer.pk}/"]').click()
    expect(page.get_by_text(ANSWER)).to_be_visible()
    fits_the_screen(page)
