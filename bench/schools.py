"""More schools on the bench's database (`--schools N`): N-1 copies of the seeded school, written by SQL.

The seeder builds one school through the services (about a minute for 1,000 pupils); a region's database holds
hundreds. The copies are the seeded school's own rows, table by table, one INSERT … SELECT each for all copies at
once: every id, every reference to a copied row and every school id moved by k × OFFSET for copy k, the logins
suffixed. Then each copy gets a year of the journal as a school has it in June (a work on every other lesson of its
whole-class courses, a mark for 4 pupils in 5 with its history row, 3 % changed, 0.5 % removed, the topics entered),
so that the tables the measured pages read hold twenty schools' rows of every kind; the seeded school itself is left
as the scenarios expect it.

Bench data only: the SQL is built from our models' table and column names and integers, never from input.
"""

# ruff: noqa: S608

from django.apps import apps
from django.db import connection, models, transaction

from accounts.models import Membership, School, User
from gradebook.models import LessonWork

YEAR_WORK = "bench-year"  # as bench/scenarios_audit.py titles the seeded school's year


def _copied_models() -> list[type[models.Model]]:
    """Every concrete model with a `school`, plus the schools and their people."""
    found = [School, User]
    for model in apps.get_models():
        if model._meta.proxy or model in found:
            continue
        if any(f.name == "school" for f in model._meta.concrete_fields):
            found.append(model)
    return found


def _is_historical(model) -> bool:
    return any(f.name == "history_id" for f in model._meta.concrete_fields)


def _moved(model, field, copied: set) -> bool:
    """Whether a column holds an id of a copied row: the key, a reference to a copied model, the original's id in a
    history table, and integer columns named `…_id` that point at rows without a database reference (a notice's
    mark history row)."""
    if field.primary_key or (field.is_relation and field.related_model in copied):
        return True
    if _is_historical(model) and field.name == "id":
        return True
    return isinstance(field, models.IntegerField) and field.column.endswith("_id") and not field.is_relation


def copy_school(school: School, copies: int) -> int:
    """Writes `copies` schools copied from `school`; returns the offset between the ids of two copies."""
    if copies <= 0:
        return 0
    chosen = _copied_models()
    copied = set(chosen)
    quote = connection.ops.quote_name
    member_ids = f"SELECT user_id FROM {Membership._meta.db_table} WHERE school_id = {int(school.pk)}"
    with connection.cursor() as cursor:
        highest = 0
        for model in chosen:
            cursor.execute(f"SELECT COALESCE(MAX({model._meta.pk.column}), 0) FROM {model._meta.db_table}")
            highest = max(highest, cursor.fetchone()[0])
        # A round offset reads well in the tables: copy k's rows are the seeded school's ids plus k × offset.
        offset = 10 ** len(str(highest))
        with transaction.atomic():
            for model in chosen:
                columns, values = [], []
                for f in model._meta.concrete_fields:
                    column = quote(f.column)  # `start`, `end`
                    columns.append(column)
                    value = f"t.{column}"
                    if _moved(model, f, copied):
                        value = f"t.{column} + k * {offset}"
                    if model is User and f.name == "username":
                        value = f"t.{column} || '.s' || (k + 1)"
                    if model is School and f.name in ("name", "short_name"):
                        value = "'МБОУ СОШ № ' || (k + 1)"
                    values.append(value)
                if model is School:
                    where = f"t.id = {int(school.pk)}"
                elif model is User:
                    where = f"t.id IN ({member_ids})"
                else:
                    where = f"t.school_id = {int(school.pk)}"
                cursor.execute(
                    f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
                    f"SELECT {', '.join(values)} FROM {model._meta.db_table} t "
                    f"CROSS JOIN generate_series(1, {int(copies)}) k WHERE {where}"
                )
            for model in chosen:
                pk = model._meta.pk
                if isinstance(pk, models.AutoField):  # BigAutoField too; a one-to-one key has no sequence
                    table = model._meta.db_table
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', '{pk.column}'), "
                        f"(SELECT MAX({pk.column}) FROM {table}))"
                    )
            # The change report's scenarios give the seeded school its year before the copies (--compare): the copies
            # then hold it already.
            if not LessonWork.objects.filter(school=school, title=YEAR_WORK).exists():
                _fill_years([school.pk + k * offset for k in range(1, copies + 1)])
        cursor.execute("ANALYZE")
    return offset


def _fill_years(schools: list[int]) -> None:
    """A year of every copy's journal, as bench/scenarios_audit.py gives the seeded school for the change report."""
    from gradebook.models import LessonWork, Mark
    from schedule.models import Lesson

    from .scenarios_audit import year_history

    ids = ", ".join(str(int(s)) for s in schools)
    work, mark, lesson = LessonWork._meta.db_table, Mark._meta.db_table, Lesson._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {work} (school_id, lesson_id, work_type_id, title, position) "
            f"SELECT l.school_id, l.id, "
            f"  (SELECT w.id FROM gradebook_worktype w WHERE w.school_id = l.school_id ORDER BY w.position, w.id "
            f"   LIMIT 1), '{YEAR_WORK}', 0 "
            f"FROM {lesson} l JOIN schedule_course c ON c.id = l.course_id "
            f"WHERE l.school_id IN ({ids}) AND l.status <> 'cancelled' AND c.school_class_id IS NOT NULL "
            f"AND c.group_id IS NULL AND l.id % 2 = 0"
        )
        # Each mark by the course's teacher, entered on the lesson's day.
        cursor.execute(
            f"INSERT INTO {mark} (school_id, work_id, pupil_id, value, comment, author_id, entered_late, "
            f"  late_change_id, created_at, updated_at) "
            f"SELECT w.school_id, w.id, e.pupil_id, (ARRAY['2','3','4','5'])[(w.id + e.pupil_id) % 4 + 1], '', "
            f"  (SELECT ct.teacher_id FROM schedule_courseteacher ct WHERE ct.course_id = l.course_id "
            f"   ORDER BY ct.id LIMIT 1), false, NULL, "
            f"  (l.date + time '09:30') AT TIME ZONE 'UTC', (l.date + time '09:30') AT TIME ZONE 'UTC' "
            f"FROM {work} w JOIN {lesson} l ON l.id = w.lesson_id JOIN schedule_course c ON c.id = l.course_id "
            f"JOIN schedule_enrollment e ON e.school_class_id = c.school_class_id "
            f"WHERE w.school_id IN ({ids}) AND w.title = '{YEAR_WORK}' AND (w.id * 7 + e.pupil_id) % 5 <> 0"
        )
        teacher = (
            "(SELECT ct.teacher_id FROM schedule_courseteacher ct WHERE ct.course_id = m.course_id "
            "ORDER BY ct.id LIMIT 1)"
        )
        year_history(cursor, marks=f"m.school_id IN ({ids})", lessons=f"m.school_id IN ({ids})", teacher=teacher)


def counts() -> str:
    """A line for the header: how many schools and marks the tables hold."""
    from gradebook.models import Mark

    return f"{School.objects.count()} schools, {Mark.objects.count():,} marks in all".replace(",", " ")
