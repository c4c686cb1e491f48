"""The import preview in Chromium: a secretary's file with a bad row is refused with the row and column named;
the corrected file is applied with one click."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import GuardianLink, User
from tests.factories import PASSWORD
from tests.schedule.import_files import PUPILS, as_csv, parent, pupil

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Логин").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()


def choose_file(page: Page, content: bytes) -> None:
    page.get_by_label("Файл").set_input_files({"name": "5А.csv", "mimeType": "text/csv", "buffer": content})


def test_admin_sees_every_problem_before_anything_is_written_then_applies_the_corrected_file(
    page: Page, live_server, world
):
    mother = parent("Соколова-Римская", "Ольга", "Ивановна", phone="+7 912 000-00-01")
    good = pupil("Соколова-Римская", "Алёна", "Игоревна", birth="08.03.2015", parents=[mother])
    bad = pupil("Соколов-Римский", "Пётр", "Игоревич", birth="31.02.2016", cls="5Я", parents=[mother])

    login(page, live_server, "admin")
    page.goto(f"{live_server.url}/people/import/")
    expect(page.get_by_role("heading", name="Импорт людей")).to_be_visible()
    page.get_by_label("обучающиеся с родителями").check()
    choose_file(page, as_csv(PUPILS, [good, bad]))
    page.get_by_role("button", name="Загрузить и проверить").click()

    expect(page).to_have_url(re.compile(r"/people/import/\d+/$"))
    expect(page.get_by_role("heading", name=re.compile("Проверка импорта"))).to_be_visible()
    expect(page.get_by_text("CSV, Windows-1251, «;»")).to_be_visible()
    errors = page.locator(".im-errors")
    expect(errors.get_by_role("heading")).to_have_text("2 ошибки: файл не принят")
    expect(errors).to_contain_text("Строка 3, «Дата рождения»: «31.02.2016» — не дата")
    expect(errors).to_contain_text("Строка 3, «Класс»: Класса 5Я нет в 2026/2027 учебном году.")
    expect(page.locator('tr[data-row="2"]')).to_contain_text("будет записано")
    expect(page.locator('tr[data-row="3"]')).to_contain_text("ошибка")
    expect(page.get_by_role("button", name="Выполнить импорт")).to_have_count(0)

    errors.get_by_role("link", name="Строка 3").first.click()
    expect(page).to_have_url(re.compile(r"#row-3$"))
    page.get_by_role("link", name=re.compile(r"Строки с ошибками \(1\)")).click()
    expect(page.locator("tr[data-row]")).to_have_count(1)
    assert not User.objects.filter(last_name="Соколова-Римская").exists()

    page.get_by_role("link", name="← Импорт людей").click()
    fixed = pupil("Соколов-Римский", "Пётр", "Игоревич", birth="28.02.2016", cls="5 а", parents=[mother])
    choose_file(page, as_csv(PUPILS, [good, fixed]))
    page.get_by_role("button", name="Загрузить и проверить").click()
    expect(page.locator(".im-errors")).to_have_count(0)
    expect(page.locator('tr[data-row="3"]')).to_contain_text("Родитель 1: тот же человек, что в строке 2.")
    page.get_by_role("button", name="Выполнить импорт").first.click()

    expect(page.get_by_role("status").first).to_contain_text(
        "Импорт выполнен: новых обучающихся — 2, новых родителей — 1"
    )
    expect(page.locator(".im-result")).to_contain_text("Импорт выполнен.")
    olga = User.objects.get(last_name="Соколова-Римская", first_name="Ольга")
    assert GuardianLink.objects.filter(guardian=olga).count() == 2

    page.get_by_role("link", name="Загрузить другой файл").click()
    expect(page.locator("table.im-jobs tbody tr")).to_have_count(2)
