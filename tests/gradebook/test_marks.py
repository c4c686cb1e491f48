"""Marks and the works of a lesson: the time rules of DESIGN §5 moved through by the clock, the lesson's list, the
permission layer, and concurrent writers (promise 6)."""

import datetime
import threading

import pytest
from django.db import connection

from accounts.models import SchoolSettings
from gradebook.marks import mark_clear, mark_set, work_add, work_remove, work_update
from gradebook.models import LessonWork, Mark, WorkType
from gradebook.services import GradebookError, work_types_add_usual
from schedule.models import Lesson
from schedule.services import lessons as lesson_services
from schedule.services import timetable
from schedule.services import years as year_services
from tests.factories import UserFactory, make_course

D = datetime.date
MONDAY_LESSON = D(2026, 11, 16)


@pytest.fixture
def lesson(world):
    year = world.school_class.year
    year_services.year_fill_usual(actor=None, year=year)
    work_types_add_usual(actor=None, school=world.school)
    maths = make_course(world.school_class, world.teacher, "Математика", hours=4)
    timetable.timetable_entry_add(actor=None, course=maths, weekday=1, number=1, valid_from=year.start)
    timetable.lessons_generate(actor=None, year=year, start=D(2026, 11, 9), end=D(2026, 12, 28))
    return Lesson.objects.get(course=maths, date=MONDAY_LESSON)


def work_of(lesson, name="Ответ на уроке"):
    return work_add(actor=lesson.course.teachers.get(), lesson=lesson, work_type=WorkType.objects.get(name=name))


def test_a_mark_on_time_is_not_late_and_keeps_history_with_its_author(world, lesson):
    work = work_of(lesson)
    saved = mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="4", comment="устный ответ")
    assert not saved.late
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")
    mark = Mark.objects.get(work=work, pupil=world.pupil)
    assert (mark.value, mark.comment) == ("5", "устный ответ")
    assert [h.value for h in mark.history.order_by("history_date")] == ["4", "5"]
    assert {h.history_user for h in mark.history.all()} == {world.teacher}


def test_a_mark_after_the_deadline_is_accepted_and_counted_late_R_D01(world, lesson, clock):
    """R-D01: current marks are due 2 days after the lesson; later ones are accepted and recorded as late."""
    work = work_of(lesson)
    clock.move_to(datetime.datetime(2026, 11, 18, 20, 0, tzinfo=datetime.UTC))  # 2 days after: still on time
    assert not mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="4").late
    clock.move_to(datetime.datetime(2026, 11, 19, 9, 0, tzinfo=datetime.UTC))
    saved = mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="3")
    assert saved.late and Mark.objects.get(work=work).entered_late


def test_a_control_work_has_its_own_deadline_R_D02(world, lesson, clock):
    """R-D02: a control work's marks are due 3 days after it, not the current marks' 2."""
    work = work_of(lesson, "Контрольная работа")
    clock.move_to(datetime.datetime(2026, 11, 19, 9, 0, tzinfo=datetime.UTC))
    assert not mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="4").late


def test_after_the_edit_window_a_mark_is_refused_and_nothing_changes_R_D03(world, lesson, clock):
    """R-D03: 14 days after the lesson the teacher can no longer change its marks."""
    work = work_of(lesson)
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="4")
    clock.move_to(datetime.datetime(2026, 11, 30, 20, 0, tzinfo=datetime.UTC))  # day 14: the last one
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")
    clock.move_to(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC))
    with pytest.raises(GradebookError, match="30.11.2026"):
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="2")
    with pytest.raises(GradebookError):
        mark_clear(actor=world.teacher, work=work, pupil_id=world.pupil.pk)
    with pytest.raises(GradebookError):
        work_of(lesson)
    assert Mark.objects.get(work=work).value == "5"


def test_no_window_means_until_the_year_ends_R_D03(world, lesson, clock):
    """Seed 000 §12: «Никогда» — editable until the school year ends."""
    SchoolSettings.objects.filter(school=world.school).update(edit_window_days=None)
    work = work_of(lesson)
    clock.move_to(datetime.datetime(2027, 5, 20, 9, 0, tzinfo=datetime.UTC))
    assert mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="4").late
    clock.move_to(datetime.datetime(2027, 9, 1, 9, 0, tzinfo=datetime.UTC))
    with pytest.raises(GradebookError):
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")


def test_a_closed_year_and_a_cancelled_lesson_take_no_marks_R_D08(world, lesson):
    work = work_of(lesson)
    other = Lesson.objects.filter(course=lesson.course).exclude(pk=lesson.pk).first()
    other_work = work_of(other)
    lesson_services.lesson_cancel(actor=world.admin, lesson=other, reason="Карантин")
    with pytest.raises(GradebookError):
        mark_set(actor=world.teacher, work=other_work, pupil_id=world.pupil.pk, value="5")
    year = lesson.course.year
    year.is_archived = True
    year.save()
    with pytest.raises(GradebookError):
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")


def test_only_pupils_on_the_lesson_list_get_marks_and_values_are_checked(world, lesson):
    work = work_of(lesson)
    with pytest.raises(GradebookError):
        mark_set(actor=world.teacher, work=work, pupil_id=world.other_pupil.pk, value="5")  # a pupil of 5Б
    with pytest.raises(GradebookError):
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="6")
    assert mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="зачёт").mark.value == "зач"


def test_a_work_with_marks_is_not_removed_and_its_kind_can_change(world, lesson):
    work = work_of(lesson)
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")
    with pytest.raises(GradebookError):
        work_remove(actor=world.teacher, work=work)
    work_update(actor=world.teacher, work=work, work_type=WorkType.objects.get(name="Контрольная работа"))
    mark_clear(actor=world.teacher, work=work, pupil_id=world.pupil.pk)
    work_remove(actor=world.teacher, work=work)
    assert not LessonWork.objects.filter(pk=work.pk).exists()
    assert Mark.history.filter(pupil=world.pupil, history_type="-").get().history_user == world.teacher


def test_who_may_write_marks_R_A04_R_C06(world, lesson):
    """The course's teacher; a substitute instead of them on that lesson; never a class teacher, a deputy, another
    teacher, a pupil or a parent (R-A04, R-A05, R-A06)."""
    assert world.teacher.has_perm("gradebook.change_marks", lesson)
    for other in (world.class_teacher, world.deputy, world.admin, world.other_teacher, world.pupil, world.guardian):
        assert not other.has_perm("gradebook.change_marks", lesson), other
    lesson_services.substitution_set(actor=world.admin, lesson=lesson, substitute=world.other_teacher)
    fresh = Lesson.objects.get(pk=lesson.pk)
    assert world.other_teacher.has_perm("gradebook.change_marks", fresh)
    assert not world.teacher.has_perm("gradebook.change_marks", fresh)
    assert world.class_teacher.has_perm("gradebook.view_journal", lesson.course)
    assert not world.pupil.has_perm("gradebook.view_journal", lesson.course)


@pytest.mark.django_db(transaction=True)
def test_twenty_teachers_saving_at_once_lose_no_mark_and_no_history_row(world, lesson):
    """Promise 6: 20 writers at once on PostgreSQL, each on their own pupil's cell and all on one shared cell: every
    mark is there, and every change has its history row."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    pupils = [UserFactory(school=world.school, username=f"kid{i}", roles=["pupil"], password=None) for i in range(20)]
    from schedule.services import classes as class_services

    class_services.pupils_enroll(actor=None, school_class=world.school_class, pupils=pupils, since=D(2026, 9, 1))
    work = work_of(lesson)
    barrier = threading.Barrier(20)
    errors: list[Exception] = []

    def write(i: int) -> None:
        try:
            barrier.wait()
            mark_set(actor=world.teacher, work=work, pupil_id=pupils[i].pk, value=str(i % 5 + 1))
            mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value=str(i % 5 + 1))
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connection.close()  # each thread's own connection, so that the test database can be dropped

    threads = [threading.Thread(target=write, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Mark.objects.filter(work=work).count() == 21
    for i, pupil in enumerate(pupils):
        assert Mark.objects.get(work=work, pupil=pupil).value == str(i % 5 + 1)
    shared = Mark.objects.get(work=work, pupil=world.pupil)
    # One "+" and then only real changes: consecutive equal values are not saved twice.
    rows = list(shared.history.order_by("history_date", "history_id").values_list("value", flat=True))
    assert rows[-1] == shared.value
    assert Mark.history.filter(work_id=work.pk).exclude(pupil_id=world.pupil.pk).count() == 20
