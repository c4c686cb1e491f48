"""Bench scenarios of issue 9 (see bench/scenarios.py): the final-marks sheet and the journal printout."""

from django.urls import reverse

from accounts.models import User

from .core import logged_in, scenario
from .scenarios_class import _fill_class, led_class


def _fill_period_marks(ctx, school_class) -> None:
    """Every pupil of the class gets a mark of the current period in each of its attested courses (bench data only,
    written in bulk past the time rules)."""
    from ejournal.clock import today
    from gradebook.models import PeriodMark
    from gradebook.selectors import period_on
    from reports.class_reports import class_courses, class_periods, year_periods
    from schedule.models import Enrollment

    day = today(ctx.school.timezone)
    periods = class_periods(year_periods(school_id=ctx.school.pk, year_id=school_class.year_id), school_class.grade)
    period = period_on(periods, day)
    pupils = list(Enrollment.objects.on(day).filter(school_class=school_class).values_list("pupil_id", flat=True))
    author = User.objects.filter(username="teacher").first()
    PeriodMark.objects.bulk_create(
        (
            PeriodMark(
                school=ctx.school,
                course=course,
                period=period,
                pupil_id=pupil,
                value="345"[(course.pk + pupil) % 3],
                author=author,
            )
            for course in class_courses([school_class]).get(school_class.pk, [])
            if course.group_id is None
            for pupil in pupils
        ),
        ignore_conflicts=True,
    )


@scenario("final_marks_class", iterations=50, note="5А's summary sheet of final marks (a period mark in every cell)")
def final_marks_class(ctx):
    school_class = led_class()
    _fill_period_marks(ctx, school_class)
    client = logged_in("class_teacher", ctx.password)
    url = reverse("reports:final_marks", args=[school_class.pk])
    return lambda: client.get(url)


@scenario("course_printout_pdf", iterations=10, note="the journal printout of one of 5А's courses for the year, PDF")
def course_printout_pdf(ctx):
    from schedule.models import Course

    school_class = led_class()
    _fill_class(ctx, school_class)
    course = Course.objects.filter(school_class=school_class, group__isnull=True).order_by("pk").first()
    client = logged_in("deputy", ctx.password)
    url = reverse("reports:course_printout", args=[course.pk])
    return lambda: client.get(url)
