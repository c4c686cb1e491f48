"""The timetable editor in Chromium (R-C01): the admin opens 5А's editor, adds a lesson in a cell through the side
panel (htmx: the page is not reloaded), sees it in the grid, then tries a clash and sees the Russian error."""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from schedule.forms_timetable import course_label
from schedule.models import TimetableEntry
from tests.factories import PASSWORD, make_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Логин").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()


def test_admin_adds_a_lesson_in_a_cell_and_is_refused_a_clash(page: Page, live_server, world):
    maths = make_course(world.school_class, world.teacher, "Математика", hours=4)
    history = make_course(world.school_class, world.other_teacher, "История", hours=2)
    url = f"{live_server.url}{reverse('schedule:timetable_class', args=[world.school_class.pk])}"

    login(page, live_server, "admin")
    page.goto(url)
    expect(page.get_by_role("heading", name="Расписание 5А класса")).to_be_visible()
    cell = page.locator('td[data-day="1"][data-number="1"]')

    cell.get_by_role("link", name="Добавить урок: Понедельник, 1-й урок").click()
    expect(page.get_by_label("День недели")).to_have_value("1")
    expect(page.get_by_label("Номер урока")).to_have_value("1")
    page.get_by_label("Предмет и группа").select_option(label=course_label(maths))
    page.get_by_label("Кабинет").fill("12")
    page.get_by_role("button", name="Добавить урок").click()

    expect(page.get_by_role("status")).to_contain_text("Добавлено с 17.11.2026")
    expect(cell).to_contain_text("Математика")
    expect(cell).to_contain_text("каб. 12")
    expect(page).to_have_url(url)  # htmx swapped the editor in place: no reload, no redirect
    assert TimetableEntry.objects.filter(course=maths, weekday=1, number=1, room="12").exists()

    cell.get_by_role("link", name="Добавить урок: Понедельник, 1-й урок").click()
    expect(page.get_by_label("Номер урока")).to_have_value("1")  # the cell's form is in the panel
    page.get_by_label("Предмет и группа").select_option(label=course_label(history))
    page.get_by_role("button", name="Добавить урок").click()

    with translation.override("ru"):
        clash = translation.gettext("Pupils of %(audience)s already have a lesson at this time: %(where)s.")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(clash.split("%(audience)s")[0].strip())
    expect(alert).to_contain_text("5А")
    expect(alert).to_contain_text("Математика")
    expect(cell).not_to_contain_text("История")
    assert not TimetableEntry.objects.filter(course=history).exists()
