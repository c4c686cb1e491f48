"""The demo school's period marks for the periods that have ended by today (issue 6): each pupil's forecast as the
teacher set it a day or two after the period, an academic debt where the forecast is a «2» and the school records a
debt instead (R-E08). Pupils without marks in a period (the first grade's are not marked) get none. Written in bulk
with history (author and moment), as the journals are (ejournal/demo_journal.py), under the same rules as
`gradebook.period_marks.period_mark_set`: attested courses only (R-E04), one mark per pupil, course and period, only
for pupils with marks in the course's lessons of the period (who were on its list then).
"""

import datetime
import zoneinfo

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from accounts.models import SchoolSettings, User
from gradebook.models import PeriodMark
from gradebook.period_marks import two_refused
from gradebook.selectors import course_grade, forecast_of, is_attested
from gradebook.selectors_periods import period_totals
from schedule.models import AcademicYear, Course, CourseTeacher, StudyPeriod

BATCH = 2000


@transaction.atomic
def fill_period_marks(*, year: AcademicYear, today: datetime.date) -> int:
    """Period marks of every attested course for its periods ended before `today`; returns how many were made. A
    handful of queries for the whole school: the marks' totals come in one."""
    school = year.school
    settings = SchoolSettings.of(school)
    tz = zoneinfo.ZoneInfo(school.timezone)
    ended = list(StudyPeriod.objects.filter(year=year, end__lt=today).order_by("start"))
    courses = {
        c.pk: c
        for c in Course.objects.filter(year=year, kind=Course.Kind.LESSON).select_related(
            "subject", "school_class", "group__school_class"
        )
        if is_attested(c)
    }
    teacher_of: dict[int, int] = {}
    for course_id, teacher_id in (
        CourseTeacher.objects.filter(course__year=year).order_by("pk").values_list("course_id", "teacher_id")
    ):
        teacher_of.setdefault(course_id, teacher_id)
    if not ended or not courses:
        return 0
    teachers = User.objects.in_bulk(set(teacher_of.values()))
    totals = period_totals(
        school_id=school.pk,
        course_ids=sorted(courses),
        spans={str(p.pk): (p.start, p.end) for p in ended},
        by="pupil_course",
    )
    periods = {str(p.pk): p for p in ended}
    rows = []
    for ((pupil_id, course_id), key), got in sorted(totals.items()):
        course, period = courses[course_id], periods[key]
        grade = course_grade(course)
        forecast = forecast_of(got.weighted, settings.rounding_threshold)
        if course_id not in teacher_of or not forecast or (grade and not period.grade_from <= grade <= period.grade_to):
            continue
        value = forecast
        if value == PeriodMark.Value.TWO and two_refused(settings, is_year=False):
            value = PeriodMark.Value.DEBT
        set_on = min(period.end + datetime.timedelta(days=1 + course_id % 2), today - datetime.timedelta(days=1))
        when = datetime.datetime.combine(set_on, datetime.time(16, course_id % 60), tzinfo=tz)
        teacher = teachers[teacher_of[course_id]]
        mark = PeriodMark(
            school_id=school.pk,
            course=course,
            period=period,
            pupil_id=pupil_id,
            value=value,
            author=teacher,
            created_at=when,
        )
        mark._history_user, mark._history_date = teacher, when
        rows.append(mark)
    if rows:
        bulk_create_with_history(rows, PeriodMark, batch_size=BATCH)
    return len(rows)
