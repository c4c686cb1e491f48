"""Lessons in the journal: generating them from the timetable, one lesson's page (topic and form, R-C09, R-C12),
its moves, cancellations (R-C05) and extra lessons, and substitutions: the day's page, one lesson's substitute and
the log (R-C04, R-C06, R-C07). Rules live in the services and in rules.py; these views only ask and call."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import school_member_required, school_permission_required
from ejournal.clock import today
from ejournal.http import next_url

from .forms_homework import HomeworkFileForm, HomeworkForm
from .forms_lessons import CancelForm, ExtraLessonForm, GenerateForm, MoveForm, SubstitutionForm, TopicForm, parse_day
from .models import Course, Homework, Lesson
from .selectors import current_year
from .selectors_lessons import (
    by_class,
    by_teacher,
    day_overview,
    decorate,
    lesson_changes,
    lesson_pupils,
    lessons_with_details,
    school_teachers,
    substitute_candidates,
)
from .selectors_lessons import substitution_log as log_rows
from .services import ScheduleError
from .services import lessons as services
from .services import timetable as timetable_services


def _next(request, default: str) -> str:
    return next_url(request, default)


def _detail_url(lesson: Lesson) -> str:
    return reverse("schedule:lesson_detail", args=[lesson.pk])


# --- Generating lessons ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@school_permission_required("schedule.generate_lessons")
def lessons_generate(request):
    year = current_year(school=request.school, day=today(request.school.timezone))
    form = GenerateForm(request.POST if request.method == "POST" else None, year=year) if year else None
    context = {"year": year, "form": form}
    if year is not None:
        context["generated_until"] = Lesson.objects.filter(course__year=year, entry__isnull=False).aggregate(
            m=Max("slot_date")
        )["m"]
    if request.method == "GET":
        return render(request, "schedule/lessons/generate.html", context)
    if year is None:
        context["error"] = _("Create the academic year first.")
        return render(request, "schedule/lessons/generate.html", context, status=422)
    if form.is_valid():
        data = form.cleaned_data
        period, school_class = data["period"], data["school_class"]
        try:
            if period is not None and school_class is None:
                result = timetable_services.lessons_generate_period(actor=request.user, period=period)
            else:
                start, end = (period.start, period.end) if period is not None else (data["start"], data["end"])
                result = timetable_services.lessons_generate(
                    actor=request.user, year=year, start=start, end=end, school_class=school_class
                )
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(
                request,
                _(
                    "Lessons created: %(created)s. Already there and left as they were: %(existing)s. "
                    "Not created because of the holidays: %(holidays)s."
                )
                % {"created": result.created, "existing": result.existing, "holidays": result.holidays},
            )
            return redirect("schedule:lessons_generate")
    return render(request, "schedule/lessons/generate.html", context, status=422)


# --- One lesson ------------------------------------------------------------------------------------------------


def _lesson(request, lesson_id: int) -> Lesson:
    """The lesson through the school's scope (another school's lesson is 404), with what its page and the
    permission rules read."""
    return get_object_or_404(lessons_with_details(request.school).select_related("plan_item"), pk=lesson_id)


def _viewable(request, lesson_id: int) -> Lesson:
    lesson = _lesson(request, lesson_id)
    if not request.user.has_perm("schedule.view_lesson", lesson):
        raise PermissionDenied
    return lesson


def _detail(request, lesson: Lesson, *, status: int = 200, error: str = "", **forms):
    """The lesson's page; a refused change re-renders it with its form and the reason (422)."""
    user = request.user
    decorate([lesson])  # lesson.time, lesson.sub, lesson.teacher_list
    can_fill = user.has_perm("schedule.fill_lesson", lesson)
    can_change = user.has_perm("schedule.change_timetable", lesson)
    can_substitute = user.has_perm("schedule.change_substitutions", lesson)
    cancelled = lesson.status == Lesson.Status.CANCELLED
    context = {
        "lesson": lesson,
        "course": lesson.course,
        "cancelled": cancelled,
        "pupils": lesson_pupils(lesson),
        "changes": lesson_changes(lesson),
        "can_fill": can_fill,
        "can_change": can_change,
        "can_substitute": can_substitute and not cancelled,
        "error": error,
    }
    # The journal's side of the lesson: its grid, and the attendance taken in one click (R-H01).
    if user.has_perm("gradebook.view_journal", lesson.course):
        context["journal_url"] = reverse("gradebook:journal", args=[lesson.course_id]) + f"#lesson-{lesson.pk}"
    context["attendance_taken"] = getattr(lesson, "attendance_taken", None)
    context["can_take_attendance"] = (
        not cancelled
        and context["attendance_taken"] is None
        and lesson.date <= today(request.school.timezone)
        and user.has_perm("attendance.change_attendance", lesson)
    )
    homework = Homework.objects.filter(lesson=lesson).select_related("due_lesson").prefetch_related("files").first()
    context["homework"] = homework
    if can_fill:
        context["topic_form"] = forms.get("topic_form") or TopicForm(
            initial={"topic": lesson.topic, "form": lesson.form}
        )
        initial = (
            {"text": homework.text, "pages": homework.pages, "exercises": homework.exercises,
             "due_lesson": homework.due_lesson_id, "minutes": homework.minutes}
            if homework
            else {}
        )  # fmt: skip
        context["homework_form"] = forms.get("homework_form") or HomeworkForm(lesson=lesson, initial=initial)
        context["file_form"] = forms.get("file_form") or HomeworkFileForm()
    if can_change:
        context["cancel_form"] = forms.get("cancel_form") or CancelForm()
    if context["can_substitute"]:
        day_lessons, day_times = day_overview(request.school, lesson.date)
        context["candidates"] = substitute_candidates(lesson, day_lessons, day_times)
        context["substitution_form"] = forms.get("substitution_form") or SubstitutionForm(
            teachers=school_teachers(request.school)
        )
    return render(request, "schedule/lessons/detail.html", context, status=status)


@require_GET
@school_member_required
def lesson_detail(request, lesson_id: int):
    return _detail(request, _viewable(request, lesson_id))


@require_POST
@school_member_required
def lesson_topic(request, lesson_id: int):
    """The topic and the form of the lesson (R-C09, R-C12): the course's teacher, or the substitute (R-C06)."""
    lesson = _lesson(request, lesson_id)
    if not request.user.has_perm("schedule.fill_lesson", lesson):
        raise PermissionDenied
    form = TopicForm(request.POST)
    if form.is_valid():
        try:
            services.lesson_topic_set(
                actor=request.user, lesson=lesson, topic=form.cleaned_data["topic"], form=form.cleaned_data["form"]
            )
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The lesson's topic is saved."))
            return redirect(_next(request, _detail_url(lesson)))
    return _detail(request, lesson, status=422, topic_form=form)


def _changeable(request, lesson_id: int) -> Lesson:
    lesson = _lesson(request, lesson_id)
    if not request.user.has_perm("schedule.change_timetable", lesson):
        raise PermissionDenied
    return lesson


@require_http_methods(["GET", "POST"])
@school_member_required
def lesson_move(request, lesson_id: int):
    """Another day, lesson number or room for this one lesson; the timetable stays as it is."""
    lesson = _changeable(request, lesson_id)
    initial = {"date": lesson.date, "number": lesson.number, "room": lesson.room}
    form = MoveForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.lesson_move(actor=request.user, lesson=lesson, **form.cleaned_data)
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The lesson is moved."))
            return redirect(_detail_url(lesson))
    decorate([lesson])
    return render(
        request,
        "schedule/lessons/move.html",
        {"lesson": lesson, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@school_member_required
def lesson_cancel(request, lesson_id: int):
    """R-C05: the lesson leaves the journal and is shown as cancelled, with the reason."""
    lesson = _changeable(request, lesson_id)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.lesson_cancel(actor=request.user, lesson=lesson, reason=form.cleaned_data["reason"])
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The lesson is cancelled."))
            return redirect(_next(request, _detail_url(lesson)))
    return _detail(request, lesson, status=422, cancel_form=form)


@require_POST
@school_member_required
def lesson_restore(request, lesson_id: int):
    lesson = _changeable(request, lesson_id)
    try:
        services.lesson_restore(actor=request.user, lesson=lesson)
    except ScheduleError as e:
        return _detail(request, lesson, status=422, error=e.message)
    messages.success(request, _("The lesson is back in the timetable."))
    return redirect(_next(request, _detail_url(lesson)))


@require_POST
@school_member_required
def lesson_delete(request, lesson_id: int):
    """Only an extra lesson with nothing recorded in it; a timetable lesson is cancelled instead."""
    lesson = _changeable(request, lesson_id)
    try:
        services.lesson_delete(actor=request.user, lesson=lesson)
    except ScheduleError as e:
        return _detail(request, lesson, status=422, error=e.message)
    messages.success(request, _("The extra lesson is deleted."))
    course = lesson.course
    default = reverse("schedule:class_detail", args=[course.school_class_id]) if course.school_class_id else "/"
    return redirect(_next(request, default))


@require_http_methods(["GET", "POST"])
@school_member_required
def lesson_add(request, course_id: int):
    """An extra lesson of the course outside the timetable: a make-up lesson, a consultation."""
    course = get_object_or_404(
        Course.objects.for_school(request.school).select_related("year", "subject", "school_class", "group"),
        pk=course_id,
    )
    if not request.user.has_perm("schedule.change_timetable", course):
        raise PermissionDenied
    form = ExtraLessonForm(request.POST if request.method == "POST" else None, initial={"number": 1})
    if request.method == "POST" and form.is_valid():
        try:
            lesson = services.lesson_add(actor=request.user, course=course, **form.cleaned_data)
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The extra lesson is added."))
            return redirect(_detail_url(lesson))
    return render(
        request,
        "schedule/lessons/add.html",
        {"course": course, "form": form},
        status=422 if request.method == "POST" else 200,
    )


# --- Substitutions ----------------------------------------------------------------------------------------------


def _substitution_target(request, lesson_id: int) -> Lesson:
    lesson = _lesson(request, lesson_id)
    if not request.user.has_perm("schedule.change_substitutions", lesson):
        raise PermissionDenied
    return lesson


@require_POST
@school_member_required
def substitution_set(request, lesson_id: int):
    """R-C04: another teacher takes the lesson and fills its journal as its own teacher would (R-C06)."""
    lesson = _substitution_target(request, lesson_id)
    form = SubstitutionForm(request.POST, teachers=school_teachers(request.school))
    if form.is_valid():
        substitute = form.cleaned_data["substitute"]
        try:
            services.substitution_set(
                actor=request.user, lesson=lesson, substitute=substitute, reason=form.cleaned_data["reason"]
            )
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(
                request, _("%(teacher)s substitutes on the lesson.") % {"teacher": substitute.get_full_name()}
            )
            return redirect(_next(request, _detail_url(lesson)))
    return _detail(request, lesson, status=422, substitution_form=form)


@require_POST
@school_member_required
def substitution_remove(request, lesson_id: int):
    lesson = _substitution_target(request, lesson_id)
    try:
        services.substitution_remove(actor=request.user, lesson=lesson)
    except ScheduleError as e:
        return _detail(request, lesson, status=422, error=e.message)
    messages.success(request, _("The substitution is removed: the course's teacher takes the lesson back."))
    return redirect(_next(request, _detail_url(lesson)))


def _day_param(request) -> tuple[datetime.date, str]:
    """The day asked for in `?date=` (today by default) and an error when the value is not a date."""
    day = today(request.school.timezone)
    raw = request.GET.get("date")
    if not raw:
        return day, ""
    parsed = parse_day(raw)
    if parsed is None:
        return day, _("«%(value)s» is not a date: today is shown.") % {"value": raw[:20]}
    return parsed, ""


@require_GET
@school_permission_required("schedule.view_substitutions")
def substitutions(request):
    """The school's lessons of a day, by teacher or by class, each with its substitute or its cancellation; the
    admin (and the deputy where allowed) picks a lesson to substitute or cancel it."""
    day, error = _day_param(request)
    by = "class" if request.GET.get("by") == "class" else "teacher"
    lessons, times = day_overview(request.school, day)
    rows = by_class(lessons) if by == "class" else by_teacher(lessons)
    can_change = request.user.has_perm("schedule.change_substitutions")
    picked = None
    context = {
        "day": day,
        "by": by,
        "rows": rows,
        "lesson_count": len(lessons),
        "substituted": sum(1 for lesson in lessons if lesson.sub is not None),
        "cancelled": sum(1 for lesson in lessons if lesson.status == Lesson.Status.CANCELLED),
        "can_change": can_change,
        "error": error,
        "yesterday": day - datetime.timedelta(days=1),
        "tomorrow": day + datetime.timedelta(days=1),
        "today": today(request.school.timezone),
    }
    pick = request.GET.get("pick", "")
    if can_change and pick.isdigit():
        picked = next((lesson for lesson in lessons if lesson.pk == int(pick)), None)
    if picked is not None:
        context["picked"] = picked
        context["picked_cancelled"] = picked.status == Lesson.Status.CANCELLED
        context["can_cancel"] = request.user.has_perm("schedule.change_timetable", picked)
        if not context["picked_cancelled"]:
            context["candidates"] = substitute_candidates(picked, lessons, times)
    back = f"{reverse('schedule:substitutions')}?date={day:%Y-%m-%d}&by={by}"
    context["back"] = back
    return render(request, "schedule/lessons/substitutions.html", context, status=422 if error else 200)


@require_GET
@school_permission_required("schedule.view_substitutions")
def substitution_log(request):
    """R-C07: every substitution of the dates, with the absent teacher, the substitute, the reason, who recorded it
    and when. By default the current academic year."""
    day = today(request.school.timezone)
    year = current_year(school=request.school, day=day)
    default_start = year.start if year else day - datetime.timedelta(days=30)
    default_end = year.end if year else day
    errors = []
    bounds = []
    for key, default in (("from", default_start), ("to", default_end)):
        raw = request.GET.get(key, "")
        value = parse_day(raw) if raw else default
        if value is None:
            errors.append(_("«%(value)s» is not a date.") % {"value": raw[:20]})
            value = default
        bounds.append(value)
    start, end = bounds
    if end < start:
        errors.append(_("The last day cannot be before the first."))
        start, end = default_start, default_end
    rows = log_rows(request.school, start, end)
    return render(
        request,
        "schedule/lessons/substitution_log.html",
        {"rows": rows, "start": start, "end": end, "errors": errors},
        status=422 if errors else 200,
    )
