"""The benchmark's scenarios; every issue adds the pages and writes it cares about."""

from django.test import Client
from django.urls import reverse

from accounts.models import User

from .core import logged_in, scenario


@scenario("baseline", iterations=500, note="the portal's status page: one indexed query, a small template")
def baseline(ctx):
    client = Client()
    url = reverse("status")

    def request():
        return client.get(url)

    request.url, request.username = url, "admin"
    return request


@scenario("login", iterations=20, note="POST the login form (PBKDF2 hash included)")
def login(ctx):
    def request():
        client = Client()
        return client.post("/accounts/login/", {"username": "teacher", "password": ctx.password})

    return request


def _start_page(username: str):
    def prepare(ctx):
        client = logged_in(username, ctx.password)
        url = client.get("/", follow=True).redirect_chain[-1][0]
        return lambda: client.get(url)

    return prepare


for _role in ("admin", "deputy", "teacher", "class_teacher", "guardian", "pupil"):
    scenario(f"start_page[{_role}]")(_start_page(_role))


@scenario("class_page[class_teacher]", note="5А of the seeded school, with parents")
def class_page(ctx):
    client = logged_in("class_teacher", ctx.password)
    user = User.objects.get(username="class_teacher")
    url = reverse("schedule:class_detail", args=[user.led_classes.get().pk])
    return lambda: client.get(url)


@scenario("people_list[admin,pupils]", note="50 of 1,000 pupils with their classes")
def people_list(ctx):
    client = logged_in("admin", ctx.password)
    url = reverse("schedule:people_list") + "?tab=pupils&page=3"
    return lambda: client.get(url)


@scenario("people_search[admin]", note="search by a surname over all pupils")
def people_search(ctx):
    client = logged_in("admin", ctx.password)
    url = reverse("schedule:people_list") + "?tab=pupils&q=%D0%98%D0%B2%D0%B0%D0%BD"
    return lambda: client.get(url)


@scenario("person_page[class_teacher]", note="a pupil with consents, classes and parents")
def person_page(ctx):
    client = logged_in("class_teacher", ctx.password)
    url = reverse("schedule:person_detail", args=[User.objects.get(username="pupil").pk])
    return lambda: client.get(url)


class _Generation:
    """Generating every lesson of the year for the whole school, inside a transaction rolled back afterwards, so
    that each run starts from a school whose timetable has no lessons yet."""

    def __init__(self, ctx):
        from django.db import transaction

        from schedule.models import Lesson

        self.ctx, self.transaction, self.Lesson = ctx, transaction, Lesson
        self.atomic = None
        self.result = None

    def before(self):
        self.atomic = self.transaction.atomic()
        self.atomic.__enter__()
        # Everything deleted here comes back with the rollback in `after`.
        from attendance.models import Absence, AttendanceTaken
        from gradebook.models import LessonWork, Mark
        from schedule.models import Homework, Substitution

        # What the journals hold points at the lessons (PROTECT): it goes first.
        of_year = {"lesson__course__year": self.ctx.year}
        Mark.objects.filter(work__lesson__course__year=self.ctx.year).delete()
        for model in (Substitution, Absence, AttendanceTaken, Homework):
            model.objects.filter(**of_year).delete()
        LessonWork.objects.filter(**of_year).delete()
        self.Lesson.objects.filter(course__year=self.ctx.year).delete()

    def __call__(self):
        from types import SimpleNamespace

        from schedule.services import timetable

        year = self.ctx.year
        self.result = timetable.lessons_generate(actor=None, year=year, start=year.start, end=year.end)
        return SimpleNamespace(status_code=200 if self.result.created else 500)

    def after(self):
        self.transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)


@scenario(
    "lesson_generation", iterations=3, warmup=0, note="a year's lessons of every class (1 run = the whole school)"
)
def lesson_generation(ctx):
    return _Generation(ctx)


def _five_a():
    from schedule.models import SchoolClass

    return SchoolClass.objects.filter(grade=5, letter="А").order_by("-year__start").first()


@scenario("timetable_editor[admin]", note="5А's week grid with its subgroups, on today's date")
def timetable_editor(ctx):
    client = logged_in("admin", ctx.password)
    url = reverse("schedule:timetable_class", args=[_five_a().pk])
    return lambda: client.get(url)


@scenario("week_teacher[teacher]", note="the teacher's lessons of the current week, substitutions included")
def week_teacher(ctx):
    client = logged_in("teacher", ctx.password)
    url = reverse("schedule:week_teacher", args=[User.objects.get(username="teacher").pk])
    return lambda: client.get(url)


@scenario("lesson_page[teacher]", note="one of the teacher's lessons: pupils, topic form, history")
def lesson_page(ctx):
    from schedule.models import Lesson

    client = logged_in("teacher", ctx.password)
    lesson = Lesson.objects.filter(course__course_teachers__teacher__username="teacher").order_by("date").last()
    url = reverse("schedule:lesson_detail", args=[lesson.pk])
    return lambda: client.get(url)


# --- The journal grid (issue 5) -----------------------------------------------------------------------------


def _teacher_course():
    """The stable teacher's course with the most lessons (maths of a class)."""
    from django.db.models import Count

    from schedule.models import Course

    return (
        Course.objects.filter(course_teachers__teacher__username="teacher", kind=Course.Kind.LESSON)
        .select_related("year", "school_class", "group__school_class")
        .annotate(n=Count("lessons"))
        .order_by("-n", "pk")
        .first()
    )


@scenario("journal_grid[teacher]", note="a course's period: every pupil × every lesson's work, a mark in each cell")
def journal_grid(ctx):
    """The demo has no marks: the grid is filled here, one work per lesson and a mark in every cell of a pupil on
    the list. Bench data only, written in bulk past the time rules (the services refuse closed windows)."""
    from ejournal.clock import today
    from gradebook.models import LessonWork, Mark, WorkType
    from gradebook.selectors import course_periods, period_on
    from gradebook.selectors import journal_grid as grid_of
    from schedule.models import Lesson

    course = _teacher_course()
    day = today(ctx.school.timezone)
    period = period_on(course_periods(course), day)
    kind = WorkType.objects.filter(school=ctx.school).order_by("position").first()
    lessons = Lesson.objects.in_journal().filter(course=course, date__range=(period.start, period.end), works=None)
    LessonWork.objects.bulk_create(
        LessonWork(school=ctx.school, lesson=lesson, work_type=kind) for lesson in lessons.distinct()
    )
    teacher = User.objects.get(username="teacher")
    grid = grid_of(course=course, period=period, day=day)
    Mark.objects.bulk_create(
        (
            Mark(school=ctx.school, work_id=cell.column.work_id, pupil=row.pupil, value="45"[i % 2], author=teacher)
            for row in grid.rows
            for i, cell in enumerate(row.cells)
            if cell.column.work_id and not cell.off and not cell.value
        ),
        ignore_conflicts=True,
        batch_size=1000,
    )
    client = logged_in("teacher", ctx.password)
    url = reverse("gradebook:journal", args=[course.pk]) + f"?period={period.pk}"
    return lambda: client.get(url)


@scenario("mark_save[teacher]", note="POST one cell of the grid: a changed mark, history row, the row's averages")
def mark_save(ctx):
    """A work on the teacher's latest lesson within its window, then marks set pupil after pupil, each a change."""
    import datetime

    from ejournal.clock import today
    from gradebook.marks import work_add
    from gradebook.models import WorkType
    from schedule.models import Lesson
    from schedule.selectors_lessons import lesson_pupils

    course = _teacher_course()
    day = today(ctx.school.timezone)
    lesson = (
        Lesson.objects.in_journal()
        .filter(course=course, date__range=(day - datetime.timedelta(days=13), day), substitution__isnull=True)
        .select_related("course__year")
        .order_by("-date", "-number")
        .first()
    )
    if lesson is None:
        raise RuntimeError("mark_save: the teacher has no lesson within the edit window today (school holidays?)")
    teacher = User.objects.get(username="teacher")
    kind = WorkType.objects.filter(school=ctx.school).order_by("position").first()
    work = work_add(actor=teacher, lesson=lesson, work_type=kind, title="bench")
    pupils = [p.pk for p in lesson_pupils(lesson)]
    client = logged_in("teacher", ctx.password)
    url = reverse("gradebook:mark_set", args=[work.pk])
    state = {"n": 0}

    def request():
        n = state["n"]
        state["n"] += 1
        # Every call changes a cell: the pupils in turn, 4 on one pass and 5 on the next.
        return client.post(url, {"pupil": pupils[n % len(pupils)], "value": "45"[(n // len(pupils)) % 2]})

    return request


@scenario("period_marks[teacher]", note="a course's year: every pupil × each period's average, forecast and mark")
def period_marks_page(ctx):
    """The teacher's course on the period-marks page, after `journal_grid` filled its period (a mark in every cell);
    the earlier periods' marks are bench data written in bulk."""
    from gradebook.models import PeriodMark
    from gradebook.selectors import course_periods

    course = _teacher_course()
    teacher = User.objects.get(username="teacher")
    first = course_periods(course)[0]
    pupils = course.school_class.enrollments.values_list("pupil_id", flat=True) if course.school_class_id else []
    PeriodMark.objects.bulk_create(
        (
            PeriodMark(school=ctx.school, course=course, period=first, pupil_id=p, value="4", author=teacher)
            for p in pupils
        ),
        ignore_conflicts=True,
    )
    client = logged_in("teacher", ctx.password)
    url = reverse("gradebook:period_marks", args=[course.pk])
    return lambda: client.get(url)


# --- The diary (issue 7) ------------------------------------------------------------------------------------------


@scenario("diary_week", note="the seeded pupil's week: every lesson with topic, homework, a mark; absences")
def diary_week(ctx):
    """The `pupil` login's week as the diary opens it (this week; the coming one on a Sunday). The bench's school has
    empty journals: each lesson of the week gets, through the journal's own services, a topic, homework (due by the
    next lesson), a mark with a comment from whoever teaches it, and the first two lessons an absence and a
    lateness. Idempotent (the works are titled): the HTTP measurement prepares it again."""
    import contextlib
    import datetime

    from django.db.models import Q

    from attendance.services import AttendanceError, absence_set
    from diary.selectors_week import week_start
    from ejournal.clock import today
    from gradebook.marks import mark_set, work_add
    from gradebook.models import LessonWork, WorkType
    from gradebook.services import GradebookError
    from schedule.models import CourseTeacher, Lesson
    from schedule.services import ScheduleError
    from schedule.services import homework as homework_services
    from schedule.services import lessons as lesson_services

    pupil = User.objects.get(username="pupil")
    day = today(ctx.school.timezone)
    monday = week_start(day)
    url = reverse("diary:pupil", args=[pupil.pk])
    lessons = [
        lesson
        for lesson in Lesson.objects.in_journal()
        .filter(school=ctx.school, date__range=(monday, monday + datetime.timedelta(days=5)))
        .filter(
            Q(course__group__isnull=True, course__school_class__enrollments__pupil=pupil)
            | Q(course__group__memberships__pupil=pupil)
        )
        .select_related("substitution")
        .distinct()
        .order_by("date", "number")
    ]
    teachers = dict(
        CourseTeacher.objects.filter(course_id__in={lesson.course_id for lesson in lessons}).values_list(
            "course_id", "teacher_id"
        )
    )
    kinds = list(WorkType.objects.filter(school=ctx.school).order_by("position"))
    done = set(LessonWork.objects.filter(lesson__in=lessons, title="bench").values_list("lesson_id", flat=True))

    def attempt(action, **kwargs):
        # A lesson the rules refuse (a closed window, a clash) is left as it is: the page shows what there is.
        with contextlib.suppress(ScheduleError, GradebookError, AttendanceError):
            return action(**kwargs)

    for i, lesson in enumerate(lessons):
        if lesson.pk in done:
            continue
        sub = getattr(lesson, "substitution", None)
        actor = User.objects.get(pk=sub.substitute_id if sub is not None else teachers[lesson.course_id])
        attempt(lesson_services.lesson_topic_set, actor=actor, lesson=lesson, topic=f"Тема урока № {i + 1}")
        attempt(homework_services.homework_set, actor=actor, lesson=lesson, text="Упражнения по теме урока",
                pages=f"с. {10 + i}–{12 + i}", exercises=f"№ {100 + i}")  # fmt: skip
        work = attempt(work_add, actor=actor, lesson=lesson, work_type=kinds[i % len(kinds)], title="bench")
        if work is not None:
            attempt(mark_set, actor=actor, work=work, pupil_id=pupil.pk, value="345"[i % 3],
                    comment="Хорошо, но можно лучше")  # fmt: skip
        if i < 2 and lesson.date <= day:
            attempt(absence_set, actor=actor, lesson=lesson, pupil=pupil, code=("late", "ill")[i],
                    minutes=(7, None)[i])  # fmt: skip
    client = logged_in("pupil", ctx.password)

    def request():
        return client.get(url)

    request.url, request.username = url, "pupil"
    return request


# Issue 9's and issue 10's scenarios (scenarios_audit) live beside their reports.
from . import (  # noqa: E402, F401
    scenarios_api,
    scenarios_audit,
    scenarios_class,
    scenarios_fill_rate,
    scenarios_sheets,
    scenarios_weekly,
    scenarios_year,
)
