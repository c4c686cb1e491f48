"""The period-marks page in Chromium: the teacher fills the empty cells with the forecasts (a script; nothing saved
until «Save»), saves, and a «2» where an academic debt is due comes back refused with «долг» chosen (R-E08)."""

import pytest
from playwright.sync_api import Page, expect

from gradebook.marks import mark_set
from gradebook.models import PeriodMark
from schedule.models import StudyPeriod
from tests.factories import PASSWORD
from tests.matrix.journal import DAY, journal_course, work_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Page, live_server, username: str = "teacher") -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Логин").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()


def test_the_teacher_fills_the_forecasts_saves_and_a_two_is_refused_R_E08(page: Page, live_server, world):
    course = journal_course(world)
    for value in ("5", "4", "5"):
        mark_set(actor=world.teacher, work=work_on(world, DAY), pupil_id=world.pupil.pk, value=value)
    q2 = StudyPeriod.objects.get(year=course.year, number=2, grade_from__lte=5, grade_to__gte=5)
    _login(page, live_server)
    page.goto(f"{live_server.url}/courses/{course.pk}/period-marks/")
    cell = page.locator(f'select[name="pm-{q2.pk}-{world.pupil.pk}"]')
    expect(cell).to_have_value("")
    page.get_by_role("button", name="Заполнить пустые ячейки прогнозом").click()
    expect(cell).to_have_value("5")  # 4.67 rounds to 5
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Отметки за период сохранены: 1.")).to_be_visible()
    assert PeriodMark.objects.get(course=course, period=q2, pupil=world.pupil).value == "5"

    page.locator(f'select[name="pm-{q2.pk}-{world.pupil.pk}"]').select_option("2")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("«2» не может быть отметкой за период")).to_be_visible()
    expect(page.locator(f'select[name="pm-{q2.pk}-{world.pupil.pk}"]')).to_have_value("долг")
    assert PeriodMark.objects.get(course=course, period=q2, pupil=world.pupil).value == "5"
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Отметки за период сохранены: 1.")).to_be_visible()
    assert PeriodMark.objects.get(course=course, period=q2, pupil=world.pupil).value == "долг"
