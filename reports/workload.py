"""Pupils' workload (R-J12; seed 004 §3.1 п.9 «контроль за нагрузкой обучающихся»): per class and day of one week,
the lessons, the homework due that day (the teachers' estimates of the time it takes, `Homework.minutes`) and the
control works, against the school's limits (accounts.SchoolSettings: SanPiN 1.2.3685-21's homework time by grade,
control works a day and a week).

Definitions (written down here because the regulations leave them open):
- A class's lessons are those of its own courses and of its groups' courses (not cancelled, lessons, not
  extracurricular activities). Lessons a day: the distinct lesson numbers, so two groups taught at the same time
  count once, as a pupil sits one of them.
- Homework due on a day: set at a lesson of the class and due by a lesson of that day. Two groups of one subject
  (a class split for English) each have their own homework and a pupil does one of them: the larger counts.
  Different subjects add up. A task without an estimate counts apart ("without an estimate"): its time is unknown.
- Control works: lesson works of a control work type (`WorkType.is_control`), one per subject and lesson number (two
  groups writing the same test at the same time count once).

Three queries whatever the school's size (classes; lessons and control works; homework); the SQL runs on
PostgreSQL and on SQLite (dates are compared with parameters only).
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection

from accounts.models import School, SchoolSettings
from gradebook.models import LessonWork, WorkType
from schedule.models import AcademicYear, Course, Homework, Lesson, SchoolClass, StudyGroup

DAYS = 6  # Monday to Saturday: a six-day week is the norm of many schools


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def minutes_limit(settings: SchoolSettings, grade: int) -> int:
    """SanPiN 1.2.3685-21's homework time a day for the grade, as the school set it."""
    if grade <= 1:
        return settings.workload_minutes_grade_1
    if grade <= 3:
        return settings.workload_minutes_grades_2_3
    if grade <= 5:
        return settings.workload_minutes_grades_4_5
    if grade <= 8:
        return settings.workload_minutes_grades_6_8
    return settings.workload_minutes_grades_9_11


@dataclass
class Day:
    lessons: int = 0
    minutes: int = 0
    tasks: int = 0
    unestimated: int = 0
    control: int = 0
    minutes_over: bool = False
    control_over: bool = False

    @property
    def hours(self) -> str:
        """The homework time as «1 ч 30 мин» is read by a Russian school: hours and minutes."""
        hours, minutes = divmod(self.minutes, 60)
        return f"{hours}:{minutes:02d}"


@dataclass
class ClassRow:
    school_class: SchoolClass
    minutes_limit: int
    days: list[Day] = field(default_factory=list)
    control_week_over: bool = False

    @property
    def control_week(self) -> int:
        return sum(d.control for d in self.days)

    @property
    def lessons_week(self) -> int:
        return sum(d.lessons for d in self.days)

    @property
    def minutes_week(self) -> int:
        return sum(d.minutes for d in self.days)

    @property
    def unestimated_week(self) -> int:
        return sum(d.unestimated for d in self.days)

    @property
    def over(self) -> bool:
        return self.control_week_over or any(d.minutes_over or d.control_over for d in self.days)


@dataclass
class Workload:
    school: School
    start: datetime.date  # the week's Monday
    days: list[datetime.date]
    rows: list[ClassRow]
    control_per_day: int
    control_per_week: int

    @property
    def over_cells(self) -> int:
        return sum(int(d.minutes_over) + int(d.control_over) for r in self.rows for d in r.days) + sum(
            int(r.control_week_over) for r in self.rows
        )


def _class_expr() -> str:
    return "COALESCE(c.school_class_id, g.school_class_id)"


def _lessons_sql() -> str:
    cancelled = Lesson.Status.CANCELLED.value
    return f"""
SELECT y.class_id, y.date, COUNT(DISTINCT y.number), SUM(y.control)
FROM (
  SELECT x.class_id, x.date, x.number, x.subject_id, MAX(x.control) AS control
  FROM (
    SELECT {_class_expr()} AS class_id, l.date, l.number, c.subject_id,
      CASE WHEN EXISTS (
        SELECT 1 FROM {_t(LessonWork)} w JOIN {_t(WorkType)} t ON t.id = w.work_type_id
        WHERE w.lesson_id = l.id AND t.is_control
      ) THEN 1 ELSE 0 END AS control
    FROM {_t(Lesson)} l JOIN {_t(Course)} c ON c.id = l.course_id
    LEFT JOIN {_t(StudyGroup)} g ON g.id = c.group_id
    WHERE l.school_id = %(school)s AND c.year_id = %(year)s AND c.kind = 'lesson' AND l.status <> '{cancelled}'
      AND l.date >= %(start)s AND l.date <= %(end)s
  ) x
  WHERE x.class_id IS NOT NULL
  GROUP BY x.class_id, x.date, x.number, x.subject_id
) y
GROUP BY y.class_id, y.date
"""  # noqa: S608


def _homework_sql() -> str:
    cancelled = Lesson.Status.CANCELLED.value
    return f"""
SELECT y.class_id, y.date, SUM(y.minutes), SUM(y.tasks), SUM(y.unestimated)
FROM (
  SELECT x.class_id, x.date, x.subject_id, MAX(x.minutes) AS minutes, SUM(x.tasks) AS tasks,
    SUM(x.unestimated) AS unestimated
  FROM (
    SELECT {_class_expr()} AS class_id, d.date, c.subject_id, c.id AS course_id,
      SUM(COALESCE(h.minutes, 0)) AS minutes, COUNT(*) AS tasks,
      SUM(CASE WHEN h.minutes IS NULL THEN 1 ELSE 0 END) AS unestimated
    FROM {_t(Homework)} h JOIN {_t(Lesson)} d ON d.id = h.due_lesson_id
    JOIN {_t(Lesson)} l ON l.id = h.lesson_id
    JOIN {_t(Course)} c ON c.id = l.course_id
    LEFT JOIN {_t(StudyGroup)} g ON g.id = c.group_id
    WHERE h.school_id = %(school)s AND c.year_id = %(year)s AND c.kind = 'lesson' AND d.status <> '{cancelled}'
      AND d.date >= %(start)s AND d.date <= %(end)s
    GROUP BY {_class_expr()}, d.date, c.subject_id, c.id
  ) x
  WHERE x.class_id IS NOT NULL
  GROUP BY x.class_id, x.date, x.subject_id
) y
GROUP BY y.class_id, y.date
"""  # noqa: S608


def workload(*, school: School, year: AcademicYear, week: datetime.date, conn=None) -> Workload:
    """The week (from its Monday) of every class of the year: 3 queries (and the settings, once per school)."""
    conn = conn or connection
    start = monday(week)
    days = [start + datetime.timedelta(days=n) for n in range(DAYS)]
    settings = SchoolSettings.of(school)
    classes = list(SchoolClass.objects.for_school(school).filter(year=year).order_by("grade", "letter"))
    rows = {c.pk: ClassRow(school_class=c, minutes_limit=minutes_limit(settings, c.grade)) for c in classes}
    for row in rows.values():
        row.days = [Day() for _d in days]
    index = {d: n for n, d in enumerate(days)}
    params = {
        "school": school.pk,
        "year": year.pk,
        "start": conn.ops.adapt_datefield_value(days[0]),
        "end": conn.ops.adapt_datefield_value(days[-1]),
    }
    with conn.cursor() as cursor:
        cursor.execute(_lessons_sql(), params)
        for class_id, date, lessons, control in cursor.fetchall():
            day = _day(rows, index, class_id, date)
            if day is not None:
                day.lessons, day.control = int(lessons), int(control or 0)
        cursor.execute(_homework_sql(), params)
        for class_id, date, minutes, tasks, unestimated in cursor.fetchall():
            day = _day(rows, index, class_id, date)
            if day is not None:
                day.minutes, day.tasks, day.unestimated = int(minutes or 0), int(tasks), int(unestimated or 0)
    for row in rows.values():
        for day in row.days:
            day.minutes_over = day.minutes > row.minutes_limit
            day.control_over = day.control > settings.control_works_per_day
        row.control_week_over = row.control_week > settings.control_works_per_week
    return Workload(
        school=school,
        start=start,
        days=days,
        rows=list(rows.values()),
        control_per_day=settings.control_works_per_day,
        control_per_week=settings.control_works_per_week,
    )


def _day(rows, index, class_id, date) -> Day | None:
    if isinstance(date, str):  # SQLite
        date = datetime.date.fromisoformat(date)
    row = rows.get(class_id)
    n = index.get(date)
    return row.days[n] if row is not None and n is not None else None
