"""Bench scenarios of issue 10 (see bench/scenarios.py): the mark-change report over a year of history.

The SQL here is built from our table names and the bench's own ids, never from input."""

# ruff: noqa: S608

import datetime

from django.urls import reverse

from .core import logged_in, scenario

YEAR_WORK = "bench-year"


def _history_insert(model, select_from: str, fields: dict[str, str], where: str) -> str:
    """INSERT … SELECT of history rows of `model` from `select_from` (alias m): every column of the historical table
    is the source's own, unless `fields` gives its expression."""
    history = model.history.model
    columns, values = [], []
    for f in history._meta.concrete_fields:
        if f.name == "history_id":
            continue
        columns.append(f.column)
        values.append(fields.get(f.column, f"m.{f.column}"))
    return (
        f"INSERT INTO {history._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM {select_from} WHERE {where}"
    )


def year_history(cursor, *, marks: str, lessons: str, teacher: str) -> None:
    """The history of a year's journal, by SQL: every mark's entry (`marks` picks them, alias m) on its day, a change
    of 3 % of them a day later, the removal of 0.5 %; every held lesson's topic (`lessons` picks them) entered on its
    day by `teacher` (an SQL expression over m), 2 % changed the day after."""
    from gradebook.models import Mark
    from schedule.models import Lesson

    mark, lesson = Mark._meta.db_table, Lesson._meta.db_table
    cursor.execute(
        _history_insert(
            Mark, f"{mark} m",
            {"history_date": "m.created_at", "history_type": "'+'", "history_user_id": "m.author_id",
             "history_change_reason": "NULL"},
            marks,
        )
    )  # fmt: skip
    changed = "CASE m.value WHEN '5' THEN '4' ELSE '5' END"
    cursor.execute(
        _history_insert(
            Mark, f"{mark} m",
            {"history_date": "m.created_at + interval '1 day'", "history_type": "'~'", "value": changed,
             "history_user_id": "m.author_id", "history_change_reason": "NULL"},
            f"{marks} AND m.id % 33 = 0",
        )
    )  # fmt: skip
    cursor.execute(f"UPDATE {mark} m SET value = {changed} WHERE {marks} AND m.id % 33 = 0")
    cursor.execute(
        _history_insert(
            Mark, f"{mark} m",
            {"history_date": "m.created_at + interval '2 days'", "history_type": "'-'",
             "history_user_id": "m.author_id", "history_change_reason": "NULL"},
            f"{marks} AND m.id % 200 = 1",
        )
    )  # fmt: skip
    cursor.execute(f"DELETE FROM {mark} m WHERE {marks} AND m.id % 200 = 1")
    held = f"{lessons} AND m.status <> 'cancelled'"
    moment = "(m.date + time '10:00') AT TIME ZONE 'UTC'"
    cursor.execute(f"UPDATE {lesson} m SET topic = 'Тема ' || m.id WHERE {held} AND m.topic = ''")
    cursor.execute(
        _history_insert(
            Lesson, f"{lesson} m",
            {"history_date": moment, "history_type": "'~'", "history_user_id": teacher,
             "history_change_reason": "NULL"},
            held,
        )
    )  # fmt: skip
    cursor.execute(
        _history_insert(
            Lesson, f"{lesson} m",
            {"history_date": f"{moment} + interval '1 day'", "history_type": "'~'",
             "topic": "'Новая тема ' || m.id", "history_user_id": teacher, "history_change_reason": "NULL"},
            f"{held} AND m.id % 50 = 0",
        )
    )  # fmt: skip


def _fill_year(ctx) -> None:
    """A year of the journal's history, as a school has it in June: a work on every other lesson of the year's
    whole-class courses with a mark for 4 pupils in 5 (entered on the lesson's day), each with its «+» history row;
    about 3 % of them changed a day later, 0.5 % removed, every lesson's topic entered and 2 % of topics changed.
    Bench data only, written in bulk by SQL past the time rules; idempotent."""
    from django.db import connection, transaction

    from accounts.models import User
    from gradebook.models import LessonWork, Mark, WorkType
    from schedule.models import Enrollment, Lesson

    school = ctx.school
    if LessonWork.objects.filter(school=school, title=YEAR_WORK).exists():
        return
    teacher = User.objects.get(username="teacher")
    kind = WorkType.objects.filter(school=school).order_by("position").first()
    lessons = Lesson.objects.in_journal().filter(
        school=school, course__year=ctx.year, course__school_class__isnull=False, course__group__isnull=True
    )
    with transaction.atomic():
        LessonWork.objects.bulk_create(
            (
                LessonWork(school=school, lesson_id=pk, work_type=kind, title=YEAR_WORK)
                for pk in lessons.values_list("pk", flat=True)
                if pk % 2 == 0
            ),
            batch_size=5000,
        )
        pupils: dict[int, list[int]] = {}
        for cls, pupil in Enrollment.objects.filter(school=school, school_class__year=ctx.year).values_list(
            "school_class_id", "pupil_id"
        ):
            pupils.setdefault(cls, []).append(pupil)
        works = LessonWork.objects.filter(school=school, title=YEAR_WORK).values_list(
            "pk", "lesson__course__school_class_id", "lesson__date"
        )
        batch = []
        for work, cls, day in works.iterator(chunk_size=5000):
            moment = datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=datetime.UTC)
            for pupil in pupils.get(cls, []):
                if (work * 7 + pupil) % 5:
                    batch.append(
                        Mark(
                            school=school, work_id=work, pupil_id=pupil, value="2345"[(work + pupil) % 4],
                            author=teacher, created_at=moment,
                        )
                    )  # fmt: skip
            if len(batch) > 20000:
                Mark.objects.bulk_create(batch, batch_size=5000)
                batch = []
        Mark.objects.bulk_create(batch, batch_size=5000)
        year_works = f"SELECT id FROM gradebook_lessonwork WHERE title = '{YEAR_WORK}'"
        with connection.cursor() as cursor:
            year_history(
                cursor,
                marks=f"m.school_id = {int(school.pk)} AND m.work_id IN ({year_works})",
                lessons=f"m.school_id = {int(school.pk)}",
                teacher=str(teacher.pk),
            )
            cursor.execute("ANALYZE")


def _changes(ctx, **params):
    _fill_year(ctx)
    client = logged_in("deputy", ctx.password)
    url = reverse("audit:changes")
    query = {"start": ctx.year.start.isoformat(), "end": ctx.year.end.isoformat()} | params

    def request():
        return client.get(url, query)

    request.url, request.username = f"{url}?start={query['start']}&end={query['end']}", "deputy"
    return request


@scenario("change_report", iterations=100, note="one page of the change log of 5А, the whole year of history")
def change_report(ctx):
    from schedule.models import SchoolClass

    own = SchoolClass.objects.filter(year=ctx.year, grade=5).order_by("letter").first()
    return _changes(ctx, school_class=own.pk)


@scenario("change_report_school", iterations=100, note="the first page of the whole school's change log, all year")
def change_report_school(ctx):
    return _changes(ctx)
