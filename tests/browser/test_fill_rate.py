"""Journal control in Chromium (issue 9 item 1, R-J01, R-J02): the deputy opens the fill rate on the start page,
drills down from the school to 5А and to its maths course, and leaves a remark on a lesson without a topic from
there; the remark lands on the course's journal."""

import pytest
from playwright.sync_api import Page, expect

from reports.models import Remark
from tests.factories import PASSWORD
from tests.matrix.journal import DAY, journal_course, lesson_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Урок 17.11 без темы и домашнего задания. Заполните по КТП."


def _login(page: Page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Логин").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()


def test_the_deputy_drills_down_to_a_course_and_leaves_a_remark_R_J01_R_J02(page: Page, live_server, world):
    course = journal_course(world)

    _login(page, live_server, "deputy")
    expect(page).to_have_url(f"{live_server.url}/control/")
    expect(page.get_by_role("heading", name="Контроль ведения журнала")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="5А")
    expect(row.first).to_contain_text("7")  # 9–17 November: 7 lessons held, none filled
    row.first.get_by_role("link", name="5А").click()
    expect(page.get_by_role("heading", name="Контроль ведения журнала: 5А")).to_be_visible()
    page.get_by_role("link", name="Математика (5А)").click()
    expect(page.get_by_role("heading", name="Контроль ведения журнала: Математика (5А)")).to_be_visible()
    lesson_row = page.get_by_role("row").filter(has_text=f"{DAY:%d.%m.%Y}")
    expect(lesson_row).to_contain_text("нет темы")
    lesson_row.get_by_role("link", name="Оставить замечание").click()

    expect(page.get_by_role("heading", name="Оставить замечание")).to_be_visible()
    page.get_by_label("Замечание").fill(TEXT)
    page.get_by_role("button", name="Отправить замечание").click()
    expect(page).to_have_url(f"{live_server.url}/courses/{course.pk}/journal/")
    expect(page.get_by_role("region", name="Замечания по журналу")).to_contain_text(TEXT)
    remark = Remark.objects.get()
    assert (remark.course_id, remark.lesson_id, remark.author) == (course.pk, lesson_of(world).pk, world.deputy)
