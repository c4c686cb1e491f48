"""Pages of the class reports and the risk list (issue 9, items 4 and 7): each class is fetched through the school's
scope (another school's class is 404) and the permission layer is asked once; a subject teacher's report is cut to
their own courses. Every page has its PDF and XLSX (`?format=pdf|xlsx`); the whole school's risk list is exported in
the background (`reports.jobs`)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import school_member_required, school_permission_required
from ejournal.clock import local_now, today
from gradebook.selectors import period_on
from schedule.models import Course, SchoolClass
from schedule.selectors import current_year, led_classes, taught_courses

from . import class_reports as cr
from . import risk as rk
from .jobs import job_start
from .pdf import generated_on, pdf_response, render_pdf
from .rules_class import own_course_ids
from .xlsx import Table, as_xlsx, xlsx_response

MAX_RANGE_DAYS = 366


def _class(request, class_id: int, perm: str) -> SchoolClass:
    school_class = get_object_or_404(SchoolClass.objects.for_school(request.school).select_related("year"), pk=class_id)
    if not request.user.has_perm(perm, school_class):
        raise PermissionDenied
    return school_class


def _course_ids(request, school_class: SchoolClass):
    """None for a whole report (reader, class teacher); a subject teacher's own courses otherwise."""
    if request.user.has_perm("reports.view_class_risk", school_class):
        return None
    return own_course_ids(request.user, school_class)


def _pdf_context(request, title: str) -> dict:
    return {"school": request.school, "title": title, "generated": generated_on(local_now(request.school.timezone))}


def _d(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def _num(value) -> str:
    return "" if value is None else f"{value}".replace(".", ",")


# --- Performance --------------------------------------------------------------------------------------------


def _choose_span(request, school_class: SchoolClass, periods, day) -> tuple[cr.Span, str]:
    own = cr.class_periods(periods, school_class.grade)
    wanted = request.GET.get("period", "")
    if wanted == "year":
        return cr.year_span(periods, school_class), ""
    error = ""
    if wanted:
        if not wanted.isdigit():
            error = _("Choose a study period from the list.")
        else:
            period = next((p for p in own if p.pk == int(wanted)), None)
            if period is None:
                raise Http404
            return cr.Span(period, period.start, period.end), ""
    period = period_on(own, day)
    if period is None:
        return cr.year_span(periods, school_class), error
    return cr.Span(period, period.start, period.end), error


def _span_name(span: cr.Span) -> str:
    return str(span.period) if span.period is not None else _("year")


def _version_text(perf: cr.Performance) -> str:
    if perf.version == cr.FINAL:
        return _("Final report: every period mark is set.")
    if perf.version == cr.PRELIMINARY:
        return _("Preliminary report: marks not set yet are forecasts from the current weighted averages.")
    return _(
        "Current progress: marks not set yet are forecasts from the current weighted averages; the preliminary "
        "report is due from %(day)s."
    ) % {"day": _d(perf.due)}


@require_GET
@school_member_required
def class_performance(request, class_id: int):
    school_class = _class(request, class_id, "reports.view_class_report")
    day = today(request.school.timezone)
    periods = cr.year_periods(school_id=request.school.pk, year_id=school_class.year_id)
    span, error = _choose_span(request, school_class, periods, day)
    perf = cr.class_performance(
        school_class=school_class, span=span, periods=periods, day=day, course_ids=_course_ids(request, school_class)
    )
    title = _("Performance of %(cls)s, %(span)s") % {"cls": school_class, "span": _span_name(span)}
    fmt = request.GET.get("format", "")
    if fmt == "xlsx":
        return xlsx_response(as_xlsx(performance_tables(perf, title)), f"performance-{school_class}")
    context = {
        "school_class": school_class,
        "perf": perf,
        "title": title,
        "version_text": _version_text(perf),
        "mark_columns": cr.MARK_COLUMNS,
        "periods": cr.class_periods(periods, school_class.grade),
        "chosen": span.period.pk if span.period is not None else "year",
        "error": error,
        "may_risk": request.user.has_perm("reports.view_class_risk", school_class),
    }
    if fmt == "pdf":
        content = render_pdf("reports/class/pdf_performance.html", context | _pdf_context(request, title))
        return pdf_response(content, f"performance-{school_class}")
    return render(request, "reports/class/performance.html", context, status=400 if error else 200)


def performance_tables(perf: cr.Performance, title: str) -> list[Table]:
    caption = f"{title}. {_version_text(perf)}"
    lines = [
        [line.name, line.attested, _num(line.quality), _num(line.success), _num(line.average), *line.count_list]
        for line in perf.lines
    ]
    lines.append(
        [
            _("Class"),
            perf.total.attested,
            _num(perf.total.quality),
            _num(perf.total.success),
            _num(perf.marks_total.average),
            *perf.marks_total.count_list,
        ]
    )
    head = [_("Subject"), _("Attested"), _("Quality, %"), _("Success, %"), _("Average"), *cr.MARK_COLUMNS]
    marks = [
        [row.name, *[(c.value + ("*" if c.forecast else "")) if c is not None else "" for c in row.cells]]
        for row in perf.rows
    ]
    lists = (
        [[_("Excellent pupils"), name, ""] for name in perf.excellent]
        + [[_("With one «4»"), name, subject] for name, subject in perf.one_four]
        + [[_("With one «3»"), name, subject] for name, subject in perf.one_three]
        + [
            [_("With debts"), name, ", ".join(f"{d.subject}: {d.value}{'*' if d.forecast else ''}" for d in debts)]
            for name, debts in perf.debtors
        ]
    )
    return [
        Table(title=_("Subjects"), columns=head, rows=lines, caption=caption),
        Table(title=_("Pupils"), columns=[_("Pupil"), *perf.subjects], rows=marks, caption=caption),
        Table(title=_("Lists"), columns=[_("List"), _("Pupil"), _("Subjects")], rows=lists, caption=caption),
    ]


# --- Attendance ---------------------------------------------------------------------------------------------


def _parse_date(value: str) -> datetime.date | None:
    value = value.strip()
    try:
        if "." in value:
            day, month, year = (int(part) for part in value.split("."))
            return datetime.date(year, month, day)
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _attendance_range(request, school_class, day) -> tuple[datetime.date, datetime.date, object, str]:
    periods = cr.class_periods(
        cr.year_periods(school_id=request.school.pk, year_id=school_class.year_id), school_class.grade
    )
    start_text, end_text = request.GET.get("start", ""), request.GET.get("end", "")
    default = period_on(periods, day)
    error = ""
    if start_text or end_text:
        start, end = _parse_date(start_text), _parse_date(end_text)
        if start is None or end is None:
            error = _("Enter both dates as dd.mm.yyyy.")
        elif end < start:
            error = _("The end of the range is before its start.")
        elif (end - start).days + 1 > MAX_RANGE_DAYS:
            error = _("The range is longer than a year: choose at most %(days)s days.") % {"days": MAX_RANGE_DAYS}
        else:
            return start, end, None, ""
    elif request.GET.get("period", ""):
        wanted = request.GET["period"]
        if not wanted.isdigit():
            error = _("Choose a study period from the list.")
        else:
            period = next((p for p in periods if p.pk == int(wanted)), None)
            if period is None:
                raise Http404
            return period.start, period.end, period, ""
    if default is not None:
        return default.start, default.end, default, error
    return school_class.year.start, school_class.year.end, None, error


@require_GET
@school_member_required
def class_attendance(request, class_id: int):
    school_class = _class(request, class_id, "reports.view_class_report")
    day = today(request.school.timezone)
    start, end, period, error = _attendance_range(request, school_class, day)
    report = cr.class_attendance(
        school_class=school_class, start=start, end=end, course_ids=_course_ids(request, school_class)
    )
    title = _("Attendance of %(cls)s, %(start)s – %(end)s") % {"cls": school_class, "start": _d(start), "end": _d(end)}
    fmt = request.GET.get("format", "")
    if fmt == "xlsx" and not error:
        return xlsx_response(as_xlsx(attendance_tables(report, title)), f"attendance-{school_class}")
    context = {
        "school_class": school_class,
        "report": report,
        "title": title,
        "periods": cr.class_periods(
            cr.year_periods(school_id=request.school.pk, year_id=school_class.year_id), school_class.grade
        ),
        "chosen": period.pk if period is not None else "",
        "start": start,
        "end": end,
        "error": error,
        "query": request.GET.urlencode(),
        "may_risk": request.user.has_perm("reports.view_class_risk", school_class),
    }
    if fmt == "pdf" and not error:
        content = render_pdf("reports/class/pdf_attendance.html", context | _pdf_context(request, title))
        return pdf_response(content, f"attendance-{school_class}")
    return render(request, "reports/class/attendance.html", context, status=400 if error else 200)


def attendance_head() -> list[str]:
    return ["Н", "Б", "УП", _("Missed"), "ОП", _("Minutes late")]


def attendance_tables(report: cr.Attendance, title: str) -> list[Table]:
    head = attendance_head()
    total = [_("Total"), *report.total.figures]
    return [
        Table(
            title=_("Pupils"),
            columns=[_("Pupil"), *head],
            rows=[[m.name, *m.figures] for m in report.pupils] + [total],
            caption=title,
        ),
        Table(
            title=_("Subjects"),
            columns=[_("Subject"), *head],
            rows=[[m.name, *m.figures] for m in report.subjects] + [total],
            caption=title,
        ),
        Table(
            title=_("Months"),
            columns=[_("Month"), *head],
            rows=[[m.name, *m.figures] for m in report.months] + [total],
            caption=title,
        ),
    ]


# --- The index of the class reports ------------------------------------------------------------------------


@require_GET
@school_permission_required("reports.view_class_reports")
def class_reports(request):
    day = today(request.school.timezone)
    year = current_year(school=request.school, day=day)
    classes = []
    if year is not None:
        classes = list(SchoolClass.objects.for_school(request.school).filter(year=year).select_related("year"))
    if not request.user.has_perm("reports.view_school_risk"):
        taught = taught_courses(request.user)
        teaching = set(
            Course.objects.filter(school_id=request.school.pk, pk__in=list(taught)).values_list(
                "school_class_id", flat=True
            )
            if taught
            else ()
        )
        classes = [c for c in classes if c.pk in led_classes(request.user) or c.pk in teaching]
    periods = cr.year_periods(school_id=request.school.pk, year_id=year.pk) if year is not None else []
    wanted = request.GET.get("period", "")
    try:
        spans = cr.index_spans(classes=classes, periods=periods, wanted=wanted, day=day)
    except LookupError:
        raise Http404 from None
    results = cr.performances(classes=classes, spans=spans, periods=periods, day=day)
    rows = [(c, results[c.pk], _span_name(spans[c.pk])) for c in classes]
    context = {
        "rows": rows,
        "periods": periods,
        "wanted": wanted,
        "may_risk": request.user.has_perm("reports.view_risk"),
        "may_export": request.user.has_perm("reports.export_class_reports"),
    }
    return render(request, "reports/class/index.html", context)


# --- The risk list ----------------------------------------------------------------------------------------


def _risk_params(data) -> tuple[rk.Params, str]:
    try:
        return rk.parse_params(data), ""
    except ValueError:
        return rk.Params(), _(
            "Check the parameters: the share of missed lessons from 1 to 100 percent, the fall of the average from "
            "0.1 to 4, the weeks from 1 to 12."
        )


def _risk_scope(request, day) -> tuple[list[SchoolClass], SchoolClass | None]:
    wanted = request.GET.get("class", "")
    if wanted:
        if not wanted.isdigit():
            raise Http404
        school_class = _class(request, int(wanted), "reports.view_class_risk")
        return [school_class], school_class
    year = current_year(school=request.school, day=day)
    classes = (
        list(SchoolClass.objects.for_school(request.school).filter(year=year).select_related("year"))
        if year is not None
        else []
    )
    if request.user.has_perm("reports.view_school_risk"):
        return classes, None
    led = [c for c in classes if c.pk in led_classes(request.user)]
    return led, (led[0] if len(led) == 1 else None)


def _year_classes(request, day) -> list[SchoolClass]:
    year = current_year(school=request.school, day=day)
    return list(SchoolClass.objects.for_school(request.school).filter(year=year)) if year is not None else []


@require_GET
@school_permission_required("reports.view_risk")
def risk(request):
    day = today(request.school.timezone)
    classes, school_class = _risk_scope(request, day)
    params, error = _risk_params(request.GET)
    groups = rk.risk_list(classes=classes, day=day, params=params)
    reader = request.user.has_perm("reports.view_school_risk")
    whole_school = school_class is None and reader
    if whole_school:
        title = _("Risk list of the school on %(day)s") % {"day": _d(day)}
    else:
        names = ", ".join(str(c) for c in classes)
        title = _("Risk list of %(cls)s on %(day)s") % {"cls": names, "day": _d(day)}
    fmt = request.GET.get("format", "")
    if fmt in ("pdf", "xlsx") and not error and not whole_school:
        return risk_export_response(request, groups, title, fmt, f"risk-{school_class or 'classes'}")
    shown = [g for g in groups if g.pupils]
    summary = []
    if whole_school:
        # The whole school on the page: a line per class (its list is a click away, the school's file is built in
        # the background); thousands of rows early in a period would make a page nobody reads.
        summary = [(g, len(g.pupils), *(sum(kind in p.kinds for p in g.pupils) for kind in rk.KINDS)) for g in shown]
        shown = []
    sheet_url = reverse("reports:pupil_sheet", args=[int(rk.PUPIL_ID)])
    for group in shown:
        group.html = rk.rows_html(group, sheet_url)
    context = {
        "summary": summary,
        "groups": shown,
        # A reader may switch to another class or to the whole school.
        "classes": classes if whole_school else (_year_classes(request, day) if reader else []),
        "school_class": school_class,
        "title": title,
        "params": params,
        "error": error,
        "whole_school": whole_school,
        "count": sum(len(g.pupils) for g in groups),
        "query": request.GET.urlencode(),
    }
    return render(request, "reports/class/risk.html", context, status=400 if error else 200)


def risk_export_response(request, groups, title: str, fmt: str, filename: str):
    content = rk.export_content(
        school=request.school,
        groups=groups,
        title=title,
        fmt=fmt,
        generated=generated_on(local_now(request.school.timezone)),
    )
    return xlsx_response(content, filename) if fmt == "xlsx" else pdf_response(content, filename)


@require_POST
@school_permission_required("reports.view_school_risk")
def risk_export(request):
    """The whole school's risk list as a file, built in the background (issue 9, item 8)."""
    params, _error = _risk_params(request.POST)
    fmt = request.POST.get("format", "xlsx")
    if fmt not in ("xlsx", "pdf"):
        fmt = "xlsx"
    job = job_start(
        actor=request.user,
        school=request.school,
        kind="class_risk_school",
        title=_("Risk list of the school"),
        params={
            "format": fmt,
            "threshold": params.threshold,
            "step": str(params.step),
            "weeks": params.weeks,
        },
    )
    return redirect(reverse("reports:job_detail", args=[job.pk]))


@require_POST
@school_permission_required("reports.export_class_reports")
def class_reports_export(request):
    """Every class's performance as one spreadsheet, built in the background (issue 9, item 8)."""
    wanted = request.POST.get("period", "")
    if wanted not in ("", "year") and not wanted.isdigit():
        wanted = ""
    job = job_start(
        actor=request.user,
        school=request.school,
        kind="class_performance_school",
        title=_("Class reports"),
        params={"period": wanted},
    )
    return redirect(reverse("reports:job_detail", args=[job.pk]))
