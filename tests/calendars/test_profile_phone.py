"""The calendar section of the profile on a phone (issue 12 item 4): a parent makes the link, sees it once in full,
and the page fits a 375 px screen. In Chromium at a phone's size."""

import pytest
from playwright.sync_api import Browser, Page, expect

from calendars.models import CalendarFeed
from tests.browser.screen import fits_the_screen
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.fixture
def phone(browser: Browser):
    context = browser.new_context(**PHONE, locale="ru-RU")
    yield context.new_page()
    context.close()


def test_a_parent_makes_a_calendar_link_on_a_phone(phone: Page, live_server, world):
    page = phone
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Логин").fill("guardian")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.goto(f"{live_server.url}/accounts/profile/")
    expect(page.get_by_role("heading", name="Календарь в телефоне")).to_be_visible()
    fits_the_screen(page)
    page.get_by_role("button", name="Получить ссылку на календарь").click()
    link = page.get_by_label("Ваша ссылка на календарь")
    expect(link).to_be_visible()
    url = link.input_value()
    assert url.startswith(f"{live_server.url}/calendar/") and url.endswith(".ics")
    expect(page.get_by_role("link", name="Открыть в приложении календаря")).to_have_attribute(
        "href", "webcal://" + url.split("://", 1)[1]
    )
    page.get_by_text("Как подписаться").click()
    expect(page.get_by_text("Подписной календарь")).to_be_visible()
    fits_the_screen(page)
    assert CalendarFeed.objects.get(user=world.guardian).revoked_at is None

    page.reload()
    expect(page.get_by_label("Ваша ссылка на календарь")).to_have_count(0)
    page.get_by_text("Отозвать ссылку").click()
    page.get_by_role("button", name="Отозвать", exact=True).click()
    expect(page.get_by_role("button", name="Получить ссылку на календарь")).to_be_visible()
    fits_the_screen(page)
    assert CalendarFeed.objects.get(user=world.guardian).revoked_at is not None
