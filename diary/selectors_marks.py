"""The marks page's reads, which the diary API answers with too: the pupil's courses of the current year, their
results by period, the span asked for (a period, the year, or the current period), and each subject's marks,
averages, forecasts, period and year marks and attendance in that span."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from accounts.models import School, SchoolSettings, User
from gradebook.selectors import averages, is_attested, period_on
from gradebook.selectors_periods import Slot, SubjectResult, pupil_results
from schedule.models import Course, StudyPeriod
from schedule.selectors import current_year, pupil_courses

from .selectors import Attendance, MarkRow, attendance_totals, period_marks

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
class MarkReads:
    courses: list[Course]
    results: list[SubjectResult]
    settings: SchoolSettings
    span: Span


def marks_reads(*, school: School, pupil: User, day: datetime.date, asked: str | None, strict: bool) -> MarkReads:
    """`asked` is a period's id, «year», or empty for the period `day` falls in. An `asked` that is none of these
    raises BadPeriod when `strict` (an app is told); otherwise it means the current period (the page falls back)."""
    year = current_year(school=school, day=day)
    courses = pupil_courses(pupil=pupil, year=year) if year is not None else []
    settings = SchoolSettings.of(school)
    grade = getattr(pupil, "class_grade", None)
    results = pupil_results(pupil=pupil, courses=courses, settings=settings, grade=grade)
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
        if period is None and strict:
            raise BadPeriod(asked)
    if period is None and not whole_year:
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
    return MarkReads(courses=courses, results=results, settings=settings, span=span)


@dataclass
class SubjectMarks:
    course: Course
    name: str
    attested: bool
    marks: list[MarkRow]
    average: Decimal | None = None
    weighted: Decimal | None = None
    forecast: str = ""
    value: str = ""  # the period's mark (or the year's, when the year is shown)
    year_forecast: str = ""
    year_value: str = ""
    attendance: Attendance = field(default_factory=Attendance)

    @property
    def course_id(self) -> int:
        return self.course.pk

    @property
    def count(self) -> int:
        return len(self.marks)


def subject_marks(*, school: School, pupil: User, reads: MarkReads) -> list[SubjectMarks]:
    """The subjects with something to show in the span (marks, a period or year mark, attendance, or attested at
    all), in the courses' order. Two queries: the marks and the absences."""
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
            course=course,
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
    return subjects
