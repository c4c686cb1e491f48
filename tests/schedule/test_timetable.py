"""The timetable's services: conflicts, lessons generated from it, changes from a date (R-C01, R-C03, R-C05)."""

import datetime

import pytest

from gradebook.models import LessonWork, Mark, WorkType
from gradebook.services import work_types_add_usual
from schedule.models import Lesson, TimetableEntry
from schedule.services import ScheduleError, timetable
from schedule.services import classes as class_services
from schedule.services import lessons as lesson_services
from schedule.services import years as year_services
from tests.factories import UserFactory, make_course

D = datetime.date
MON, TUE, WED = 1, 2, 3
QUARTER_2 = (D(2026, 11, 9), D(2026, 12, 28))


@pytest.fixture
def year(world):
    year = world.school_class.year
    year_services.year_fill_usual(actor=None, year=year)
    return year


@pytest.fixture
def maths(world, year):
    return make_course(world.school_class, world.teacher, "Математика", hours=4)


YEAR_START = D(2026, 9, 1)


def add(course, weekday, number, room="", since=YEAR_START, until=None):
    return timetable.timetable_entry_add(
        actor=None, course=course, weekday=weekday, number=number, room=room, valid_from=since, valid_to=until
    )


def give_mark(lesson, pupil, teacher, value="5"):
    work_type = (
        WorkType.objects.filter(school=lesson.school).first()
        or work_types_add_usual(actor=None, school=lesson.school)[0]
    )
    work = LessonWork.objects.create(school=lesson.school, lesson=lesson, work_type=work_type)
    return Mark.objects.create(school=lesson.school, work=work, pupil=pupil, value=value, author=teacher)


def test_a_teacher_cannot_be_in_two_classes_at_once_R_C01(world, maths):
    add(maths, MON, 1)
    other = make_course(world.other_class, world.teacher, "Физика", hours=2)
    with pytest.raises(ScheduleError, match="already teaches|уже ведёт"):
        add(other, MON, 1)
    add(other, MON, 2)


def test_a_room_cannot_hold_two_lessons_at_once(world, maths):
    add(maths, MON, 1, room="12")
    other = make_course(world.other_class, world.other_teacher, "Физика", hours=2)
    with pytest.raises(ScheduleError, match="Room 12|Кабинет 12"):
        add(other, MON, 1, room=" 12 ")


def test_a_class_cannot_have_two_lessons_at_once_but_its_subgroups_can(world, maths):
    add(maths, MON, 1)
    history = make_course(world.school_class, world.other_teacher, "История", hours=2)
    with pytest.raises(ScheduleError):
        add(history, MON, 1)
    g1 = class_services.group_create(actor=None, year=maths.year, name="5А англ 1", school_class=world.school_class)
    g2 = class_services.group_create(actor=None, year=maths.year, name="5А англ 2", school_class=world.school_class)
    english_1 = make_course(world.school_class, world.other_teacher, "Английский язык", 3, group=g1)
    english_teacher = UserFactory(school=world.school, username="english")
    english_2 = make_course(world.school_class, english_teacher, "Английский язык", 3, group=g2)
    add(english_1, TUE, 2)
    add(english_2, TUE, 2)
    with pytest.raises(ScheduleError, match="5А англ 1"):
        # The subgroup's pupils are the class's pupils: the whole class cannot have a lesson then.
        add(history, TUE, 2)


def test_entries_that_do_not_overlap_in_time_do_not_clash(world, maths):
    add(maths, MON, 1, until=D(2026, 10, 31))
    physics = make_course(world.other_class, world.teacher, "Физика", hours=2)
    add(physics, MON, 1, since=D(2026, 11, 1))


def test_generation_skips_holidays_and_runs_twice_without_making_anything_new(world, year, maths):
    add(maths, MON, 1)
    add(maths, WED, 2)
    first = timetable.lessons_generate(actor=world.admin, year=year, start=D(2026, 9, 1), end=D(2026, 12, 28))
    dates = set(Lesson.objects.filter(course=maths).values_list("date", flat=True))
    assert first.created == len(dates) > 0
    autumn = year.holidays.get(start__month=10)
    assert not any(autumn.start <= d <= autumn.end for d in dates), "no lessons in the autumn holidays"
    assert any(d < autumn.start for d in dates) and any(d > autumn.end for d in dates)
    assert all(d.isoweekday() in (MON, WED) for d in dates)
    again = timetable.lessons_generate(actor=world.admin, year=year, start=D(2026, 9, 1), end=D(2026, 12, 28))
    assert again.created == 0
    assert Lesson.objects.filter(course=maths).count() == first.created
    lesson = Lesson.objects.filter(course=maths).first()
    assert lesson.history.count() == 1 and lesson.history.first().history_user == world.admin


def test_a_moved_or_cancelled_lesson_does_not_come_back_when_lessons_are_generated_again(world, year, maths):
    add(maths, MON, 1)
    timetable.lessons_generate(actor=None, year=year, start=QUARTER_2[0], end=QUARTER_2[1])
    moved, cancelled = Lesson.objects.filter(course=maths)[:2]
    lesson_services.lesson_move(actor=world.admin, lesson=moved, date=D(2026, 11, 10), number=5)
    lesson_services.lesson_cancel(actor=world.admin, lesson=cancelled, reason="Карантин")
    count = Lesson.objects.filter(course=maths).count()
    timetable.lessons_generate(actor=None, year=year, start=QUARTER_2[0], end=QUARTER_2[1])
    assert Lesson.objects.filter(course=maths).count() == count
    moved.refresh_from_db()
    assert (moved.date, moved.number) == (D(2026, 11, 10), 5)
    assert moved.history.count() == 2 and moved.history.first().history_user == world.admin
    assert Lesson.objects.filter(course=maths).in_journal().count() == count - 1


def test_a_period_generates_only_for_its_grades(world, year):
    senior = class_services.school_class_create(actor=None, year=year, grade=10, letter="А")
    course = make_course(senior, world.other_teacher, "Алгебра", 3)
    add(course, MON, 3)
    quarter = year.periods.get(kind="quarter", number=2)
    timetable.lessons_generate_period(actor=None, period=quarter)
    assert not Lesson.objects.filter(course=course).exists()
    half = year.periods.get(kind="half", number=1)
    timetable.lessons_generate_period(actor=None, period=half)
    assert Lesson.objects.filter(course=course).exists()


def test_changing_the_timetable_from_a_date_keeps_every_earlier_lesson_and_its_marks_R_C03(world, year, maths):
    entry = add(maths, MON, 1, room="12")
    timetable.lessons_generate(actor=None, year=year, start=D(2026, 9, 1), end=QUARTER_2[1])
    change = D(2026, 11, 23)
    before = list(Lesson.objects.filter(course=maths, date__lt=change).order_by("date"))
    marked = [give_mark(lesson, world.pupil, world.teacher) for lesson in before[::3]]
    # A lesson after the date that already holds a mark is kept too.
    later_marked = Lesson.objects.get(course=maths, date=D(2026, 11, 30))
    give_mark(later_marked, world.pupil, world.teacher, "4")
    snapshot = {lesson.pk: (lesson.date, lesson.number, lesson.room, lesson.entry_id) for lesson in before}

    new = timetable.timetable_entry_change(actor=world.admin, entry=entry, from_date=change, weekday=TUE, number=3)

    entry.refresh_from_db()
    assert entry.valid_to == change - datetime.timedelta(days=1)
    after = {
        lesson.pk: (lesson.date, lesson.number, lesson.room, lesson.entry_id)
        for lesson in Lesson.objects.filter(pk__in=snapshot)
    }
    assert after == snapshot
    assert all(Mark.objects.filter(pk=m.pk, value=m.value).exists() for m in marked)
    assert Lesson.objects.filter(pk=later_marked.pk).exists()
    assert not Lesson.objects.filter(entry=entry, date__gte=change).exclude(pk=later_marked.pk).exists()
    new_dates = list(Lesson.objects.filter(entry=new).values_list("date", flat=True))
    assert new_dates and min(new_dates) == D(2026, 11, 24) and all(d.isoweekday() == TUE for d in new_dates)
    assert max(new_dates) <= QUARTER_2[1]


def test_removing_an_entry_from_its_first_day_deletes_it(world, year, maths):
    entry = add(maths, MON, 1)
    timetable.timetable_entry_end(actor=None, entry=entry, from_date=entry.valid_from)
    assert not TimetableEntry.objects.filter(pk=entry.pk).exists()


def test_a_closed_year_refuses_timetable_changes_R_D08(world, year, maths):
    year.is_archived = True
    year.save()
    with pytest.raises(ScheduleError):
        add(maths, MON, 1)


def test_a_course_takes_only_teachers_of_the_school(world, year):
    with pytest.raises(ScheduleError):
        make_course(world.school_class, world.foreign_teacher, "Физика")
