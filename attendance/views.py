"""Attendance pages: the class teacher's daily attendance of the class (R-H04), one pupil's mark on one lesson (set or
cleared, R-H01, R-H03), and notices of one or several days (R-H03, R-H05). Rules live in the services and in
rules.py; these views only ask and call."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import school_member_required
from accounts.models import User
from ejournal.clock import today
from ejournal.http import next_url
from schedule.forms_lessons import parse_day
from schedule.models import Lesson, SchoolClass
from schedule.windows import lesson_window

from . import services
from .forms import AbsenceClearForm, AbsenceForm, NoticeForm, code_choices
from .models import Absence, AbsenceNotice, Code
from .selectors import Cell, Column, class_day
from .services import AttendanceError, lock_reason, school_settings

CODES = code_choices(Code)


def _class(request, class_id: int) -> SchoolClass:
    """The class through the school's scope: another school's class is 404."""
    return get_object_or_404(
        SchoolClass.objects.for_school(request.school).select_related("year", "class_teacher"), pk=class_id
    )


def _lesson(request, lesson_id: int) -> Lesson:
    return get_object_or_404(
        Lesson.objects.for_school(request.school).select_related(
            "course__subject", "course__year", "course__school_class", "course__group", "substitution", "school"
        ),
        pk=lesson_id,
    )


def _next(request, default: str) -> str:
    return next_url(request, default)


def day_url(school_class_id: int, day: datetime.date) -> str:
    return f"{reverse('attendance:class_day', args=[school_class_id])}?date={day.isoformat()}"


def _school_day(day: datetime.date, step: int) -> datetime.date:
    """The day before or after, skipping Sunday."""
    day += datetime.timedelta(days=step)
    return day + datetime.timedelta(days=step) if day.isoweekday() == 7 else day


def _page(request, school_class: SchoolClass, day: datetime.date, *, status=200, error="", notice_form=None):
    user = request.user
    settings = school_settings(request.school.pk)
    now_day = today(request.school.timezone)
    data = class_day(school_class=school_class, day=day, settings=settings, today=now_day)
    # Asked once per lesson (a handful a day), never per cell (STYLE).
    for column in data.columns:
        column.can_edit = user.has_perm("attendance.change_attendance", column.lesson)
    can_notice = user.has_perm("attendance.record_notice", school_class) and not school_class.year.is_archived
    if can_notice and notice_form is None:
        notice_form = NoticeForm(school_class=school_class, initial={"start": day, "end": day})
    context = {
        "school_class": school_class,
        "data": data,
        "day": day,
        "today": now_day,
        "previous_day": _school_day(day, -1),
        "next_day": _school_day(day, 1),
        "here": day_url(school_class.pk, day),
        "can_notice": can_notice,
        "notice_form": notice_form if can_notice else None,
        "error": error,
        "year_closed": school_class.year.is_archived,
        "codes": CODES,
    }
    return render(request, "attendance/class_day.html", context, status=status)


@require_GET
@school_member_required
def class_day_page(request, class_id: int):
    """Pupils of the class on the day × the day's lessons, each cell with the pupil's code (R-H04)."""
    school_class = _class(request, class_id)
    if not request.user.has_perm("attendance.view_class_attendance", school_class):
        raise PermissionDenied
    day = parse_day(request.GET.get("date")) or today(request.school.timezone)
    return _page(request, school_class, day)


# --- One pupil on one lesson ---------------------------------------------------------------------------------


def _editable(request, lesson_id: int) -> Lesson:
    lesson = _lesson(request, lesson_id)
    if not request.user.has_perm("attendance.change_attendance", lesson):
        raise PermissionDenied
    return lesson


def _cell(lesson: Lesson, pupil: User) -> Cell:
    """One cell of the class's day, read again after a change (for htmx)."""
    window = lesson_window(lesson, school_settings(lesson.school_id))
    lock = lock_reason(lesson, window, today(lesson.school.timezone))
    column = Column(lesson=lesson, window=window, lock=lock, can_edit=True)
    absence = Absence.objects.filter(lesson=lesson, pupil=pupil).first()
    return Cell(column=column, pupil=pupil, on_list=True, absence=absence)


def _back(request, lesson: Lesson) -> str:
    school_class = lesson.course.school_class
    if school_class is not None and request.user.has_perm("attendance.view_class_attendance", school_class):
        default = day_url(school_class.pk, lesson.date)
    else:
        default = reverse("schedule:lesson_detail", args=[lesson.pk])
    return _next(request, default)


def _refused(request, lesson: Lesson, pupil: User | None, error: str):
    """A refused change: the cell with its reason for htmx, else a page with the reason; 422 either way."""
    if request.htmx and pupil is not None:
        context = {"cell": _cell(lesson, pupil), "error": error, "here": _next(request, ""), "codes": CODES}
        return render(request, "attendance/_cell.html", context, status=422)
    context = {"error": error, "back": _back(request, lesson), "lesson": lesson}
    return render(request, "attendance/refused.html", context, status=422)


def _done(request, lesson: Lesson, pupil: User, message: str):
    if request.htmx:
        context = {"cell": _cell(lesson, pupil), "here": _next(request, ""), "codes": CODES}
        return render(request, "attendance/_cell.html", context)
    messages.success(request, message)
    return redirect(_back(request, lesson))


def _form_error(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@require_POST
@school_member_required
def absence_set(request, lesson_id: int):
    lesson = _editable(request, lesson_id)
    form = AbsenceForm(request.POST, school_id=request.school.pk)
    if not form.is_valid():
        return _refused(request, lesson, form.cleaned_data.get("pupil"), _form_error(form))
    data = form.cleaned_data
    try:
        absence = services.absence_set(
            actor=request.user,
            lesson=lesson,
            pupil=data["pupil"],
            code=data["code"],
            minutes=data["minutes"],
            note=data["note"],
        )
    except AttendanceError as e:
        return _refused(request, lesson, data["pupil"], e.message)
    message = _("%(pupil)s: %(code)s on the lesson of %(date)s.") % {
        "pupil": data["pupil"].get_full_name(),
        "code": absence.label,
        "date": date_format(lesson.date, "d.m.Y"),
    }
    return _done(request, lesson, data["pupil"], message)


@require_POST
@school_member_required
def absence_clear(request, lesson_id: int):
    """The pupil was in fact present (seed 002 §1.2)."""
    lesson = _editable(request, lesson_id)
    form = AbsenceClearForm(request.POST, school_id=request.school.pk)
    if not form.is_valid():
        return _refused(request, lesson, None, _form_error(form))
    pupil = form.cleaned_data["pupil"]
    try:
        services.absence_clear(actor=request.user, lesson=lesson, pupil=pupil)
    except AttendanceError as e:
        return _refused(request, lesson, pupil, e.message)
    message = _("%(pupil)s was present on the lesson of %(date)s.") % {
        "pupil": pupil.get_full_name(),
        "date": date_format(lesson.date, "d.m.Y"),
    }
    return _done(request, lesson, pupil, message)


# --- Notices of one or several days ----------------------------------------------------------------------------


@require_POST
@school_member_required
def notice_add(request, class_id: int):
    school_class = _class(request, class_id)
    if not request.user.has_perm("attendance.record_notice", school_class):
        raise PermissionDenied
    form = NoticeForm(request.POST, school_class=school_class)
    day = parse_day(request.POST.get("date")) or today(request.school.timezone)
    if form.is_valid():
        data = form.cleaned_data
        try:
            notice = services.absence_notice_create(actor=request.user, school_class=school_class, **data)
        except AttendanceError as e:
            form.add_error(None, e.message)
        else:
            count = notice.lessons_filled
            messages.success(
                request,
                ngettext(
                    "The absence is recorded: %(count)s lesson is marked.",
                    "The absence is recorded: %(count)s lessons are marked.",
                    count,
                )
                % {"count": count},
            )
            return redirect(_next(request, day_url(school_class.pk, day)))
    return _page(request, school_class, day, status=422, notice_form=form)


@require_POST
@school_member_required
def notice_delete(request, notice_id: int):
    notice = get_object_or_404(
        AbsenceNotice.objects.for_school(request.school).select_related("school_class__year", "school_class__school"),
        pk=notice_id,
    )
    school_class = notice.school_class
    if not request.user.has_perm("attendance.record_notice", school_class):
        raise PermissionDenied
    day = parse_day(request.POST.get("date")) or notice.start
    try:
        removed = services.absence_notice_delete(actor=request.user, notice=notice)
    except AttendanceError as e:
        return _page(request, school_class, day, status=422, error=e.message)
    messages.success(
        request,
        ngettext(
            "The notice is deleted with its %(count)s absence.",
            "The notice is deleted with its %(count)s absences.",
            removed,
        )
        % {"count": removed},
    )
    return redirect(_next(request, day_url(school_class.pk, day)))
