"""The API's reads of a pupil's marks, attendance and period marks: the diary marks page's own reads
(diary.selectors_marks), so that an app shows what the page shows; only an unknown period is refused here, where the
page falls back to the current one.

The week and the homework need nothing of their own: they are diary.selectors_week's `diary_week` and
`pupil_homework` as they are."""

import datetime
from dataclasses import dataclass

from accounts.models import School, User
from diary.selectors import Attendance, attendance_totals
from diary.selectors_marks import YEAR, BadPeriod, Span, SubjectMarks, marks_reads, subject_marks
from gradebook.selectors_periods import SubjectResult
from schedule.models import StudyPeriod

__all__ = ["BadPeriod", "pupil_attendance", "pupil_marks", "pupil_period_marks"]


@dataclass
class PupilMarks:
    span: Span
    subjects: list[SubjectMarks]


def pupil_marks(*, school: School, pupil: User, day: datetime.date, asked: str | None) -> PupilMarks:
    """Marks by subject for a period or the year with their averages, forecasts, period and year marks and
    attendance: the diary's marks page's subjects, in its order, the same subjects left out."""
    reads = marks_reads(school=school, pupil=pupil, day=day, asked=asked, strict=True)
    return PupilMarks(span=reads.span, subjects=subject_marks(school=school, pupil=pupil, reads=reads))


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
    reads = marks_reads(school=school, pupil=pupil, day=day, asked=asked, strict=True)
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
    reads = marks_reads(school=school, pupil=pupil, day=day, asked=YEAR, strict=True)
    return PupilPeriodMarks(periods=reads.span.periods, results=reads.results)
