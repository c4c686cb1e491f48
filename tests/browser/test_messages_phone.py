"""Internal mail on a phone (R-I08): the class teacher writes to a guardian of 5А; the guardian sees the unread
counter in the menu, opens the conversation and answers; the class teacher sees when the guardian read the message
(a read receipt) and the answer. In Chromium at a phone's size."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from messaging.models import Message, Receipt
from tests.browser.screen import fits_the_screen
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
SUBJECT = "Экскурсия в музей"
TEXT = "Здравствуйте! В пятницу 5А идёт в краеведческий музей, сбор у школы в 9:00."
ANSWER = "Спасибо, согласие подпишем и передадим завтра."


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


def test_a_guardian_answers_the_class_teacher_on_a_phone_and_the_teacher_sees_it_read_R_I08(
    phone: Page, live_server, world
):
    page = phone
    guardian_name = world.guardian.get_full_name()

    _login(page, live_server, "class_teacher")
    page.locator('.mainnav a[href="/messages/"]').click()
    expect(page).to_have_url(f"{live_server.url}/messages/")
    page.get_by_role("link", name="Новое сообщение").click()
    fits_the_screen(page)
    page.get_by_label("Кому").select_option(value=f"u:{world.guardian.pk}")
    page.get_by_label("Тема").fill(SUBJECT)
    page.get_by_label("Сообщение").fill(TEXT)
    page.get_by_role("button", name="Отправить").click()
    expect(page.get_by_text("Сообщение отправлено.")).to_be_visible()
    expect(page.get_by_text(f"{guardian_name}: ещё не прочитано")).to_be_visible()

    _login(page, live_server, "guardian")
    expect(page).to_have_url(re.compile(r"/diary/"))
    badge = page.locator(".mainnav .unread-badge")
    expect(badge).to_contain_text("1")
    page.locator('.mainnav a[href="/messages/"]').click()
    fits_the_screen(page)
    page.get_by_role("link", name=re.compile(SUBJECT)).click()
    expect(page.get_by_text(TEXT)).to_be_visible()
    fits_the_screen(page)
    expect(page.locator(".mainnav .unread-badge")).to_have_count(0)  # read: the counter is gone
    page.get_by_label("Ваш ответ").fill(ANSWER)
    page.get_by_role("button", name="Отправить ответ").click()
    expect(page.get_by_text("Ответ отправлен.")).to_be_visible()
    expect(page.get_by_text(ANSWER)).to_be_visible()
    fits_the_screen(page)

    _login(page, live_server, "class_teacher")
    expect(page.locator(".mainnav .unread-badge")).to_contain_text("1")
    page.locator('.mainnav a[href="/messages/"]').click()
    page.get_by_role("link", name=re.compile(SUBJECT)).click()
    expect(page.get_by_text(ANSWER)).to_be_visible()
    # The clock stands at 09:00 UTC: 12:00 in Moscow.
    expect(page.get_by_text(f"{guardian_name}: прочитано 17.11.2026 12:00")).to_be_visible()
    fits_the_screen(page)
    first = Message.objects.filter(author=world.class_teacher).get()
    assert Receipt.objects.get(message=first, user=world.guardian).read_at is not None
