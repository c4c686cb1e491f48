"""The demo's pupils' workload and published reports (issue 12; R-J12, R-J16): the teachers' estimates of the time
each homework takes, realistic for the grade (a first-grader's task takes less than an eleventh-grader's), with one
day of 5А this week over SanPiN's limit, so that the workload report has something to mark; and two reports published
for the school's website (this week's workload as PDF, this month's activity as XLSX). Nothing is done twice."""

import datetime
import random

from simple_history.utils import bulk_update_with_history

from accounts.models import Membership, Role, School, SchoolSettings
from reports.models import PublishedReport
from reports.publish import report_publish
from reports.workload import minutes_limit, monday
from schedule.models import AcademicYear, Homework, SchoolClass

# Minutes a task usually takes, by grade: (shortest, longest).
TYPICAL = {1: (10, 15), 2: (15, 25), 4: (15, 30), 6: (20, 35), 9: (25, 45)}
BATCH = 500
OVER_BY = 30  # minutes over the limit on the demo's marked day


def _typical(grade: int) -> tuple[int, int]:
    return next(TYPICAL[g] for g in sorted(TYPICAL, reverse=True) if grade >= g)


def add_workload(*, school: School, year: AcademicYear, today: datetime.date) -> tuple[int, int]:
    """Estimates on the homework that has none, and the published reports; returns (estimates, reports)."""
    estimated = _estimate(school=school, year=year, today=today)
    published = _publish(school=school, year=year, today=today)
    return estimated, published


def _estimate(*, school: School, year: AcademicYear, today: datetime.date) -> int:
    homework = list(
        Homework.objects.filter(school=school, lesson__course__year=year, minutes__isnull=True)
        .select_related("lesson__course__school_class", "lesson__course__group__school_class", "due_lesson")
        .order_by("pk")
    )
    if not homework:
        return 0
    rng = random.Random(f"workload-{school.pk}")  # noqa: S311 - demo data, not security
    for item in homework:
        course = item.lesson.course
        school_class = course.school_class or (course.group.school_class if course.group_id else None)
        low, high = _typical(school_class.grade if school_class else 5)
        item.minutes = rng.randrange(low, high + 1, 5)
    _one_day_over(school=school, year=year, today=today, homework=homework)
    for item in homework:
        item._history_user = item.author  # the teacher who set it estimates it
    bulk_update_with_history(homework, Homework, ["minutes"], batch_size=BATCH)
    return len(homework)


def _one_day_over(*, school: School, year: AcademicYear, today: datetime.date, homework: list[Homework]) -> None:
    """5А's busiest day of this week (the one with most homework due) goes over the grade's limit."""
    five_a = SchoolClass.objects.filter(school=school, year=year, grade=5, letter="А").first()
    if five_a is None:
        return
    start = monday(today)
    week = {start + datetime.timedelta(days=n) for n in range(6)}
    by_day: dict[datetime.date, list[Homework]] = {}
    for item in homework:
        course = item.lesson.course
        class_id = course.school_class_id or (course.group.school_class_id if course.group_id else None)
        if class_id == five_a.pk and item.due_lesson is not None and item.due_lesson.date in week:
            by_day.setdefault(item.due_lesson.date, []).append(item)
    if not by_day:
        return
    busiest = max(sorted(by_day), key=lambda d: len(by_day[d]))
    tasks = by_day[busiest]
    target = minutes_limit(SchoolSettings.of(school), five_a.grade) + OVER_BY
    share, rest = divmod(target, len(tasks))
    for n, item in enumerate(tasks):
        item.minutes = min(240, share + (1 if n < rest else 0))


def _publish(*, school: School, year: AcademicYear, today: datetime.date) -> int:
    if PublishedReport.objects.filter(school=school).exists():
        return 0
    deputy = Membership.objects.filter(school=school, role=Role.DEPUTY).select_related("user").order_by("pk").first()
    if deputy is None:
        return 0
    start = monday(today)
    report_publish(
        actor=deputy.user,
        school=school,
        kind=PublishedReport.Kind.WORKLOAD,
        year=year,
        start=start,
        end=start + datetime.timedelta(days=5),
        fmt=PublishedReport.Format.PDF,
    )
    first = today.replace(day=1)
    report_publish(
        actor=deputy.user,
        school=school,
        kind=PublishedReport.Kind.ACTIVITY,
        year=year,
        start=max(first, year.start),
        end=today,
        fmt=PublishedReport.Format.XLSX,
    )
    return 2
