"""Login through the real form in Chromium (DESIGN §8: browser tests for the flows that need a browser)."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_teacher_logs_in_through_the_form_and_lands_on_my_day(page: Page, live_server, world):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("heading", name="Вход в электронный журнал")).to_be_visible()

    page.get_by_label("Логин").fill("teacher")
    page.get_by_label("Пароль").fill("wrong-password")
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("alert")).to_contain_text("Неверный логин или пароль")

    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(f"{live_server.url}/my-day/")
    expect(page.get_by_role("heading", name=re.compile("Мой день"))).to_be_visible()


def test_guardian_with_a_temporary_password_changes_it_then_sees_the_child(page: Page, live_server, world):
    parent = UserFactory(school=world.school, username="mama", roles=[Role.GUARDIAN], temporary=True)
    from accounts import services

    services.guardian_link(actor=world.admin, school=world.school, guardian=parent, pupil=world.pupil)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Логин").fill("mama")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/password/")
    expect(page.get_by_role("status")).to_contain_text("временным паролем")

    page.get_by_label("Старый пароль").fill(PASSWORD)
    page.get_by_label("Новый пароль", exact=True).fill("Moj-novyj-2026")
    page.get_by_label("Подтверждение нового пароля").fill("Moj-novyj-2026")
    page.get_by_role("button", name="Сохранить новый пароль").click()
    expect(page).to_have_url(f"{live_server.url}/diary/{world.pupil.pk}/")
    expect(page.get_by_role("heading", name=re.compile(world.pupil.get_full_name()))).to_be_visible()
    expect(page.get_by_text("Пароль изменён")).to_be_visible()
