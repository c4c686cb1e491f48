"""The API's reads of a pupil's marks, attendance and period marks: the same selectors, in the same order and with
the same choices as the diary's marks page (diary/views.py `marks`), so that an app shows what the page shows.

The week and the homework need nothing of their own: they are diary.selectors_week's `diary_week` and
`pupil_homework` as they are."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from accounts.models import School, SchoolSettings, User
from diary.selectors import Attendance, MarkRow, attendance_totals, period_marks
from gradebook.selectors import averages, is_attested, period_on
from gradebook.selectors_periods import Slot, SubjectResult, pupil_results
from schedule.models import Course, StudyPeriod
from schedule.selectors import current_year, pupil_courses

YEAR = "year"


class BadPeriod(ValueError):
    """`period` names none of the pupil's periods."""


@dataclass
class Span:
    """The periods of the pupil's year and the one asked for (None with the whole year), with its dates."""

    periods: list[StudyPeriod]
    period: StudyPeriod | None
    whole_year: bool
    start: datetime.date
    end: datetime.date


@dataclass
class Reads:
    courses: list[Course]
    results: list[SubjectResult]
    settings: SchoolSettings
    span: Span


def _reads(*, school: School, pupil: User, day: datetime.date, asked: str | None) -> Reads:
    """The pupil's courses of the current year, their results by period, and the span asked for: `asked` is a
    period's id, «year», or None for the current period (as the diary's page chooses it). An `asked` that is none of
    these raises BadPeriod: the page falls back to the current period, an app is told."""
    year = current_year(school=school, day=day)
    courses = pupil_courses(pupil=pupil, year=year) if year is not None else []
    settings = SchoolSettings.of(school)
    results = pupil_results(pupil=pupil, courses=courses, settings=settings, grade=getattr(pupil, "class_grade", None))
    grade = getattr(pupil, "class_grade", None)
    if results:
        periods = [slot.period for slot in results[0].slots[:-1]]
    elif year is not None:
        periods = [
            p
            for p in StudyPeriod.objects.filter(school=school, year=year).order_by("start", "grade_from")
            if grade is None or p.grade_from <= grade <= p.grade_to
        ]
    else:
        periods = []
    whole_year = asked == YEAR
    period = None
    if asked not in (None, "", YEAR):
        period = next((p for p in periods if str(p.pk) == asked), None)
        if period is None:
            raise BadPeriod(asked)
    elif not whole_year:
        period = period_on(periods, day)
    if period is not None:
        start, end = period.start, period.end
    elif periods:
        whole_year = True
        start, end = min(p.start for p in periods), max(p.end for p in periods)
    elif year is not None:
        whole_year = True
        start, end = year.start, year.end
    else:
        start = end = day
    span = Span(periods=periods, period=period, whole_year=whole_year, start=start, end=end)
    return Reads(courses=courses, results=results, settings=settings, span=span)


@dataclass
class SubjectMarks:
    course_id: int
    name: str
    attested: bool
    marks: list[MarkRow]
    average: Decimal | None = None
    weighted: Decimal | None = None
    forecast: str = ""
    value: str = ""
    year_forecast: str = ""
    year_value: str = ""
    attendance: Attendance = field(default_factory=Attendance)

    @property
    def count(self) -> int:
        return len(self.marks)


@dataclass
class PupilMarks:
    span: Span
    subjects: list[SubjectMarks]


def pupil_marks(*, school: School, pupil: User, day: datetime.date, asked: str | None) -> PupilMarks:
    """Marks by subject for a period or the year with their averages, forecasts, period and year marks and
    attendance: the diary's marks page's subjects, in its order, the same subjects left out."""
    reads = _reads(school=school, pupil=pupil, day=day, asked=asked)
    span = reads.span
    course_ids = [c.pk for c in reads.courses]
    by_course = period_marks(
        school_id=school.pk, pupil_id=pupil.pk, course_ids=course_ids, start=span.start, end=span.end
    )
    absences = attendance_totals(
        school_id=school.pk, pupil_id=pupil.pk, course_ids=course_ids, start=span.start, end=span.end
    )
    result_of = {r.course.pk: r for r in reads.results}
    subjects = []
    for course in reads.courses:
        course_marks = by_course.get(course.pk, [])
        row = SubjectMarks(
            course_id=course.pk,
            name=course.title or course.subject.name,
            attested=is_attested(course),
            marks=course_marks,
            attendance=absences.get(course.pk) or Attendance(),
        )
        result = result_of.get(course.pk)
        slot: Slot | None = None
        if result is not None:
            slot = (
                result.slots[-1]
                if span.period is None
                else next((s for s in result.slots if s.period == span.period), None)
            )
            row.year_forecast, row.year_value = result.slots[-1].forecast, result.slots[-1].value
        if slot is not None:
            row.average, row.weighted, row.forecast, row.value = slot.average, slot.weighted, slot.forecast, slot.value
        else:
            row.average, row.weighted = averages([(m.value, m.weight) for m in course_marks])
        if course_marks or row.value or row.year_value or not row.attendance.empty or row.attested:
            subjects.append(row)
    return PupilMarks(span=span, subjects=subjects)


@dataclass
class SubjectAttendance:
    course_id: int
    name: str
    attendance: Attendance


@dataclass
class PupilAttendance:
    span: Span
    subjects: list[SubjectAttendance]


def pupil_attendance(*, school: School, pupil: User, day: datetime.date, asked: str | None) -> PupilAttendance:
    """The lessons missed by subject and reason, the latenesses and the remote lessons of a period or the year: the
    marks page's attendance lines; the subjects with something to show."""
    reads = _reads(school=school, pupil=pupil, day=day, asked=asked)
    span = reads.span
    absences = attendance_totals(
        school_id=school.pk, pupil_id=pupil.pk, course_ids=[c.pk for c in reads.courses], start=span.start, end=span.end
    )
    subjects = [
        SubjectAttendance(course_id=c.pk, name=c.title or c.subject.name, attendance=absences[c.pk])
        for c in reads.courses
        if c.pk in absences and not absences[c.pk].empty
    ]
    return PupilAttendance(span=span, subjects=subjects)


@dataclass
class PupilPeriodMarks:
    periods: list[StudyPeriod]
    results: list[SubjectResult]


def pupil_period_marks(*, school: School, pupil: User, day: datetime.date) -> PupilPeriodMarks:
    """Each attested subject's periods and year: averages, forecast and the mark set (gradebook's `pupil_results`,
    which the marks page reads)."""
    reads = _reads(school=school, pupil=pupil, day=day, asked=YEAR)
    return PupilPeriodMarks(periods=reads.span.periods, results=reads.results)
