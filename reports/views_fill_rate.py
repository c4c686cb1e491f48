"""Journal control (fill rate, issue 9 item 1; R-J01, R-J04, R-J07, R-E07): school → class → course → lesson, each
figure a link to the lessons or pupils behind it, exports as XLSX and PDF (the whole school's in the background).

The figures come from reports/fill_rate.py; here they become rows of cells (text and link) built in Python, so that
the templates only loop, and the same cells feed the spreadsheet and the PDF."""

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import school_member_required, school_permission_required
from accounts.models import School, User
from ejournal.clock import now, today
from schedule.models import Course, SchoolClass

from . import fill_rate
from .fill_rate import Figures, Report, Scope, share
from .jobs import Built, JobRefused, job_builder, job_start
from .pdf import generated_on, pdf_response, render_pdf
from .xlsx import XLSX_TYPE, Table, as_xlsx, xlsx_response

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def _d(day: datetime.date) -> str:
    return date_format(day, "d.m.Y")


# --- The range ----------------------------------------------------------------------------------------------------


class RangeForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), input_formats=DATE_FORMATS)
    end = forms.DateField(label=gettext_lazy("To"), input_formats=DATE_FORMATS)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The end of the range is before its start."))
            if (end - start).days >= fill_rate.MAX_DAYS:
                raise forms.ValidationError(_("The range is longer than one academic year."))
        return data


@dataclass
class Ranged:
    """The page's range: the form (with its errors), the scope when valid, the quick links."""

    form: RangeForm
    scope: Scope | None
    error: str = ""
    quick: list | None = None

    @property
    def query(self) -> str:
        if self.scope is None:
            return ""
        return urlencode({"start": self.scope.start.isoformat(), "end": self.scope.end.isoformat()})


def _ranged(request, *, class_id: int | None = None, course_id: int | None = None) -> Ranged:
    school = request.school
    day = today(school.timezone)
    period_start, period_end = fill_rate.default_range(school=school, today=day)
    week_start, _week_end = fill_rate.week_range(day)
    quick = [
        (_("this week"), urlencode({"start": week_start.isoformat(), "end": day.isoformat()})),
        (
            _("last 2 weeks"),
            urlencode({"start": (day - datetime.timedelta(days=13)).isoformat(), "end": day.isoformat()}),
        ),
        (_("this period"), urlencode({"start": period_start.isoformat(), "end": period_end.isoformat()})),
    ]
    source = request.GET if ("start" in request.GET or "end" in request.GET) else None
    form = RangeForm(source or {"start": period_start, "end": period_end})
    if not form.is_valid():
        errors = form.non_field_errors() or [_("Enter the dates as dd.mm.yyyy.")]
        return Ranged(form=form, scope=None, error=str(errors[0]), quick=quick)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    year = fill_rate.year_of(school=school, start=start, end=end)
    if year is None:
        return Ranged(form=form, scope=None, error=_("No academic year covers these dates."), quick=quick)
    scope = Scope(school=school, year=year, start=start, end=end, today=day, class_id=class_id, course_id=course_id)
    return Ranged(form=form, scope=scope, quick=quick)


# --- Cells ----------------------------------------------------------------------------------------------------


@dataclass
class Cell:
    text: str
    url: str = ""
    value: object = None  # for the spreadsheet (a number when the cell is one)
    warn: bool = False


def headers(*, usage: bool = True) -> list[str]:
    names = [
        _("Lessons held"),
        _("Without a topic"),
        _("Without homework"),
        _("Attendance not taken"),
        _("Marks entered late"),
        _("Attendance entered late"),
        _("Homework entered late"),
        _("Pupils with no mark"),
        _("Pupils with one mark"),
        _("Short of marks (R-E07)"),
        _("Thematic plan"),
    ]
    if usage:
        names += [_("Pupils who opened the diary"), _("Parents who opened the diary")]
    return names


def _pct(part: int, whole: int) -> tuple[str, object]:
    value = share(part, whole)
    if value is None:
        return "—", None
    return _("%(pct)s %% (%(part)s of %(whole)s)") % {"pct": value, "part": part, "whole": whole}, value


def plan_text(figures: Figures, single: bool) -> str:
    if single:
        drift = figures.drift
        if drift is None:
            return _("no plan")
        if drift < 0:
            return _("behind by %(n)s") % {"n": -drift}
        if drift > 0:
            return _("ahead by %(n)s") % {"n": drift}
        return _("on schedule")
    parts = []
    if figures.courses_behind:
        parts.append(_("behind: %(n)s") % {"n": figures.courses_behind})
    if figures.courses_ahead:
        parts.append(_("ahead: %(n)s") % {"n": figures.courses_ahead})
    return ", ".join(parts) or "—"


def figure_cells(
    figures: Figures,
    *,
    link: Callable[[str, str], str] | None,
    usage: fill_rate.Usage | None,
    single_course: bool,
    with_usage: bool = True,
) -> list[Cell]:
    """One row of the table: `link(view, what)` gives a figure's drill-down URL (None: no links)."""

    def lessons(what: str) -> str:
        return link("lessons", what) if link else ""

    def pupils(what: str) -> str:
        return link("pupils", what) if link else ""

    f = figures
    late = "0"
    if f.marks_late:
        late = _("%(n)s of %(all)s; at most %(max)s, on average %(avg)s days") % {
            "n": f.marks_late,
            "all": f.marks,
            "max": f.marks_late_max,
            "avg": str(f.marks_late_avg).replace(".", ","),
        }
    attendance = str(f.attendance_late)
    if f.attendance_late:
        attendance = _("%(n)s lessons, at most %(max)s days") % {"n": f.attendance_late, "max": f.attendance_late_max}
    if f.absences_late:
        attendance += "; " + _("absences: %(n)s") % {"n": f.absences_late}
    no_mark, no_mark_value = _pct(f.no_mark, f.pupils)
    one_mark, one_mark_value = _pct(f.one_mark, f.pupils)
    cells = [
        Cell(str(f.held), lessons("held"), f.held),
        Cell(str(f.no_topic), lessons("no_topic"), f.no_topic, bool(f.no_topic)),
        Cell(str(f.no_homework), lessons("no_homework"), f.no_homework, bool(f.no_homework)),
        Cell(str(f.no_attendance), lessons("no_attendance"), f.no_attendance, bool(f.no_attendance)),
        Cell(late, lessons("marks_late"), f.marks_late, bool(f.marks_late)),
        Cell(attendance, lessons("attendance_late"), f.attendance_late + f.absences_late, bool(f.attendance_late)),
        Cell(str(f.homework_late), lessons("homework_late"), f.homework_late, bool(f.homework_late)),
        Cell(no_mark, pupils("no_mark"), no_mark_value, bool(f.no_mark)),
        Cell(one_mark, pupils("one_mark"), one_mark_value, bool(f.one_mark)),
        Cell(str(f.density_short), pupils("density"), f.density_short, bool(f.density_short)),
        Cell(plan_text(f, single_course), "", f.drift if single_course else f.courses_behind, bool(f.courses_behind)),
    ]
    if with_usage:
        if usage is None:
            cells += [Cell("—"), Cell("—")]
        else:
            text, value = _pct(usage.pupils_opened, usage.pupils)
            cells.append(Cell(text, pupils("diary_pupils"), value))
            text, value = _pct(usage.guardians_opened, usage.guardians)
            cells.append(Cell(text, pupils("diary_guardians"), value))
    return cells


@functools.cache
def _url(name: str) -> str:
    """A URL without arguments, reversed once (a table of a hundred rows would reverse it a thousand times)."""
    return reverse(name)


def _linker(ranged: Ranged, **scope) -> Callable[[str, str], str]:
    base = {k: v for k, v in scope.items() if v is not None}

    lessons, pupils = _url("reports:fill_rate_lessons"), _url("reports:fill_rate_pupils")
    prefix = urlencode(base)
    prefix = f"{prefix}&" if prefix else ""
    query = ranged.query

    def link(view: str, what: str) -> str:
        return f"{lessons if view == 'lessons' else pupils}?{prefix}what={what}&{query}"

    return link


@dataclass
class Row:
    label: str
    url: str
    extra: str  # the class teacher, a course's teachers
    cells: list[Cell]


def school_rows(report: Report, ranged: Ranged, *, links: bool = True) -> tuple[list[Row], Row, list[Row]]:
    """Rows by class, the school's total, rows by teacher."""
    rows = []
    for school_class, figures in report.by_class():
        url = f"{reverse('reports:fill_rate_class', args=[school_class.pk])}?{ranged.query}" if links else ""
        teacher = school_class.class_teacher.get_full_name() if school_class.class_teacher else "—"
        link = _linker(ranged, **{"class": school_class.pk}) if links else None
        usage = report.usage.get(school_class.pk, fill_rate.Usage())
        rows.append(
            Row(str(school_class), url, teacher, figure_cells(figures, link=link, usage=usage, single_course=False))
        )
    total_link = _linker(ranged) if links else None
    total = Row(
        _("Whole school"),
        "",
        "",
        figure_cells(report.total(), link=total_link, usage=report.usage.get(None), single_course=False),
    )
    teachers = [
        Row(
            teacher.get_full_name(),
            "",
            "",
            figure_cells(f, link=None, usage=None, single_course=False, with_usage=False),
        )
        for teacher, f in report.by_teacher()
    ]
    return rows, total, teachers


def course_rows(report: Report, ranged: Ranged, *, links: bool = True) -> list[Row]:
    rows = []
    for row in report.rows:
        course = row.course
        url = f"{reverse('reports:fill_rate_course', args=[course.pk])}?{ranged.query}" if links else ""
        link = _linker(ranged, course=course.pk) if links else None
        label = f"{course.title or course.subject.name} ({course.audience})"
        rows.append(
            Row(
                label,
                url,
                row.teacher_names,
                figure_cells(row.figures, link=link, usage=None, single_course=True, with_usage=False),
            )
        )
    return rows


# --- Pages --------------------------------------------------------------------------------------------------------


def _base_context(request, ranged: Ranged, title: str) -> dict:
    return {
        "ranged": ranged,
        "form": ranged.form,
        "title": title,
        "can_export": request.user.has_perm("reports.export_fill_rate"),
    }


@require_GET
@school_permission_required("reports.view_control")
def control(request):
    """The deputy's start page: the school level of journal control (R-J01, R-J04), by class and by teacher."""
    ranged = _ranged(request)
    context = _base_context(request, ranged, _("Journal control"))
    if ranged.scope is None:
        return render(request, "reports/control.html", context, status=422)
    report = fill_rate.report(ranged.scope, with_courses=False)
    rows, total, teachers = school_rows(report, ranged)
    context |= {
        "scope": ranged.scope,
        "headers": headers(),
        "teacher_headers": headers(usage=False),
        "rows": rows,
        "total": total,
        "teachers": teachers,
        # R-J16: the same figures as a file for the school's website, without names (reports/publish.py).
        "can_publish": request.user.has_perm("reports.publish_report"),
        "publish_kind": "fill_rate",
        "publish_start": ranged.scope.start,
        "publish_end": ranged.scope.end,
        "publish_formats": [("pdf", "PDF"), ("xlsx", "XLSX")],
    }
    return render(request, "reports/control.html", context)


def _class(request, class_id: int) -> SchoolClass:
    school_class = get_object_or_404(
        SchoolClass.objects.for_school(request.school).select_related("year", "class_teacher"), pk=class_id
    )
    if not request.user.has_perm("reports.view_fill_rate", school_class):
        raise PermissionDenied
    return school_class


def _course(request, course_id: int) -> Course:
    course = get_object_or_404(
        Course.objects.for_school(request.school).select_related("year", "subject", "school_class", "group"),
        pk=course_id,
    )
    if not request.user.has_perm("reports.view_fill_rate", course):
        raise PermissionDenied
    return course


@require_GET
@school_member_required
def fill_rate_class(request, class_id: int):
    school_class = _class(request, class_id)
    ranged = _ranged(request, class_id=school_class.pk)
    context = _base_context(request, ranged, _("Journal control: %(cls)s") % {"cls": school_class}) | {
        "school_class": school_class
    }
    if ranged.scope is None:
        return render(request, "reports/fill_rate/class.html", context, status=422)
    report = fill_rate.report(ranged.scope)
    usage = report.usage.get(school_class.pk, fill_rate.Usage())
    link = _linker(ranged, **{"class": school_class.pk})
    context |= {
        "scope": ranged.scope,
        "headers": headers(usage=False),
        "rows": course_rows(report, ranged),
        "total": figure_cells(report.total(), link=link, usage=None, single_course=False, with_usage=False),
        "usage_cells": figure_cells(Figures(), link=link, usage=usage, single_course=False)[-2:],
        "usage_headers": headers()[-2:],
    }
    return render(request, "reports/fill_rate/class.html", context)


@dataclass
class LessonLine:
    lesson: object
    missing: list[str]
    journal_url: str
    remark_url: str


def lesson_lines(lessons: list, *, can_remark: bool) -> list[LessonLine]:
    lines = []
    for lesson in lessons:
        missing = []
        if not lesson.topic.strip():
            missing.append(_("no topic"))
        if not lesson.has_homework:
            missing.append(_("no homework"))
        if not lesson.has_attendance:
            missing.append(_("attendance not taken"))
        if lesson.marks_late:
            missing.append(_("marks entered late"))
        if lesson.attendance_late:
            missing.append(_("attendance entered late"))
        if lesson.homework_late:
            missing.append(_("homework entered late"))
        remark = ""
        if can_remark:
            remark = f"{reverse('reports:remark_add', args=[lesson.course_id])}?{urlencode({'lesson': lesson.pk})}"
        lines.append(LessonLine(lesson, missing, reverse("gradebook:journal", args=[lesson.course_id]), remark))
    return lines


def _may_remark(request, lessons: list) -> bool:
    """Asked once per page: every lesson listed is of the same year, so one course answers for all (STYLE)."""
    return bool(lessons) and request.user.has_perm("reports.add_remark", lessons[0].course)


@dataclass
class PupilLine:
    name: str
    course: str
    marks: int
    period_marks: int
    need: int
    short: bool


def name_key(name: str) -> str:
    """Russian alphabetical order: «Ё» with «Е» (Python's code-point order puts «Ё» before «А»)."""
    return name.casefold().replace("ё", "е")


def pupil_lines(rows: list, courses: dict[int, Course], people: dict[int, User]) -> list[PupilLine]:
    lines = []
    for row in rows:
        course = courses.get(row.course_id)
        pupil = people.get(row.pupil_id)
        label = f"{course.title or course.subject.name} ({course.audience})" if course else ""
        name = pupil.get_full_name() if pupil else ""
        lines.append(PupilLine(name, label, row.marks, row.period_marks, row.need, row.short))
    return lines


def _people(ids) -> dict[int, User]:
    return {u.pk: u for u in User.objects.filter(pk__in=list(ids)).only("first_name", "last_name", "middle_name")}


def _courses(ids) -> dict[int, Course]:
    return {c.pk: c for c in Course.objects.filter(pk__in=list(ids)).select_related("subject", "school_class", "group")}


@require_GET
@school_member_required
def fill_rate_course(request, course_id: int):
    course = _course(request, course_id)
    ranged = _ranged(request, course_id=course.pk)
    title = _("Journal control: %(course)s") % {"course": f"{course.title or course.subject.name} ({course.audience})"}
    context = _base_context(request, ranged, title) | {"course": course}
    if ranged.scope is None:
        return render(request, "reports/fill_rate/course.html", context, status=422)
    report = fill_rate.report(ranged.scope)
    row = report.rows[0] if report.rows else None
    figures = row.figures if row else Figures()
    link = _linker(ranged, course=course.pk)
    lessons = list(fill_rate.lessons(ranged.scope, "held")[: fill_rate.MAX_LIST])
    pupils = fill_rate.pupil_rows(ranged.scope)
    people = _people(p.pupil_id for p in pupils)
    lines = pupil_lines(pupils, {course.pk: course}, people)
    lines.sort(key=lambda line: name_key(line.name))
    context |= {
        "scope": ranged.scope,
        "teachers": row.teacher_names if row else "—",
        "headers": headers(usage=False),
        "cells": figure_cells(figures, link=link, usage=None, single_course=True, with_usage=False),
        "lessons": lesson_lines(lessons, can_remark=_may_remark(request, lessons)),
        "pupils": lines,
        "journal_url": reverse("gradebook:journal", args=[course.pk]),
        "plan": figures,
    }
    return render(request, "reports/fill_rate/course.html", context)


def _an_id(text: str) -> bool:
    """A database id: digits that fit the column (a longer number would be the database's error, not a 404)."""
    return text.isdigit() and len(text) < 10


def _drill_scope(request) -> tuple[SchoolClass | None, Course | None]:
    """The class or course a drill-down list is asked for (?class= or ?course=), fetched in the school's scope."""
    class_id, course_id = request.GET.get("class", ""), request.GET.get("course", "")
    school_class = course = None
    if course_id:
        course = _course(request, int(course_id)) if _an_id(course_id) else None
        if course is None:
            raise Http404
    elif class_id:
        school_class = _class(request, int(class_id)) if _an_id(class_id) else None
        if school_class is None:
            raise Http404
    elif not request.user.has_perm("reports.view_fill_rate"):
        raise PermissionDenied
    return school_class, course


def _scope_label(school_class, course) -> str:
    if course is not None:
        return f"{course.title or course.subject.name} ({course.audience})"
    if school_class is not None:
        return str(school_class)
    return _("Whole school")


LESSON_TITLES = {
    "held": gettext_lazy("Lessons held"),
    "no_topic": gettext_lazy("Lessons without a topic"),
    "no_homework": gettext_lazy("Lessons without homework"),
    "no_attendance": gettext_lazy("Lessons without attendance taken"),
    "marks_late": gettext_lazy("Lessons with marks entered late"),
    "attendance_late": gettext_lazy("Lessons with attendance entered late"),
    "homework_late": gettext_lazy("Lessons with homework entered late"),
}
PUPIL_TITLES = {
    "no_mark": gettext_lazy("Pupils with no mark in the range"),
    "one_mark": gettext_lazy("Pupils with one mark in the range"),
    "density": gettext_lazy("Pupils short of marks (R-E07)"),
    "diary_pupils": gettext_lazy("Pupils who did not open the diary"),
    "diary_guardians": gettext_lazy("Parents who did not open the diary"),
}


def _keep(school_class, course, what: str) -> list[tuple[str, object]]:
    """The drill-down's own parameters, kept by the range form and its quick links."""
    keep: list[tuple[str, object]] = [("what", what)]
    if course is not None:
        keep.append(("course", course.pk))
    elif school_class is not None:
        keep.append(("class", school_class.pk))
    return keep


def _back(school_class, course, ranged: Ranged) -> str:
    if course is not None:
        return f"{reverse('reports:fill_rate_course', args=[course.pk])}?{ranged.query}"
    if school_class is not None:
        return f"{reverse('reports:fill_rate_class', args=[school_class.pk])}?{ranged.query}"
    return f"{reverse('reports:control')}?{ranged.query}"


def _drill(request, titles: dict, default: str):
    """A drill-down list's class or course, figure (`?what=`, one of `titles`), range and the page's first context."""
    school_class, course = _drill_scope(request)
    what = request.GET.get("what", default)
    if what not in titles:
        what = default
    ranged = _ranged(
        request, class_id=school_class.pk if school_class else None, course_id=course.pk if course else None
    )
    context = _base_context(request, ranged, str(titles[what])) | {
        "scope_label": _scope_label(school_class, course),
        "what": what,
        "keep": _keep(school_class, course, what),
    }
    return school_class, course, what, ranged, context


@require_GET
@school_member_required
def fill_rate_lessons(request):
    school_class, course, what, ranged, context = _drill(request, LESSON_TITLES, "held")
    if ranged.scope is None:
        return render(request, "reports/fill_rate/lessons.html", context, status=422)
    lessons = list(fill_rate.lessons(ranged.scope, what)[: fill_rate.MAX_LIST + 1])
    truncated = len(lessons) > fill_rate.MAX_LIST
    lessons = lessons[: fill_rate.MAX_LIST]
    context |= {
        "scope": ranged.scope,
        "lessons": lesson_lines(lessons, can_remark=_may_remark(request, lessons)),
        "truncated": truncated,
        "back": _back(school_class, course, ranged),
    }
    return render(request, "reports/fill_rate/lessons.html", context)


@require_GET
@school_member_required
def fill_rate_pupils(request):
    school_class, course, what, ranged, context = _drill(request, PUPIL_TITLES, "no_mark")
    context["usage"] = what in fill_rate.USAGE_FILTERS
    if ranged.scope is None:
        return render(request, "reports/fill_rate/pupils.html", context, status=422)
    if what in fill_rate.USAGE_FILTERS:
        class_id = school_class.pk if school_class else None
        if course is not None:
            class_id = fill_rate._class_id(course)
        people = list(fill_rate.silent_people(ranged.scope, what, class_id)[: fill_rate.MAX_LIST + 1])
        lines = [PupilLine(p.get_full_name(), "", 0, 0, 0, False) for p in people]
    else:
        rows = fill_rate.pupil_rows(ranged.scope, what)
        lines = pupil_lines(rows, _courses({r.course_id for r in rows}), _people({r.pupil_id for r in rows}))
        lines.sort(key=lambda line: (line.course, name_key(line.name)))
    truncated = len(lines) > fill_rate.MAX_LIST
    context |= {
        "scope": ranged.scope,
        "pupils": lines[: fill_rate.MAX_LIST],
        "truncated": truncated,
        "back": _back(school_class, course, ranged),
    }
    return render(request, "reports/fill_rate/pupils.html", context)


# --- Exports ------------------------------------------------------------------------------------------------------


def _row_values(row: Row, extra: bool = True) -> list:
    values = [row.label] + ([row.extra] if extra else [])
    return values + [c.value if isinstance(c.value, int) and str(c.value) == c.text else c.text for c in row.cells]


def export_tables(report: Report, ranged: Ranged, school_class=None, course=None) -> list[Table]:
    scope = report.scope
    caption = _("%(school)s, %(start)s – %(end)s") % {
        "school": scope.school.short_name or scope.school.name,
        "start": _d(scope.start),
        "end": _d(scope.end),
    }
    if course is None and school_class is None:
        rows, total, teachers = school_rows(report, ranged, links=False)
        return [
            Table(
                title=_("By class"),
                columns=[_("Class"), _("Class teacher"), *headers()],
                rows=[_row_values(r) for r in [*rows, total]],
                caption=caption,
            ),
            Table(
                title=_("By teacher"),
                columns=[_("Teacher"), *headers(usage=False)],
                rows=[_row_values(r, extra=False) for r in teachers],
                caption=caption,
            ),
        ]
    rows = course_rows(report, ranged, links=False)
    tables = [
        Table(
            title=_("By course"),
            columns=[_("Course"), _("Teachers"), *headers(usage=False)],
            rows=[_row_values(r) for r in rows],
            caption=f"{_scope_label(school_class, course)}. {caption}",
        )
    ]
    if course is not None:
        lessons = lesson_lines(list(fill_rate.lessons(scope, "held")[: fill_rate.MAX_LIST]), can_remark=False)
        tables.append(
            Table(
                title=_("Lessons"),
                columns=[_("Date"), _("Topic"), _("What is missing")],
                rows=[[line.lesson.date, line.lesson.topic, ", ".join(line.missing)] for line in lessons],
                caption=caption,
            )
        )
    return tables


def export_bytes(*, fmt: str, report: Report, ranged: Ranged, school_class=None, course=None) -> Built:
    tables = export_tables(report, ranged, school_class, course)
    name = (
        "fill-rate-"
        + (f"course-{course.pk}" if course else f"class-{school_class.pk}" if school_class else "school")
        + f"-{report.scope.start.isoformat()}-{report.scope.end.isoformat()}"
    )
    if fmt == "xlsx":
        return Built(as_xlsx(tables), f"{name}.xlsx", XLSX_TYPE)
    context = {
        "school": report.scope.school,
        "title": _("Journal control"),
        "generated": generated_on(now()),
        "tables": tables,
        "scope_label": _scope_label(school_class, course),
    }
    return Built(render_pdf("reports/fill_rate/pdf.html", context), f"{name}.pdf", "application/pdf")


@require_GET
@school_member_required
def fill_rate_export(request):
    """A class's or a course's report as XLSX or PDF, straight away (the whole school's is built in the background)."""
    school_class, course = _drill_scope(request)
    if school_class is None and course is None:
        return HttpResponse(
            _("Choose a class or a course; the whole school is exported in the background."), status=400
        )
    if not request.user.has_perm("reports.export_fill_rate", course or school_class):
        raise PermissionDenied
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "pdf"):
        return HttpResponse(_("Unknown format."), status=400)
    ranged = _ranged(
        request, class_id=school_class.pk if school_class else None, course_id=course.pk if course else None
    )
    if ranged.scope is None:
        return HttpResponse(ranged.error, status=400)
    built = export_bytes(
        fmt=fmt, report=fill_rate.report(ranged.scope), ranged=ranged, school_class=school_class, course=course
    )
    stem = built.filename.rsplit(".", 1)[0]
    return xlsx_response(built.content, stem) if fmt == "xlsx" else pdf_response(built.content, stem)


@require_POST
@school_permission_required("reports.export_fill_rate")
def fill_rate_export_start(request):
    """The whole school's export: queued as a background report, then its progress page."""
    fmt = request.POST.get("format", "")
    if fmt not in ("xlsx", "pdf"):
        return HttpResponse(_("Unknown format."), status=400)
    form = RangeForm(request.POST)
    if not form.is_valid():
        errors = form.non_field_errors() or [_("Enter the dates as dd.mm.yyyy.")]
        return HttpResponse(str(errors[0]), status=400)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    job = job_start(
        actor=request.user,
        school=request.school,
        kind=f"fill_rate_{fmt}",
        title=_("Journal control, %(start)s – %(end)s") % {"start": _d(start), "end": _d(end)},
        params={"start": start.isoformat(), "end": end.isoformat()},
    )
    return redirect("reports:job_detail", job_id=job.pk)


def _build(fmt: str):
    def build(job, progress) -> Built:
        user = job.requested_by
        if not user.is_active or not user.has_perm("reports.export_fill_rate", job):
            raise JobRefused(_("You may no longer build this report."))
        school: School = job.school
        start = datetime.date.fromisoformat(job.params["start"])
        end = datetime.date.fromisoformat(job.params["end"])
        year = fill_rate.year_of(school=school, start=start, end=end)
        if year is None:
            raise JobRefused(_("No academic year covers these dates."))
        progress(0, 2)
        scope = Scope(school=school, year=year, start=start, end=end, today=today(school.timezone))
        ranged = Ranged(form=RangeForm(), scope=scope)
        report = fill_rate.report(scope, with_courses=False)
        progress(1, 2)
        built = export_bytes(fmt=fmt, report=report, ranged=ranged)
        progress(2, 2)
        return built

    return build


job_builder("fill_rate_xlsx")(_build("xlsx"))
job_builder("fill_rate_pdf")(_build("pdf"))
