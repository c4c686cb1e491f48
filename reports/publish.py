"""Reports published for the school's website (R-J16; seed 003: the deputy «представляют отчетные файлы … на
официальный сайт школы»), with personal data removed (152-ФЗ: a name, a login, an email, a phone, a birth date).

Each report is rebuilt here from its aggregates only: classes and subjects by name, roles, weeks and days; never a
person. Where a report has a row per teacher (the fill rate), the teacher becomes «Учитель 1», «Учитель 2», … in an
order that says nothing (the order of their first course). Before anything is written, a last check reads the school's
people and refuses the file if any cell holds one of their names, logins, emails or phones: a report added later that
forgets the rule is stopped here, not on the website.

The service stores the file (XLSX or PDF) on a `PublishedReport` with who, when, which report and which period, and
writes an audit entry.
"""

import datetime
import re
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.models import Membership, School, User
from attendance.models import Absence, Code
from audit.log import record
from ejournal import clock
from schedule.models import AcademicYear, Lesson, SchoolClass

from . import fill_rate
from .models import PublishedReport
from .pdf import generated_on, render_pdf
from .services import ReportsError
from .xlsx import Table, as_xlsx

Kind = PublishedReport.Kind
PDF_TEMPLATE = "reports/published/pdf.html"
MAX_DAYS = fill_rate.MAX_DAYS


def _d(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def _pct(value) -> str:
    return "—" if value is None else f"{value} %"


# --- The builders: (title, tables) of aggregates only ----------------------------------------------------------


def _fill_rate(school: School, year: AcademicYear, start: datetime.date, end: datetime.date) -> list[Table]:
    from .views_fill_rate import figure_cells, headers

    today = clock.today(school.timezone)
    scope = fill_rate.Scope(school=school, year=year, start=start, end=end, today=today)
    report = fill_rate.report(scope, with_courses=False)
    columns = headers()
    classes = []
    for school_class, figures in report.by_class():
        usage = report.usage.get(school_class.pk)
        cells = figure_cells(figures, link=None, usage=usage, single_course=False)
        classes.append([str(school_class), *(c.text for c in cells)])
    total = figure_cells(report.total(), link=None, usage=report.usage.get(None), single_course=False)
    classes.append([_("The whole school"), *(c.text for c in total)])
    teachers = []
    for n, (_teacher, figures) in enumerate(_teacher_order(report), start=1):
        cells = figure_cells(figures, link=None, usage=None, single_course=False, with_usage=False)
        teachers.append([_("Teacher %(n)s") % {"n": n}, *(c.text for c in cells)])
    return [
        Table(title=_("Classes"), columns=[_("Class"), *columns], rows=classes),
        Table(title=_("Teachers"), columns=[_("Teacher"), *headers(usage=False)], rows=teachers),
    ]


def _teacher_order(report: fill_rate.Report):
    """The teachers in the order of their first course's id: an order that tells nothing about who they are (the
    page's alphabetical order would)."""
    first: dict[int, int] = {}
    for row in sorted(report.rows, key=lambda r: r.course.pk if r.course else 0):
        for teacher in row.teachers:
            first.setdefault(teacher.pk, len(first))
    return sorted(report.by_teacher(), key=lambda pair: first.get(pair[0].pk, 0))


def _performance(school: School, year: AcademicYear, start: datetime.date, end: datetime.date) -> list[Table]:
    from .class_reports import MARK_COLUMNS, index_spans, performances, year_periods

    classes = list(SchoolClass.objects.for_school(school).filter(year=year).order_by("grade", "letter"))
    periods = year_periods(school_id=school.pk, year_id=year.pk)
    spans = index_spans(classes=classes, periods=periods, wanted="", day=end)
    results = performances(classes=classes, spans=spans, periods=periods, day=end)
    figures = [_("Quality, %"), _("Success, %"), _("Average"), *MARK_COLUMNS]

    def num(value) -> str:
        return "" if value is None else f"{value}".replace(".", ",")

    summary, subjects = [], []
    for school_class in classes:
        perf = results[school_class.pk]
        span = str(perf.span.period) if perf.span.period is not None else _("year")
        summary.append(
            [
                str(school_class),
                span,
                len(perf.rows),
                num(perf.total.quality),
                num(perf.total.success),
                num(perf.marks_total.average),
                *perf.marks_total.count_list,
            ]
        )
        for line in perf.lines:
            subjects.append(
                [
                    str(school_class),
                    line.name,
                    num(line.quality),
                    num(line.success),
                    num(line.average),
                    *line.count_list,
                ]
            )
    return [
        Table(title=_("Classes"), columns=[_("Class"), _("Period"), _("Pupils"), *figures], rows=summary),
        Table(title=_("Subjects"), columns=[_("Class"), _("Subject"), *figures], rows=subjects),
    ]


def _attendance(school: School, year: AcademicYear, start: datetime.date, end: datetime.date) -> list[Table]:
    """Missed lessons of each class by reason: one grouped query."""
    classes = {c.pk: c for c in SchoolClass.objects.for_school(school).filter(year=year).order_by("grade", "letter")}
    counts: dict[int, dict[str, int]] = {pk: {} for pk in classes}
    minutes: dict[int, int] = {pk: 0 for pk in classes}
    rows = (
        Absence.objects.filter(school=school, lesson__course__year=year, lesson__date__range=(start, end))
        .exclude(lesson__status=Lesson.Status.CANCELLED)
        .annotate(cls=Coalesce(F("lesson__course__school_class_id"), F("lesson__course__group__school_class_id")))
        .values("cls", "code")
        .annotate(n=Count("pk"), m=Sum("minutes"))
        .order_by()
    )
    for row in rows:
        if row["cls"] in counts:
            counts[row["cls"]][row["code"]] = row["n"]
            if row["code"] == Code.LATE:
                minutes[row["cls"]] += row["m"] or 0
    table = []
    for pk, school_class in classes.items():
        c = counts[pk]
        missed = c.get(Code.ABSENT, 0) + c.get(Code.ILL, 0) + c.get(Code.EXCUSED, 0)
        table.append(
            [
                str(school_class),
                c.get(Code.ABSENT, 0),
                c.get(Code.ILL, 0),
                c.get(Code.EXCUSED, 0),
                missed,
                c.get(Code.LATE, 0),
                minutes[pk],
            ]
        )
    columns = [
        _("Class"),
        _("Absent (Н)"),
        _("Ill (Б)"),
        _("Excused (УП)"),
        _("Lessons missed"),
        _("Late (ОП)"),
        _("Minutes late"),
    ]
    return [Table(title=_("Attendance"), columns=columns, rows=table)]


def activity_tables(result) -> list[Table]:
    """The activity report as tables (the page's export and the published file): roles, weeks, the figure's terms."""
    from .activity import KIND_LABELS, KINDS

    weeks = result.week_labels()
    by_kind = []
    for row in result.rows:
        for kind in KINDS:
            cells = [w.get(kind) for w in row.weeks]
            by_kind.append(
                [str(row.label), str(KIND_LABELS[kind]), *(c.events if c else 0 for c in cells),
                 row.total[kind].events if kind in row.total else 0]
            )  # fmt: skip
    actives = []
    for row in result.rows:
        actives.append(
            [str(row.label), row.members, *(f"{n} ({_pct(p)})" for n, p in row.week_active()), row.active,
             _pct(row.share)]
        )  # fmt: skip
    terms = [[t.label, t.members, t.active, _pct(t.percent), t.weight] for t in result.terms]
    terms.append([_("Activity figure"), "", "", _pct(result.figure), ""])
    return [
        Table(title=_("Events"), columns=[_("Role"), _("Kind of action"), *weeks, _("Total")], rows=by_kind),
        Table(
            title=_("Active users"),
            columns=[_("Role"), _("Members"), *weeks, _("Active in the range"), _("Share")],
            rows=actives,
        ),
        Table(
            title=_("Activity figure"),
            columns=[_("Role"), _("Members"), _("Active"), _("Share"), _("Weight")],
            rows=terms,
        ),
    ]


def _activity(school: School, year: AcademicYear, start: datetime.date, end: datetime.date) -> list[Table]:
    from .activity import activity

    return activity_tables(activity(school=school, start=start, end=end))


def workload_tables(result) -> list[Table]:
    days = [day.strftime("%d.%m") for day in result.days]
    rows = []
    for row in result.rows:
        cells = []
        for day in row.days:
            text = _("%(lessons)s lessons; homework %(time)s") % {"lessons": day.lessons, "time": day.hours}
            if day.unestimated:
                text += "; " + _("without an estimate: %(n)s") % {"n": day.unestimated}
            if day.control:
                text += "; " + _("control works: %(n)s") % {"n": day.control}
            if day.minutes_over or day.control_over:
                text += " — " + _("over the limit")
            cells.append(text)
        week = str(row.control_week) + (" — " + _("over the limit") if row.control_week_over else "")
        rows.append([str(row.school_class), row.minutes_limit, *cells, week])
    columns = [_("Class"), _("Homework limit a day, min"), *days, _("Control works a week")]
    return [Table(title=_("Workload"), columns=columns, rows=rows)]


def _workload(school: School, year: AcademicYear, start: datetime.date, end: datetime.date) -> list[Table]:
    from .workload import workload

    return workload_tables(workload(school=school, year=year, week=start))


def council_tables(result) -> list[Table]:
    f, u = result.figures, result.usage
    journal = [
        [_("Lessons held"), f.held],
        [_("Lessons without a topic"), f.no_topic],
        [_("Lessons without homework"), f.no_homework],
        [_("Lessons without attendance taken"), f.no_attendance],
        [_("Marks entered"), f.marks],
        [_("Marks entered on time"), result.marks_on_time],
        [_("Marks entered late"), f.marks_late],
        [_("Homework entered late"), f.homework_late],
    ]
    corrections = [
        [_("Late-change requests"), result.late_changes.get("total", 0)],
        [_("of them approved"), result.late_changes.get("approved", 0)],
        [_("of them rejected"), result.late_changes.get("rejected", 0)],
        [_("Reports of a wrong mark"), result.appeals.get("total", 0)],
        [_("of them corrected"), result.appeals.get("corrected", 0)],
        [_("Remarks of journal control"), result.remarks.get("total", 0)],
        [_("of them fixed"), result.remarks.get("done", 0)],
        [_("open past their deadline"), result.remarks.get("overdue", 0)],
    ]
    families = [
        [_("Pupils who opened the diary"), f"{u.pupils_opened} / {u.pupils}"],
        [_("Parents who opened the diary"), f"{u.guardians_opened} / {u.guardians}"],
        [_("SMS sent"), result.notices["sms_sent"]],
        [_("Emails of marks sent"), result.notices["mark_emails"]],
        [_("Weekly summary sheets sent by email"), result.notices["weekly_email"]],
        [_("Weekly summary sheets handed over on paper"), result.notices["weekly_paper"]],
    ]
    return [
        *activity_tables(result.activity)[1:],
        Table(title=_("The journal"), columns=[_("Figure"), _("Value")], rows=journal),
        Table(title=_("Corrections"), columns=[_("Figure"), _("Value")], rows=corrections),
        Table(title=_("Families"), columns=[_("Figure"), _("Value")], rows=families),
    ]


def _council(school: School, year: AcademicYear, start: datetime.date, end: datetime.date) -> list[Table]:
    from .council import council_report

    return council_tables(council_report(school=school, year=year, today=clock.today(school.timezone)))


BUILDERS: dict[str, Callable[[School, AcademicYear, datetime.date, datetime.date], list[Table]]] = {
    Kind.FILL_RATE: _fill_rate,
    Kind.PERFORMANCE: _performance,
    Kind.ATTENDANCE: _attendance,
    Kind.ACTIVITY: _activity,
    Kind.WORKLOAD: _workload,
    Kind.COUNCIL: _council,
}


def period_of(kind: str, year: AcademicYear, start: datetime.date, end: datetime.date, today: datetime.date):
    """The period a published report covers: the week of `start` for the workload, the year (to today) for the
    council's report, the range itself for the others."""
    if kind == Kind.WORKLOAD:
        monday = start - datetime.timedelta(days=start.weekday())
        return monday, monday + datetime.timedelta(days=5)
    if kind == Kind.COUNCIL:
        return year.start, max(year.start, min(year.end, today))
    return start, end


# --- The last check: no one's name, login, email or phone ------------------------------------------------------


def _people_marks(school: School) -> list[str]:
    """What would identify a person of the school in a cell: «Фамилия Имя» (and «Имя Фамилия»), a login, an email,
    a phone. One query for everybody of the school (a rare action: publishing)."""
    people = User.objects.filter(pk__in=Membership.objects.filter(school=school).values("user_id")).values_list(
        "last_name", "first_name", "username", "email", "phone"
    )
    marks = []
    for last, first, login, email, phone in people:
        if last and first:
            marks += [f"{last} {first}".lower(), f"{first} {last}".lower()]
        # Logins the school generates have a dot or a digit (ivanova.mp, ivanova.mp2): a bare word («admin») would
        # match the report's own headers.
        if login and re.search(r"[.\d_]", login):
            marks.append(login.lower())
        if email:
            marks.append(email.lower())
        digits = re.sub(r"\D", "", phone or "")
        if len(digits) >= 7:
            marks.append(digits[-7:])
    return marks


def check_no_personal_data(school: School, tables: list[Table]) -> None:
    marks = _people_marks(school)
    texts = [t.caption for t in tables] + [str(v) for t in tables for row in [t.columns, *t.rows] for v in row]
    for text in texts:
        low = text.lower()
        digits = re.sub(r"\D", "", text)
        for mark in marks:
            if (mark.isdigit() and mark in digits) or (not mark.isdigit() and _contains_word(low, mark)):
                raise ReportsError(_("The report holds personal data and is not published. Tell the developers."))


def _contains_word(text: str, mark: str) -> bool:
    """The mark as a whole word (a login «ivanov» inside «ivanova» is not a match, a name is)."""
    return re.search(rf"(?<![\w@.]){re.escape(mark)}(?![\w@])", text) is not None


# --- The service ---------------------------------------------------------------------------------------------


def build(*, school: School, kind: str, year: AcademicYear, start: datetime.date, end: datetime.date, fmt: str):
    """(title, file bytes, tables) of a report for the website: pure of any write."""
    title = _("%(report)s, %(start)s – %(end)s") % {"report": Kind(kind).label, "start": _d(start), "end": _d(end)}
    tables = BUILDERS[kind](school, year, start, end)
    for table in tables:
        table.caption = f"{school.name}. {title}"
    check_no_personal_data(school, tables)
    if fmt == PublishedReport.Format.PDF:
        generated = generated_on(clock.local_now(school.timezone))
        content = render_pdf(PDF_TEMPLATE, {"school": school, "title": title, "tables": tables, "generated": generated})
    else:
        content = as_xlsx(tables)
    return title, content, tables


@transaction.atomic
def report_publish(
    *, actor: User, school: School, kind: str, year: AcademicYear, start: datetime.date, end: datetime.date, fmt: str
) -> PublishedReport:
    """Build a report without personal data and keep its file for the website, with an audit entry."""
    if kind not in BUILDERS:
        raise ReportsError(_("There is no such report."))
    if fmt not in PublishedReport.Format.values:
        raise ReportsError(_("Choose XLSX or PDF."))
    if year.school_id != school.pk:
        raise ReportsError(_("No academic year covers these dates."))
    today = clock.today(school.timezone)
    start, end = period_of(kind, year, start, end, today)
    if end < start:
        raise ReportsError(_("The end of the range is before its start."))
    if (end - start).days >= MAX_DAYS:
        raise ReportsError(_("The range is longer than one academic year."))
    if not (year.start <= start <= year.end):
        raise ReportsError(_("No academic year covers these dates."))
    title, content, _tables = build(school=school, kind=kind, year=year, start=start, end=end, fmt=fmt)
    filename = f"{kind}-{start.isoformat()}-{end.isoformat()}.{fmt}"
    published = PublishedReport(
        school=school,
        kind=kind,
        fmt=fmt,
        title=title,
        period_start=start,
        period_end=end,
        filename=filename,
        size=len(content),
        published_by=actor,
        published_at=clock.now(),
    )
    published.file.save(filename, ContentFile(content), save=False)
    published.save()
    record(
        actor=actor,
        school=school,
        action="reports.report.published",
        obj=published,
        data={"kind": kind, "format": fmt, "start": start.isoformat(), "end": end.isoformat(), "size": len(content)},
    )
    return published


def published_list(school: School):
    return PublishedReport.objects.for_school(school).select_related("published_by").filter(~Q(file=""))
