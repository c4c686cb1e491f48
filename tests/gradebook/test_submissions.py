"""Handed-in work of electronic tasks, the teacher's side (R-G04, seed 002 §1.2: «проверку выданных заданий ... с
учетом заданий в электронном виде»): every pupil of the lesson's list with the state of their work in a fixed number
of queries; the teacher reads the work, comments it and may put a mark in the journal through the journal's own
service and its rules (R-D03: a closed window refuses it with the journal's message); nobody else checks."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from gradebook.models import LessonWork, Mark, WorkType
from gradebook.services import GradebookError
from gradebook.submissions import submission_mark_set
from schedule.models import Homework, HomeworkSubmission
from schedule.services import classes as class_services
from schedule.services import homework as homework_services
from schedule.services import submissions as submission_services
from tests.factories import UserFactory
from tests.matrix.journal import ANSWER, DAY, lesson_of, work_on

UTC = datetime.UTC
DUE = datetime.datetime(2026, 11, 19, 18, 0, tzinfo=UTC)  # Thursday, 21:00 in Moscow


def _task(w, **kwargs) -> Homework:
    return homework_services.homework_set(
        actor=w.teacher,
        lesson=lesson_of(w),
        text="Решить задачи 1–5",
        submission_required=True,
        submission_due=DUE,
        **kwargs,
    )


def _classmates(w, count: int) -> list:
    people = [UserFactory(school=w.school, roles=[Role.PUPIL]) for _ in range(count)]
    class_services.pupils_enroll(
        actor=None, school_class=w.school_class, pupils=people, since=datetime.date(2026, 9, 1)
    )
    return people


def _hand_in(pupil, task, text="Ответ", files=1) -> HomeworkSubmission:
    uploads = [SimpleUploadedFile(f"ответ{n}.pdf", b"%PDF-1.4 answer") for n in range(files)]
    return submission_services.submission_save(actor=pupil, homework=task, text=text, uploads=uploads)


@pytest.fixture
def task(world):
    return _task(world, accept_late=True)


def test_the_teacher_sees_every_pupil_with_the_state_of_their_work_R_G04(client, world, task, clock):
    on_time, late, checked, missing = _classmates(world, 4)
    _hand_in(on_time, task)
    submission_services.submission_comment(actor=world.teacher, submission=_hand_in(checked, task), comment="Верно")
    clock.move_to(datetime.datetime(2026, 11, 20, 8, 0, tzinfo=UTC))
    _hand_in(late, task)
    client.force_login(world.teacher)
    page = client.get(reverse("gradebook:submissions", args=[task.pk])).content.decode()
    rows = {p.pk: p.get_full_name() for p in (on_time, late, checked, missing, world.pupil)}
    assert all(name in page for name in rows.values())
    assert page.count("sm-row sm-submitted") == 1
    assert page.count("sm-row sm-late") == 1
    assert page.count("sm-row sm-checked") == 1
    assert page.count("sm-row sm-missing") == 2  # «missing» and the persona «pupil»
    assert "сдано с опозданием" in page and "не сдано" in page and "проверено" in page


def test_the_list_takes_a_fixed_number_of_queries(client, world, task, django_assert_max_num_queries):
    column = work_on(world)
    for pupil in _classmates(world, 2):
        submission_mark_set(actor=world.teacher, submission=_hand_in(pupil, task), value="4", work=column)
    client.force_login(world.teacher)
    url = reverse("gradebook:submissions", args=[task.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for pupil in _classmates(world, 6):
        work = _hand_in(pupil, task, files=2)
        submission_mark_set(actor=world.teacher, submission=work, value="5", work=column)
    with django_assert_max_num_queries(len(few)):
        page = client.get(url).content.decode()
    assert page.count("sm-row sm-checked") == 8
    assert len(few) <= 12


def test_the_teacher_reads_the_work_and_comments_it_R_G04(client, world, task):
    work = _hand_in(world.pupil, task, text="Задача 1: 42")
    file = work.files.get()
    client.force_login(world.teacher)
    page = client.get(reverse("gradebook:submission", args=[work.pk])).content.decode()
    assert "Задача 1: 42" in page and "ответ0.pdf" in page
    response = client.get(reverse("gradebook:submission_file", args=[file.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    response = client.post(reverse("gradebook:submission_comment", args=[work.pk]), {"comment": "Верно, но оформи"})
    assert response.status_code == 302
    work.refresh_from_db()
    assert (work.status, work.comment, work.commented_by) == ("checked", "Верно, но оформи", world.teacher)
    assert work.history.latest().history_user == world.teacher


def test_the_mark_goes_into_a_new_column_through_the_journals_service_R_G04(client, world, task):
    work = _hand_in(world.pupil, task)
    answer = WorkType.objects.get(school=world.school, name=ANSWER)
    client.force_login(world.teacher)
    response = client.post(
        reverse("gradebook:submission_mark", args=[work.pk]),
        {"value": "5", "column": "new", "work_type": answer.pk, "title": "Домашняя работа"},
    )
    assert response.status_code == 302
    column = LessonWork.objects.get(lesson=task.lesson_id)
    assert (column.work_type, column.title) == (answer, "Домашняя работа")
    mark = Mark.objects.get(work=column, pupil=world.pupil)
    assert (mark.value, mark.author) == ("5", world.teacher)
    assert mark.history.get().history_user == world.teacher
    work.refresh_from_db()
    assert (work.mark_work_id, work.status) == (column.pk, "checked")


def test_the_mark_goes_into_a_column_the_teacher_picks_R_G04(client, world, task):
    column = work_on(world)
    work = _hand_in(world.pupil, task)
    client.force_login(world.teacher)
    page = client.get(reverse("gradebook:submission", args=[work.pk])).content.decode()
    assert f'value="{column.pk}"' in page
    response = client.post(reverse("gradebook:submission_mark", args=[work.pk]), {"value": "4", "column": column.pk})
    assert response.status_code == 302
    assert Mark.objects.get(work=column, pupil=world.pupil).value == "4"
    assert LessonWork.objects.filter(lesson=task.lesson_id).count() == 1


def test_a_closed_window_refuses_the_mark_with_the_journals_message_R_G04(client, world, task, clock):
    column = work_on(world)
    work = _hand_in(world.pupil, task)
    clock.move_to(datetime.datetime(2026, 12, 10, 9, 0, tzinfo=UTC))  # the lesson's 14 days are over
    client.force_login(world.teacher)
    response = client.post(reverse("gradebook:submission_mark", args=[work.pk]), {"value": "5", "column": column.pk})
    assert response.status_code == 422
    assert "можно было менять до 01.12.2026" in response.content.decode()
    assert not Mark.objects.exists()
    work.refresh_from_db()
    assert work.mark_work_id is None


def test_a_wrong_value_or_a_column_of_another_lesson_is_refused(client, world, task):
    work = _hand_in(world.pupil, task)
    other_column = work_on(world, DAY - datetime.timedelta(days=1))
    client.force_login(world.teacher)
    assert (
        client.post(reverse("gradebook:submission_mark", args=[work.pk]), {"value": "7", "column": "new"}).status_code
        == 422
    )
    with pytest.raises(GradebookError):
        submission_mark_set(actor=world.teacher, submission=work, value="5", work=other_column)
    assert not Mark.objects.exists()


def test_only_the_lessons_teacher_checks_the_work_R_G04(client, world, task):
    work = _hand_in(world.pupil, task)
    comment = reverse("gradebook:submission_comment", args=[work.pk])
    page = reverse("gradebook:submissions", args=[task.pk])
    for user, reads, writes in (
        (world.class_teacher, 200, 403),
        (world.director, 200, 403),
        (world.other_teacher, 403, 403),
        (world.pupil, 403, 403),
        (world.guardian, 403, 403),
        (world.foreign_teacher, 404, 404),
    ):
        client.force_login(user)
        assert client.get(page).status_code == reads, user
        assert client.post(comment, {"comment": "Чужой комментарий"}).status_code == writes, user
    work.refresh_from_db()
    assert work.comment == "" and work.status == "submitted"


def test_homework_without_a_task_has_no_list(client, world):
    homework = homework_services.homework_set(actor=world.teacher, lesson=lesson_of(world), text="Прочитать § 5")
    client.force_login(world.teacher)
    assert client.get(reverse("gradebook:submissions", args=[homework.pk])).status_code == 404


def test_the_lesson_page_links_to_the_handed_in_work(client, world, task):
    client.force_login(world.teacher)
    page = client.get(reverse("schedule:lesson_detail", args=[task.lesson_id])).content.decode()
    assert reverse("gradebook:submissions", args=[task.pk]) in page
