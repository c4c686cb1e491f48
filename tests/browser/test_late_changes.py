"""A late change in Chromium (issue 6, Done means; seed 001, R-F01): with the clock past the window, the teacher presses
a key on the locked cell, follows the link to the request form, files it with the scan; the deputy opens the list and
the request, approves it; the grid shows the new mark."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from gradebook.models import LateChangeRequest, Mark
from tests.factories import PASSWORD
from tests.matrix.journal import journal_course, marked_work
from tests.matrix.late_changes import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Two weeks and two days after the lesson of 16 November: its marks are past their window (R-D03).
PAST_THE_WINDOW = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC)


def _login(page: Page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Логин").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_label("Логин")).to_have_count(0)


def _cell(page: Page, world, work):
    return page.locator(f'tr[data-pupil="{world.pupil.pk}"] td.jg-cell[data-work="{work.pk}"]')


def test_a_teacher_files_a_request_the_deputy_approves_it_and_the_mark_changes_R_F01(
    page: Page, live_server, world, clock
):
    work = marked_work(world)  # the pupil's «4» of 16 November
    clock.move_to(PAST_THE_WINDOW)
    journal = f"{live_server.url}/courses/{journal_course(world).pk}/journal/"

    _login(page, live_server, "teacher")
    page.goto(journal)
    cell = _cell(page, world, work)
    expect(cell).to_have_text("4")
    cell.click()
    page.keyboard.type("5")
    status = page.locator("#jg-status")
    expect(status).to_contain_text("30.11.2026")  # until when it could be changed
    expect(cell).to_have_text("4")
    status.get_by_role("link", name="Запросить исправление после срока").click()

    expect(page.get_by_role("heading", name="Заявка на исправление после срока")).to_be_visible()
    expect(page.locator(".lc-cell")).to_contain_text("4")
    page.locator('select[name="new_value"]').select_option("5")
    page.locator('select[name="reason"]').select_option("pupil_illness")
    page.locator('input[name="document_number"]').fill("47-у")
    page.locator('input[name="document_date"]').fill("2026-11-30")
    page.locator('input[name="scan"]').set_input_files(
        {"name": "справка.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    page.locator('textarea[name="explanation"]').fill("Ученик болел, работу написал после выздоровления.")
    page.get_by_role("button", name="Подать заявку").click()
    expect(page.locator("ul.messages")).to_contain_text("Заявка подана")
    request = LateChangeRequest.objects.get()
    assert (request.status, request.old_value, request.new_value) == ("pending", "4", "5")
    assert Mark.objects.get(work=work, pupil=world.pupil).value == "4"

    _login(page, live_server, "deputy")
    page.goto(f"{live_server.url}/late-changes/")
    page.get_by_role("link", name="4 → 5").click()
    expect(page.locator("#lc-now")).to_have_text("4")
    page.get_by_label("Комментарий").fill("Справка приложена.")
    page.get_by_role("button", name="Одобрить и изменить журнал").click()
    expect(page.locator("ul.messages")).to_contain_text("Заявка одобрена")
    expect(page.locator("#lc-now")).to_have_text("5")

    page.goto(journal)
    expect(_cell(page, world, work)).to_have_text("5")
    mark = Mark.objects.get(work=work, pupil=world.pupil)
    assert (mark.value, mark.late_change_id) == ("5", request.pk)
    assert Mark.history.filter(id=mark.pk).latest().late_change_id == request.pk


def test_a_locked_attendance_cell_links_to_its_request_and_the_deputy_gets_the_retake_form(
    page: Page, live_server, world, clock
):
    work = marked_work(world)
    clock.move_to(PAST_THE_WINDOW)
    course = journal_course(world)
    journal = f"{live_server.url}/courses/{course.pk}/journal/"
    _login(page, live_server, "teacher")
    page.goto(journal)
    _cell(page, world, work).click()
    page.keyboard.press("KeyY")  # «н»: the lesson's attendance is past its window too
    link = page.locator("#jg-status").get_by_role("link", name="Запросить исправление после срока")
    expect(link).to_have_attribute(
        "href", f"/courses/{course.pk}/late-changes/new/?lesson={work.lesson_id}&pupil={world.pupil.pk}"
    )

    _login(page, live_server, "deputy")
    page.goto(journal)
    _cell(page, world, work).click()
    page.keyboard.type("5")
    status = page.locator("#jg-status")
    expect(status.get_by_role("link", name="Запросить исправление после срока")).to_have_count(0)
    status.get_by_role("link", name="Выставить отметку по протоколу пересдачи").click()
    expect(page.get_by_role("heading", name="Протокол пересдачи")).to_be_visible()
    expect(page.locator('select[name="new_value"]')).to_be_visible()
