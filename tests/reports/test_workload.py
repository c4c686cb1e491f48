"""Pupils' workload (R-J12): per class and day of a week, the homework time due (the teachers' estimates), the tasks
without an estimate, the lessons and the control works, against the school's limits (SanPiN 1.2.3685-21 by grade,
control works a day and a week); the teacher enters the estimate in the homework form; the admin edits the limits."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import SchoolSettings
from accounts.settings_services import school_settings_update
from gradebook.marks import work_add
from gradebook.models import WorkType
from reports.workload import minutes_limit, workload
from schedule.models import Homework, Lesson
from schedule.services import timetable
from schedule.services.homework import homework_set
from tests.factories import make_class, make_course
from tests.matrix.journal import CONTROL, FIRST, LAST, journal_course, lesson_of

MON = datetime.date(2026, 11, 16)


def day(n: int) -> datetime.date:
    return MON + datetime.timedelta(days=n)


@pytest.fixture
def week(world):
    """5А: maths (2nd lesson) and Russian (3rd lesson) every weekday. Homework set on Monday: maths 70 min, Russian
    60 min, both due on Tuesday (130 > 120 of grade 5); set on Tuesday: Russian without an estimate, due Wednesday.
    Control works: two on Wednesday (maths and Russian), one on Thursday, one on Friday: 4 in the week."""
    maths = journal_course(world)
    russian = make_course(world.school_class, world.teacher, "Русский язык", 5)
    year = world.school_class.year
    for weekday in range(1, 6):
        timetable.timetable_entry_add(actor=None, course=russian, weekday=weekday, number=3, valid_from=year.start)
    timetable.lessons_generate(actor=None, year=year, start=FIRST, end=LAST)

    def lesson(course, n):
        return Lesson.objects.get(course=course, date=day(n))

    homework_set(actor=world.teacher, lesson=lesson(maths, 0), text="№ 1–10", minutes=70)
    homework_set(actor=world.teacher, lesson=lesson(russian, 0), text="Упр. 5", minutes=60)
    homework_set(actor=world.teacher, lesson=lesson(russian, 1), text="Выучить правило")
    control = WorkType.objects.get(school=world.school, name=CONTROL)
    for course, n in ((maths, 2), (russian, 2), (maths, 3), (russian, 4)):
        work_add(actor=world.teacher, lesson=lesson(course, n), work_type=control)
    return maths, russian


def row_of(result, school_class):
    return next(r for r in result.rows if r.school_class.pk == school_class.pk)


def test_homework_time_is_summed_per_class_and_day_it_is_due_R_J12(world, week):
    result = workload(school=world.school, year=world.school_class.year, week=day(2))
    assert result.start == MON
    five_a = row_of(result, world.school_class)
    assert [d.lessons for d in five_a.days] == [2, 2, 2, 2, 2, 0]
    assert [d.minutes for d in five_a.days] == [0, 130, 0, 0, 0, 0]
    assert five_a.days[1].hours == "2:10"
    assert [d.unestimated for d in five_a.days] == [0, 0, 1, 0, 0, 0]
    # 5Б has nothing: nothing of 5А leaks into it.
    assert all(d.lessons == d.minutes == d.control == 0 for d in row_of(result, world.other_class).days)


def test_a_day_over_the_grades_homework_limit_is_marked_R_J12(world, week):
    five_a = row_of(workload(school=world.school, year=world.school_class.year, week=MON), world.school_class)
    assert five_a.minutes_limit == 120
    assert [d.minutes_over for d in five_a.days] == [False, True, False, False, False, False]


def test_control_works_over_the_day_and_week_limits_are_marked_R_J12(world, week):
    five_a = row_of(workload(school=world.school, year=world.school_class.year, week=MON), world.school_class)
    assert [d.control for d in five_a.days] == [0, 0, 2, 1, 1, 0]
    assert [d.control_over for d in five_a.days] == [False, False, True, False, False, False]
    assert five_a.control_week == 4
    assert five_a.control_week_over


def test_the_limits_are_the_schools_settings_R_J12(world, week):
    school_settings_update(
        actor=world.admin,
        school=world.school,
        values={"workload_minutes_grades_4_5": 150, "control_works_per_day": 2, "control_works_per_week": 4},
    )
    world.school.refresh_from_db()
    five_a = row_of(workload(school=world.school, year=world.school_class.year, week=MON), world.school_class)
    assert five_a.minutes_limit == 150
    assert not five_a.over


def test_the_homework_limit_follows_sanpin_grade_bands_R_J12(world):
    settings = SchoolSettings.of(world.school)
    assert [minutes_limit(settings, g) for g in range(1, 12)] == [
        60, 90, 90, 120, 120, 150, 150, 150, 210, 210, 210,
    ]  # fmt: skip
    first = make_class(world.school_class.year, 1, "А")
    result = workload(school=world.school, year=world.school_class.year, week=MON)
    assert row_of(result, first).minutes_limit == 60


def test_a_cancelled_lesson_is_no_workload_R_J12(world, week):
    maths, _russian = week
    Lesson.objects.filter(course=maths, date=day(3)).update(status=Lesson.Status.CANCELLED)
    five_a = row_of(workload(school=world.school, year=world.school_class.year, week=MON), world.school_class)
    assert five_a.days[3].lessons == 1 and five_a.days[3].control == 0


def test_the_teacher_enters_the_time_in_the_homework_form_R_J12(client, world):
    lesson = lesson_of(world, MON)
    client.force_login(world.teacher)
    url = reverse("schedule:homework_set", args=[lesson.pk])
    page = client.get(reverse("schedule:lesson_detail", args=[lesson.pk]))
    assert 'name="minutes"' in page.content.decode()
    assert client.post(url, {"text": "№ 3", "minutes": "45"}).status_code == 302
    assert Homework.objects.get(lesson=lesson).minutes == 45
    response = client.post(url, {"text": "№ 3", "minutes": "500"})
    assert response.status_code == 422
    assert Homework.objects.get(lesson=lesson).minutes == 45


def test_the_admin_edits_the_limits_on_the_rules_page_R_J12(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("accounts:rules")).content.decode()
    assert 'name="workload_minutes_grades_9_11"' in page and 'name="control_works_per_week"' in page
    form = client.get(reverse("accounts:rules")).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value.strftime("%H:%M") if hasattr(value, "strftime") else str(value).replace(".", ",")
    data |= {"control_works_per_week": "2", "workload_minutes_grade_1": "45"}
    assert client.post(reverse("accounts:rules"), data).status_code == 302
    settings = SchoolSettings.objects.get(school=world.school)
    assert (settings.control_works_per_week, settings.workload_minutes_grade_1) == (2, 45)
    data["control_works_per_week"] = "0"
    assert client.post(reverse("accounts:rules"), data).status_code == 422
    assert SchoolSettings.objects.get(school=world.school).control_works_per_week == 2


def test_the_page_marks_the_cells_over_the_limit_R_J12(client, world, week):
    client.force_login(world.deputy)
    response = client.get(reverse("reports:workload"), {"week": "18.11.2026"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="rp-over"') == 3  # Tuesday's homework, Wednesday's control works, the week
    assert "2:10" in page


@pytest.mark.parametrize("role", ["teacher", "class_teacher", "pupil", "guardian"])
def test_only_the_administration_reads_the_workload_R_J12(client, world, role):
    client.force_login(getattr(world, role))
    assert client.get(reverse("reports:workload")).status_code == 403


def test_the_workload_page_costs_the_same_queries_whatever_the_data_R_J12(
    client, world, week, django_assert_max_num_queries
):
    client.force_login(world.deputy)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("reports:workload"), {"week": "2026-11-16"}).status_code == 200
    year = world.school_class.year
    for number, letter in enumerate("ВГДЕЖ", start=1):
        school_class = make_class(year, 6, letter)
        course = make_course(school_class, world.other_teacher, "История", 2)
        timetable.timetable_entry_add(actor=None, course=course, weekday=1, number=number, valid_from=year.start)
    timetable.lessons_generate(actor=None, year=year, start=FIRST, end=LAST)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("reports:workload"), {"week": "2026-11-16"}).status_code == 200


def test_a_class_split_into_groups_counts_one_groups_homework_and_one_lesson_R_J12(world):
    """Two groups of 5А learn English at the same time with different teachers: a pupil sits one lesson and does
    one group's homework, so the larger estimate counts, not the sum."""
    from schedule.services.classes import group_create

    year = world.school_class.year
    english = []
    for n, teacher in ((1, world.teacher), (2, world.other_teacher)):
        group = group_create(actor=None, year=year, name=f"5А англ. {n}", school_class=world.school_class)
        course = make_course(None, teacher, "Английский язык", 3, group=group)
        timetable.timetable_entry_add(actor=None, course=course, weekday=1, number=4, valid_from=year.start)
        timetable.timetable_entry_add(actor=None, course=course, weekday=2, number=4, valid_from=year.start)
        english.append((course, teacher))
    timetable.lessons_generate(actor=None, year=year, start=FIRST, end=LAST)
    for (course, teacher), minutes in zip(english, (40, 25), strict=True):
        homework_set(actor=teacher, lesson=Lesson.objects.get(course=course, date=MON), text="Ex. 3", minutes=minutes)
    five_a = row_of(workload(school=world.school, year=year, week=MON), world.school_class)
    assert five_a.days[0].lessons == 1
    assert five_a.days[1].minutes == 40
    assert five_a.days[1].tasks == 2
