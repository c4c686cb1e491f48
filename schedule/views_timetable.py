"""The timetable: a class's editor on a date (R-C01, R-C03), the week of actual lessons of a class, a teacher or a
room with its printable PDF, and an index of them all.

Editing happens in the editor's side panel: htmx loads a cell's or an entry's form into it and posts it, getting the
editor back as a partial; without JavaScript the same links and forms work as plain GET and POST + redirect."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import school_permission_required
from ejournal.clock import today

from .forms_timetable import EntryAddForm, EntryChangeForm, EntryEndForm, course_label, parse_date
from .models import SchoolClass, TimetableEntry, Weekday
from .pdf import render_week_pdf
from .selectors import current_year
from .selectors_timetable import (
    class_courses,
    class_timetable,
    class_week,
    monday_of,
    room_week,
    rooms_in_use,
    school_teachers,
    teacher_week,
    timetable_readiness,
    year_classes,
)
from .services import ScheduleError
from .services import timetable as services


def _d(day: datetime.date) -> str:
    return date_format(day, "d.m.Y")


def _today(request) -> datetime.date:
    return today(request.school.timezone)


def _class(request, class_id: int) -> SchoolClass:
    return get_object_or_404(
        SchoolClass.objects.for_school(request.school).select_related("year", "class_teacher", "bell_schedule"),
        pk=class_id,
    )


def _can_edit(request, school_class: SchoolClass) -> bool:
    return not school_class.year.is_archived and request.user.has_perm("schedule.change_timetable", school_class)


def _shown_day(request, school_class: SchoolClass, source) -> datetime.date:
    """The date the editor shows: `?date=`, else today, kept inside the class's year."""
    day = parse_date(source.get("date"))
    if day is None:
        day = min(max(_today(request), school_class.year.start), school_class.year.end)
    return day


def _editor_url(school_class: SchoolClass, day: datetime.date) -> str:
    return f"{reverse('schedule:timetable_class', args=[school_class.pk])}?date={day.isoformat()}"


def _int(value: str | None, low: int, high: int) -> int | None:
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        return None
    return int(value) if low <= int(value) <= high else None


def _entry_text(entry: TimetableEntry) -> str:
    return _("%(day)s, lesson %(number)s: %(course)s") % {
        "day": Weekday(entry.weekday).label,
        "number": entry.number,
        "course": course_label(entry.course),
    }


def _editor(
    request,
    school_class: SchoolClass,
    day: datetime.date,
    *,
    add_form: EntryAddForm | None = None,
    entry: TimetableEntry | None = None,
    change_form: EntryChangeForm | None = None,
    end_form: EntryEndForm | None = None,
    error: str = "",
    notice: str = "",
    status: int = 200,
):
    """The editor page, or only its editable part for htmx (the grid, the panel, the changes and the hours)."""
    timetable = class_timetable(school_class=school_class, day=day)
    can_edit = _can_edit(request, school_class)
    if can_edit and request.method == "GET":
        entry_id = _int(request.GET.get("entry"), 1, 2**63)
        entry = timetable.entries.get(entry_id) if entry_id else None
        if (
            entry is not None
            and entry.course.school_class_id is None
            and not request.user.has_perm("schedule.change_school_timetable")
        ):
            entry = None  # a group across classes: the admin's or the deputy's
    if can_edit and entry is not None:
        if change_form is None:
            change_form = EntryChangeForm(entry=entry, courses=_courses(request, school_class))
            change_form.initial["from_date"] = max(day, entry.valid_from)
        if end_form is None:
            end_form = EntryEndForm(initial={"from_date": max(day, entry.valid_from)})
    elif can_edit and add_form is None:
        initial = {
            "valid_from": day,
            "weekday": _int(request.GET.get("weekday"), 1, 6),
            "number": _int(request.GET.get("number"), 0, services.MAX_LESSON_NUMBER),
        }
        add_form = EntryAddForm(courses=_courses(request, school_class), initial=initial)
    context = {
        "school_class": school_class,
        "day": day,
        "timetable": timetable,
        "can_edit": can_edit,
        "add_form": add_form if can_edit and entry is None else None,
        "entry": entry if can_edit else None,
        "entry_text": _entry_text(entry) if can_edit and entry is not None else "",
        "change_form": change_form,
        "end_form": end_form,
        "error": error,
        "notice": notice,
        "editor_url": reverse("schedule:timetable_class", args=[school_class.pk]),
        "rooms": rooms_in_use(school=request.school, year=school_class.year) if can_edit else [],
        "previous_week": day - datetime.timedelta(days=7),
        "next_week": day + datetime.timedelta(days=7),
    }
    template = "schedule/timetable/_editor.html" if request.htmx else "schedule/timetable/class.html"
    return render(request, template, context, status=status)


@require_GET
@school_permission_required("schedule.view_timetable")
def timetable_class(request, class_id: int):
    """A class's timetable in force on a date, with the changes planned after it and the hours check (R-C01)."""
    school_class = _class(request, class_id)
    return _editor(request, school_class, _shown_day(request, school_class, request.GET))


def _class_to_edit(request, class_id: int) -> SchoolClass:
    school_class = _class(request, class_id)
    if not request.user.has_perm("schedule.change_timetable", school_class):
        raise PermissionDenied
    return school_class


def _courses(request, school_class: SchoolClass):
    """The courses a form offers: a class teacher does not place the lessons of a group across classes."""
    return class_courses(school_class, across=request.user.has_perm("schedule.change_school_timetable"))


def _entry_to_edit(request, entry_id: int) -> tuple[TimetableEntry, SchoolClass]:
    """The entry and the class whose editor it is changed from: its own class, or for a group across classes the
    class the form was posted from (such an entry is the whole school's, edited by the admin or the deputy)."""
    entry = get_object_or_404(
        TimetableEntry.objects.for_school(request.school).select_related(
            "course__subject",
            "course__group",
            "course__year",
            "course__school_class__year",
            "course__school_class__class_teacher",
            "course__school_class__bell_schedule",
        ),
        pk=entry_id,
    )
    if entry.course.school_class_id is None:
        school_class = _class(request, _int(request.POST.get("class"), 1, 2**63) or 0)
        if not request.user.has_perm("schedule.change_school_timetable"):
            raise PermissionDenied
        return entry, school_class
    if not request.user.has_perm("schedule.change_timetable", entry.course.school_class):
        raise PermissionDenied
    return entry, entry.course.school_class


def _done(request, school_class: SchoolClass, day: datetime.date, message: str):
    if request.htmx:
        return _editor(request, school_class, day, notice=message)
    messages.success(request, message)
    return redirect(_editor_url(school_class, day))


@require_POST
@school_permission_required("schedule.view_timetable")
def timetable_entry_add(request, class_id: int):
    school_class = _class_to_edit(request, class_id)
    day = _shown_day(request, school_class, request.POST)
    form = EntryAddForm(request.POST, courses=_courses(request, school_class))
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.timetable_entry_add(
                actor=request.user,
                course=data["course"],
                weekday=data["weekday"],
                number=data["number"],
                room=data["room"],
                valid_from=data["valid_from"],
            )
        except ScheduleError as e:
            error = e.message
        else:
            message = _("Added from %(date)s: %(entry)s.") % {"date": _d(entry.valid_from), "entry": _entry_text(entry)}
            return _done(request, school_class, day, message)
    return _editor(request, school_class, day, add_form=form, error=error, status=422)


@require_POST
@school_permission_required("schedule.view_timetable")
def timetable_entry_change(request, entry_id: int):
    entry, school_class = _entry_to_edit(request, entry_id)
    day = _shown_day(request, school_class, request.POST)
    form = EntryChangeForm(request.POST, entry=entry, courses=_courses(request, school_class))
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            new = services.timetable_entry_change(
                actor=request.user,
                entry=entry,
                from_date=data["from_date"],
                course=data["course"],
                weekday=data["weekday"],
                number=data["number"],
                room=data["room"],
            )
        except ScheduleError as e:
            # Nothing was written; the entry is read again (a failed change may have touched the object).
            error = e.message
            entry, _class_shown = _entry_to_edit(request, entry_id)
        else:
            message = _("Changed from %(date)s: %(entry)s.") % {"date": _d(new.valid_from), "entry": _entry_text(new)}
            return _done(request, school_class, day, message)
    return _editor(request, school_class, day, entry=entry, change_form=form, error=error, status=422)


@require_POST
@school_permission_required("schedule.view_timetable")
def timetable_entry_end(request, entry_id: int):
    entry, school_class = _entry_to_edit(request, entry_id)
    day = _shown_day(request, school_class, request.POST)
    form = EntryEndForm(request.POST)
    error = ""
    if form.is_valid():
        text = _entry_text(entry)
        from_date = form.cleaned_data["from_date"]
        try:
            removed = services.timetable_entry_end(actor=request.user, entry=entry, from_date=from_date)
        except ScheduleError as e:
            error = e.message
            entry, _class_shown = _entry_to_edit(request, entry_id)
        else:
            message = _("Removed from %(date)s: %(entry)s.") % {"date": _d(from_date), "entry": text}
            if removed:
                message += " " + ngettext(
                    "%(count)d planned lesson with nothing recorded in it was removed.",
                    "%(count)d planned lessons with nothing recorded in them were removed.",
                    removed,
                ) % {"count": removed}
            return _done(request, school_class, day, message)
    return _editor(request, school_class, day, entry=entry, end_form=form, error=error, status=422)


# --- Weeks of actual lessons -------------------------------------------------------------------------------------


def _monday(request) -> datetime.date:
    return monday_of(parse_date(request.GET.get("week")) or _today(request))


def _week_page(request, *, scope: str, title: str, week, url: str, query: dict | None = None, **extra):
    query = query or {}

    def link(monday: datetime.date) -> str:
        return f"{url}?{urlencode({**query, 'week': monday.isoformat()})}"

    context = {
        "scope": scope,
        "title": title,
        "week": week,
        "previous_url": link(week.previous),
        "next_url": link(week.next),
        "this_week_url": f"{url}?{urlencode(query)}" if query else url,
        "is_this_week": week.monday == monday_of(_today(request)),
        **extra,
    }
    return render(request, "schedule/timetable/week.html", context)


def _pdf(*, request, title: str, scope: str, week, filename: str) -> HttpResponse:
    content = render_week_pdf(school=request.school, title=title, scope=scope, week=week, printed=_today(request))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}-{week.monday.isoformat()}.pdf"'
    return response


def _class_title(school_class: SchoolClass) -> str:
    return _("Class %(name)s") % {"name": school_class}


@require_GET
@school_permission_required("schedule.view_timetable")
def week_class(request, class_id: int):
    school_class = _class(request, class_id)
    week = class_week(school=request.school, school_class=school_class, monday=_monday(request))
    return _week_page(
        request,
        scope="class",
        title=_class_title(school_class),
        week=week,
        url=reverse("schedule:week_class", args=[school_class.pk]),
        school_class=school_class,
        pdf_url=f"{reverse('schedule:week_class_pdf', args=[school_class.pk])}?week={week.monday.isoformat()}",
        editor_url=_editor_url(school_class, week.monday),
    )


@require_GET
@school_permission_required("schedule.view_timetable")
def week_class_pdf(request, class_id: int):
    school_class = _class(request, class_id)
    week = class_week(school=request.school, school_class=school_class, monday=_monday(request))
    return _pdf(request=request, title=_class_title(school_class), scope="class", week=week,
                filename=f"timetable-class-{school_class.pk}")  # fmt: skip


def _teacher(request, user_id: int):
    return get_object_or_404(school_teachers(request.school), pk=user_id)


@require_GET
@school_permission_required("schedule.view_timetable")
def week_teacher(request, user_id: int):
    teacher = _teacher(request, user_id)
    week = teacher_week(school=request.school, teacher=teacher, monday=_monday(request))
    return _week_page(
        request,
        scope="teacher",
        title=teacher.get_full_name() or teacher.username,
        week=week,
        url=reverse("schedule:week_teacher", args=[teacher.pk]),
        teacher=teacher,
        pdf_url=f"{reverse('schedule:week_teacher_pdf', args=[teacher.pk])}?week={week.monday.isoformat()}",
    )


@require_GET
@school_permission_required("schedule.view_timetable")
def week_teacher_pdf(request, user_id: int):
    teacher = _teacher(request, user_id)
    week = teacher_week(school=request.school, teacher=teacher, monday=_monday(request))
    return _pdf(request=request, title=teacher.get_full_name() or teacher.username, scope="teacher", week=week,
                filename=f"timetable-teacher-{teacher.pk}")  # fmt: skip


def _room(request) -> str:
    return " ".join(request.GET.get("room", "").split())[:30]


def _room_title(room: str) -> str:
    return _("Room %(room)s") % {"room": room}


@require_GET
@school_permission_required("schedule.view_timetable")
def week_room(request):
    """A room's week; the picker offers the rooms of the year's timetable and of the week's lessons."""
    room, monday = _room(request), _monday(request)
    rooms = rooms_in_use(school=request.school, year=current_year(school=request.school, day=monday), monday=monday)
    if not room:
        return render(
            request, "schedule/timetable/rooms.html", {"rooms": rooms, "monday": monday, "week_param": monday}
        )
    week = room_week(school=request.school, room=room, monday=monday)
    return _week_page(
        request,
        scope="room",
        title=_room_title(room),
        week=week,
        url=reverse("schedule:week_room"),
        query={"room": room},
        room=room,
        rooms=rooms,
        pdf_url=f"{reverse('schedule:week_room_pdf')}?{urlencode({'room': room, 'week': week.monday.isoformat()})}",
    )


@require_GET
@school_permission_required("schedule.view_timetable")
def week_room_pdf(request):
    room = _room(request)
    if not room:
        return redirect("schedule:week_room")
    week = room_week(school=request.school, room=room, monday=_monday(request))
    return _pdf(request=request, title=_room_title(room), scope="room", week=week, filename="timetable-room")


@require_GET
@school_permission_required("schedule.view_timetable")
def timetable_index(request):
    """Every class's editor and week, every teacher's week, every room of the year."""
    day = _today(request)
    year = current_year(school=request.school, day=day)
    return render(
        request,
        "schedule/timetable/index.html",
        {
            "year": year,
            "classes": year_classes(school=request.school, year=year),
            "teachers": school_teachers(request.school),
            "rooms": rooms_in_use(school=request.school, year=year),
            "readiness": timetable_readiness(year=year, day=day),
            "day": day,
        },
    )
