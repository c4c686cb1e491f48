"""Bench scenarios of issue 9 (see bench/scenarios.py): the summary sheets."""

from django.urls import reverse

from accounts.models import User

from .core import logged_in, scenario


@scenario("summary_sheet_pdf", iterations=30, note="one pupil's weekly summary sheet as PDF, a mark in each lesson")
def summary_sheet_pdf(ctx):
    """The demo's journals are empty: the pupil's lessons of the latest school week get a work and a mark each here
    (bench data only, written in bulk past the time rules). Target p50 ≤ 300 ms."""
    import datetime

    from diary.selectors import pupil_course_ids, pupil_lesson_filter
    from ejournal.clock import today
    from gradebook.models import LessonWork, Mark, WorkType
    from reports.sheets import week_of
    from schedule.models import Lesson

    pupil = User.objects.get(username="pupil")
    day = today(ctx.school.timezone)
    mine = Lesson.objects.in_journal().filter(
        pupil_lesson_filter(pupil.pk), course_id__in=pupil_course_ids(pupil.pk, day - datetime.timedelta(days=60), day)
    )
    latest = mine.filter(date__lte=day).order_by("-date").values_list("date", flat=True).first() or day
    start, end = week_of(latest)
    lessons = list(mine.filter(date__range=(start, min(end, day))))
    kinds = list(WorkType.objects.filter(school=ctx.school).order_by("position"))
    LessonWork.objects.bulk_create(
        LessonWork(school=ctx.school, lesson=lesson, work_type=kinds[i % len(kinds)])
        for i, lesson in enumerate(lessons)
        if not lesson.works.exists()
    )
    teacher = User.objects.get(username="teacher")
    Mark.objects.bulk_create(
        (
            Mark(school=ctx.school, work=work, pupil=pupil, value="345"[i % 3], author=teacher)
            for i, work in enumerate(LessonWork.objects.filter(lesson__in=lessons))
        ),
        ignore_conflicts=True,
    )
    client = logged_in("pupil", ctx.password)
    url = reverse("reports:pupil_sheet_pdf", args=[pupil.pk]) + f"?start={start}&end={end}"
    return lambda: client.get(url)
