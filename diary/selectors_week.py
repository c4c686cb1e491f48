"""The diary's week (R-I01, R-I02): a pupil's lessons from Monday to Saturday, each with its time, room, teacher
(the substitute when substituted), cancellation, topic, the homework set at it and due for it with their files, the
pupil's marks with their work type and the teacher's comment, the mark's appeal, and the pupil's attendance; the
holidays of the week.

Three queries whatever the week holds (a fourth only for a course taught by several teachers): the week's rows (the
lessons with their bells, absence, substitute, homework and first teacher; the homework set before the week and due
in it; the homework's files; the holidays) as one UNION, the marks with their appeals, and the lessons' teaching
materials (R-G03, from the lesson's date on) with the state of the pupil's work for the electronic tasks (R-G04).
Plain SQL, read as tuples: the page is what most parents open, many times a day, and compiling the ORM's joins and
subqueries cost several times the database's work (as the journal grid found).
"""

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from accounts.models import School, User
from attendance.models import Absence
from ejournal.clock import today as school_today
from gradebook.models import LessonWork, Mark, MarkAppeal, WorkType
from gradebook.selectors import attendance_label
from schedule.models import (
    Bell,
    Course,
    CourseTeacher,
    Enrollment,
    GroupMembership,
    Holiday,
    Homework,
    HomeworkFile,
    HomeworkSubmission,
    Lesson,
    LessonMaterial,
    SchoolClass,
    StudyGroup,
    Subject,
    Substitution,
)

from .selectors import weight_text

DAYS = 6  # Monday to Saturday
# Homework due in the week was set at most this long before it (a lesson's homework is due by a later lesson).
HOMEWORK_REACH = datetime.timedelta(days=60)


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of the day's week; on a Sunday, the coming week's."""
    if day.weekday() == 6:
        day += datetime.timedelta(days=1)
    return day - datetime.timedelta(days=day.weekday())


@dataclass(slots=True)
class WeekMark:
    work_id: int
    value: str
    comment: str
    title: str
    work_type: str
    weight: str
    appeal: str  # MarkAppeal.Status of the cell's latest appeal, or ""
    answer: str
    url: str = ""


@dataclass(slots=True)
class WeekFile:
    id: int
    name: str
    size: int
    url: str = ""


@dataclass(slots=True)
class WeekTask:
    """An electronic task's side of a homework (R-G04): when the work is due and the pupil's work, if any."""

    due: datetime.datetime | None
    accept_late: bool
    submission_id: int | None = None
    status: str = ""  # HomeworkSubmission.Status, or "" when nothing was handed in
    late: bool = False
    submitted_at: datetime.datetime | None = None
    comment: str = ""
    mark: str = ""  # the mark the teacher put in the journal for it


@dataclass(slots=True)
class WeekMaterial:
    id: int
    kind: str  # LessonMaterial.Kind
    title: str
    url: str
    text: str
    file_name: str
    size: int


@dataclass(slots=True)
class WeekHomework:
    id: int
    text: str
    pages: str
    exercises: str
    set_on: datetime.date  # the date of the lesson it was set at
    due_on: datetime.date | None  # the date of the lesson it is due by
    files: list[WeekFile] = field(default_factory=list)
    task: WeekTask | None = None


@dataclass(slots=True)
class WeekLesson:
    id: int
    date: datetime.date
    number: int
    start: datetime.time | None
    end: datetime.time | None
    subject: str
    room: str
    teacher: str  # who teaches it: the substitute when substituted
    substituted: bool
    cancelled: bool
    cancel_reason: str
    topic: str
    distance: bool
    course_id: int
    homework: WeekHomework | None = None  # set at this lesson
    due: list[WeekHomework] = field(default_factory=list)  # set earlier, due by this lesson
    marks: list[WeekMark] = field(default_factory=list)
    materials: list[WeekMaterial] = field(default_factory=list)  # from the lesson's date on (R-G03)
    attendance: str = ""  # «Н», «ОП 10» …
    attendance_title: str = ""  # what it means


@dataclass(slots=True)
class WeekDay:
    date: datetime.date
    lessons: list[WeekLesson]
    holiday: str = ""
    is_today: bool = False

    @property
    def anchor(self) -> str:
        return "today" if self.is_today else f"d{self.date:%Y-%m-%d}"


@dataclass
class DiaryWeek:
    monday: datetime.date
    days: list[WeekDay]

    @property
    def saturday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=DAYS - 1)

    @property
    def previous(self) -> datetime.date:
        return self.monday - datetime.timedelta(days=7)

    @property
    def next(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=7)

    @property
    def lesson_count(self) -> int:
        return sum(len(d.lessons) for d in self.days)


# --- SQL --------------------------------------------------------------------------------------------------------


def _sql(text: str) -> str:
    """Table names from the models ({lesson} → "schedule_lesson") and a quoted "end" ({end})."""
    q = connection.ops.quote_name
    tables = {
        "lesson": Lesson,
        "course": Course,
        "subject": Subject,
        "schoolclass": SchoolClass,
        "studygroup": StudyGroup,
        "substitution": Substitution,
        "homework": Homework,
        "homeworkfile": HomeworkFile,
        "bell": Bell,
        "absence": Absence,
        "courseteacher": CourseTeacher,
        "user": User,
        "enrollment": Enrollment,
        "groupmembership": GroupMembership,
        "holiday": Holiday,
        "mark": Mark,
        "lessonwork": LessonWork,
        "worktype": WorkType,
        "markappeal": MarkAppeal,
        "material": LessonMaterial,
        "submission": HomeworkSubmission,
    }
    return text.format(end=q("end"), **{name: q(model._meta.db_table) for name, model in tables.items()})


# The row of every branch of the week's UNION: kind, then 26 columns whose meaning depends on the kind.
#  L (a lesson): id, date, number, room, status, cancel_reason, form, topic, course_id, subject, title,
#     substitute's last, first, middle name, homework id, text, pages, exercises, due lesson id, due date,
#     bell start, bell end, absence code, absence minutes, the course's teachers, its first teacher's name
#  D (homework set before the week, due in it): due lesson id, set-on date, …, homework id, text, pages,
#     exercises, due lesson id, due date
#  F (a homework's file): homework id, …, file id (as the homework id), name (as the text), size (as minutes)
#  H (holidays): …, start (as the date), name (as the subject), end (as the due date)
_NULLS = {n: ", ".join(["NULL"] * n) for n in range(1, 27)}


def _pupil_lessons(rows: str) -> str:
    """FROM the pupil's enrollments (`rows` "e") or group memberships ("m") through their courses to the lessons of
    the dates the pupil was there: a whole-class course's lessons while the pupil is in the class, a group's while
    they are in the group. Read from the pupil's few rows to the lessons' (course, date) index. Binds `c` and `l`;
    the caller's WHERE names the pupil (`{rows}.pupil_id`)."""
    if rows == "e":
        # R-E11: a pupil in family education or self-education has no lessons with the class.
        source = (
            "{enrollment} e JOIN {course} c ON c.school_class_id = e.school_class_id AND c.group_id IS NULL"
            f" AND e.form = '{Enrollment.Form.SCHOOL.value}'"
        )
    else:
        source = "{groupmembership} m JOIN {course} c ON c.group_id = m.group_id"
    return (
        f" FROM {source} JOIN {{lesson}} l ON l.course_id = c.id"
        f" AND l.date >= {rows}.since AND ({rows}.until IS NULL OR l.date <= {rows}.until)"
    )


@functools.cache
def _week_sql() -> str:
    first_teacher = (
        "(SELECT TRIM(u.last_name || ' ' || u.first_name || ' ' || u.middle_name) FROM {courseteacher} ct"
        " JOIN {user} u ON u.id = ct.teacher_id WHERE ct.course_id = l.course_id"
        " ORDER BY u.last_name, u.first_name, ct.id LIMIT 1)"
    )
    lesson_columns = (
        "SELECT 'L', l.id, l.date, l.number, l.room, l.status, l.cancel_reason, l.form, l.topic, l.course_id,"  # noqa: S608
        " s.name, c.title, su.last_name, su.first_name, su.middle_name,"
        " h.id, h.text, h.pages, h.exercises, h.due_lesson_id, dl.date, b.start, b.{end}, a.code, a.minutes,"
        " (SELECT COUNT(*) FROM {courseteacher} ct WHERE ct.course_id = l.course_id), " + first_teacher
    )
    lesson_joins = (
        " JOIN {subject} s ON s.id = c.subject_id"
        " LEFT JOIN {schoolclass} cc ON cc.id = c.school_class_id LEFT JOIN {studygroup} g ON g.id = c.group_id"
        " LEFT JOIN {schoolclass} gc ON gc.id = g.school_class_id"
        " LEFT JOIN {substitution} sb ON sb.lesson_id = l.id LEFT JOIN {user} su ON su.id = sb.substitute_id"
        " LEFT JOIN {homework} h ON h.lesson_id = l.id LEFT JOIN {lesson} dl ON dl.id = h.due_lesson_id"
        # A group across classes rings by the pupil's class's bells.
        " LEFT JOIN {bell} b ON b.schedule_id = COALESCE(cc.bell_schedule_id, gc.bell_schedule_id, %(bells)s)"
        " AND b.number = l.number"
        " LEFT JOIN {absence} a ON a.lesson_id = l.id AND a.pupil_id = %(pupil)s"
        " WHERE l.school_id = %(school)s AND l.date >= %(mon)s AND l.date <= %(sat)s"
    )
    class_lessons = (
        lesson_columns + _pupil_lessons("e") + lesson_joins + " AND e.pupil_id = %(pupil)s AND e.school_id = %(school)s"
    )
    group_lessons = (
        lesson_columns + _pupil_lessons("m") + lesson_joins + " AND m.pupil_id = %(pupil)s AND m.school_id = %(school)s"
    )
    return _sql(
        # The courses of the pupil's classes and groups around the week.
        "WITH pc AS (SELECT c0.id FROM {course} c0 WHERE c0.school_id = %(school)s AND ("  # noqa: S608 - names from the models
        "(c0.group_id IS NULL AND c0.school_class_id IN (SELECT e0.school_class_id FROM {enrollment} e0"
        " WHERE e0.pupil_id = %(pupil)s AND e0.since <= %(sat)s AND (e0.until IS NULL OR e0.until >= %(reach)s)))"
        " OR c0.group_id IN (SELECT m0.group_id FROM {groupmembership} m0"
        " WHERE m0.pupil_id = %(pupil)s AND m0.since <= %(sat)s AND (m0.until IS NULL OR m0.until >= %(reach)s))))"
        " "
        + class_lessons
        + " UNION ALL "
        + group_lessons
        +
        # Homework set before the week and due in it.
        " UNION ALL SELECT 'D', h.due_lesson_id, l.date, "
        + _NULLS[12]
        + ","
        " h.id, h.text, h.pages, h.exercises, h.due_lesson_id, dl.date, " + _NULLS[6] + ""
        " FROM {homework} h JOIN {lesson} dl ON dl.id = h.due_lesson_id JOIN {lesson} l ON l.id = h.lesson_id"
        " WHERE dl.school_id = %(school)s AND dl.date >= %(mon)s AND dl.date <= %(sat)s AND l.date < %(mon)s"
        " AND dl.course_id IN (SELECT id FROM pc)"
        # The files of the homework set in the week or due in it.
        " UNION ALL SELECT 'F', f.homework_id, " + _NULLS[13] + ", f.id, f.name, " + _NULLS[7] + ", f.size, NULL, NULL"
        " FROM {homeworkfile} f JOIN {homework} h ON h.id = f.homework_id JOIN {lesson} l ON l.id = h.lesson_id"
        " LEFT JOIN {lesson} dl ON dl.id = h.due_lesson_id"
        " WHERE l.school_id = %(school)s AND l.date >= %(reach)s AND l.date <= %(sat)s"
        " AND l.course_id IN (SELECT id FROM pc)"
        " AND (l.date >= %(mon)s OR (dl.date >= %(mon)s AND dl.date <= %(sat)s))"
        # The holidays.
        " UNION ALL SELECT 'H', NULL, ho.start, "
        + _NULLS[7]
        + ", ho.name, "
        + _NULLS[9]
        + ", ho.{end}, "
        + _NULLS[6]
        + " FROM {holiday} ho WHERE ho.school_id = %(school)s AND ho.start <= %(sat)s AND ho.{end} >= %(mon)s"
    )


@functools.cache
def _marks_sql() -> str:
    appeal = (
        "(SELECT ap.{field} FROM {markappeal} ap WHERE ap.work_id = m.work_id AND ap.pupil_id = m.pupil_id"
        " ORDER BY ap.created_at DESC, ap.id DESC LIMIT 1)"
    )
    return _sql(
        "SELECT w.lesson_id, m.work_id, m.value, m.comment, w.title, t.name, t.weight, "  # noqa: S608
        + appeal.replace("{field}", "status")
        + ", "
        + appeal.replace("{field}", "answer")
        + " FROM {mark} m JOIN {lessonwork} w ON w.id = m.work_id JOIN {worktype} t ON t.id = w.work_type_id"
        " JOIN {lesson} l ON l.id = w.lesson_id"
        " WHERE m.school_id = %(school)s AND m.pupil_id = %(pupil)s AND l.date >= %(mon)s AND l.date <= %(sat)s"
        " ORDER BY w.position, w.id"
    )


@functools.cache
def _extras_sql(lessons: int, homeworks: int) -> str:
    """The week's teaching materials of lessons up to today, and, for the homework that asks for work, the pupil's
    work and its mark: one UNION (the materials' columns, then the task's)."""
    materials = (
        "SELECT 'M', mt.lesson_id, mt.id, mt.kind, mt.title, mt.url, mt.text, mt.file_name, mt.file_size,"  # noqa: S608
        " NULL, NULL, NULL, NULL FROM {material} mt JOIN {lesson} l ON l.id = mt.lesson_id"
        " WHERE mt.school_id = %s AND l.date <= %s AND mt.lesson_id IN (" + ", ".join(["%s"] * lessons) + ")"
    )
    if not homeworks:
        return _sql(materials)
    tasks = (
        " UNION ALL SELECT 'S', h.id, sb.id, sb.status, sb.comment, mk.value, NULL, NULL, NULL,"  # noqa: S608
        " h.submission_due, sb.submitted_at, sb.late, h.accept_late FROM {homework} h"
        " LEFT JOIN {submission} sb ON sb.homework_id = h.id AND sb.pupil_id = %s"
        " LEFT JOIN {mark} mk ON mk.work_id = sb.mark_work_id AND mk.pupil_id = sb.pupil_id"
        " WHERE h.school_id = %s AND h.submission_required AND h.id IN (" + ", ".join(["%s"] * homeworks) + ")"
    )
    return _sql(materials + tasks)


def _extras(school_id: int, pupil_id: int, day: datetime.date, by_id: dict, homeworks: dict) -> None:
    """Fills the lessons' materials and the homework's tasks (one query)."""
    lesson_ids, homework_ids = sorted(by_id), sorted(homeworks)
    params = [school_id, day, *lesson_ids]
    if homework_ids:
        params += [pupil_id, school_id, *homework_ids]
    with connection.cursor() as cursor:
        cursor.execute(_extras_sql(len(lesson_ids), len(homework_ids)), params)
        rows = cursor.fetchall()
    for row in sorted(rows, key=lambda r: (r[0], r[2] or 0)):
        if row[0] == "M":
            _k, lesson_id, pk, kind, title, url, text, file_name, size = row[:9]
            by_id[lesson_id].materials.append(WeekMaterial(pk, kind, title, url, text, file_name, size))
        else:
            _k, homework_id, submission_id, status, comment, mark = row[:6]
            due, submitted_at, late, accept_late = row[9:13]
            due, submitted_at = _moment(due), _moment(submitted_at)
            homeworks[homework_id].task = WeekTask(
                due=due,
                accept_late=bool(accept_late),
                submission_id=submission_id,
                status=status or "",
                late=bool(late),
                submitted_at=submitted_at,
                comment=comment or "",
                mark=mark or "",
            )


def _moment(value) -> datetime.datetime | None:
    """SQLite hands a moment back as UTC text without its zone."""
    if isinstance(value, str):
        return datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.UTC)
    return value


# SQLite hands dates and times of plain SQL back as text.
def _date(value) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _time(value) -> datetime.time | None:
    return datetime.time.fromisoformat(value) if isinstance(value, str) else value


# --- The week ---------------------------------------------------------------------------------------------------


def diary_week(
    *, pupil: User, school: School, week_start: datetime.date, today: datetime.date | None = None
) -> DiaryWeek:
    """The pupil's week from `week_start` (a Monday). `pupil` may carry `class_bells_id` (diary.selectors): the bells
    of a group across classes are the pupil's class's. Two queries (three when a course has several teachers)."""
    monday = week_start
    saturday = monday + datetime.timedelta(days=DAYS - 1)
    params = {
        "school": school.pk,
        "pupil": pupil.pk,
        "bells": getattr(pupil, "class_bells_id", None),
        "mon": monday,
        "sat": saturday,
        "reach": monday - HOMEWORK_REACH,
    }
    sqlite = connection.vendor == "sqlite"
    with connection.cursor() as cursor:
        cursor.execute(_week_sql(), params)
        rows = cursor.fetchall()

    lessons: list[WeekLesson] = []
    by_id: dict[int, WeekLesson] = {}
    homeworks: dict[int, WeekHomework] = {}
    due: list[tuple[int, WeekHomework]] = []
    files: list[tuple] = []
    holidays: list[tuple[str, datetime.date, datetime.date]] = []
    shared: set[int] = set()  # courses taught by several teachers
    for row in rows:
        kind = row[0]
        if kind == "L":
            (_k, lesson_id, date, number, room, status, reason, form, topic, course_id, subject, title,
             sub_last, sub_first, sub_middle, hw_id, hw_text, hw_pages, hw_exercises, hw_due_id, hw_due_date,
             start, end, absence_code, absence_minutes, teachers, teacher) = row  # fmt: skip
            if sqlite:
                date, hw_due_date, start, end = _date(date), _date(hw_due_date), _time(start), _time(end)
            lesson = WeekLesson(
                id=lesson_id,
                date=date,
                number=number,
                start=start,
                end=end,
                subject=title or subject,
                room=room,
                teacher=teacher or "",
                substituted=sub_last is not None,
                cancelled=status == Lesson.Status.CANCELLED,
                cancel_reason=reason,
                topic=topic,
                distance=form != Lesson.Form.IN_CLASS,
                course_id=course_id,
            )
            if sub_last is not None:
                lesson.teacher = " ".join(p for p in (sub_last, sub_first, sub_middle) if p)
            elif teachers > 1:
                shared.add(course_id)
            if absence_code is not None:
                lesson.attendance, lesson.attendance_title = _attendance(absence_code, absence_minutes)
            if hw_id is not None:
                lesson.homework = homeworks[hw_id] = WeekHomework(
                    hw_id, hw_text, hw_pages, hw_exercises, date, hw_due_date
                )
                if hw_due_id is not None:
                    due.append((hw_due_id, lesson.homework))
            lessons.append(lesson)
            by_id[lesson_id] = lesson
        elif kind == "D":
            hw_id = row[15]
            homework = WeekHomework(hw_id, row[16], row[17], row[18], _date(row[2]), _date(row[20]))
            homeworks[hw_id] = homework
            due.append((row[1], homework))
        elif kind == "F":
            files.append((row[1], row[15], row[16], row[24]))
        else:
            holidays.append((row[10], _date(row[2]), _date(row[20])))

    for due_id, homework in sorted(due, key=lambda d: d[1].set_on):
        lesson = by_id.get(due_id)
        if lesson is not None:
            lesson.due.append(homework)
    for homework_id, file_id, name, size in sorted(files, key=lambda f: f[1]):
        homework = homeworks.get(homework_id)
        if homework is not None:
            homework.files.append(WeekFile(file_id, name, size))
    if shared:
        _all_teachers(school.pk, shared, lessons)
    if by_id:
        _extras(school.pk, pupil.pk, today or school_today(school.timezone), by_id, homeworks)

    if by_id:
        with connection.cursor() as cursor:
            cursor.execute(_marks_sql(), params)
            marks = cursor.fetchall()
        for lesson_id, work_id, value, comment, title, kind_name, weight, appeal, answer in marks:
            lesson = by_id.get(lesson_id)
            if lesson is not None:
                lesson.marks.append(
                    WeekMark(work_id, value, comment, title, kind_name, _weight(weight), appeal or "", answer or "")
                )

    per_day: dict[datetime.date, list[WeekLesson]] = defaultdict(list)
    for lesson in lessons:
        per_day[lesson.date].append(lesson)
    days = []
    for offset in range(DAYS):
        date = monday + datetime.timedelta(days=offset)
        day_lessons = per_day.get(date, [])
        day_lessons.sort(key=_in_bell_order)
        holiday = next((name for name, start, end in holidays if start <= date <= end), "")
        days.append(WeekDay(date=date, lessons=day_lessons, holiday=holiday, is_today=date == today))
    return DiaryWeek(monday=monday, days=days)


def _all_teachers(school_id: int, course_ids: set[int], lessons: list[WeekLesson]) -> None:
    """The names of every teacher of the courses taught by several (one query, rarely needed)."""
    names: dict[int, list[str]] = defaultdict(list)
    for course_id, last, first, middle in (
        CourseTeacher.objects.filter(school_id=school_id, course_id__in=course_ids)
        .order_by("teacher__last_name", "teacher__first_name", "pk")
        .values_list("course_id", "teacher__last_name", "teacher__first_name", "teacher__middle_name")
    ):
        names[course_id].append(" ".join(p for p in (last, first, middle) if p))
    for lesson in lessons:
        if lesson.course_id in names and not lesson.substituted:
            lesson.teacher = ", ".join(names[lesson.course_id])


_MIDNIGHT = datetime.time(0)
_WEIGHTS: dict = {}


def _weight(weight) -> str:
    text = _WEIGHTS.get(weight)
    if text is None:
        text = _WEIGHTS[weight] = weight_text(Decimal(str(weight)))
    return text


def _attendance(code: str, minutes: int | None) -> tuple[str, str]:
    short, title = attendance_label(code, minutes)
    return (f"{short} {minutes}" if minutes else short), title


def _in_bell_order(lesson: WeekLesson):
    return (lesson.start or _MIDNIGHT, lesson.number, lesson.subject)


# --- The homework list ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class HomeworkItem:
    id: int
    subject: str
    text: str
    pages: str
    exercises: str
    set_on: datetime.date
    due_on: datetime.date  # the due lesson's date, else the date it was set
    due_number: int | None
    files: list[WeekFile] = field(default_factory=list)


@functools.cache
def _homework_sql() -> str:
    columns = "SELECT h.id, s.name, c.title, h.text, h.pages, h.exercises, l.date, COALESCE(dl.date, l.date), dl.number"  # noqa: S608
    joins = (
        " JOIN {homework} h ON h.lesson_id = l.id JOIN {subject} s ON s.id = c.subject_id"
        " LEFT JOIN {lesson} dl ON dl.id = h.due_lesson_id"
        " WHERE l.school_id = %(school)s AND l.date >= %(reach)s AND l.status <> %(cancelled)s"
        " AND COALESCE(dl.date, l.date) >= %(start)s"
    )
    homework = (
        columns + _pupil_lessons("e") + joins + " AND e.pupil_id = %(pupil)s AND e.school_id = %(school)s"
        " UNION ALL "
        + columns
        + _pupil_lessons("m")
        + joins
        + " AND m.pupil_id = %(pupil)s AND m.school_id = %(school)s"
    )
    return _sql(homework)


def pupil_homework(*, school: School, pupil: User, start: datetime.date) -> list[HomeworkItem]:
    """The pupil's homework due from `start` on (by the due lesson's date, else by the date it was set), of the
    lessons of their classes and groups on those dates, not cancelled; in order of the due date; with files. Two
    queries (one when there is none)."""
    params = {
        "school": school.pk,
        "pupil": pupil.pk,
        "start": start,
        "reach": start - HOMEWORK_REACH,
        "cancelled": Lesson.Status.CANCELLED,
    }
    with connection.cursor() as cursor:
        cursor.execute(_homework_sql(), params)
        rows = cursor.fetchall()
    items = {}
    for pk, subject, title, text, pages, exercises, set_on, due_on, due_number in rows:
        items[pk] = HomeworkItem(pk, title or subject, text, pages, exercises, _date(set_on), _date(due_on), due_number)
    if items:
        for file_id, homework_id, name, size in (
            HomeworkFile.objects.filter(school_id=school.pk, homework_id__in=list(items))
            .order_by("pk")
            .values_list("id", "homework_id", "name", "size")
        ):
            items[homework_id].files.append(WeekFile(file_id, name, size))
    return sorted(items.values(), key=lambda h: (h.due_on, h.due_number or 99, h.subject, h.id))
