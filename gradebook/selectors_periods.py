"""Reads of period and year marks and their forecasts (issue 6): the course's period-marks page and, for families,
a pupil's results by subject (the diary's selector, seed 003: teachers inform pupils and parents of the forecast).

The forecast of a period mark is the period's weighted average rounded by the school's rule (R-E02: 4.50 → 5 when
the school rounds up from 0.50); the year's forecast is the rounded mean of the numeric period marks, or the year's
weighted average while no period mark is set. Averages are made in SQL, one query for every pupil and period.
"""

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from accounts.models import SchoolSettings, User
from schedule.models import Course, Enrollment, Lesson, StudyPeriod
from schedule.windows import Window

from .models import LessonWork, Mark, PeriodMark, WorkType
from .period_marks import is_attested, marks_needed, period_opens, period_window, too_few_marks_warning, two_refused
from .selectors import FAILING, NUMERIC, course_periods, forecast_of, list_rows

CENT = Decimal("0.01")


def _mean(values: list[int]) -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(CENT, ROUND_HALF_UP)


# --- Marks per pupil and period, aggregated in SQL ------------------------------------------------------------


@dataclass
class Totals:
    count: int = 0  # every mark, «зач» too (an objective period mark needs enough of them, R-E06)
    numeric: int = 0
    total: int = 0
    weighted_total: Decimal = Decimal(0)
    weights: Decimal = Decimal(0)

    @property
    def average(self) -> Decimal | None:
        return (Decimal(self.total) / self.numeric).quantize(CENT, ROUND_HALF_UP) if self.numeric else None

    @property
    def weighted(self) -> Decimal | None:
        return (self.weighted_total / self.weights).quantize(CENT, ROUND_HALF_UP) if self.weights else None


def _dec(value) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal(0)


GROUPS = {"pupil": "x.pupil_id", "course": "x.course_id", "pupil_course": "x.pupil_id, x.course_id"}


@functools.cache
def _totals_sql(by: str, courses: int, spans: int, one_pupil: bool) -> str:
    """Per (pupil or course) × span of dates: the marks' count, the numeric ones' count, sum, weighted sum and
    weights; the marks of the lessons (not cancelled) of `courses` courses, of one pupil or all. Plain SQL: the ORM's
    compiling of a conditional aggregate per span cost several times the database's work. Table and column names
    come from the models only."""
    q = connection.ops.quote_name
    number = "CASE m.value " + " ".join(f"WHEN '{v}' THEN {v}" for v in sorted(NUMERIC)) + " END"
    marks = (
        f"SELECT m.pupil_id, l.course_id, l.date, t.weight, {number} AS num"  # noqa: S608 - names from the models
        f" FROM {q(Mark._meta.db_table)} m"
        f" JOIN {q(LessonWork._meta.db_table)} w ON w.id = m.work_id"
        f" JOIN {q(WorkType._meta.db_table)} t ON t.id = w.work_type_id"
        f" JOIN {q(Lesson._meta.db_table)} l ON l.id = w.lesson_id"
        f" WHERE l.school_id = %s AND l.status <> %s AND l.course_id IN ({', '.join(['%s'] * courses)})"
        + (" AND m.pupil_id = %s" if one_pupil else "")
    )
    span_rows = " UNION ALL ".join(["SELECT %s AS k, %s AS a, %s AS b"] * spans)
    group = GROUPS[by]
    return (
        f"SELECT {group}, s.k, COUNT(*), COUNT(x.num), SUM(x.num), SUM(x.num * x.weight),"  # noqa: S608
        " SUM(CASE WHEN x.num IS NOT NULL THEN x.weight END)"
        f" FROM ({marks}) x JOIN ({span_rows}) s ON x.date >= s.a AND x.date <= s.b"
        f" GROUP BY {group}, s.k"
    )


def period_totals(
    *,
    school_id: int,
    course_ids: list[int],
    spans: dict[str, tuple[datetime.date, datetime.date]],
    by: str,
    pupil_id: int | None = None,
) -> dict:
    """{(pupil or course id, span key): Totals} of the courses' marks (of one pupil, or of everybody) in each span
    of dates, grouped `by` "pupil", "course" or "pupil_course" (then keyed by (pupil, course)): one query, whatever
    the number of marks (R-E02)."""
    if not course_ids or not spans:
        return {}
    params: list = [school_id, Lesson.Status.CANCELLED, *course_ids]
    if pupil_id is not None:
        params.append(pupil_id)
    for key, (start, end) in spans.items():
        params += [key, start, end]
    result = {}
    with connection.cursor() as cursor:
        cursor.execute(_totals_sql(by, len(course_ids), len(spans), pupil_id is not None), params)
        width = len(GROUPS[by].split(","))
        for row in cursor.fetchall():
            row_key = row[0] if width == 1 else tuple(row[:width])
            key, count, numeric, total, weighted, weights = row[width:]
            result[(row_key, key)] = Totals(
                count=count, numeric=numeric, total=total or 0, weighted_total=_dec(weighted), weights=_dec(weights)
            )
    return result


# --- The course's period-marks page -------------------------------------------------------------------------


@dataclass
class Slot:
    """One pupil's period (or year, `period` None) of the course: averages, forecast, the mark set."""

    period: StudyPeriod | None
    average: Decimal | None = None
    weighted: Decimal | None = None
    count: int = 0
    forecast: str = ""
    value: str = ""
    late: bool = False
    warning: str = ""  # too few marks for an objective period mark (R-E06)
    controls: list[str] = field(default_factory=list)  # the control works' marks the warning shows (R-E06)
    editable: bool = False  # set by the page
    off: bool = False  # the pupil was not on the list during the period

    @property
    def key(self) -> str:
        return str(self.period.pk) if self.period is not None else "year"

    @property
    def failing(self) -> bool:
        return self.value in FAILING


@dataclass
class Column:
    period: StudyPeriod | None
    window: Window
    opens: datetime.date  # marks are set from this day (the period's start; the year's: its last period's)
    open: bool  # it has begun and its window is open today (R-D06)

    @property
    def key(self) -> str:
        return str(self.period.pk) if self.period is not None else "year"

    @property
    def name(self) -> str:
        return str(self.period) if self.period is not None else ""


@dataclass
class SheetRow:
    pupil: User
    slots: list[Slot]
    # «семейное образование» / «самообразование» (R-E11): attested by the commission, not by the course's teacher.
    home: str = ""


@dataclass
class Sheet:
    course: Course
    attested: bool
    columns: list[Column]
    rows: list[SheetRow]
    needed: int  # marks an objective period mark needs (R-E06)
    threshold: Decimal
    no_two: dict[str, bool]  # column key → a «2» is refused there (R-E08)


def _overlaps(spans, start: datetime.date, end: datetime.date) -> bool:
    return any(since <= end and (until is None or until >= start) for since, until in spans)


def period_sheet(*, course: Course, day: datetime.date) -> Sheet:
    """Every pupil of the course's year × its periods and the year: averages, forecast, the period mark, the warning
    of too few marks. Six queries whatever the class's size: periods, settings, the list, the marks' totals, the
    control works' marks, the period marks. `course` comes with its year, subject and school."""
    periods = course_periods(course)
    settings = SchoolSettings.objects.filter(school_id=course.school_id).first() or SchoolSettings(
        school_id=course.school_id
    )
    year_start = periods[0].start if periods else course.year.start
    year_end = periods[-1].end if periods else course.year.end
    columns = []
    for period in [*periods, None]:
        end = period.end if period is not None else year_end
        window = period_window(end, course.year.end, settings)
        opens = period_opens(course, period, periods)
        columns.append(
            Column(
                period=period,
                window=window,
                opens=opens,
                open=opens <= day and window.is_open(day) and not course.year.is_archived,
            )
        )

    spans: dict[int, list] = defaultdict(list)
    people: dict[int, User] = {}
    home: dict[int, str] = {}
    for entry in list_rows(course, year_start, year_end, home_educated=True):
        spans[entry.pupil_id].append((entry.since, entry.until))
        people[entry.pupil_id] = entry.pupil
        if entry.home_form:
            home[entry.pupil_id] = str(Enrollment.Form(entry.home_form).label)

    ranges = {str(p.pk): (p.start, p.end) for p in periods} | {"year": (year_start, year_end)}
    totals = period_totals(school_id=course.school_id, course_ids=[course.pk], spans=ranges, by="pupil")
    controls: dict[tuple[int, str], list[str]] = defaultdict(list)
    # By the course's works (the marks' (work, pupil) index), not by the school's marks: SQLite would scan those.
    works = LessonWork.objects.filter(school_id=course.school_id, lesson__course=course).values("pk")
    for pupil_id, date, value in (
        Mark.objects.filter(school_id=course.school_id, work_id__in=works, work__work_type__is_control=True)
        .exclude(work__lesson__status=Lesson.Status.CANCELLED)
        .order_by("work__lesson__date")
        .values_list("pupil_id", "work__lesson__date", "value")
    ):
        for period in periods:
            if period.start <= date <= period.end:
                controls[(pupil_id, str(period.pk))].append(value)
    set_marks = {
        (pupil_id, str(period_id) if period_id else "year"): (value, late)
        for pupil_id, period_id, value, late in PeriodMark.objects.filter(
            school_id=course.school_id, course=course
        ).values_list("pupil_id", "period_id", "value", "entered_late")
    }

    needed = marks_needed(course, settings)
    threshold = settings.rounding_threshold
    rows = []
    for pid in sorted(people, key=lambda p: (people[p].last_name, people[p].first_name, people[p].middle_name, p)):
        slots = []
        for column in columns:
            slot = Slot(period=column.period)
            start, end = ranges[column.key]
            slot.off = not _overlaps(spans[pid], start, end)
            got = totals.get((pid, column.key), Totals())
            slot.average, slot.weighted, slot.count = got.average, got.weighted, got.count
            slot.value, slot.late = set_marks.get((pid, column.key), ("", False))
            if column.period is not None:
                slot.forecast = forecast_of(slot.weighted, threshold)
                slot.controls = controls.get((pid, column.key), [])
                if not slot.off and column.opens <= day:
                    slot.warning = too_few_marks_warning(slot.count, needed)
            else:
                numeric = [int(s.value) for s in slots if s.value in NUMERIC]
                slot.forecast = forecast_of(_mean(numeric) if numeric else slot.weighted, threshold)
            slots.append(slot)
        rows.append(SheetRow(pupil=people[pid], slots=slots, home=home.get(pid, "")))
    return Sheet(
        course=course,
        attested=is_attested(course),
        columns=columns,
        rows=rows,
        needed=needed,
        threshold=threshold,
        no_two={c.key: two_refused(settings, is_year=c.period is None) for c in columns},
    )


# --- For families: a pupil's results by subject (the diary uses it) -----------------------------------------


@dataclass
class SubjectResult:
    course: Course
    slots: list[Slot]  # the course's periods, then the year


def pupil_results(
    *, pupil: User, courses: list[Course], settings: SchoolSettings, grade: int | None
) -> list[SubjectResult]:
    """A pupil's averages, forecasts and period and year marks in each of `courses` (the pupil's courses of one
    year, loaded with their subject and class or group) by the periods of the pupil's grade: three queries for any
    number of subjects (periods, the marks' totals, the period marks). What the diary shows the family (seed 003,
    R-E13). Courses without attestation are left out (R-E04)."""
    courses = [c for c in courses if is_attested(c)]
    if not courses:
        return []
    year_id, school_id = courses[0].year_id, courses[0].school_id
    periods = list(StudyPeriod.objects.filter(school_id=school_id, year_id=year_id).order_by("start", "grade_from"))
    if grade is not None:
        periods = [p for p in periods if p.grade_from <= grade <= p.grade_to]
    ranges: dict[str, tuple[datetime.date, datetime.date]] = {str(p.pk): (p.start, p.end) for p in periods}
    if periods:
        ranges["year"] = (min(p.start for p in periods), max(p.end for p in periods))
    totals = period_totals(
        school_id=school_id,
        course_ids=[c.pk for c in courses],
        spans=ranges,
        by="course",
        pupil_id=pupil.pk,
    )
    set_marks = {
        (course_id, str(period_id) if period_id else "year"): value
        for course_id, period_id, value in PeriodMark.objects.filter(
            school_id=school_id, pupil=pupil, course__in=[c.pk for c in courses]
        ).values_list("course_id", "period_id", "value")
    }
    results = []
    for course in courses:
        slots = []
        for period in periods:
            got = totals.get((course.pk, str(period.pk)), Totals())
            slot = Slot(period=period, average=got.average, weighted=got.weighted, count=got.count)
            slot.forecast = forecast_of(got.weighted, settings.rounding_threshold)
            slot.value = set_marks.get((course.pk, str(period.pk)), "")
            slots.append(slot)
        got = totals.get((course.pk, "year"), Totals())
        year = Slot(period=None, average=got.average, weighted=got.weighted, count=got.count)
        numeric = [int(s.value) for s in slots if s.value in NUMERIC]
        year.forecast = forecast_of(_mean(numeric) if numeric else got.weighted, settings.rounding_threshold)
        year.value = set_marks.get((course.pk, "year"), "")
        results.append(SubjectResult(course=course, slots=[*slots, year]))
    return results
