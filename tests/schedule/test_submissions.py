"""Electronic tasks, the schedule's side (R-G04, seed 002 §1.2; R-A06): the task's due time (by default the start of
the lesson it is due by), who hands work in (the pupil of the lesson's list only), until when (refused after it
unless the teacher accepts late work), replacing it, its history; and never a write to the journal (R-A06)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from attendance.models import Absence
from gradebook.models import LessonWork, Mark
from schedule.models import Homework, HomeworkSubmission, Lesson
from schedule.services import ScheduleError
from schedule.services import homework as homework_services
from schedule.services import submissions as services
from schedule.services import years as year_services
from tests.matrix.lessons import DAY, lesson, lesson_on

UTC = datetime.UTC
MSK = datetime.timezone(datetime.timedelta(hours=3))
NEXT_TUESDAY = DAY + datetime.timedelta(days=7)


def _task(w, **kwargs) -> Homework:
    lesson_on(w, NEXT_TUESDAY)  # the lesson it is due by
    return homework_services.homework_set(
        actor=w.teacher, lesson=lesson(w), text="Решить задачи 1–5", submission_required=True, **kwargs
    )


def _pdf(name="ответ.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 answer")


def test_work_is_due_by_the_end_of_the_day_before_the_due_lesson_without_bells_R_G04(world):
    task = _task(world)
    assert task.submission_due == datetime.datetime(2026, 11, 23, 23, 59, 59, tzinfo=MSK)
    assert not task.accept_late


def test_work_is_due_by_the_start_of_the_due_lesson_by_the_bells_R_G04(world):
    bells = year_services.bell_schedule_create(actor=None, school=world.school, name="1 смена")
    year_services.bells_set(
        actor=None, schedule=bells, bells=[year_services.BellTimes(1, datetime.time(8, 30), datetime.time(9, 15))]
    )
    world.school_class.bell_schedule = bells
    world.school_class.save()
    assert _task(world).submission_due == datetime.datetime(2026, 11, 24, 8, 30, tzinfo=MSK)


def test_the_teacher_sets_the_due_time_and_keeps_it_on_later_edits_R_G04(world):
    due = datetime.datetime(2026, 11, 19, 20, 0, tzinfo=MSK)
    task = _task(world, submission_due=due, accept_late=True)
    assert (task.submission_due, task.accept_late) == (due, True)
    task = homework_services.homework_set(actor=world.teacher, lesson=lesson(world), text="Решить задачи 1–6")
    assert (task.submission_required, task.submission_due, task.accept_late) == (True, due, True)
    with pytest.raises(ScheduleError):
        _task(world, submission_due=datetime.datetime(2026, 11, 10, 20, 0, tzinfo=MSK))


def test_a_task_without_a_due_lesson_needs_a_due_time(world):
    with pytest.raises(ScheduleError, match="(?i)by when|к какому"):
        homework_services.homework_set(actor=world.teacher, lesson=lesson(world), text="x", submission_required=True)


def test_the_pupil_hands_in_and_replaces_the_work_until_the_due_time_R_G04(world, clock):
    task = _task(world)
    work = services.submission_save(actor=world.pupil, homework=task, text="Ответ 1", uploads=[_pdf()])
    assert (work.status, work.late, work.files.count()) == ("submitted", False, 1)
    clock.move_to(datetime.datetime(2026, 11, 23, 20, 0, tzinfo=UTC))  # 23:00 in Moscow, still in time
    work = services.submission_save(actor=world.pupil, homework=task, text="Ответ 2", uploads=[_pdf("ещё.pdf")])
    assert (work.text, work.files.count()) == ("Ответ 2", 2)
    assert HomeworkSubmission.objects.count() == 1
    assert [h.text for h in work.history.order_by("history_date")] == ["Ответ 1", "Ответ 2"]
    clock.move_to(datetime.datetime(2026, 11, 23, 21, 1, tzinfo=UTC))  # 00:01 on the due lesson's day
    with pytest.raises(ScheduleError, match="23.11.2026 23:59") as refused:
        services.submission_save(actor=world.pupil, homework=task, text="Ответ 3")
    assert "больше не принимается" in refused.value.message
    work.refresh_from_db()
    assert work.text == "Ответ 2"


def test_late_work_is_accepted_and_flagged_when_the_teacher_chose_so_R_G04(world, clock):
    task = _task(world, accept_late=True)
    clock.move_to(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=UTC))
    work = services.submission_save(actor=world.pupil, homework=task, text="Поздно, но сделал")
    assert work.late and work.status == "submitted"


def test_only_a_pupil_of_the_lessons_list_hands_in_R_G04(world):
    task = _task(world)
    for person in (world.other_pupil, world.teacher, world.guardian):
        with pytest.raises(ScheduleError):
            services.submission_save(actor=person, homework=task, text="Чужой ответ")
    assert not HomeworkSubmission.objects.exists()


def test_homework_that_asks_no_work_takes_none(world):
    lesson_on(world, NEXT_TUESDAY)
    homework = homework_services.homework_set(actor=world.teacher, lesson=lesson(world), text="Прочитать § 5")
    with pytest.raises(ScheduleError):
        services.submission_save(actor=world.pupil, homework=homework, text="Прочитал")


def test_empty_work_and_too_many_files_are_refused(world):
    task = _task(world)
    with pytest.raises(ScheduleError):
        services.submission_save(actor=world.pupil, homework=task, text="  ")
    with pytest.raises(ScheduleError):
        services.submission_save(actor=world.pupil, homework=task, uploads=[_pdf(f"{n}.pdf") for n in range(6)])
    with pytest.raises(ScheduleError):
        services.submission_save(actor=world.pupil, homework=task, uploads=[_pdf("program.exe")])
    assert not HomeworkSubmission.objects.exists()


def test_handing_in_never_writes_to_the_journal_R_A06(world):
    """A submission is the pupil's own row: no mark, no column, no absence, no change of the lesson."""
    task = _task(world)
    the_lesson = Lesson.objects.get(pk=task.lesson_id)
    before = (Mark.objects.count(), LessonWork.objects.count(), Absence.objects.count(), the_lesson.history.count())
    mark_history = Mark.history.count()
    services.submission_save(actor=world.pupil, homework=task, text="Ответ", uploads=[_pdf()])
    services.submission_save(actor=world.pupil, homework=task, text="Ответ исправленный")
    after = (Mark.objects.count(), LessonWork.objects.count(), Absence.objects.count(), the_lesson.history.count())
    assert after == before
    assert Mark.history.count() == mark_history


def test_a_task_with_handed_in_work_is_neither_removed_nor_turned_off(world):
    task = _task(world)
    services.submission_save(actor=world.pupil, homework=task, text="Ответ")
    with pytest.raises(ScheduleError):
        homework_services.homework_clear(actor=world.teacher, lesson=lesson(world))
    with pytest.raises(ScheduleError):
        homework_services.homework_set(
            actor=world.teacher, lesson=lesson(world), text="Решить задачи", submission_required=False
        )
    assert Homework.objects.get(pk=task.pk).submission_required


def test_the_pupil_takes_a_file_back_but_keeps_some_work(world):
    task = _task(world)
    work = services.submission_save(actor=world.pupil, homework=task, uploads=[_pdf("a.pdf"), _pdf("b.pdf")])
    first, second = work.files.order_by("pk")
    with pytest.raises(ScheduleError):
        services.submission_file_remove(actor=world.other_pupil, file=first)
    services.submission_file_remove(actor=world.pupil, file=first)
    with pytest.raises(ScheduleError):
        services.submission_file_remove(actor=world.pupil, file=second)
    assert list(work.files.all()) == [second]


def test_the_comment_checks_the_work_and_a_new_hand_in_reopens_it(world):
    task = _task(world)
    work = services.submission_save(actor=world.pupil, homework=task, text="Ответ")
    work = services.submission_comment(actor=world.teacher, submission=work, comment="Верно")
    assert (work.status, work.comment, work.commented_by) == ("checked", "Верно", world.teacher)
    work = services.submission_save(actor=world.pupil, homework=task, text="Ответ, дополненный")
    assert work.status == "submitted" and work.comment == "Верно"


def test_the_teacher_sets_a_task_on_the_lessons_page_in_the_schools_time_R_G04(client, world):
    from django.urls import reverse

    lesson_on(world, NEXT_TUESDAY)
    client.force_login(world.teacher)
    url = reverse("schedule:homework_set", args=[lesson(world).pk])
    data = {"text": "Решить задачи", "submission_required": "on", "submission_due": "2026-11-20T18:00"}
    assert client.post(url, data).status_code == 302
    task = Homework.objects.get()
    assert (task.submission_required, task.submission_due, task.accept_late) == (
        True,
        datetime.datetime(2026, 11, 20, 18, 0, tzinfo=MSK),
        False,
    )
    page = client.get(reverse("schedule:lesson_detail", args=[lesson(world).pk])).content.decode()
    assert 'value="2026-11-20T18:00"' in page and "до 20.11.2026 18:00" in page
