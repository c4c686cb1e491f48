"""The teacher's day in Chromium, on a phone-sized screen: log in, land on "my day", see today's lessons and a lesson
taken as a substitute (R-C06), open a lesson and save its topic (R-C09)."""

import re

import pytest
from playwright.sync_api import Page, expect

from schedule.services import lessons as lesson_services
from tests.browser.screen import fits_the_screen
from tests.factories import PASSWORD, make_course
from tests.matrix.lessons import DAY, lesson

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_teacher_sees_the_day_and_saves_a_topic_on_a_phone(page: Page, live_server, world):
    maths = lesson(world)  # 5А, 1st lesson, room 12
    english = make_course(world.other_class, world.other_teacher, "Английский язык", 3)
    taken = lesson_services.lesson_add(actor=None, course=english, date=DAY, number=3, room="21")
    lesson_services.substitution_set(actor=world.admin, lesson=taken, substitute=world.teacher, reason="Болезнь")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Логин").fill("teacher")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()

    expect(page).to_have_url(f"{live_server.url}/my-day/")
    expect(page.get_by_role("heading", name=re.compile("Мой день"))).to_be_visible()
    lessons = page.get_by_role("list", name="Мои уроки").get_by_role("listitem")
    expect(lessons).to_have_count(2)
    expect(lessons.nth(0)).to_contain_text("5А")
    expect(lessons.nth(0)).to_contain_text("Математика")
    expect(lessons.nth(0)).to_contain_text("нет темы")
    expect(lessons.nth(1)).to_contain_text("Замена")
    expect(lessons.nth(1)).to_contain_text("5Б")
    expect(lessons.nth(1)).to_contain_text(world.other_teacher.get_full_name())
    # Nothing sticks out sideways on a phone.
    fits_the_screen(page)

    lessons.nth(0).locator("a.ls-lesson-link").click()
    expect(page).to_have_url(f"{live_server.url}/lessons/{maths.pk}/")
    fits_the_screen(page)
    page.get_by_label("Тема урока").fill("Сложение дробей")
    page.get_by_role("button", name="Сохранить тему").click()
    expect(page.get_by_role("status")).to_contain_text("Тема урока сохранена")
    expect(page.locator(".ls-facts")).to_contain_text("Сложение дробей")

    page.get_by_role("link", name="Мой день").click()
    expect(lessons.nth(0)).to_contain_text("Сложение дробей")
    expect(lessons.nth(0)).not_to_contain_text("нет темы")
