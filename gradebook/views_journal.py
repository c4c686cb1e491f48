"""The course's journal grid (issue 5): the page, its printable twin, and the writes a cell or a column makes.

The page asks the permission layer once (may this user write this course's lessons?) and the grid turns that into
per-cell answers by date comparisons (STYLE: ask once per page). Each write asks `gradebook.change_marks` on the
cell's lesson and calls one service; the services enforce the time rules (R-D01..R-D05, R-D08).
"""

import time

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import school_member_required
from accounts.models import SchoolSettings, User
from accounts.predicates import is_school_member
from attendance.models import LONG, Absence, Code
from attendance.services import AttendanceError, absence_clear, absence_set, attendance_taken
from ejournal.clock import today
from ejournal.http import next_url
from schedule.models import Course, Lesson
from schedule.rules import course_is_open, is_course_teacher

from . import marks as services
from .forms_journal import AttendanceForm, MarkForm, WorkForm
from .grid_html import table_body, table_head
from .models import LessonWork, Mark
from .selectors import attendance_label, course_periods, forecast_of, journal_grid, period_on, pupil_averages
from .services import GradebookError
from .signals import journal_panels, panels

# The course-level twin of `gradebook.change_marks` (may_fill_lesson without a lesson): its teacher, in an open
# year. The lessons given to a substitute are taken out per lesson by the grid (R-C06).
may_edit_course = is_school_member & course_is_open & is_course_teacher


def _course(request, course_id: int) -> Course:
    course = get_object_or_404(
        Course.objects.for_school(request.school).select_related(
            "year", "subject", "school_class", "group__school_class"
        ),
        pk=course_id,
    )
    if not request.user.has_perm("gradebook.view_journal", course):
        raise PermissionDenied
    return course


def _grid_context(request, course: Course) -> dict:
    day = today(request.school.timezone)
    periods = course_periods(course)
    period = None
    wanted = request.GET.get("period", "")
    if wanted.isdigit():
        period = next((p for p in periods if p.pk == int(wanted)), None)
    if period is None:
        period = period_on(periods, day)
    grid = journal_grid(course=course, period=period, day=day)
    may_edit = may_edit_course.test(request.user, course)
    # A substitute writes the lessons given to them (R-C06); the writes ask the grant itself, lesson by lesson.
    substitute = request.user.pk if not course.year.is_archived and any(h.substitute_id for h in grid.lessons) else None
    grid.allow_editing(may_edit_course=may_edit, substitute_id=substitute)
    if may_edit or any(h.editable for h in grid.lessons):
        _lock_reasons(grid)
    return {"course": course, "periods": periods, "period": period, "grid": grid, "today": day}


def _lock_reasons(grid) -> None:
    """Why a column of the course's own teacher is read-only: shown on its cells (once per column, not per cell)."""
    given = _("The lesson was given to a substitute: the substitute enters its marks.")
    for lesson in grid.lessons:
        if lesson.substituted and not lesson.editable:
            lesson.att_lock = given
        elif lesson.editable and not lesson.att_open:
            lesson.att_lock = _(
                "The attendance of this lesson could be changed until %(until)s. A change now needs a late-change "
                "request."
            ) % {"until": date_format(lesson.att_until, "d.m.Y")}
        for column in lesson.columns:
            if column.work_id is None or column.editable:
                continue
            if lesson.substituted and not lesson.editable:
                column.lock_reason = given
            elif not column.open:
                column.lock_reason = _(
                    "Marks of this work could be changed until %(until)s. A change now needs a late-change request."
                ) % {"until": date_format(column.editable_until, "d.m.Y")}


@require_GET
@school_member_required
def journal(request, course_id: int):
    course = _course(request, course_id)
    context = _grid_context(request, course)
    grid = context["grid"]
    if any(h.editable for h in grid.lessons):
        context["work_types"] = grid.work_types
    if grid.can_edit_any:
        context["att_codes"] = [(code, label, LONG[code]) for code, label in Code.choices]
    context["table_head"] = table_head(grid, today=context["today"], can_add=bool(context.get("work_types")))
    context["table_body"] = table_body(grid)
    context["panels"] = panels(journal_panels, request=request, course=course)
    context["can_request_late"] = may_edit_course.test(request.user, course) or any(h.editable for h in grid.lessons)
    context["can_retake"] = request.user.has_perm("gradebook.enter_retake_protocol", course)
    return render(request, "gradebook/journal/grid.html", context)


@require_GET
@school_member_required
def journal_print(request, course_id: int):
    course = _course(request, course_id)
    context = _grid_context(request, course)
    context["grid"].allow_editing(may_edit_course=False)
    return render(request, "gradebook/journal/print.html", context)


# --- Writes --------------------------------------------------------------------------------------------------


def _work(request, work_id: int) -> LessonWork:
    work = get_object_or_404(
        LessonWork.objects.for_school(request.school).select_related(
            "work_type",
            "lesson__course__year",
            "lesson__course__school_class",
            "lesson__course__group__school_class",
            "lesson__substitution",
        ),
        pk=work_id,
    )
    if not request.user.has_perm("gradebook.change_marks", work.lesson):
        raise PermissionDenied
    work.lesson.school = request.school  # the same school (for_school), loaded with its settings by the middleware
    return work


def _cell(request, work: LessonWork, pupil_id: int | None, *, mark: Mark | None, error: str = "", status: int = 200):
    """The saved (or refused) cell with the row's averages: the page swaps them in place of the old ones."""
    course = work.lesson.course
    average = weighted = None
    # When the averages were read: saves of one row answer in any order, and the page keeps the latest reading
    # (it counts every mark committed before it started; an older one may miss a neighbour's).
    read_at = time.time_ns()
    if pupil_id is not None:
        average, weighted = pupil_averages(course=course, day=work.lesson.date, pupil_id=pupil_id)
    forecast = forecast_of(weighted, SchoolSettings.of(request.school).rounding_threshold)
    response = render(
        request,
        "gradebook/journal/_cell.html",
        {
            "work": work,
            "pupil_id": pupil_id,
            "mark": mark,
            "error": error,
            "average": average,
            "weighted": weighted,
            "forecast": forecast,
            "read_at": read_at,
        },
        status=status,
    )
    # The page's script trusts only answers that carry this header (a login page after an expired session does not).
    response["X-Journal-Cell"] = "1"
    return response


@require_POST
@school_member_required
def mark_set(request, work_id: int):
    work = _work(request, work_id)
    form = MarkForm(request.POST)
    if not form.is_valid():
        pupil = form.cleaned_data.get("pupil")
        current = Mark.objects.filter(work=work, pupil_id=pupil).first() if pupil else None
        error = " ".join(str(m) for errors in form.errors.values() for m in errors)
        return _cell(request, work, pupil, mark=current, error=error, status=422)
    pupil_id, value = form.cleaned_data["pupil"], form.cleaned_data["value"]
    comment = form.cleaned_data["comment"] if "comment" in request.POST else None
    try:
        if value:
            saved = services.mark_set(actor=request.user, work=work, pupil_id=pupil_id, value=value, comment=comment)
            mark = saved.mark
        else:
            services.mark_clear(actor=request.user, work=work, pupil_id=pupil_id)
            mark = None
    except GradebookError as e:
        current = Mark.objects.filter(work=work, pupil_id=pupil_id).first()
        return _cell(request, work, pupil_id, mark=current, error=e.message, status=409)
    return _cell(request, work, pupil_id, mark=mark)


# --- Attendance from the grid (R-H01, R-H02, R-H06) ---------------------------------------------------------


def _lesson(request, lesson_id: int, perm: str) -> Lesson:
    lesson = get_object_or_404(
        Lesson.objects.for_school(request.school).select_related(
            "course__year", "course__school_class", "course__group__school_class", "substitution"
        ),
        pk=lesson_id,
    )
    if not request.user.has_perm(perm, lesson):
        raise PermissionDenied
    return lesson


def _attendance(request, lesson: Lesson, pupil_id: int | None, *, error: str = "", status: int = 200):
    """The pupil's attendance on the lesson as stored now (after a refusal: as it was): the page shows it in each
    of the lesson's cells of the pupil's row."""
    absence = Absence.objects.filter(lesson=lesson, pupil_id=pupil_id).first() if pupil_id else None
    label, title = attendance_label(absence.code, absence.minutes) if absence is not None else ("", "")
    response = render(
        request,
        "gradebook/journal/_attendance.html",
        {"lesson": lesson, "pupil_id": pupil_id, "label": label, "title": title, "error": error},
        status=status,
    )
    response["X-Journal-Cell"] = "1"
    return response


@require_POST
@school_member_required
def attendance_set(request, lesson_id: int):
    """One pupil's attendance code on a lesson, typed in the grid; an empty code: the pupil was present."""
    lesson = _lesson(request, lesson_id, "attendance.change_attendance")
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        error = " ".join(str(m) for errors in form.errors.values() for m in errors)
        return _attendance(request, lesson, form.cleaned_data.get("pupil"), error=error, status=422)
    pupil_id, code = form.cleaned_data["pupil"], form.cleaned_data["code"]
    pupil = User.objects.filter(pk=pupil_id).first()
    try:
        if pupil is None:
            raise AttendanceError(_("The pupil is not on the list of this lesson on its date."))
        if code:
            absence_set(actor=request.user, lesson=lesson, pupil=pupil, code=code, minutes=form.cleaned_data["minutes"])
        else:
            absence_clear(actor=request.user, lesson=lesson, pupil=pupil)
    except AttendanceError as e:
        return _attendance(request, lesson, pupil_id, error=e.message, status=409)
    return _attendance(request, lesson, pupil_id)


@require_POST
@school_member_required
def attendance_done(request, lesson_id: int):
    """«Attendance taken»: with no absence marked, everybody was present (R-H01). One click, back to the page."""
    lesson = _lesson(request, lesson_id, "attendance.change_attendance")
    try:
        attendance_taken(actor=request.user, lesson=lesson)
    except AttendanceError as e:
        return _refused(request, lesson, e.message, 409)
    messages.success(
        request,
        _("The attendance of the lesson of %(date)s is taken.") % {"date": date_format(lesson.date, "d.m.Y")},
    )
    return redirect(next_url(request, _back(request, lesson)))


def _back(request, lesson: Lesson) -> str:
    url = reverse("gradebook:journal", args=[lesson.course_id])
    period = period_on(course_periods(lesson.course), lesson.date)
    return f"{url}?period={period.pk}#lesson-{lesson.pk}" if period else url


def _refused(request, lesson: Lesson, error: str, status: int):
    return render(
        request, "gradebook/journal/refused.html", {"error": error, "back": _back(request, lesson)}, status=status
    )


@require_POST
@school_member_required
def work_add(request, lesson_id: int):
    lesson = _lesson(request, lesson_id, "gradebook.change_marks")
    form = WorkForm(request.POST, school=request.school)
    if not form.is_valid():
        return _refused(request, lesson, _("Choose the work type."), 422)
    try:
        data = form.cleaned_data
        work = services.work_add(actor=request.user, lesson=lesson, work_type=data["work_type"], title=data["title"])
    except GradebookError as e:
        return _refused(request, lesson, e.message, 409)
    messages.success(request, _("The column «%(work)s» is added.") % {"work": work})
    return redirect(_back(request, lesson))


@require_http_methods(["GET", "POST"])
@school_member_required
def work_edit(request, work_id: int):
    """A column's kind and title (R-E01): its marks keep their values and follow the new kind's windows."""
    work = _work(request, work_id)
    lesson = work.lesson
    form = WorkForm(
        request.POST if request.method == "POST" else None,
        school=request.school,
        initial={"work_type": work.work_type_id, "title": work.title},
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.work_update(actor=request.user, work=work, work_type=data["work_type"], title=data["title"])
            except GradebookError as e:
                form.add_error(None, e.message)
                status = 409
            else:
                messages.success(request, _("The column «%(work)s» is changed.") % {"work": work})
                return redirect(_back(request, lesson))
    context = {"work": work, "lesson": lesson, "course": lesson.course, "form": form, "back": _back(request, lesson)}
    return render(request, "gradebook/journal/work_edit.html", context, status=status)


@require_POST
@school_member_required
def work_remove(request, work_id: int):
    work = _work(request, work_id)
    try:
        services.work_remove(actor=request.user, work=work)
    except GradebookError as e:
        return _refused(request, work.lesson, e.message, 409)
    messages.success(request, _("The column «%(work)s» is removed.") % {"work": work})
    return redirect(_back(request, work.lesson))
