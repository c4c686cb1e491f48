"""Bench scenarios of issue 9 (see bench/scenarios.py): the class reports and the risk list."""

from django.urls import reverse

from accounts.models import User

from .core import logged_in, scenario


def _fill_class(ctx, school_class) -> None:
    """The demo's journals are empty: every lesson of the class's courses in the current period up to today gets a
    work and every pupil of the class a mark in it (bench data only, written in bulk past the time rules)."""
    from ejournal.clock import today
    from gradebook.models import LessonWork, Mark, WorkType
    from gradebook.selectors import period_on
    from reports.class_reports import class_periods, year_periods
    from schedule.models import Enrollment, Lesson

    day = today(ctx.school.timezone)
    periods = class_periods(year_periods(school_id=ctx.school.pk, year_id=school_class.year_id), school_class.grade)
    period = period_on(periods, day)
    kind = WorkType.objects.filter(school=ctx.school).order_by("position").first()
    lessons = Lesson.objects.in_journal().filter(
        course__school_class=school_class, course__group__isnull=True, date__range=(period.start, day), works=None
    )
    LessonWork.objects.bulk_create(
        LessonWork(school=ctx.school, lesson=lesson, work_type=kind) for lesson in lessons.distinct()
    )
    pupils = list(Enrollment.objects.on(day).filter(school_class=school_class).values_list("pupil_id", flat=True))
    works = LessonWork.objects.filter(
        lesson__course__school_class=school_class,
        lesson__course__group__isnull=True,
        lesson__date__range=(period.start, day),
    ).values_list("pk", flat=True)
    author = User.objects.filter(username="teacher").first()
    Mark.objects.bulk_create(
        (
            Mark(school=ctx.school, work_id=work, pupil_id=pupil, value="2345"[(work + pupil) % 4], author=author)
            for work in works
            for pupil in pupils
        ),
        ignore_conflicts=True,
        batch_size=2000,
    )


def led_class():
    """The stable class teacher's class (5А) with its year."""
    return User.objects.get(username="class_teacher").led_classes.select_related("year").get()


@scenario("class_performance", iterations=50, note="5А's performance in the current period, forecasts from marks")
def class_performance(ctx):
    school_class = led_class()
    _fill_class(ctx, school_class)
    client = logged_in("class_teacher", ctx.password)
    url = reverse("reports:class_performance", args=[school_class.pk])
    return lambda: client.get(url)


@scenario("risk_school", iterations=20, note="the deputy's risk list of the whole school (5А with marks)")
def risk_school(ctx):
    _fill_class(ctx, led_class())
    client = logged_in("deputy", ctx.password)
    url = reverse("reports:risk")
    return lambda: client.get(url)


@scenario("class_reports_index", iterations=20, note="the deputy's index: every class's quality and success %")
def class_reports_index(ctx):
    client = logged_in("deputy", ctx.password)
    url = reverse("reports:class_reports")
    return lambda: client.get(url)
