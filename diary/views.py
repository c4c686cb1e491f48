"""The diary's reading pages for pupils and parents (R-I01..R-I03, R-A06, R-A07): the week, the marks by subject
for a period, the homework list, and a homework's file. Read-only: nothing here writes but the day's visit.

Every page about a pupil carries `pupil_id` in its path; the pupil is looked for among those the user may look for
(another family's child answers 404), then the permission layer is asked (R-A07)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field, fields
from decimal import Decimal
from html import escape
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.dateparse import parse_date
from django.utils.formats import date_format, number_format
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from accounts.decorators import school_member_required, school_permission_required
from attendance.models import LONG, Code
from ejournal.clock import today
from gradebook.models import MarkAppeal, WorkType

from .selectors import (
    Attendance,
    MarkRow,
    NextMarks,
    diary_pupil,
    family_pupils,
    next_mark_options,
    next_marks,
    pupil_homework_file,
    weight_text,
)
from .selectors_marks import SubjectMarks, marks_reads, subject_marks
from .selectors_week import HomeworkItem, diary_week, pupil_homework, week_start
from .visits import visit_record

# --- Shared by the pages ----------------------------------------------------------------------------------------


def _open(request, pupil_id: int, day: datetime.date):
    """The pupil whose diary is asked for and the user's family, or 404 / 403; records a family's visit."""
    pupil, family = diary_pupil(user=request.user, school=request.school, pupil_id=pupil_id, day=day)
    if pupil is None:
        raise Http404
    if not request.user.has_perm("diary.view_diary", pupil):
        raise PermissionDenied
    visit_record(request, pupil)
    return pupil, family


@dataclass
class Child:
    pupil: object
    url: str
    current: bool


def _header(pupil, family, url_name: str, query: dict | None = None) -> dict:
    """The pages' common context: the pupil and the child switcher, whose links keep the page (and its week)."""
    suffix = f"?{urlencode(query)}" if query else ""
    children = [
        Child(child, reverse(url_name, kwargs={"pupil_id": child.pk}) + suffix, child.pk == pupil.pk)
        for child in family
    ]
    return {"pupil": pupil, "children": children if len(children) > 1 else []}


@require_GET
@school_permission_required("diary.view_own_diaries")
def home(request):
    """A pupil's own diary, or a guardian's first child's."""
    pupils = family_pupils(user=request.user, school=request.school)
    if not pupils:
        return render(request, "diary/no_children.html")
    return redirect("diary:pupil", pupil_id=pupils[0].pk)


# --- The week ---------------------------------------------------------------------------------------------------


def _asked_week(request, day: datetime.date) -> datetime.date:
    """The Monday of the week asked for (?week= any date of it); by default this week, or the coming one on a
    Sunday. A date that cannot be read is the default, never an error."""
    try:
        asked = parse_date(request.GET.get("week", ""))
    except ValueError:  # well formed but no such date («2026-02-30»)
        asked = None
    if asked is None or not 1900 < asked.year < 2200:
        return week_start(day)
    return asked - datetime.timedelta(days=asked.weekday())


@require_GET
@school_member_required
def pupil(request, pupil_id: int):
    """The pupil's week (R-I01, R-I02): lessons with times, teachers, topics, homework, marks and attendance."""
    day = today(request.school.timezone)
    monday = _asked_week(request, day)
    # The class the header shows: the one of today, or of the week looked at.
    pupil, family = _open(request, pupil_id, min(max(day, monday), monday + datetime.timedelta(days=5)))
    week = diary_week(pupil=pupil, school=request.school, week_start=monday, today=day)
    here = reverse("diary:pupil", kwargs={"pupil_id": pupil.pk})
    this_monday = week_start(day)
    return render(
        request,
        "diary/week/week.html",
        {
            **_header(pupil, family, "diary:pupil", {"week": monday.isoformat()}),
            "week": week,
            "days_html": week_html(week, pupil.pk),
            "day": day,
            "previous_url": f"{here}?week={week.previous.isoformat()}",
            "next_url": f"{here}?week={week.next.isoformat()}",
            "this_week_url": f"{here}#today" if monday != this_monday else "",
        },
    )


def _url_maker(name: str, pupil_id: int, key: str):
    """id → the URL of `name` for the pupil and that id: reversed once, then formatted (a week has dozens); None
    while the URL does not exist (the mark's page comes with the appeals)."""
    probe = 987654321
    try:
        sample = reverse(name, kwargs={"pupil_id": pupil_id, key: probe})
    except NoReverseMatch:
        return None
    head, sep, tail = sample.rpartition(str(probe))
    if not sep or str(probe) in head:
        return lambda pk: reverse(name, kwargs={"pupil_id": pupil_id, key: pk})
    return lambda pk: f"{head}{pk}{tail}"


def week_html(week, pupil_id: int) -> str:
    """The week's day cards. Written in Python, not with the template's loops: a week of ~35 lessons, each with
    marks, homework and files, took the template longer than all the rest of the page (the journal grid's lesson).
    Every value is escaped here."""
    from .views_submissions import WeekPieces  # materials and tasks (R-G03, R-G04); it imports this module

    mark_href = _url_maker("diary:mark", pupil_id, "work_id")
    file_href = _url_maker("diary:homework_file", pupil_id, "file_id")
    pieces = WeekPieces(pupil_id)
    t = {
        "today": escape(_("today")),
        "holidays": escape(_("Holidays")),
        "room": escape(_("room")),
        "substitution": escape(_("substitution")),
        "distance": escape(_("distance")),
        "cancelled": escape(_("The lesson is cancelled")),
        "topic": escape(_("Topic")),
        "homework": '<span class="dw-hw-word">' + escape(_("Homework")) + "</span>",
        "pages": escape(_("Pages")),
        "exercises": escape(_("Exercises")),
        "open": escape(_("Reported as wrong: the teacher is checking it")),
        "corrected": escape(_("The teacher corrected the mark")),
        "answered": escape(_("The teacher's answer")),
        "none": escape(_("No lessons")),
    }
    due_label = _("Homework for today (set on %(date)s)")
    by_label = _("by %(date)s")
    out = []
    for number, day in enumerate(week.days):
        if number == 5 and not day.lessons and not day.holiday:
            continue  # a school of five days: no empty Saturday
        today_css, badge = (" dw-today", f' <span class="badge ok">{t["today"]}</span>') if day.is_today else ("", "")
        weekday = escape(capfirst(date_format(day.date, "l")))
        out.append(
            f'<section class="dw-day{today_css}" id="{day.anchor}"><h2>{weekday}, '
            f"{escape(date_format(day.date, 'j E'))}{badge}</h2>"
        )
        if day.holiday:
            out.append(f'<p class="dw-holiday">{t["holidays"]}: {escape(day.holiday)}</p>')
        if not day.lessons:
            if not day.holiday:
                out.append(f'<p class="hint">{t["none"]}</p>')
            out.append("</section>")
            continue
        out.append('<ol class="dw-lessons">')
        for lesson in day.lessons:
            out.append(f'<li class="dw-lesson{" dw-cancelled" if lesson.cancelled else ""}">')
            time = (
                f'<span class="dw-time">{lesson.start:%H:%M}–{lesson.end:%H:%M}</span>'
                if lesson.start and lesson.end
                else ""
            )
            attendance = (
                f'<abbr class="dw-att" title="{escape(lesson.attendance_title)}">{escape(lesson.attendance)}</abbr>'
                if lesson.attendance
                else ""
            )
            out.append(
                f'<p class="dw-head"><span class="dw-num">{lesson.number}</span>{time}'
                f'<strong class="dw-subject">{escape(lesson.subject)}</strong>{attendance}</p>'
            )
            meta = []
            if lesson.room:
                meta.append(f"{t['room']} {escape(lesson.room)}")
            if lesson.teacher:
                meta.append(escape(lesson.teacher))
            badges = f' <span class="badge warn">{t["substitution"]}</span>' if lesson.substituted else ""
            if lesson.distance:
                badges += f' <span class="badge">{t["distance"]}</span>'
            out.append(f'<p class="dw-meta">{" · ".join(meta)}{badges}</p>')
            if lesson.cancelled:
                reason = f": {escape(lesson.cancel_reason)}" if lesson.cancel_reason else ""
                out.append(f'<p class="dw-cancel">{t["cancelled"]}{reason}</p>')
            if lesson.attendance:
                out.append(f'<p class="dw-att-line">{escape(capfirst(lesson.attendance_title))}</p>')
            if lesson.topic:
                topic = escape(lesson.topic)
                out.append(f'<p class="dw-topic"><span class="dw-label">{t["topic"]}:</span> {topic}</p>')
            if lesson.marks:
                out.append('<ul class="dw-marks">')
                for mark in lesson.marks:
                    what = escape(f"{mark.work_type}: {mark.title}" if mark.title else mark.work_type)
                    inner = (
                        f'<span class="dw-value">{escape(mark.value)}</span><span class="dw-kind">{what} '
                        f'<span class="dw-weight">×{mark.weight}</span></span>'
                    )
                    if mark_href is not None:
                        out.append(f'<li><a class="dw-mark" href="{mark_href(mark.work_id)}">{inner}</a>')
                    else:
                        out.append(f'<li><span class="dw-mark">{inner}</span>')
                    if mark.comment:
                        out.append(f'<p class="dw-comment">{escape(mark.comment)}</p>')
                    if mark.appeal == MarkAppeal.Status.OPEN:
                        out.append(f'<p class="dw-appeal">{t["open"]}</p>')
                    elif mark.appeal:
                        said = t["corrected"] if mark.appeal == MarkAppeal.Status.CORRECTED else t["answered"]
                        answer = f": {escape(mark.answer)}" if mark.answer else ""
                        out.append(f'<p class="dw-appeal">{said}{answer}</p>')
                    out.append("</li>")
                out.append("</ul>")
            out.append(pieces.materials(lesson))
            for homework in lesson.due:
                label = escape(due_label % {"date": date_format(homework.set_on, "j E")})
                out.append(_homework_html(homework, "dw-hw dw-due", label, t, file_href, pieces))
            if lesson.homework is not None:
                homework = lesson.homework
                label = t["homework"]
                if homework.due_on:
                    when = escape(by_label % {"date": date_format(homework.due_on, "j E")})
                    label += f' <span class="dw-when">{when}</span>'
                out.append(_homework_html(homework, "dw-hw", label, t, file_href, pieces))
            out.append("</li>")
        out.append("</ol></section>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def _homework_html(homework, css: str, label: str, t: dict, file_href, pieces=None) -> str:
    parts = [f'<div class="{css}"><p class="dw-label">{label}</p>']
    if homework.text:
        text = escape(homework.text).replace("\r\n", "\n").replace("\n", "<br>")
        parts.append(f"<p>{text}</p>")
    where = []
    if homework.pages:
        where.append(f"{t['pages']}: {escape(homework.pages)}")
    if homework.exercises:
        where.append(f"{t['exercises']}: {escape(homework.exercises)}")
    if where:
        parts.append(f"<p>{'; '.join(where)}</p>")
    if homework.files:
        parts.append('<ul class="dw-files">')
        for f in homework.files:
            parts.append(f'<li><a href="{file_href(f.id)}" download>{escape(f.name)}</a></li>')
        parts.append("</ul>")
    if pieces is not None:
        parts.append(pieces.task(homework))
    parts.append("</div>")
    return "".join(parts)


# --- Marks by subject -------------------------------------------------------------------------------------------


@dataclass
class SubjectRow(SubjectMarks):
    """One subject of the marks page: its figures (diary.selectors_marks), how the weighted average is made with the
    subject's numbers, what the next marks must be, and the attendance as lines."""

    how: str = ""
    rounding: str = ""
    advice: str = ""
    attendance_lines: list[tuple[str, str, int]] = field(default_factory=list)  # (code, meaning, lessons)
    late: str = ""


def _num(value: Decimal, places: int = 2) -> str:
    return number_format(value, places)


def _how(marks: list[MarkRow], weighted: Decimal | None) -> str:
    numeric = [(Decimal(m.value), m.weight) for m in marks if m.numeric]
    total = sum((v * w for v, w in numeric), Decimal(0))
    weights = sum((w for _v, w in numeric), Decimal(0))
    if weighted is None or not weights:
        return ""
    return _("(sum of mark × weight) %(total)s / (sum of weights) %(weights)s = %(weighted)s") % {
        "total": weight_text(total),
        "weights": weight_text(weights),
        "weighted": _num(weighted),
    }


def _rounding(weighted: Decimal | None, forecast: str, threshold: Decimal) -> str:
    if weighted is None or not forecast:
        return ""
    return _("The school rounds up from a fraction of %(threshold)s: %(weighted)s → «%(forecast)s».") % {
        "threshold": _num(Decimal(str(threshold))),
        "weighted": _num(weighted),
        "forecast": forecast,
    }


def advice_text(advice: NextMarks, limit: int = 10) -> str:
    """What the next marks must be, in words: «To «5»: 2 fives in a row (weight 1) or 1 five for a control work
    (weight 2).»"""
    if advice.state == "no_marks":
        return _("No marks yet: the forecast appears with the first one.")
    if advice.state == "top":
        return ""
    if advice.state == "unreachable":
        return _("Even %(limit)s fives in a row would not bring the average to «%(target)s» in this period.") % {
            "limit": limit,
            "target": advice.target,
        }
    ways = []
    for step in advice.steps:
        weight = weight_text(step.option.weight)
        if step.count is None:
            ways.append(_("more than %(limit)s fives of weight %(weight)s") % {"limit": limit, "weight": weight})
        elif step.option.name:
            text = ngettext(
                "%(count)s five for «%(name)s» (weight %(weight)s)",
                "%(count)s fives for «%(name)s» (weight %(weight)s)",
                step.count,
            )
            ways.append(text % {"count": step.count, "name": step.option.name, "weight": weight})
        else:
            text = ngettext(
                "%(count)s five (weight %(weight)s)", "%(count)s fives in a row (weight %(weight)s)", step.count
            )
            ways.append(text % {"count": step.count, "weight": weight})
    return _("To «%(target)s»: %(ways)s.") % {"target": advice.target, "ways": _(" or ").join(ways)}


def _attendance_rows(totals: Attendance | None) -> tuple[list[tuple[str, str, int]], str]:
    if totals is None:
        return [], ""
    short = dict(Code.choices)
    rows = [(short[code], str(LONG[code]), totals.missed[code]) for code in Code.values if code in totals.missed]
    if totals.remote:
        rows.append((short[Code.REMOTE], str(LONG[Code.REMOTE]), totals.remote))
    late = ""
    if totals.late:
        late = ngettext(
            "late %(count)s time, %(minutes)s min in all", "late %(count)s times, %(minutes)s min in all", totals.late
        ) % {"count": totals.late, "minutes": totals.late_minutes}
    return rows, late


@require_GET
@school_member_required
def marks(request, pupil_id: int):
    """Marks by subject for a study period or the year (R-I01, R-I03): every mark with its date, work type and
    weight, the averages and how the weighted one is made, the forecast and what the next marks must be, the period
    and year marks, the attendance."""
    day = today(request.school.timezone)
    pupil, family = _open(request, pupil_id, day)
    asked = request.GET.get("period", "")
    reads = marks_reads(school=request.school, pupil=pupil, day=day, asked=asked, strict=False)
    settings, results, span = reads.settings, reads.results, reads.span
    periods, period, whole_year, start, end = span.periods, span.period, span.whole_year, span.start, span.end
    work_types: list[WorkType] | None = None  # read once, when a subject's advice needs them
    threshold = settings.rounding_threshold
    open_period = period is not None and period.end >= day
    mark_href = None
    rows = []
    for subject in subject_marks(school=request.school, pupil=pupil, reads=reads):
        course_marks = subject.marks
        row = SubjectRow(**{f.name: getattr(subject, f.name) for f in fields(SubjectMarks)})
        row.how = _how(course_marks, row.weighted)
        if row.attested:
            row.rounding = _rounding(row.weighted, row.forecast, threshold)
            if open_period and not row.value:
                pairs = [(m.value, m.weight) for m in course_marks]
                if work_types is None:
                    work_types = list(WorkType.objects.filter(school=request.school).order_by("position", "name"))
                options = next_mark_options([m.weight for m in course_marks if m.numeric], work_types)
                row.advice = advice_text(next_marks(marks=pairs, threshold=threshold, options=options))
        row.attendance_lines, row.late = _attendance_rows(None if row.attendance.empty else row.attendance)
        rows.append(row)
        mark_href = mark_href or _url_maker("diary:mark", pupil.pk, "work_id") or (lambda _pk: "")
        for mark in course_marks:
            mark.url = mark_href(mark.work_id)

    here = reverse("diary:marks", kwargs={"pupil_id": pupil.pk})
    choices = [(str(p), f"{here}?period={p.pk}", p == period) for p in periods]
    choices.append((_("Year"), f"{here}?period=year", whole_year))
    return render(
        request,
        "diary/week/marks.html",
        {
            **_header(pupil, family, "diary:marks", {"period": asked} if asked else None),
            "rows": rows,
            "subjects_html": subjects_html(rows, whole_year),
            "results": results,
            "period": period,
            "whole_year": whole_year,
            "start": start,
            "end": end,
            "choices": choices if periods else [],
            "threshold": threshold,
            "open": MarkAppeal.Status.OPEN,
        },
    )


def subjects_html(rows: list[SubjectRow], whole_year: bool) -> str:
    """The subjects' cards: each mark (a link to its page) with its weight, date and work type; the counts,
    averages, forecasts, period and year marks, attendance; how the average is made and what the next marks must
    be. Written in Python as the week is: a year of marks is hundreds of them. Every value is escaped here."""
    t = {
        "marks": escape(_("Marks")),
        "average": escape(_("Average")),
        "weighted": escape(_("Weighted average")),
        "forecast": escape(_("Forecast")),
        "period_mark": escape(_("Period mark")),
        "year_forecast": escape(_("Year forecast")),
        "year_mark": escape(_("Year mark")),
        "attendance": escape(_("Attendance")),
        "no_absences": escape(_("no absences")),
        "how": escape(_("How is this average made")),
        "none_yet": escape(_("No marks in this period yet.")),
        "checked": escape(_("being checked")),
    }
    out = []
    for row in rows:
        out.append(f'<section class="dm-subject"><h2>{escape(row.name)}</h2>')
        if row.marks:
            out.append('<ul class="dm-marks">')
            for m in row.marks:
                tag, href = ("a", f' href="{m.url}"') if m.url else ("span", "")
                extra = f'<span class="dm-comment">{escape(m.comment)}</span>' if m.comment else ""
                if m.appeal == MarkAppeal.Status.OPEN:
                    extra += f'<span class="badge warn">{t["checked"]}</span>'
                out.append(
                    f'<li><{tag} class="dm-mark"{href}><span class="dw-value">{escape(m.value)}</span> '
                    f'<span class="dw-weight">×{m.weight_text}</span><span class="dm-when">{m.date:%d.%m} · '
                    f"{escape(m.work_type)}</span>{extra}</{tag}></li>"
                )
            out.append("</ul>")
        else:
            out.append(f'<p class="hint">{t["none_yet"]}</p>')
        facts = [
            (t["marks"], str(row.count)),
            (t["average"], _num(row.average) if row.average is not None else "—"),
            (t["weighted"], _num(row.weighted) if row.weighted is not None else "—"),
        ]
        if row.attested:
            if not whole_year:
                facts.append((t["forecast"], escape(row.forecast or "—")))
                facts.append((t["period_mark"], f"<strong>{escape(row.value or '—')}</strong>"))
            facts.append((t["year_forecast"], escape(row.year_forecast or "—")))
            facts.append((t["year_mark"], f"<strong>{escape(row.year_value or '—')}</strong>"))
        missed = ", ".join(
            f'<abbr title="{escape(meaning)}">{escape(code)}</abbr> {count}'
            for code, meaning, count in row.attendance_lines
        )
        if row.late:
            missed = f"{missed}; {escape(row.late)}" if missed else escape(row.late)
        facts.append((t["attendance"], missed or t["no_absences"]))
        out.append('<dl class="dm-facts">')
        out.extend(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in facts)
        out.append("</dl>")
        if row.how:
            rounding = f"<p>{escape(row.rounding)}</p>" if row.rounding else ""
            out.append(
                f'<details class="dm-how"><summary>{t["how"]}</summary><p>{escape(row.how)}</p>{rounding}</details>'
            )
        if row.advice:
            out.append(f'<p class="dm-advice">{escape(row.advice)}</p>')
        out.append("</section>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


# --- Homework ---------------------------------------------------------------------------------------------------

PAST_DAYS = 14


@require_GET
@school_member_required
def homework(request, pupil_id: int):
    """The pupil's homework by the date it is due (the due lesson's date, else the date it was set), from today on
    (?past=1: from two weeks ago), across subjects, with files."""
    day = today(request.school.timezone)
    pupil, family = _open(request, pupil_id, day)
    past = request.GET.get("past") == "1"
    start = day - datetime.timedelta(days=PAST_DAYS) if past else day
    items = pupil_homework(school=request.school, pupil=pupil, start=start)
    file_href = _url_maker("diary:homework_file", pupil.pk, "file_id")
    for item in items:
        for f in item.files:
            f.url = file_href(f.id)
    by_day: dict[datetime.date, list[HomeworkItem]] = defaultdict(list)
    for item in items:
        by_day[item.due_on].append(item)
    here = reverse("diary:homework", kwargs={"pupil_id": pupil.pk})
    return render(
        request,
        "diary/week/homework.html",
        {
            **_header(pupil, family, "diary:homework", {"past": "1"} if past else None),
            "days": sorted(by_day.items()),
            "day": day,
            "past": past,
            "toggle_url": here if past else f"{here}?past=1",
        },
    )


@require_GET
@school_member_required
def homework_file(request, pupil_id: int, file_id: int):
    """A file of the homework of one of this pupil's lessons (their class's or group's on its date), as an
    attachment; any other file answers 404."""
    day = today(request.school.timezone)
    pupil, _family = _open(request, pupil_id, day)
    file = pupil_homework_file(school=request.school, pupil=pupil, file_id=file_id)
    if file is None:
        raise Http404
    try:
        handle = file.file.open("rb")
    except FileNotFoundError as e:
        raise Http404 from e
    return FileResponse(handle, as_attachment=True, filename=file.name)
