"""The journal grid in Chromium: a lesson's attendance and ten marks typed from the keyboard are all there after a
reload; marks typed while
the server cannot be reached stay visibly unsaved and are saved by the retry (DESIGN §6.2: the grid never loses a
typed mark)."""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from attendance.models import Absence
from gradebook.models import Mark
from tests.factories import PASSWORD
from tests.matrix.journal import CONTROL, FIRST, LAST, journal_course, work_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARK_URL = "**/journal/works/*/marks/"


def _login(page: Page, live_server, username: str = "teacher") -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Логин").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()


def _ten_columns(world):
    """Ten columns in the lessons of 9–17 November (all within their windows): two on three of the days."""
    works = []
    day = FIRST
    while len(works) < 10 and day <= LAST:
        if day.weekday() < 5 and day <= datetime.date(2026, 11, 17):
            works.append(work_on(world, day))
            if len(works) < 10 and day.day in (10, 12, 16):
                works.append(work_on(world, day, CONTROL))
        day += datetime.timedelta(days=1)
    assert len(works) == 10
    return works


def _open_grid(page: Page, live_server, world):
    page.goto(f"{live_server.url}/courses/{journal_course(world).pk}/journal/")
    expect(page.get_by_role("heading", name="Журнал: Математика, 5А")).to_be_visible()
    cells = page.locator(f'tr[data-pupil="{world.pupil.pk}"] td.jg-cell[data-work]')
    expect(cells).to_have_count(10)
    return cells


def test_ten_marks_and_a_lessons_attendance_are_all_there_after_a_reload(page: Page, live_server, world):
    _ten_columns(world)
    _login(page, live_server)
    cells = _open_grid(page, live_server, world)
    cells.first.click()
    expect(page.locator("#jg-palette")).to_be_visible()  # the touch palette for the focused cell
    page.keyboard.type("5432154321")
    expect(cells.nth(9)).to_have_text("1")
    # The lesson's attendance in the same grid: the pupil left the lesson of 17.11 (the last column) early.
    cells.nth(9).click()
    page.keyboard.press("KeyY")  # «н»
    expect(cells.nth(9)).to_have_text("1Н")
    page.wait_for_function("() => window.ejJournal.pending() === 0")
    expect(page.locator(f"#jg-avg-{world.pupil.pk}")).to_have_text("3,00")
    assert Mark.objects.filter(pupil=world.pupil).count() == 10
    assert Absence.objects.get(pupil=world.pupil).lesson.date == datetime.date(2026, 11, 17)

    page.reload()
    cells = page.locator(f'tr[data-pupil="{world.pupil.pk}"] td.jg-cell[data-work]')
    assert cells.all_inner_texts() == [*"543215432", "1Н"]
    # Backspace clears a cell; «з» sets «зач», which does not count in the average.
    cells.nth(0).click()
    page.keyboard.press("Backspace")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("KeyP")  # «з» on the Russian layout, whatever layout is on
    page.wait_for_function("() => window.ejJournal.pending() === 0")
    expect(cells.nth(0)).to_have_text("")
    expect(cells.nth(1)).to_have_text("зач")
    # «-» sets «незач».
    page.keyboard.press("Minus")
    expect(cells.nth(2)).to_have_text("незач")
    page.wait_for_function("() => window.ejJournal.pending() === 0")
    expect(page.locator(f"#jg-avg-{world.pupil.pk}")).to_have_text("2,57")
    assert set(Mark.objects.filter(pupil=world.pupil).values_list("value", flat=True)) >= {"зач", "незач"}


def test_a_teacher_types_a_lessons_attendance_and_finds_it_after_a_reload_R_H01(page: Page, live_server, world):
    """Н on one lesson (the key on either layout), ОП with its minutes on another: shown in each of the lesson's
    cells, stored with the code, still there after a reload; Backspace on a cell without a mark clears the code."""
    _ten_columns(world)
    _login(page, live_server)
    cells = _open_grid(page, live_server, world)
    # The last column is the lesson of 17.11, the two before it are the lesson of 16.11.
    cells.nth(9).click()
    page.keyboard.press("KeyY")  # «н» on the Russian layout, whatever layout is on
    expect(cells.nth(9)).to_have_text("Н")
    cells.nth(7).click()
    page.keyboard.press("KeyJ")  # «о»: late
    editor = page.locator("#jg-editor")
    expect(editor).to_be_visible()
    page.locator("#jg-editor-input").fill("7")
    page.keyboard.press("Enter")
    expect(editor).to_be_hidden()
    expect(cells.nth(7)).to_have_text("ОП")
    expect(cells.nth(8)).to_have_text("ОП")  # the lesson's other column shows it too
    page.keyboard.type("4")  # a late pupil still gets a mark
    page.wait_for_function("() => window.ejJournal.pending() === 0")
    stored = {a.lesson.date.day: (a.code, a.minutes) for a in Absence.objects.filter(pupil=world.pupil)}
    assert stored == {17: ("absent", None), 16: ("late", 7)}

    page.reload()
    cells = page.locator(f'tr[data-pupil="{world.pupil.pk}"] td.jg-cell[data-work]')
    assert cells.all_inner_texts()[7:] == ["4ОП", "ОП", "Н"]
    cells.nth(9).click()
    page.keyboard.press("Backspace")
    expect(cells.nth(9)).to_have_text("")
    page.wait_for_function("() => window.ejJournal.pending() === 0")
    assert not Absence.objects.filter(pupil=world.pupil, lesson__date=datetime.date(2026, 11, 17)).exists()


def test_a_mark_gets_its_comment_from_the_keyboard(page: Page, live_server, world):
    """What a «3» was for: «к» on a cell with a mark opens the comment, Enter saves it (the family sees it)."""
    _ten_columns(world)
    _login(page, live_server)
    cells = _open_grid(page, live_server, world)
    cells.first.click()
    page.keyboard.type("3")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("KeyR")  # «к» on the Russian layout
    expect(page.locator("#jg-editor")).to_be_visible()
    page.locator("#jg-editor-input").fill("не выучил правило")
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.ejJournal.pending() === 0")
    expect(cells.first).to_have_class(re.compile(r"\bjg-commented\b"))
    mark = Mark.objects.get(pupil=world.pupil)
    assert (mark.value, mark.comment) == ("3", "не выучил правило")


def test_all_present_in_one_click_marks_the_lesson_taken(page: Page, live_server, world):
    _ten_columns(world)
    _login(page, live_server)
    _open_grid(page, live_server, world)
    page.get_by_role("button", name="Все присутствуют: посещаемость отмечена 17.11").click()
    expect(page.locator("ul.messages")).to_contain_text("Посещаемость урока 17.11.2026 отмечена")
    expect(page.locator("th.jg-lesson.jg-is-today .jg-taken")).to_be_visible()


def test_marks_typed_while_the_server_is_unreachable_are_kept_and_saved_later(page: Page, live_server, world):
    _ten_columns(world)
    _login(page, live_server)
    cells = _open_grid(page, live_server, world)
    cells.first.click()
    page.keyboard.type("54")
    page.wait_for_function("() => window.ejJournal.pending() === 0")

    page.route(MARK_URL, lambda route: route.abort())
    page.keyboard.type("321")
    for i in (2, 3, 4):
        expect(cells.nth(i)).to_have_class(re.compile(r"\bjg-unsaved\b"))
        expect(cells.nth(i)).to_have_attribute("title", "Не сохранено: будет сохранено ещё раз")
    expect(page.get_by_role("status")).to_contain_text("Не сохранено: 3")
    assert Mark.objects.filter(pupil=world.pupil).count() == 2

    page.unroute(MARK_URL)
    page.wait_for_function("() => window.ejJournal.pending() === 0", timeout=20_000)
    for i in (2, 3, 4):
        expect(cells.nth(i)).not_to_have_class(re.compile(r"\bjg-unsaved\b"))
    page.reload()
    cells = page.locator(f'tr[data-pupil="{world.pupil.pk}"] td.jg-cell[data-work]')
    assert cells.all_inner_texts()[:5] == list("54321")


def test_offline_entry_is_saved_when_the_browser_is_back_online(page: Page, live_server, world):
    _ten_columns(world)
    _login(page, live_server)
    cells = _open_grid(page, live_server, world)
    cells.nth(5).click()
    page.context.set_offline(True)
    page.keyboard.type("55")
    expect(cells.nth(6)).to_have_class(re.compile(r"\bjg-unsaved\b"))
    assert page.evaluate("window.ejJournal.unsaved()") == 2
    page.context.set_offline(False)
    page.wait_for_function("() => window.ejJournal.pending() === 0", timeout=20_000)
    assert Mark.objects.filter(pupil=world.pupil, value="5").count() == 2
