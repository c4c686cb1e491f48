"""The diary API's keys on a phone (issue 12 item 5): a parent makes a key on the profile page, sees it once, uses it
and revokes it; the documentation page reads on a phone too. In Chromium at a phone's size, without horizontal
scrolling."""

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from api.models import ApiToken
from tests.browser.screen import fits_the_screen
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.fixture
def phone(browser: Browser):
    context = browser.new_context(**PHONE, locale="ru-RU")
    yield context.new_page()
    context.close()


def test_a_parent_makes_uses_and_revokes_a_key_on_a_phone(phone: Page, live_server, world):
    page = phone
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Логин").fill("guardian")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.goto(f"{live_server.url}{reverse('accounts:profile')}")
    page.get_by_label("Название ключа").fill("Приложение на телефоне")
    page.get_by_role("button", name="Создать ключ").click()
    key = page.locator("#api-new-key").inner_text()
    assert key.startswith("ej_")
    fits_the_screen(page)

    answer = Client().get(f"/api/v1/pupils/{world.pupil.pk}/week/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert answer.status_code == 200

    page.reload()
    expect(page.locator("#api-new-key")).to_have_count(0)  # shown once
    page.get_by_text("Отозвать", exact=True).click()
    page.get_by_role("button", name="Отозвать ключ").click()
    expect(page.get_by_text("отозван", exact=False).first).to_be_visible()
    assert not ApiToken.objects.get().active
    fits_the_screen(page)

    page.goto(f"{live_server.url}/api/")
    expect(page.get_by_role("heading", name="API дневника")).to_be_visible()
    fits_the_screen(page)
