"""The risk list (issue 9, item 7): pupils likely to end the current period with «н/а» or a «2», subject by subject,
and pupils whose weighted average is falling. For one class or the whole school, in seven queries whatever its size
(settings, periods, courses, pupils, group members, the marks' totals of two spans, the lessons held and missed).

A pupil's course is at risk when (each is a reason shown):
- the forecast (the weighted average rounded by the school's rule, R-E02) is «2» or below;
- there are too few marks for an objective period mark (R-E06): fewer than `marks_needed` scaled to the part of the
  period gone (rounded down: nobody is listed on the period's first days);
- the share of lessons missed (Н, Б, УП; not ОП, not ДО) of the lessons held so far is above `threshold` %;
- the weighted average fell by `step` or more between `weeks` weeks ago (the marks up to that day) and today.

The period is each class's current one (the period of its grade that contains today, else the last one ended).
"""

import datetime
import functools
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from attendance.models import Absence
from ejournal.clock import local_now, today
from gradebook.period_marks import marks_needed
from gradebook.selectors import forecast_of, period_on
from gradebook.selectors_periods import period_totals
from schedule.models import Course, Enrollment, GroupMembership, Lesson, SchoolClass, StudyPeriod
from schedule.selectors import current_year

from .class_reports import (
    MISSED,
    _course_name,
    class_courses,
    class_periods,
    enrolled_on,
    full_name,
    group_members,
    school_settings,
    takes,
    year_periods,
)
from .jobs import Built, JobRefused, job_builder
from .pdf import generated_on, render_pdf
from .xlsx import XLSX_TYPE, Table, as_xlsx

KINDS = ("forecast", "few_marks", "missed", "falling")  # the reasons, in the order the pages count them
PUPIL_ID = "987654321"  # stands for the pupil's id in a reversed URL
DEFAULT_THRESHOLD = 30
DEFAULT_STEP = Decimal("0.5")
DEFAULT_WEEKS = 3


@dataclass
class Reason:
    kind: str  # "forecast", "few_marks", "missed", "falling"
    text: str


@dataclass
class RiskSubject:
    subject: str
    reasons: list[Reason]
    weighted: Decimal | None
    forecast: str
    count: int


@dataclass
class RiskPupil:
    pupil_id: int
    name: str
    class_id: int
    class_name: str
    subjects: list[RiskSubject] = field(default_factory=list)

    @property
    def kinds(self) -> set[str]:
        return {r.kind for s in self.subjects for r in s.reasons}


@dataclass
class RiskClass:
    school_class: SchoolClass
    period: StudyPeriod | None
    pupils: list[RiskPupil]
    html: str = ""  # the table's rows, made by `rows_html`


@dataclass
class Params:
    threshold: int = DEFAULT_THRESHOLD  # % of lessons missed
    step: Decimal = DEFAULT_STEP
    weeks: int = DEFAULT_WEEKS


@functools.lru_cache(maxsize=128)
def _held_sql(shape: tuple[int, ...]) -> str:
    """Per (pupil, course): the course's lessons (not cancelled) in its class's span while the pupil was on its list
    (the class's for a whole-class course, the group's for a group course), and those of them the pupil missed.
    `shape` is the number of classes of each span of dates. The lessons are found by the (school, date) index and
    read once; the absences are counted apart (few), not looked up for every pupil's every lesson."""
    q = connection.ops.quote_name
    lesson, course, enrollment, membership, absence = (
        q(m._meta.db_table) for m in (Lesson, Course, Enrollment, GroupMembership, Absence)
    )
    spans = " OR ".join(
        f"(c.school_class_id IN ({', '.join(['%s'] * n)}) AND l.date >= %s AND l.date <= %s)" for n in shape
    )
    missed = ", ".join(["%s"] * len(MISSED))
    return (
        "WITH l AS MATERIALIZED ("  # noqa: S608 - names from the models only
        f"SELECT l.id, l.date, l.course_id, c.school_class_id, c.group_id FROM {lesson} l"
        f" JOIN {course} c ON c.id = l.course_id"
        f" WHERE l.school_id = %s AND l.date >= %s AND l.date <= %s AND l.status <> %s AND ({spans}))"
        " SELECT x.pupil_id, x.course_id, 'h', COUNT(*) FROM ("
        f"SELECT e.pupil_id, l.course_id FROM l JOIN {enrollment} e"
        " ON l.group_id IS NULL AND e.school_class_id = l.school_class_id AND e.since <= l.date"
        " AND (e.until IS NULL OR e.until >= l.date)"
        " UNION ALL "
        f"SELECT g.pupil_id, l.course_id FROM l JOIN {membership} g"
        " ON l.group_id IS NOT NULL AND g.group_id = l.group_id AND g.since <= l.date"
        " AND (g.until IS NULL OR g.until >= l.date)) x"
        " GROUP BY x.pupil_id, x.course_id"
        " UNION ALL "
        f"SELECT a.pupil_id, l.course_id, 'm', COUNT(*) FROM {absence} a JOIN l ON l.id = a.lesson_id"
        f" WHERE a.school_id = %s AND a.code IN ({missed}) GROUP BY a.pupil_id, l.course_id"
    )


def lessons_held(
    *, school_id: int, spans: dict[int, tuple[datetime.date, datetime.date]]
) -> dict[tuple[int, int], tuple[int, int]]:
    """{(pupil, course): (lessons held, lessons missed)} of each class's courses in the class's span (`spans`:
    class id → dates): one query."""
    if not spans:
        return {}
    by_span: dict[tuple[datetime.date, datetime.date], list[int]] = {}
    for class_id, span in spans.items():
        by_span.setdefault(span, []).append(class_id)
    params: list = [
        school_id,
        min(a for a, _b in by_span),
        max(b for _a, b in by_span),
        Lesson.Status.CANCELLED,
    ]
    for (start, end), class_ids in by_span.items():
        params += [*class_ids, start, end]
    params += [school_id, *MISSED]
    held: dict[tuple[int, int], int] = {}
    missed: dict[tuple[int, int], int] = {}
    with connection.cursor() as cursor:
        cursor.execute(_held_sql(tuple(len(ids) for ids in by_span.values())), params)
        for pupil_id, course_id, kind, count in cursor.fetchall():
            (held if kind == "h" else missed)[(pupil_id, course_id)] = count
    return {pair: (count, missed.get(pair, 0)) for pair, count in held.items()}


def _num(value: Decimal | None) -> str:
    return f"{value:.2f}".replace(".", ",") if value is not None else "—"


def risk_list(
    *, classes: list[SchoolClass], day: datetime.date, params: Params | None = None, course_ids=None
) -> list[RiskClass]:
    """Each class with its pupils at risk (by name), in a fixed number of queries for any number of classes."""
    params = params or Params()
    if not classes:
        return []
    school_id = classes[0].school_id
    settings = school_settings(school_id)
    periods = year_periods(school_id=school_id, year_id=classes[0].year_id)
    period_of = {c.pk: period_on(class_periods(periods, c.grade), day) for c in classes}
    days = {c.pk: day for c in classes}
    courses = class_courses(classes, course_ids)
    pupils = enrolled_on(classes, days)
    all_courses = [c for cs in courses.values() for c in cs if period_of[c.school_class_id] is not None]
    members = group_members(all_courses, days)

    then = day - datetime.timedelta(weeks=params.weeks)
    ranges: dict[str, tuple[datetime.date, datetime.date]] = {}
    class_spans: dict[int, tuple[datetime.date, datetime.date]] = {}
    for course in all_courses:
        period = period_of[course.school_class_id]
        upto = min(day, period.end)
        ranges[f"{period.pk}"] = (period.start, upto)
        if then >= period.start:
            ranges[f"{period.pk}:then"] = (period.start, min(then, period.end))
        if upto >= period.start:
            class_spans[course.school_class_id] = (period.start, upto)
    course_ids_all = [c.pk for c in all_courses]
    totals = period_totals(school_id=school_id, course_ids=course_ids_all, spans=ranges, by="pupil_course")
    held = lessons_held(school_id=school_id, spans=class_spans)
    threshold = settings.rounding_threshold

    # The messages are translated once, not per pupil (a school's list may hold thousands).
    texts = {
        "forecast": _("forecast «%(mark)s» (weighted average %(avg)s)"),
        "few_marks": _("%(count)s marks, %(expected)s expected by now (%(needed)s for the period)"),
        "missed": _("missed %(missed)s of %(lessons)s lessons (%(share)s %%)"),
        "falling": _("weighted average fell from %(before)s to %(now)s in %(weeks)s weeks"),
    }
    result = []
    for school_class in classes:
        period = period_of[school_class.pk]
        at_risk = []
        own = courses.get(school_class.pk, []) if period is not None else []
        plan = []  # per course: its name, the marks needed for the period and expected by now
        if period is not None:
            length = (period.end - period.start).days + 1
            gone = min(max((day - period.start).days + 1, 0), length)
            for course in own:
                needed = marks_needed(course, settings)
                plan.append((course, _course_name(course), needed, needed * gone // length))
            now_key, then_key = f"{period.pk}", f"{period.pk}:then"
        for pupil in pupils.get(school_class.pk, []):
            entry = RiskPupil(
                pupil_id=pupil.pk, name=full_name(pupil), class_id=school_class.pk, class_name=str(school_class)
            )
            for course, name, needed, expected in plan:
                if not takes(course, pupil.pk, members):
                    continue
                pair = (pupil.pk, course.pk)
                now_totals = totals.get((pair, now_key))
                weighted = now_totals.weighted if now_totals else None
                count = now_totals.count if now_totals else 0
                forecast = forecast_of(weighted, threshold)
                reasons = []
                if forecast and int(forecast) <= 2:
                    text = texts["forecast"] % {"mark": forecast, "avg": _num(weighted)}
                    reasons.append(Reason("forecast", text))
                if count < expected:
                    text = texts["few_marks"] % {"count": count, "expected": expected, "needed": needed}
                    reasons.append(Reason("few_marks", text))
                lessons, missed = held.get(pair, (0, 0))
                if lessons and missed * 100 > params.threshold * lessons:
                    share = round(missed * 100 / lessons)
                    text = texts["missed"] % {"missed": missed, "lessons": lessons, "share": share}
                    reasons.append(Reason("missed", text))
                then_totals = totals.get((pair, then_key))
                before = then_totals.weighted if then_totals else None
                if before is not None and weighted is not None and before - weighted >= params.step:
                    text = texts["falling"] % {"before": _num(before), "now": _num(weighted), "weeks": params.weeks}
                    reasons.append(Reason("falling", text))
                if reasons:
                    entry.subjects.append(
                        RiskSubject(subject=name, reasons=reasons, weighted=weighted, forecast=forecast, count=count)
                    )
            if entry.subjects:
                at_risk.append(entry)
        result.append(RiskClass(school_class=school_class, period=period, pupils=at_risk))
    return result


def parse_params(data) -> Params:
    """The page's parameters (missing ones keep their defaults); ValueError when one is out of range."""
    params = Params()
    threshold, step, weeks = (str(data.get(k, "")).strip() for k in ("threshold", "step", "weeks"))
    try:
        if threshold:
            params.threshold = int(threshold)
        if step:
            params.step = Decimal(step.replace(",", "."))
        if weeks:
            params.weeks = int(weeks)
    except (ValueError, InvalidOperation) as error:
        raise ValueError(str(error)) from error
    if not (1 <= params.threshold <= 100 and Decimal("0.1") <= params.step <= 4 and 1 <= params.weeks <= 12):
        raise ValueError("out of range")
    return params


def rows_html(group: RiskClass, sheet_url: str = "") -> SafeString:
    """The class's table rows at once (a whole school's list has thousands: a template loop per cell is too slow).
    `sheet_url` is the summary sheet's URL with the pupil's id as `PUPIL_ID` (no links in a PDF)."""
    rows = []
    for pupil in group.pupils:
        name = escape(pupil.name)
        if sheet_url:
            name = f'<a href="{escape(sheet_url.replace(PUPIL_ID, str(pupil.pupil_id)))}">{name}</a>'
        head = f'<th scope="row" rowspan="{len(pupil.subjects)}">{name}</th>'
        for subject in pupil.subjects:
            reasons = "; ".join(
                f'<span class="cr-reason cr-{escape(r.kind)}">{escape(r.text)}</span>' for r in subject.reasons
            )
            rows.append(f"<tr>{head}<td>{escape(subject.subject)}</td><td>{reasons}</td></tr>")
            head = ""
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped


def risk_rows(groups: list[RiskClass]) -> list[list[str]]:
    """The list as plain rows (class, pupil, subject, reasons) for the exports."""
    rows = []
    for group in groups:
        for pupil in group.pupils:
            for subject in pupil.subjects:
                rows.append([pupil.class_name, pupil.name, subject.subject, "; ".join(r.text for r in subject.reasons)])
    return rows


def risk_table(groups: list[RiskClass], title: str) -> Table:
    return Table(
        title=_("Risk list"),
        columns=[_("Class"), _("Pupil"), _("Subject"), _("Reasons")],
        rows=risk_rows(groups),
        caption=title,
    )


def export_content(*, school, groups: list[RiskClass], title: str, fmt: str, generated: str) -> bytes:
    if fmt == "xlsx":
        return as_xlsx([risk_table(groups, title)])
    shown = [g for g in groups if g.pupils]
    for group in shown:
        group.html = rows_html(group)
    context = {"school": school, "title": title, "generated": generated, "groups": shown}
    return render_pdf("reports/class/pdf_risk.html", context)


@job_builder("class_risk_school")
def build_school_risk(job, progress) -> Built:
    """The whole school's risk list (the background export of the page): re-authorises the person who asked."""
    from accounts.access import access

    user, school = job.requested_by, job.school
    access(user).active_school_id = school.pk
    if not user.has_perm("reports.view_school_risk", school):
        raise JobRefused(_("You may no longer build this report."))
    try:
        params = parse_params(job.params)
    except ValueError:
        params = Params()
    fmt = "pdf" if job.params.get("format") == "pdf" else "xlsx"
    day = today(school.timezone)
    year = current_year(school=school, day=day)
    classes = list(SchoolClass.objects.filter(school=school, year=year).select_related("year")) if year else []
    progress(0, 2)
    groups = risk_list(classes=classes, day=day, params=params)
    progress(1, 2)
    title = _("Risk list of the school on %(day)s") % {"day": day.strftime("%d.%m.%Y")}
    content = export_content(
        school=school, groups=groups, title=title, fmt=fmt, generated=generated_on(local_now(school.timezone))
    )
    progress(2, 2)
    kind = XLSX_TYPE if fmt == "xlsx" else "application/pdf"
    return Built(content=content, filename=f"risk-{day.isoformat()}.{fmt}", content_type=kind)
