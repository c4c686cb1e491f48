"""Bench scenarios of issue 9 (see bench/scenarios.py): journal control (fill rate) of the whole school."""

from django.urls import reverse

from .core import logged_in, scenario


def _fill_school(ctx) -> None:
    """The demo's journals are empty: every lesson of the current period up to today gets, most of the time, a topic,
    homework and attendance taken; every other lesson of a whole-class course a work with a mark for most pupils
    (some entered late). Bench data only, written in bulk past the time rules; idempotent."""
    import datetime

    from accounts.models import User
    from attendance.models import AttendanceTaken
    from ejournal.clock import now, today
    from gradebook.models import LessonWork, Mark, WorkType
    from reports.fill_rate import default_range
    from schedule.models import Enrollment, Homework, Lesson

    day = today(ctx.school.timezone)
    start, end = default_range(school=ctx.school, today=day)
    teacher = User.objects.get(username="teacher")
    lessons = Lesson.objects.in_journal().filter(school=ctx.school, date__range=(start, end))
    ids = list(lessons.values_list("pk", "course__school_class_id", "course__group_id", "date"))
    (lessons.filter(topic="").extra(where=["schedule_lesson.id %% 5 <> 0"]).update(topic="Тема урока"))
    Homework.objects.bulk_create(
        (
            Homework(school=ctx.school, lesson_id=pk, text="Упражнения", author=teacher, entered_late=pk % 11 == 0)
            for pk, *_rest in ids
            if pk % 4
        ),
        ignore_conflicts=True,
        batch_size=2000,
    )
    moment = now()
    AttendanceTaken.objects.bulk_create(
        (
            AttendanceTaken(school=ctx.school, lesson_id=pk, by=teacher, at=moment, entered_late=pk % 7 == 0)
            for pk, *_rest in ids
            if pk % 10
        ),
        ignore_conflicts=True,
        batch_size=2000,
    )
    kind = WorkType.objects.filter(school=ctx.school).order_by("position").first()
    with_work = set(LessonWork.objects.filter(lesson_id__in=[i[0] for i in ids]).values_list("lesson_id", flat=True))
    LessonWork.objects.bulk_create(
        (
            LessonWork(school=ctx.school, lesson_id=pk, work_type=kind)
            for pk, cls, group, _d in ids
            if pk % 2 == 0 and cls and group is None and pk not in with_work
        ),
        batch_size=2000,
    )
    pupils: dict[int, list[int]] = {}
    for cls, pupil in Enrollment.objects.on(day).filter(school=ctx.school).values_list("school_class_id", "pupil_id"):
        pupils.setdefault(cls, []).append(pupil)
    works = LessonWork.objects.filter(lesson_id__in=[i[0] for i in ids], lesson__course__group__isnull=True)
    rows = works.values_list("pk", "lesson__course__school_class_id", "lesson__date")
    late = moment + datetime.timedelta(days=5)
    Mark.objects.bulk_create(
        (
            Mark(
                school=ctx.school,
                work_id=work,
                pupil_id=pupil,
                value="2345"[(work + pupil) % 4],
                author=teacher,
                entered_late=(work + pupil) % 13 == 0,
                created_at=late if (work + pupil) % 13 == 0 else moment,
            )
            for work, cls, _date in rows
            for pupil in pupils.get(cls, [])
            if (work * 7 + pupil) % 5
        ),
        ignore_conflicts=True,
        batch_size=5000,
    )


@scenario("fill_rate_school", iterations=30, note="the deputy's journal control of the whole school, this period")
def fill_rate_school(ctx):
    _fill_school(ctx)
    client = logged_in("deputy", ctx.password)
    url = reverse("reports:control")
    return lambda: client.get(url)
