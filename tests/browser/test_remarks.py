"""R-J02 in Chromium: the deputy leaves a remark on a course's journal, the teacher sees it on "my day" and on the
journal, fixes the journal and marks it done; the deputy finds it among the done remarks."""

import pytest
from playwright.sync_api import Page, expect

from reports.models import Remark
from tests.factories import PASSWORD
from tests.matrix.journal import DAY, journal_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Не заполнена тема урока 17.11. Заполните её по КТП."


def _login(page: Page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Логин").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()


def test_the_deputy_leaves_a_remark_and_the_teacher_marks_it_done_R_J02(page: Page, live_server, world):
    course = journal_course(world)
    journal = f"{live_server.url}/courses/{course.pk}/journal/"

    _login(page, live_server, "deputy")
    page.goto(journal)
    page.get_by_role("link", name="Оставить замечание").click()
    expect(page.get_by_role("heading", name="Оставить замечание")).to_be_visible()
    page.get_by_label("Урок").select_option(label=f"урок {DAY:%d.%m.%Y}, № 2")
    page.get_by_label("Замечание").fill(TEXT)
    expect(page.get_by_label("Устранить до")).to_have_value("2026-11-24")  # a week unless the deputy says otherwise
    page.get_by_role("button", name="Отправить замечание").click()
    expect(page).to_have_url(journal)
    panel = page.get_by_role("region", name="Замечания по журналу")
    expect(panel).to_contain_text(TEXT)
    expect(panel).to_contain_text("устранить до 24.11.2026")
    expect(panel.get_by_role("button", name="Исправлено: отметить устранённым")).to_have_count(0)

    _login(page, live_server, "teacher")
    expect(page).to_have_url(f"{live_server.url}/my-day/")
    on_my_day = page.get_by_role("region", name="Замечания к устранению")
    expect(on_my_day).to_contain_text(TEXT)
    on_my_day.get_by_role("link", name="Журнал →").click()
    expect(page).to_have_url(journal)
    panel = page.get_by_role("region", name="Замечания по журналу")
    panel.get_by_label("Что исправлено").fill("Тема записана.")
    panel.get_by_role("button", name="Исправлено: отметить устранённым").click()
    expect(page.get_by_text("Замечание отмечено устранённым.")).to_be_visible()
    expect(page.get_by_role("region", name="Замечания по журналу")).to_have_count(0)  # nothing left to fix
    remark = Remark.objects.get()
    assert (remark.status, remark.done_by, remark.answer) == ("done", world.teacher, "Тема записана.")

    _login(page, live_server, "deputy")
    page.goto(f"{live_server.url}/remarks/?status=done")
    row = page.get_by_role("row").filter(has_text=TEXT)
    expect(row).to_contain_text("Устранено")
    expect(row).to_contain_text("Тема записана.")
    expect(row).to_contain_text(world.teacher.get_full_name())
