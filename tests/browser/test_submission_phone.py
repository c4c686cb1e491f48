"""An electronic task on a phone (issue 11, R-G04; R-A06): the pupil opens the diary, opens the task and hands in a
text and a file; the teacher opens the handed-in work, comments it and puts a mark in the journal; the pupil sees the
mark and the comment. The pupil in Chromium at a phone's size, the teacher at a desk."""

import datetime

import pytest
from playwright.sync_api import Browser, Page, expect

from gradebook.models import Mark
from schedule.models import HomeworkSubmission
from schedule.services import homework as homework_services
from tests.browser.screen import fits_the_screen
from tests.factories import PASSWORD
from tests.matrix.journal import lesson_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DUE = datetime.datetime(2026, 11, 19, 18, 0, tzinfo=datetime.UTC)
ANSWER = "Задача 1: 3/4 + 1/4 = 1. Задача 2: решение в файле."
COMMENT = "Всё верно, но во второй задаче запиши ответ полностью."


@pytest.fixture
def phone(browser: Browser):
    context = browser.new_context(**PHONE, locale="ru-RU")
    yield context.new_page()
    context.close()


@pytest.fixture
def desk(browser: Browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    yield context.new_page()
    context.close()


def _login(page: Page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Логин").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()


def test_a_pupil_hands_in_a_task_on_a_phone_and_the_teacher_marks_it_R_G04(phone: Page, desk: Page, live_server, world):
    lesson = lesson_of(world)
    task = homework_services.homework_set(
        actor=world.teacher, lesson=lesson, text="Решить задачи 1–2", submission_required=True, submission_due=DUE
    )

    # The pupil: the diary's week shows the task; the task's page takes a text and a file.
    _login(phone, live_server, "pupil")
    expect(phone).to_have_url(f"{live_server.url}/diary/{world.pupil.pk}/")
    expect(phone.get_by_text("Сдать через дневник").first).to_be_visible()
    fits_the_screen(phone)
    phone.locator("a.dw-task-link").first.click()
    expect(phone).to_have_url(f"{live_server.url}/diary/{world.pupil.pk}/tasks/{task.pk}/")
    fits_the_screen(phone)
    phone.get_by_label("Ваш ответ").fill(ANSWER)
    phone.get_by_label("Файлы").set_input_files(
        files=[{"name": "решение.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 solution"}]
    )
    phone.get_by_role("button", name="Сдать", exact=True).click()
    expect(phone.get_by_text("Работа сдана.")).to_be_visible()
    expect(phone.get_by_role("link", name="решение.pdf")).to_be_visible()
    fits_the_screen(phone)
    work = HomeworkSubmission.objects.get()
    assert (work.pupil, work.text, work.files.count()) == (world.pupil, ANSWER, 1)
    assert not Mark.objects.exists()  # handing in is no write to the journal (R-A06)

    # The teacher: from the lesson's page to the handed-in work; a comment, then a mark in a new column.
    _login(desk, live_server, "teacher")
    desk.goto(f"{live_server.url}/lessons/{lesson.pk}/")
    desk.get_by_role("link", name="Сданные работы").click()
    expect(desk.locator("tr.sm-submitted")).to_contain_text(world.pupil.last_name)
    desk.get_by_role("link", name="проверить").click()
    expect(desk.get_by_text(ANSWER)).to_be_visible()
    desk.get_by_label("Комментарий для обучающегося и родителей").fill(COMMENT)
    desk.get_by_role("button", name="Сохранить комментарий").click()
    expect(desk.get_by_text("Комментарий сохранён")).to_be_visible()
    desk.get_by_label("Отметка:", exact=True).select_option("5")
    desk.get_by_label("Столбец журнала").select_option(label="новый столбец")
    desk.get_by_label("Вид работы нового столбца").select_option(label="Ответ на уроке")
    desk.get_by_role("button", name="Выставить отметку в журнал").click()
    expect(desk.get_by_text("Отметка выставлена в журнал")).to_be_visible()
    mark = Mark.objects.get()
    assert (mark.pupil, mark.value, mark.author, mark.work.lesson_id) == (world.pupil, "5", world.teacher, lesson.pk)

    # The pupil sees the mark and the comment, in the week and on the task's page.
    _login(phone, live_server, "pupil")
    expect(phone.get_by_text(COMMENT).first).to_be_visible()
    phone.locator("a.dw-task-link").first.click()
    expect(phone.locator("strong.sm-mark")).to_have_text("5")
    expect(phone.get_by_text(COMMENT)).to_be_visible()
    fits_the_screen(phone)
