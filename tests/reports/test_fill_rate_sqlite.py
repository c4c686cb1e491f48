"""The fill rate on SQLite (the `make run` demo) gives PostgreSQL's figures (R-J01, R-J04, R-J07, R-E07).

The journal-control SQL has two dialects (`reports.fill_rate.Dialect`): dates, date arithmetic and the school's local
day of a timestamp are written differently. A school is built through the real services on PostgreSQL (a class
course and a group course, marks on time and late, one entered after midnight in Moscow but before it in UTC, a
cancelled lesson, a thematic plan, absences, diary visits, a parent who opted out); every row of the database is then
copied into an in-memory SQLite database made from the models, and each figure, list and count is compared for
several ranges, at the school, class and course levels."""

import dataclasses
import datetime

import pytest
from django.apps import apps
from django.db.utils import ConnectionHandler

from accounts.models import GuardianProfile
from diary.models import DiaryVisit
from gradebook.marks import mark_set, work_add
from gradebook.models import WorkType
from reports import fill_rate
from reports.fill_rate import Scope
from schedule.models import Lesson
from schedule.services import classes as class_services
from schedule.services import timetable
from schedule.services.lessons import lesson_cancel
from schedule.services.plans import PlanLine, plan_apply, plan_replace
from tests.factories import make_course
from tests.matrix.journal import ANSWER, lesson_of, work_on
from tests.reports.test_fill_rate import SEPT, TODAY, _day, _history, at, classmates, filled_journal


@pytest.fixture
def lite():
    """An empty in-memory SQLite database with every model's table, as `migrate` makes it for the demo."""
    conn = ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}})["default"]
    with conn.schema_editor() as editor:  # many-to-many tables come with their models
        for model in apps.get_models():
            if model._meta.managed and not model._meta.proxy:
                editor.create_model(model)
    yield conn
    conn.close()


def copy_into(conn) -> int:
    """Every row of the test's PostgreSQL database, written as Django writes it to SQLite."""
    copied = 0
    with conn.constraint_checks_disabled(), conn.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if not model._meta.managed or model._meta.proxy:
                continue
            columns = model._meta.concrete_fields
            rows = [
                [f.get_db_prep_save(v, connection=conn) for f, v in zip(columns, row, strict=True)]
                for row in model._base_manager.values_list(*(f.attname for f in columns))
            ]
            if rows:
                names = ", ".join(conn.ops.quote_name(f.column) for f in columns)
                marks = ", ".join(["%s"] * len(columns))
                table = conn.ops.quote_name(model._meta.db_table)
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608
                copied += len(rows)
    return copied


def a_school(w, clock):
    """Maths of 5А filled partly late (tests/reports/test_fill_rate.py), with a plan and a cancelled lesson; history
    with marks; English of a group of 5А; chess without attestation; a late mark entered at 01:00 in Moscow
    (22:00 UTC the day before)."""
    maths = filled_journal(w, clock)
    bob, vic = classmates(w)
    at(clock, _day(9), 8)
    plan_replace(actor=w.teacher, course=maths, items=[PlanLine(topic=f"Тема {i}", hours=1 + i % 2) for i in range(8)])
    plan_apply(actor=w.teacher, course=maths)
    at(clock, _day(19), 22)  # 20 November in Moscow: due 13 November, 7 days late (6 by the UTC date)
    mark_set(actor=w.teacher, work=work_on(w, _day(11)), pupil_id=vic.pk, value="2")
    lesson_cancel(actor=w.admin, lesson=lesson_of(w, _day(13)), reason="Карантин")
    history = _history(w)
    answer = WorkType.objects.get(school=w.school, name=ANSWER)
    at(clock, _day(11))
    work = work_add(actor=w.teacher, lesson=Lesson.objects.get(course=history, date=_day(11)), work_type=answer)
    mark_set(actor=w.teacher, work=work, pupil_id=w.pupil.pk, value="5")
    mark_set(actor=w.teacher, work=work, pupil_id=bob.pk, value="4")
    group = class_services.group_create(
        actor=None, year=maths.year, name="5А английский 1", school_class=w.school_class
    )
    class_services.group_members_set(actor=None, group=group, pupils=[w.pupil, bob], since=SEPT)
    english = make_course(w.school_class, w.other_teacher, "Английский язык", 3, group=group)
    timetable.timetable_entry_add(actor=None, course=english, weekday=2, number=4, valid_from=SEPT)
    chess = make_course(w.school_class, w.teacher, "Шахматы", 1, attested=False)  # no list of pupils (R-E04)
    timetable.timetable_entry_add(actor=None, course=chess, weekday=1, number=5, valid_from=SEPT)
    timetable.lessons_generate(actor=None, year=maths.year, start=_day(9), end=datetime.date(2026, 12, 11))
    at(clock, _day(10))
    work = work_add(actor=w.other_teacher, lesson=Lesson.objects.get(course=english, date=_day(10)), work_type=answer)
    mark_set(actor=w.other_teacher, work=work, pupil_id=bob.pk, value="3")
    for person, day in ((w.pupil, 10), (bob, 12), (w.guardian, 16), (w.other_guardian, 11)):
        DiaryVisit.objects.create(school=w.school, user=person, day=_day(day))
    GuardianProfile.objects.update_or_create(
        school=w.school, guardian=w.other_guardian, defaults={"diary_opt_out": True}
    )
    return maths, history, english


def test_r_j01_r_j04_r_j07_r_e07_the_demo_s_sqlite_gives_postgresql_s_figures(world, clock, lite):
    """R-J01, R-J04, R-J07, R-E07 on both databases: the same figures, lists and diary counts for ranges before,
    across and after 17 November, a period's 3rd and 4th weeks, at every level."""
    maths, history, english = a_school(world, clock)
    assert copy_into(lite) > 100
    year = maths.year
    dates = [
        (_day(9), TODAY, TODAY),
        (_day(1), _day(30), _day(20)),  # the range begins in the 1st quarter, whose marks are not counted
        (_day(23), _day(30), _day(30)),  # 3 weeks into the 2nd quarter: one mark needed
        (_day(30), datetime.date(2026, 12, 7), datetime.date(2026, 12, 7)),  # 4 weeks: two
        (datetime.date(2026, 9, 1), datetime.date(2026, 12, 28), TODAY),
    ]
    levels = [{}, {"class_id": world.school_class.pk}, {"course_id": maths.pk}, {"course_id": english.pk}]
    compared = 0
    for start, end, today in dates:
        for level in levels:
            s = Scope(school=world.school, year=year, start=start, end=end, today=today, **level)
            on_pg = fill_rate.course_figures(s)
            assert fill_rate.course_figures(s, lite) == on_pg, (start, end, level)
            for what in ("", *fill_rate.PUPIL_FILTERS):
                assert fill_rate.pupil_rows(s, what, lite) == fill_rate.pupil_rows(s, what), (start, what, level)
            for class_id in (None, world.school_class.pk):
                usage = fill_rate.diary_usage(s, class_id)
                assert fill_rate.diary_usage(s, class_id, lite) == usage
            compared += len(on_pg)
    assert compared > 20
    # The figures compared are not empty: the late mark's day is Moscow's, the plan's drift and R-E07 are there.
    mid = Scope(school=world.school, year=year, start=_day(9), end=_day(20), today=_day(20))
    f = fill_rate.course_figures(mid, lite)[maths.pk]
    assert (f.marks, f.marks_late, f.marks_late_max, f.absences_late) == (5, 4, 7, 1)
    assert (f.plan_items, f.plan_expected, f.plan_reached, f.drift) == (8, 7, 7, 0)
    dec7 = datetime.date(2026, 12, 7)
    dec7 = Scope(school=world.school, year=year, start=_day(30), end=dec7, today=dec7)
    short = fill_rate.course_figures(dec7, lite)[history.pk]
    assert (short.density_pupils, short.density_short) == (3, 3)  # two marks needed, one at most given
    usage = fill_rate.diary_usage(mid, None, lite)[None]
    assert dataclasses.astuple(usage) == (4, 2, 1, 1)
