"""The set-up checklist in Chromium: the admin follows a missing step, does it, and sees it done."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Логин").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()


def test_admin_follows_the_checklist_to_create_a_class(page: Page, live_server, world):
    login(page, live_server, "admin")
    expect(page).to_have_url(f"{live_server.url}/setup/")
    classes_row = page.locator('tr[data-step="classes"]')
    expect(classes_row).to_contain_text("выполнено")
    expect(page.locator('tr[data-step="subjects"]')).to_contain_text("не выполнено")

    page.locator('tr[data-step="classes"]').get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/classes/"))
    page.get_by_label("Параллель").fill("7")
    page.get_by_label("Литера").fill("В")
    page.get_by_label("Классный руководитель").select_option(label=world.teacher.get_full_name())
    page.get_by_role("button", name="Создать класс").click()
    expect(page.get_by_role("status")).to_contain_text("Класс 7В создан")
    expect(page.get_by_role("link", name="7В")).to_be_visible()

    page.goto(f"{live_server.url}/setup/")
    expect(page.locator('tr[data-step="classes"]')).to_contain_text("3")
    expect(page.locator('tr[data-step="class_teachers"]')).to_contain_text("3 / 3")
