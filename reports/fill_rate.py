"""Journal control (fill rate, issue 9 item 1; R-J01, R-J04, R-J07, R-E07; seed 003, seed 004 deputy §8).

Every figure is made in SQL: one query gives each course's figures for a range of dates (lessons held, without a
topic, homework or attendance taken; marks and records entered late and how late; pupils with no mark and with one
mark; pupils short of the R-E07 density; the thematic plan's drift), one more the diary's use per class. The class
and school levels are sums of the course rows, so the whole school costs the same few queries as one course. The SQL
runs on PostgreSQL and on the SQLite of the `make run` demo: what the two say differently (dates, date arithmetic, a
timestamp's local day, LEAST/GREATEST) goes through `Dialect`; tests/reports/test_fill_rate_sqlite.py compares them.

Definitions (written down here because the regulations leave them open):
- A lesson is held when its date is not after today and it is not cancelled (nothing sets «held»).
- A pupil is on a course's list in the range when their enrollment (or group membership) overlaps it; at the class
  and school levels the shares of pupils with no mark / one mark are over (pupil, course) pairs. Courses without
  attestation (R-E04: the course's or its subject's «без аттестации», e.g. the first grade's безотметочное обучение)
  have no list: nobody is expected to have marks there.
- How late a mark is: the days between its entry (school's local date) and its due day, computed as the journal
  does (`schedule.windows.window`: the work type's or the school's entry days, never past the edit window or the
  year's end). Attendance is due by the school's rule for current marks.
- R-E07 (seed 003): in the study period containing the range's last held day, a pupil on the list that day needs
  ≥ 1 mark (since the period began) once 3 weeks of it have passed and ≥ 2 once 4 weeks have; for courses of more
  than 2 hours a week the numbers scale with ceil(hours / 2) (3–4 h: 2 and 4; 5–6 h: 3 and 6).
- KTP drift (R-J07): the plan follows the timetable, so as of the range's last held day the timetable's lessons
  since the year began (cancelled ones too, not those added by hand) "should" have started every plan item whose
  cumulative hours before it are fewer than those lessons; the items actually reached are those linked to a held
  lesson (extra lessons included). Drift = reached - expected: negative is "behind by N", positive "ahead by N";
  a cancelled lesson puts the course behind until an extra lesson makes it up.
- Guardians who opted out of the electronic diary are not counted among those expected to open it.
"""

import datetime
import functools
import math
from dataclasses import dataclass, field, fields

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import GuardianLink, GuardianProfile, School, SchoolSettings, User
from attendance.models import Absence, AttendanceTaken
from diary.models import DiaryVisit
from gradebook.models import LessonWork, Mark, WorkType
from schedule.models import (
    AcademicYear,
    Course,
    CourseTeacher,
    Enrollment,
    GroupMembership,
    Homework,
    HomeworkFile,
    Lesson,
    PlanItem,
    SchoolClass,
    StudyGroup,
    StudyPeriod,
    Subject,
)

MAX_DAYS = 366  # a range longer than an academic year is refused
MAX_LIST = 1000  # rows of a drill-down list
NO_WINDOW = 10 * 366  # days: past any year's end


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@dataclass(frozen=True)
class Dialect:
    """What the fill rate's SQL says differently on PostgreSQL (a school's installation, the tests) and on SQLite (the
    `make run` demo): dates, date arithmetic, the school's local day of a timestamp. The rest is standard SQL both
    run: CTEs, window functions, aggregates with FILTER."""

    pg: bool

    @classmethod
    def of(cls, conn) -> "Dialect":
        return cls(pg=conn.vendor == "postgresql")

    def day(self, name: str) -> str:
        """A date parameter."""
        return f"%({name})s::date" if self.pg else f"%({name})s"

    def num(self, name: str) -> str:
        """A whole-number parameter."""
        return f"%({name})s::int" if self.pg else f"%({name})s"

    def plus(self, day: str, days: str) -> str:
        """A date `days` days after `day`."""
        return f"({day} + {days})" if self.pg else f"date({day}, ({days}) || ' days')"

    def diff(self, later: str, earlier: str) -> str:
        """Whole days from `earlier` to `later`."""
        return f"({later} - {earlier})" if self.pg else f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"

    def local_day(self, moment: str) -> str:
        """The school's date (parameter `tz`) of a stored timestamp."""
        if self.pg:
            return f"({moment} AT TIME ZONE %(tz)s)::date"
        # Django's own function on its SQLite connections (the ORM's __date lookup with a time zone).
        return f"django_datetime_cast_date({moment}, %(tz)s, %(conn_tz)s)"

    def least(self, *values: str) -> str:
        return f"{'LEAST' if self.pg else 'MIN'}({', '.join(values)})"

    def greatest(self, *values: str) -> str:
        return f"{'GREATEST' if self.pg else 'MAX'}({', '.join(values)})"


# --- The range --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What the report covers: the whole school, one class or one course, for [start, end] of one year."""

    school: School
    year: AcademicYear
    start: datetime.date
    end: datetime.date
    today: datetime.date
    class_id: int | None = None
    course_id: int | None = None

    @property
    def held_end(self) -> datetime.date:
        """The last day a lesson of the range can have been held."""
        return min(self.end, self.today)


def year_of(*, school: School, start: datetime.date, end: datetime.date) -> AcademicYear | None:
    """The academic year the range belongs to: the one containing its start, else its end."""
    years = list(AcademicYear.objects.for_school(school).filter(start__lte=end, end__gte=start).order_by("start"))
    for year in years:
        if year.start <= start <= year.end:
            return year
    return years[0] if years else None


def default_range(*, school: School, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The current study period up to today (between periods, the last one that ended); without periods, this week."""
    periods = list(StudyPeriod.objects.for_school(school).filter(start__lte=today).order_by("-start", "grade_from")[:1])
    if periods:
        period = periods[0]
        return period.start, min(period.end, today)
    return week_range(today)


def week_range(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return today - datetime.timedelta(days=today.weekday()), today


# --- The figures ------------------------------------------------------------------------------------------------


@dataclass
class Figures:
    """The figures of one course, or their sums for a class, a teacher or the school."""

    courses: int = 0
    held: int = 0
    no_topic: int = 0
    no_homework: int = 0
    no_attendance: int = 0
    marks: int = 0
    marks_late: int = 0
    marks_late_max: int = 0
    marks_late_days: int = 0  # the sum, for the average
    attendance_late: int = 0  # lessons whose attendance was taken late
    attendance_late_max: int = 0
    absences_late: int = 0
    homework_late: int = 0
    pupils: int = 0  # (pupil, course) pairs on the lists in the range
    no_mark: int = 0
    one_mark: int = 0
    density_pupils: int = 0  # pupils the R-E07 rule applies to on its day
    density_short: int = 0
    plan_items: int = 0
    plan_expected: int = 0
    plan_reached: int = 0
    held_to_date: int = 0
    scheduled_to_date: int = 0  # the timetable's lessons (not added by hand), cancelled ones too
    courses_behind: int = 0
    courses_ahead: int = 0

    def add(self, other: "Figures") -> None:
        mine, theirs = self.__dict__, other.__dict__
        for name in _SUMMED:
            mine[name] += theirs[name]
        for name in _MAXED:
            mine[name] = max(mine[name], theirs[name])

    @property
    def marks_late_avg(self) -> float | None:
        return round(self.marks_late_days / self.marks_late, 1) if self.marks_late else None

    @property
    def drift(self) -> int | None:
        """Plan items reached minus expected (one course); None without a plan."""
        return self.plan_reached - self.plan_expected if self.plan_items else None


_SUMMED = tuple(f.name for f in fields(Figures) if not f.name.endswith("_max"))
_MAXED = tuple(f.name for f in fields(Figures) if f.name.endswith("_max"))


def share(part: int, whole: int) -> int | None:
    """A whole percentage (half up), None of nothing."""
    return math.floor(part * 100 / whole + 0.5) if whole else None


@dataclass
class CourseRow:
    course: Course | None  # not loaded for the whole school's page, which shows classes and teachers only
    class_id: int | None
    teachers: list[User]
    figures: Figures

    @property
    def teacher_names(self) -> str:
        return ", ".join(t.get_full_name() for t in self.teachers) or "—"


@dataclass
class Usage:
    pupils: int = 0
    pupils_opened: int = 0
    guardians: int = 0
    guardians_opened: int = 0


@dataclass
class Report:
    scope: Scope
    rows: list[CourseRow]  # the courses, by class then subject
    usage: dict  # {class id or None (the whole scope): Usage}
    classes: dict[int, SchoolClass] = field(default_factory=dict)

    def total(self) -> Figures:
        total = Figures()
        for row in self.rows:
            total.add(row.figures)
        return total

    def by_class(self) -> list[tuple[SchoolClass, Figures]]:
        sums: dict[int, Figures] = {}
        for row in self.rows:
            sums.setdefault(row.class_id, Figures()).add(row.figures)
        order = sorted(self.classes.values(), key=lambda c: (c.grade, c.letter))
        return [(c, sums.get(c.pk, Figures())) for c in order]

    def by_teacher(self) -> list[tuple[User, Figures]]:
        """A course of two teachers counts for each (R-J01: by teacher)."""
        sums: dict[int, tuple[User, Figures]] = {}
        for row in self.rows:
            for teacher in row.teachers:
                sums.setdefault(teacher.pk, (teacher, Figures()))[1].add(row.figures)
        return sorted(
            sums.values(),
            key=lambda pair: (pair[0].last_name.replace("Ё", "Е"), pair[0].first_name.replace("Ё", "Е"), pair[0].pk),
        )


def _class_id(course: Course) -> int | None:
    if course.school_class_id is not None:
        return course.school_class_id
    return course.group.school_class_id if course.group_id else None


# --- SQL --------------------------------------------------------------------------------------------------------


@functools.cache
def _base_sql(scope_kind: str, d: Dialect) -> str:
    """The CTEs shared by the course figures and the pupils' list. Table names come from the models only."""
    cancelled = Lesson.Status.CANCELLED.value
    course_filter = {
        "school": "",
        "class": " AND (c.school_class_id = %(scope_id)s OR g.school_class_id = %(scope_id)s)",
        "course": " AND c.id = %(scope_id)s",
    }[scope_kind]
    due = d.least(
        d.plus("l.date", f"COALESCE(t.entry_deadline_days, {d.num('entry')})"),
        d.plus("l.date", f"COALESCE(t.edit_window_days, {d.num('window')})"),
        d.day("year_end"),
    )
    chk, start, end, held_end = d.day("chk"), d.day("start"), d.day("end"), d.day("held_end")
    return f"""
WITH c AS (
  SELECT c.id, c.school_class_id, c.group_id, c.hours_per_week, COALESCE(sc.grade, gsc.grade) AS grade,
    COALESCE(c.school_class_id, g.school_class_id) AS class_id, c.attested AND NOT s.no_attestation AS marked
  FROM {_t(Course)} c
  JOIN {_t(Subject)} s ON s.id = c.subject_id
  LEFT JOIN {_t(SchoolClass)} sc ON sc.id = c.school_class_id
  LEFT JOIN {_t(StudyGroup)} g ON g.id = c.group_id
  LEFT JOIN {_t(SchoolClass)} gsc ON gsc.id = g.school_class_id
  WHERE c.school_id = %(school)s AND c.year_id = %(year)s AND c.kind = 'lesson'{course_filter}
),
cp AS (
  SELECT course_id, pstart, need FROM (
    SELECT c.id AS course_id, p.start AS pstart,
      (CASE WHEN {chk} >= {d.plus("p.start", "28")} THEN 2 WHEN {chk} >= {d.plus("p.start", "21")} THEN 1 ELSE 0 END)
        * CAST({d.greatest("1", "CEILING(c.hours_per_week / 2.0)")} AS INTEGER) AS need,
      ROW_NUMBER() OVER (PARTITION BY c.id ORDER BY p.start DESC) AS nth
    FROM c JOIN {_t(StudyPeriod)} p ON p.school_id = %(school)s AND p.year_id = %(year)s
      AND p.start <= {chk} AND p."end" >= {chk}
      AND (c.grade IS NULL OR c.grade BETWEEN p.grade_from AND p.grade_to)
  ) x WHERE nth = 1
),
l AS (
  SELECT l.id, l.course_id, l.date, l.topic, l.plan_item_id
  FROM {_t(Lesson)} l JOIN c ON c.id = l.course_id
  WHERE l.school_id = %(school)s AND l.status <> '{cancelled}' AND l.date <= {held_end}
    AND l.date >= {d.least(start, f"COALESCE((SELECT MIN(pstart) FROM cp), {start})")}
),
mk AS (
  SELECT l.course_id, m.pupil_id, l.date, m.entered_late, {d.diff(d.local_day("m.created_at"), due)} AS late_days
  FROM l JOIN {_t(LessonWork)} w ON w.lesson_id = l.id
  JOIN {_t(WorkType)} t ON t.id = w.work_type_id
  JOIN {_t(Mark)} m ON m.work_id = w.id
),
r AS (
  SELECT c.id AS course_id, e.pupil_id,
    MAX(CASE WHEN e.since <= {held_end} AND (e.until IS NULL OR e.until >= {held_end}) THEN 1 ELSE 0 END) AS now_on
  FROM c JOIN {_t(Enrollment)} e ON c.group_id IS NULL AND e.school_class_id = c.school_class_id
  WHERE c.marked AND e.school_id = %(school)s AND e.since <= {end} AND (e.until IS NULL OR e.until >= {start})
    AND e.form = '{Enrollment.Form.SCHOOL}'
  GROUP BY c.id, e.pupil_id
  UNION ALL
  SELECT c.id, gm.pupil_id,
    MAX(CASE WHEN gm.since <= {held_end} AND (gm.until IS NULL OR gm.until >= {held_end}) THEN 1 ELSE 0 END)
  FROM c JOIN {_t(GroupMembership)} gm ON gm.group_id = c.group_id
  WHERE c.marked AND gm.school_id = %(school)s AND gm.since <= {end} AND (gm.until IS NULL OR gm.until >= {start})
    AND NOT EXISTS (SELECT 1 FROM {_t(Enrollment)} h WHERE h.pupil_id = gm.pupil_id
      AND h.form <> '{Enrollment.Form.SCHOOL}' AND h.since <= {end} AND (h.until IS NULL OR h.until >= {start}))
  GROUP BY c.id, gm.pupil_id
),
pm AS (
  SELECT mk.course_id, mk.pupil_id, COUNT(*) FILTER (WHERE mk.date >= {start}) AS n,
    COUNT(*) FILTER (WHERE mk.date >= cp.pstart) AS nd
  FROM mk LEFT JOIN cp ON cp.course_id = mk.course_id
  GROUP BY mk.course_id, mk.pupil_id
),
pp AS (
  SELECT r.course_id, r.pupil_id, r.now_on, COALESCE(pm.n, 0) AS n, COALESCE(pm.nd, 0) AS nd,
    COALESCE(cp.need, 0) AS need
  FROM r LEFT JOIN pm ON pm.course_id = r.course_id AND pm.pupil_id = r.pupil_id
  LEFT JOIN cp ON cp.course_id = r.course_id
)
"""  # noqa: S608


@functools.cache
def _figures_sql(scope_kind: str, d: Dialect) -> str:
    cancelled = Lesson.Status.CANCELLED.value
    start, held_end = d.day("start"), d.day("held_end")
    att_due = d.least(d.plus("l.date", d.num("entry")), d.plus("l.date", d.num("window")), d.day("year_end"))
    att_late = d.greatest(d.diff(d.local_day("a.at"), att_due), "0")
    has_homework = (
        f"EXISTS (SELECT 1 FROM {_t(Homework)} h WHERE h.lesson_id = l.id AND (TRIM(h.text) <> ''"  # noqa: S608
        " OR TRIM(h.pages) <> '' OR TRIM(h.exercises) <> ''"
        f" OR EXISTS (SELECT 1 FROM {_t(HomeworkFile)} f WHERE f.homework_id = h.id)))"
    )
    return (
        _base_sql(scope_kind, d)  # noqa: S608
        + f""",
ls AS (
  SELECT l.course_id, COUNT(*) AS held,
    COUNT(*) FILTER (WHERE TRIM(l.topic) = '') AS no_topic,
    COUNT(*) FILTER (WHERE NOT {has_homework}) AS no_homework,
    COUNT(*) FILTER (WHERE a.id IS NULL) AS no_attendance,
    COUNT(*) FILTER (WHERE a.entered_late) AS att_late,
    MAX({att_late}) FILTER (WHERE a.entered_late) AS att_late_max,
    COUNT(*) FILTER (WHERE hw.entered_late) AS hw_late
  FROM l LEFT JOIN {_t(AttendanceTaken)} a ON a.lesson_id = l.id
  LEFT JOIN {_t(Homework)} hw ON hw.lesson_id = l.id
  WHERE l.date >= {start}
  GROUP BY l.course_id
),
ab AS (
  SELECT l.course_id, COUNT(*) AS abs_late
  FROM l JOIN {_t(Absence)} b ON b.lesson_id = l.id
  WHERE l.date >= {start} AND b.entered_late
  GROUP BY l.course_id
),
ms AS (
  SELECT course_id, COUNT(*) AS marks, COUNT(*) FILTER (WHERE entered_late) AS late,
    MAX({d.greatest("late_days", "0")}) FILTER (WHERE entered_late) AS late_max,
    SUM({d.greatest("late_days", "0")}) FILTER (WHERE entered_late) AS late_days
  FROM mk WHERE date >= {start} GROUP BY course_id
),
ps AS (
  SELECT course_id, COUNT(*) AS pupils, COUNT(*) FILTER (WHERE n = 0) AS no_mark,
    COUNT(*) FILTER (WHERE n = 1) AS one_mark,
    COUNT(*) FILTER (WHERE now_on = 1 AND need > 0) AS density_pupils,
    COUNT(*) FILTER (WHERE now_on = 1 AND need > 0 AND nd < need) AS density_short
  FROM pp GROUP BY course_id
),
yl AS (
  SELECT l.course_id, COUNT(*) FILTER (WHERE l.status <> '{cancelled}') AS held_to_date,
    COUNT(*) FILTER (WHERE NOT l.is_extra) AS scheduled,
    COUNT(DISTINCT l.plan_item_id) FILTER (WHERE l.status <> '{cancelled}') AS reached
  FROM {_t(Lesson)} l JOIN c ON c.id = l.course_id
  WHERE l.school_id = %(school)s AND l.date <= {held_end}
  GROUP BY l.course_id
),
pl AS (
  SELECT x.course_id, COUNT(*) AS items,
    COUNT(*) FILTER (WHERE x.before < COALESCE(yl.scheduled, 0)) AS expected
  FROM (
    SELECT p.course_id, SUM(p.hours) OVER (PARTITION BY p.course_id ORDER BY p.position, p.id) - p.hours AS before
    FROM {_t(PlanItem)} p JOIN c ON c.id = p.course_id
  ) x LEFT JOIN yl ON yl.course_id = x.course_id
  GROUP BY x.course_id
)
SELECT c.id, c.class_id, COALESCE(ls.held, 0), COALESCE(ls.no_topic, 0), COALESCE(ls.no_homework, 0),
  COALESCE(ls.no_attendance, 0), COALESCE(ms.marks, 0), COALESCE(ms.late, 0), COALESCE(ms.late_max, 0),
  COALESCE(ms.late_days, 0), COALESCE(ls.att_late, 0), COALESCE(ls.att_late_max, 0), COALESCE(ab.abs_late, 0),
  COALESCE(ls.hw_late, 0), COALESCE(ps.pupils, 0), COALESCE(ps.no_mark, 0), COALESCE(ps.one_mark, 0),
  COALESCE(ps.density_pupils, 0), COALESCE(ps.density_short, 0), COALESCE(pl.items, 0), COALESCE(pl.expected, 0),
  COALESCE(yl.reached, 0), COALESCE(yl.held_to_date, 0), COALESCE(yl.scheduled, 0)
FROM c LEFT JOIN ls ON ls.course_id = c.id LEFT JOIN ab ON ab.course_id = c.id
LEFT JOIN ms ON ms.course_id = c.id LEFT JOIN ps ON ps.course_id = c.id
LEFT JOIN yl ON yl.course_id = c.id LEFT JOIN pl ON pl.course_id = c.id
ORDER BY c.id
"""  # noqa: S608
    )


FIGURE_COLUMNS = (
    "held",
    "no_topic",
    "no_homework",
    "no_attendance",
    "marks",
    "marks_late",
    "marks_late_max",
    "marks_late_days",
    "attendance_late",
    "attendance_late_max",
    "absences_late",
    "homework_late",
    "pupils",
    "no_mark",
    "one_mark",
    "density_pupils",
    "density_short",
    "plan_items",
    "plan_expected",
    "plan_reached",
    "held_to_date",
    "scheduled_to_date",
)


def _params(scope: Scope, conn) -> dict:
    settings = SchoolSettings.of(scope.school)
    params = {
        "school": scope.school.pk,
        "year": scope.year.pk,
        "year_end": scope.year.end,
        "scope_id": scope.course_id or scope.class_id,
        "start": scope.start,
        "end": scope.end,
        "held_end": scope.held_end,
        "chk": scope.held_end,
        "tz": scope.school.timezone,
        "entry": settings.mark_entry_days,
        # No edit window: the year's end bounds the due day (LEAST would skip a NULL, SQLite's MIN would not).
        "window": settings.edit_window_days if settings.edit_window_days is not None else NO_WINDOW,
    }
    if conn.vendor != "postgresql":
        # SQLite keeps dates as ISO text and its timestamps in the connection's zone.
        params = {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in params.items()}
        params["conn_tz"] = conn.timezone_name
    return params


def _kind(scope: Scope) -> str:
    return "course" if scope.course_id else "class" if scope.class_id else "school"


def course_figures(scope: Scope, conn=None) -> dict[int, Figures]:
    """{course id: Figures} of the scope's courses: one query whatever the school's size. `conn`: another database
    connection than the default (the test comparing PostgreSQL's figures with SQLite's)."""
    return {course_id: figures for course_id, (_class, figures) in _course_figures(scope, conn).items()}


def _course_figures(scope: Scope, conn=None) -> dict[int, tuple[int | None, Figures]]:
    conn = conn or connection
    with conn.cursor() as cursor:
        cursor.execute(_figures_sql(_kind(scope), Dialect.of(conn)), _params(scope, conn))
        rows = cursor.fetchall()
    result = {}
    for row in rows:
        figures = Figures(courses=1, **dict(zip(FIGURE_COLUMNS, (int(v) for v in row[2:]), strict=True)))
        drift = figures.drift
        figures.courses_behind = int(drift is not None and drift < 0)
        figures.courses_ahead = int(drift is not None and drift > 0)
        result[row[0]] = (row[1], figures)
    return result


@functools.cache
def _usage_sql(by_class: bool, d: Dialect) -> str:
    class_filter = " AND sc.id = %(scope_id)s" if by_class else ""
    start, end = d.day("start"), d.day("end")
    head = f"""
WITH e AS (
  SELECT DISTINCT e.school_class_id, e.pupil_id
  FROM {_t(Enrollment)} e JOIN {_t(SchoolClass)} sc ON sc.id = e.school_class_id
  WHERE e.school_id = %(school)s AND sc.year_id = %(year)s{class_filter}
    AND e.since <= {end} AND (e.until IS NULL OR e.until >= {start})
),
v AS (
  SELECT DISTINCT user_id FROM {_t(DiaryVisit)}
  WHERE school_id = %(school)s AND day >= {start} AND day <= {end}
),
gl AS (
  SELECT DISTINCT e.school_class_id, g.guardian_id
  FROM e JOIN {_t(GuardianLink)} g ON g.pupil_id = e.pupil_id AND g.school_id = %(school)s
  WHERE NOT EXISTS (
    SELECT 1 FROM {_t(GuardianProfile)} gp
    WHERE gp.guardian_id = g.guardian_id AND gp.school_id = %(school)s AND gp.diary_opt_out
  )
)
"""  # noqa: S608
    parts = []
    for kind, table, person in (("p", "e", "pupil_id"), ("g", "gl", "guardian_id")):
        counts = f"COUNT(DISTINCT {table}.{person}), COUNT(DISTINCT v.user_id)"
        source = f"FROM {table} LEFT JOIN v ON v.user_id = {table}.{person}"
        by_class = f"SELECT '{kind}', {table}.school_class_id, {counts} {source}"
        if d.pg:
            parts.append(f"{by_class} GROUP BY GROUPING SETS (({table}.school_class_id), ())")
        else:  # no GROUPING SETS: each class, then the whole scope
            parts += [f"{by_class} GROUP BY {table}.school_class_id", f"SELECT '{kind}', NULL, {counts} {source}"]
    return head + "\nUNION ALL\n".join(parts)


def diary_usage(scope: Scope, class_id: int | None = None, conn=None) -> dict[int | None, Usage]:
    """{class id (None: the whole scope): Usage}: pupils enrolled in the range and their guardians (those not opted
    out), and how many of them opened the diary in the range (R-J01). One query."""
    conn = conn or connection
    params = _params(scope, conn) | {"scope_id": class_id}
    with conn.cursor() as cursor:
        cursor.execute(_usage_sql(class_id is not None, Dialect.of(conn)), params)
        rows = cursor.fetchall()
    usage: dict[int | None, Usage] = {}
    for kind, cls, total, opened in rows:
        item = usage.setdefault(cls, Usage())
        if kind == "p":
            item.pupils, item.pupils_opened = total, opened
        else:
            item.guardians, item.guardians_opened = total, opened
    return usage


def report(scope: Scope, *, with_courses: bool = True) -> Report:
    """The scope's courses with their figures and teachers, its classes and the diary's use: 6 queries. The whole
    school's page (`with_courses=False`) loads no course, only who teaches which."""
    found = _course_figures(scope)
    class_id = scope.class_id
    if scope.course_id and found:
        class_id = next(iter(found.values()))[0]
    courses: dict[int, Course] = {}
    if found and with_courses:
        courses = {
            c.pk: c
            for c in Course.objects.filter(pk__in=list(found))
            .select_related("subject", "school_class", "group")
            .only(*COURSE_FIELDS)
        }
    teachers: dict[int, list[User]] = {}
    if found:
        links = CourseTeacher.objects.filter(school_id=scope.school.pk, course__year_id=scope.year.pk)
        if scope.course_id or scope.class_id:
            links = links.filter(course_id__in=list(found))
        links = links.select_related("teacher").only(
            "course_id", "teacher__first_name", "teacher__last_name", "teacher__middle_name"
        )
        people: dict[int, User] = {}
        for link in links.order_by("teacher__last_name", "teacher__first_name", "teacher_id"):
            if link.course_id in found:
                teacher = people.setdefault(link.teacher_id, link.teacher)
                teachers.setdefault(link.course_id, []).append(teacher)
    classes_qs = SchoolClass.objects.for_school(scope.school).filter(year=scope.year).select_related("class_teacher")
    if class_id is not None:
        classes_qs = classes_qs.filter(pk=class_id)
    classes = {c.pk: c for c in classes_qs}
    rows = [
        CourseRow(course=courses.get(pk), class_id=cls, teachers=teachers.get(pk, []), figures=figures)
        for pk, (cls, figures) in found.items()
    ]
    if with_courses:
        rows.sort(key=lambda r: _course_order(r.course, classes))
    usage = diary_usage(scope, class_id if scope.class_id or scope.course_id else None)
    return Report(scope=scope, rows=rows, usage=usage, classes=classes)


COURSE_FIELDS = (
    "title",
    "school_class_id",
    "group_id",
    "year_id",
    "school_id",
    "subject__name",
    "school_class__grade",
    "school_class__letter",
    "group__name",
    "group__school_class_id",
)


def _course_order(course: Course, classes: dict[int, SchoolClass]):
    school_class = classes.get(course.school_class_id) if course.school_class_id else None
    grade = (school_class.grade, school_class.letter) if school_class else (99, "")
    return (*grade, course.title or course.subject.name, course.pk)


# --- What is behind a figure --------------------------------------------------------------------------------------

LESSON_FILTERS = (
    "held",
    "no_topic",
    "no_homework",
    "no_attendance",
    "marks_late",
    "attendance_late",
    "homework_late",
)


def lessons(scope: Scope, what: str) -> QuerySet[Lesson]:
    """The held lessons of the scope in the range behind a figure, each with what is missing (annotations)."""
    qs = Lesson.objects.for_school(scope.school).filter(
        course__year=scope.year,
        course__kind=Course.Kind.LESSON,
        date__gte=scope.start,
        date__lte=scope.held_end,
    )
    qs = qs.exclude(status=Lesson.Status.CANCELLED)
    if scope.course_id:
        qs = qs.filter(course_id=scope.course_id)
    elif scope.class_id:
        qs = qs.filter(Q(course__school_class_id=scope.class_id) | Q(course__group__school_class_id=scope.class_id))
    content = Q(text__regex=r"\S") | Q(pages__regex=r"\S") | Q(exercises__regex=r"\S") | Q(files__isnull=False)
    qs = qs.annotate(
        has_homework=Exists(Homework.objects.filter(content, lesson_id=OuterRef("pk"))),
        has_attendance=Exists(AttendanceTaken.objects.filter(lesson_id=OuterRef("pk"))),
        attendance_late=Exists(AttendanceTaken.objects.filter(lesson_id=OuterRef("pk"), entered_late=True))
        | Exists(Absence.objects.filter(lesson_id=OuterRef("pk"), entered_late=True)),
        homework_late=Exists(Homework.objects.filter(lesson_id=OuterRef("pk"), entered_late=True)),
        marks_late=Exists(Mark.objects.filter(work__lesson_id=OuterRef("pk"), entered_late=True)),
    )
    if what == "no_topic":
        qs = qs.exclude(topic__regex=r"\S")
    elif what == "no_homework":
        qs = qs.filter(has_homework=False)
    elif what == "no_attendance":
        qs = qs.filter(has_attendance=False)
    elif what in ("marks_late", "attendance_late", "homework_late"):
        qs = qs.filter(**{what: True})
    return qs.select_related("course__subject", "course__school_class", "course__group").order_by(
        "date", "number", "course__subject__name", "pk"
    )


PUPIL_FILTERS = ("no_mark", "one_mark", "density")
USAGE_FILTERS = ("diary_pupils", "diary_guardians")


@dataclass
class PupilRow:
    pupil_id: int
    course_id: int
    marks: int  # in the range
    period_marks: int  # since the R-E07 period began
    need: int  # what R-E07 asks on its day (0: not yet)
    now_on: bool

    @property
    def short(self) -> bool:
        return self.now_on and self.need > 0 and self.period_marks < self.need


def pupil_rows(scope: Scope, what: str = "", conn=None) -> list[PupilRow]:
    """(pupil, course) pairs of the scope's lists behind a figure (all of them without `what`): one query."""
    conn = conn or connection
    condition = {
        "no_mark": "WHERE n = 0",
        "one_mark": "WHERE n = 1",
        "density": "WHERE now_on = 1 AND need > 0 AND nd < need",
    }.get(what, "")
    sql = (
        _base_sql(_kind(scope), Dialect.of(conn))  # noqa: S608
        + f"SELECT pupil_id, course_id, n, nd, need, now_on FROM pp {condition} ORDER BY course_id, pupil_id"  # noqa: S608
    )
    with conn.cursor() as cursor:
        cursor.execute(sql + f" LIMIT {MAX_LIST + 1}", _params(scope, conn))
        return [PupilRow(*row[:5], now_on=bool(row[5])) for row in cursor.fetchall()]


def silent_people(scope: Scope, what: str, class_id: int | None) -> QuerySet[User]:
    """Pupils (or their guardians, those not opted out) of the range who did not open the diary in it."""
    enrolled = Enrollment.objects.filter(
        Q(until__isnull=True) | Q(until__gte=scope.start),
        school_id=scope.school.pk,
        school_class__year=scope.year,
        since__lte=scope.end,
    )
    if class_id is not None:
        enrolled = enrolled.filter(school_class_id=class_id)
    visited = DiaryVisit.objects.filter(
        school_id=scope.school.pk, user_id=OuterRef("pk"), day__gte=scope.start, day__lte=scope.end
    )
    if what == "diary_pupils":
        people = User.objects.filter(pk__in=enrolled.values("pupil_id"))
    else:
        linked = GuardianLink.objects.filter(school_id=scope.school.pk, pupil_id__in=enrolled.values("pupil_id"))
        opted_out = GuardianProfile.objects.filter(school_id=scope.school.pk, diary_opt_out=True)
        people = User.objects.filter(pk__in=linked.values("guardian_id")).exclude(
            pk__in=opted_out.values("guardian_id")
        )
    return people.exclude(Exists(visited)).order_by("last_name", "first_name", "middle_name", "pk")
