"""Class reports (issue 9, item 4; R-J03, R-J05, R-J06, R-I13): a class's performance in a study period or the year,
and its attendance over a period or any range of dates.

Performance counts the period marks set (`PeriodMark`) and, where a pupil's mark is not set yet, the forecast made
from the current weighted average (`period_totals` + `forecast_of` with the school's rounding threshold): the
preliminary report (R-E13) that is due `SchoolSettings.preliminary_report_days` before the period ends. The report
says which version it is: final (every mark set), preliminary (from the due day; forecasts where a mark is missing)
or current (before it). A report may be mixed: the page says how many marks are set and how many are forecasts.

Definitions (seed 003 class teacher, seed 004 §9–11):
- a subject's base is its pupils with a mark «1»…«5», «н/а» or «долг» (set or forecast); «зач», «незач» and «осв»
  are counted apart and left out of the percentages;
- quality % = share of «4» and «5» in the base; success % = share of «3», «4» and «5» (without «2», «1», «н/а»,
  «долг»); the average is the mean of the numeric marks;
- for the class as a whole the same is counted per pupil: a pupil is successful without any failing mark, of
  quality with only «4» and «5» (and «зач», «осв»);
- debts (R-E09): «2» and «1», «н/а», «долг» and «незач», in any subject (a forecast «2» of the preliminary version
  too, marked as a forecast).

The data of a whole list of classes is read in a fixed number of queries (courses, pupils, group members, settings,
period marks, the marks' totals): the index of the class reports uses the same reads as one class's report.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import SchoolSettings, User
from attendance.models import Absence, Code
from gradebook.models import PeriodMark
from gradebook.selectors import NUMERIC, forecast_of, period_on
from gradebook.selectors_periods import period_totals
from schedule.models import Course, Enrollment, GroupMembership, Lesson, SchoolClass, StudyPeriod
from schedule.selectors import PERSON_FIELDS

from .jobs import Built, JobRefused, job_builder
from .xlsx import XLSX_TYPE, Table, as_xlsx

TENTH = Decimal("0.1")
CENT = Decimal("0.01")
GOOD = {"4", "5"}
PASSING = {"3", "4", "5"}
DEBTS = {"1", "2", PeriodMark.Value.NOT_ATTESTED, PeriodMark.Value.DEBT, PeriodMark.Value.FAIL}
BASE = NUMERIC | {PeriodMark.Value.NOT_ATTESTED, PeriodMark.Value.DEBT}
# The columns of the marks' counts, in the order the reports show them.
MARK_COLUMNS = ("5", "4", "3", "2", "1", "н/а", "долг", "зач", "незач", "осв")
MISSED = (Code.ABSENT, Code.ILL, Code.EXCUSED)

FINAL, PRELIMINARY, CURRENT = "final", "preliminary", "current"


def percent(part: int, whole: int) -> Decimal | None:
    return (Decimal(part * 100) / whole).quantize(TENTH, ROUND_HALF_UP) if whole else None


def school_settings(school_id: int) -> SchoolSettings:
    return SchoolSettings.objects.filter(school_id=school_id).first() or SchoolSettings(school_id=school_id)


def full_name(user) -> str:
    return " ".join(n for n in (user.last_name, user.first_name, user.middle_name) if n) or user.username


def class_periods(periods: list[StudyPeriod], grade: int) -> list[StudyPeriod]:
    return [p for p in periods if p.grade_from <= grade <= p.grade_to]


def year_periods(*, school_id: int, year_id: int) -> list[StudyPeriod]:
    return list(StudyPeriod.objects.filter(school_id=school_id, year_id=year_id).order_by("start", "grade_from"))


@dataclass(frozen=True)
class Span:
    """What a class's report covers: a period, or the year (`period` None) from its first period's start."""

    period: StudyPeriod | None
    start: datetime.date
    end: datetime.date

    @property
    def key(self) -> str:
        return str(self.period.pk) if self.period is not None else f"year:{self.start}:{self.end}"


def year_span(periods: list[StudyPeriod], school_class: SchoolClass) -> Span:
    own = class_periods(periods, school_class.grade)
    if own:
        return Span(None, own[0].start, own[-1].end)
    return Span(None, school_class.year.start, school_class.year.end)


# --- Reading a list of classes at once ------------------------------------------------------------------------


def class_courses(classes: list[SchoolClass], course_ids=None) -> dict[int, list[Course]]:
    """The attested lesson courses of each class (its whole-class courses and its subgroups'), by subject: one
    query. A group across classes belongs to no class and is left out. `course_ids` restricts them (a subject
    teacher's own courses)."""
    from gradebook.period_marks import is_attested

    if not classes:
        return {}
    rows = (
        Course.objects.filter(
            school_id=classes[0].school_id,
            school_class_id__in=[c.pk for c in classes],
            kind=Course.Kind.LESSON,
        )
        .select_related("subject", "group")
        .order_by("subject__name", "group__name", "pk")
    )
    if course_ids is not None:
        rows = rows.filter(pk__in=list(course_ids))
    result: dict[int, list[Course]] = defaultdict(list)
    for course in rows:
        if is_attested(course):
            result[course.school_class_id].append(course)
    return result


@dataclass(frozen=True)
class Person:
    """A pupil as the reports show them (plain values: a school's list is read without building models)."""

    pk: int
    username: str
    last_name: str
    first_name: str
    middle_name: str
    form: str = "school"  # Enrollment.Form: family or self-education are attested by the commission (R-E11)

    def get_full_name(self) -> str:
        return full_name(self)


def enrolled_on(classes: list[SchoolClass], days: dict[int, datetime.date]) -> dict[int, list[Person]]:
    """The pupils of each class on its day (`days[class_id]`), by name: one query."""
    if not classes:
        return {}
    first, last = min(days.values()), max(days.values())
    rows = (
        Enrollment.objects.filter(
            Q(until__isnull=True) | Q(until__gte=first),
            school_id=classes[0].school_id,
            school_class_id__in=[c.pk for c in classes],
            since__lte=last,
        )
        .order_by("pupil__last_name", "pupil__first_name", "pupil__middle_name", "pupil_id")
        .values_list("school_class_id", "since", "until", "pupil_id", "form", *(f"pupil__{f}" for f in PERSON_FIELDS))
    )
    result: dict[int, list[Person]] = defaultdict(list)
    seen = set()
    for class_id, since, until, pupil_id, form, *names in rows:
        day = days[class_id]
        if since <= day and (until is None or until >= day) and (class_id, pupil_id) not in seen:
            seen.add((class_id, pupil_id))
            result[class_id].append(Person(pupil_id, *names, form=form))
    return result


def group_members(courses: list[Course], days: dict[int, datetime.date]) -> dict[int, set[int]]:
    """Group id → its members on its class's day: one query (none without group courses)."""
    groups = {c.group_id: days[c.school_class_id] for c in courses if c.group_id is not None}
    if not groups:
        return {}
    first, last = min(groups.values()), max(groups.values())
    result: dict[int, set[int]] = defaultdict(set)
    for group_id, pupil_id, since, until in GroupMembership.objects.filter(
        Q(until__isnull=True) | Q(until__gte=first), group_id__in=list(groups), since__lte=last
    ).values_list("group_id", "pupil_id", "since", "until"):
        day = groups[group_id]
        if since <= day and (until is None or until >= day):
            result[group_id].add(pupil_id)
    return result


def takes(course: Course, pupil_id: int, members: dict[int, set[int]]) -> bool:
    return course.group_id is None or pupil_id in members.get(course.group_id, ())


# --- Performance --------------------------------------------------------------------------------------------


@dataclass
class Cell:
    value: str = ""  # the mark set, else the forecast, else empty
    forecast: bool = False  # the value is a forecast (the mark is not set yet)
    weighted: Decimal | None = None


@dataclass
class Line:
    """A subject's figures (or the class's, `name` empty)."""

    name: str
    counts: dict[str, int] = field(default_factory=dict)
    base: int = 0
    good: int = 0
    passing: int = 0
    total: int = 0  # sum of the numeric marks
    numeric: int = 0
    forecasts: int = 0
    pupils: int = 0  # with a mark of any kind

    @property
    def attested(self) -> int:
        return self.numeric

    @property
    def quality(self) -> Decimal | None:
        return percent(self.good, self.base)

    @property
    def success(self) -> Decimal | None:
        return percent(self.passing, self.base)

    @property
    def average(self) -> Decimal | None:
        return (Decimal(self.total) / self.numeric).quantize(CENT, ROUND_HALF_UP) if self.numeric else None

    @property
    def count_list(self) -> list[int]:
        return [self.counts.get(v, 0) for v in MARK_COLUMNS]

    def add(self, value: str, forecast: bool) -> None:
        if not value:
            return
        self.pupils += 1
        self.counts[value] = self.counts.get(value, 0) + 1
        self.forecasts += forecast
        if value in BASE:
            self.base += 1
            self.good += value in GOOD
            self.passing += value in PASSING
        if value in NUMERIC:
            self.numeric += 1
            self.total += int(value)


@dataclass
class PupilRow:
    pupil: User
    cells: list[Cell | None]  # None: the pupil does not take the course (another subgroup)

    @property
    def name(self) -> str:
        return full_name(self.pupil)


@dataclass
class Debt:
    subject: str
    value: str
    forecast: bool


@dataclass
class Performance:
    school_class: SchoolClass
    span: Span
    day: datetime.date
    version: str
    due: datetime.date  # the preliminary report is due from this day (R-E13)
    courses: list[Course]
    subjects: list[str]
    rows: list[PupilRow]
    lines: list[Line]
    total: Line  # the class as a whole: counted per pupil
    marks_total: Line  # every mark of every subject together
    set_count: int = 0
    forecast_count: int = 0
    missing_count: int = 0  # neither set nor a forecast (no marks at all)
    excellent: list[str] = field(default_factory=list)
    one_four: list[tuple[str, str]] = field(default_factory=list)  # (pupil, subject of the «4»)
    one_three: list[tuple[str, str]] = field(default_factory=list)
    debtors: list[tuple[str, list[Debt]]] = field(default_factory=list)

    @property
    def mixed(self) -> bool:
        return self.set_count > 0 and self.forecast_count > 0

    @property
    def is_final(self) -> bool:
        return self.version == FINAL


def _reference_day(span: Span, day: datetime.date) -> datetime.date:
    """Whose list the report counts: the pupils on the class's list today, or on the span's last day once it is
    over (or its first, before it begins)."""
    return min(max(day, span.start), span.end)


def performances(
    *,
    classes: list[SchoolClass],
    spans: dict[int, Span],
    periods: list[StudyPeriod],
    day: datetime.date,
    course_ids=None,
) -> dict[int, Performance]:
    """The performance of each class in its span (`spans[class_id]`): six queries for any number of classes and
    pupils (courses, pupils, group members, settings, the period marks, the marks' totals). `periods` are the
    year's (for the year's forecast from the period marks)."""
    if not classes:
        return {}
    school_id = classes[0].school_id
    days = {c.pk: _reference_day(spans[c.pk], day) for c in classes}
    courses = class_courses(classes, course_ids)
    pupils = enrolled_on(classes, days)
    all_courses = [c for cs in courses.values() for c in cs]
    members = group_members(all_courses, days)
    settings = school_settings(school_id)
    threshold = settings.rounding_threshold
    course_ids_all = [c.pk for c in all_courses]
    pupil_ids = sorted({p.pk for ps in pupils.values() for p in ps})

    # The period marks set: of the spans' periods (and, for a year's report, the year's and its periods' marks).
    set_marks: dict[tuple[int, int, int | None], str] = {}
    if course_ids_all and pupil_ids:
        for course_id, pupil_id, period_id, value in PeriodMark.objects.filter(
            school_id=school_id, course_id__in=course_ids_all, pupil_id__in=pupil_ids
        ).values_list("course_id", "pupil_id", "period_id", "value"):
            set_marks[(course_id, pupil_id, period_id)] = value
    ranges = {s.key: (s.start, s.end) for s in spans.values()}
    totals = period_totals(school_id=school_id, course_ids=course_ids_all, spans=ranges, by="pupil_course")

    result = {}
    for school_class in classes:
        span = spans[school_class.pk]
        own_courses = courses.get(school_class.pk, [])
        grade_periods = class_periods(periods, school_class.grade)
        rows, lines = [], [Line(name=_course_name(c)) for c in own_courses]
        marks_total = Line(name="")
        set_count = forecast_count = missing = 0
        key = span.key
        period_id = span.period.pk if span.period is not None else None
        grade_period_ids = [p.pk for p in grade_periods]
        # Plain tuples: the loop runs for every pupil × subject of the school on the index.
        plan = [
            (c.pk, members.get(c.group_id, frozenset()) if c.group_id is not None else None, line)
            for c, line in zip(own_courses, lines, strict=True)
        ]
        for pupil in pupils.get(school_class.pk, []):
            pupil_id = pupil.pk
            cells: list[Cell | None] = []
            for course_id, group, line in plan:
                if group is not None and pupil_id not in group:
                    cells.append(None)
                    continue
                got = totals.get(((pupil_id, course_id), key))
                cell = Cell(weighted=got.weighted if got else None)
                value = set_marks.get((course_id, pupil_id, period_id), "")
                if value:
                    cell.value = value
                    set_count += 1
                else:
                    if period_id is None:
                        numeric = [
                            int(v)
                            for p in grade_period_ids
                            if (v := set_marks.get((course_id, pupil_id, p), "")) in NUMERIC
                        ]
                        mean = (
                            (Decimal(sum(numeric)) / len(numeric)).quantize(CENT, ROUND_HALF_UP)
                            if numeric
                            else cell.weighted
                        )
                        cell.value = forecast_of(mean, threshold)
                    elif cell.weighted is not None:
                        cell.value = forecast_of(cell.weighted, threshold)
                    cell.forecast = bool(cell.value)
                    forecast_count += cell.forecast
                    missing += not cell.value
                line.add(cell.value, cell.forecast)
                marks_total.add(cell.value, cell.forecast)
                cells.append(cell)
            rows.append(PupilRow(pupil=pupil, cells=cells))
        due = span.end - datetime.timedelta(days=settings.preliminary_report_days)
        if rows and set_count and not forecast_count and not missing:
            version = FINAL
        elif day >= due:
            version = PRELIMINARY
        else:
            version = CURRENT
        perf = Performance(
            school_class=school_class,
            span=span,
            day=day,
            version=version,
            due=due,
            courses=own_courses,
            subjects=[line.name for line in lines],
            rows=rows,
            lines=lines,
            total=Line(name=""),
            marks_total=marks_total,
            set_count=set_count,
            forecast_count=forecast_count,
            missing_count=missing,
        )
        _pupil_lists(perf)
        result[school_class.pk] = perf
    return result


def _course_name(course: Course) -> str:
    name = course.title or course.subject.name
    return f"{name} ({course.group.name})" if course.group_id else name


def _pupil_lists(perf: Performance) -> None:
    """The class's own line (counted per pupil) and the lists of excellent pupils, of those with one «4» or one «3»,
    of those with debts (R-E09)."""
    total = perf.total
    for row in perf.rows:
        values = [(perf.subjects[i], c.value, c.forecast) for i, c in enumerate(row.cells) if c is not None and c.value]
        if not values:
            continue
        total.pupils += 1
        debts = [Debt(s, v, f) for s, v, f in values if v in DEBTS]
        numeric = [(s, v) for s, v, _f in values if v in NUMERIC]
        total.forecasts += any(f for _s, _v, f in values)
        if not numeric and not debts:
            continue  # only «зач» and «осв»: not in the class's base
        total.base += 1
        total.numeric += bool(numeric)
        if debts:
            perf.debtors.append((row.name, debts))
            continue
        total.passing += 1
        fours = [s for s, v in numeric if v == "4"]
        threes = [s for s, v in numeric if v == "3"]
        if not threes:
            total.good += 1
            if not fours:
                perf.excellent.append(row.name)
            elif len(fours) == 1:
                perf.one_four.append((row.name, fours[0]))
        elif len(threes) == 1:
            perf.one_three.append((row.name, threes[0]))


def index_spans(
    *, classes: list[SchoolClass], periods: list[StudyPeriod], wanted: str, day: datetime.date
) -> dict[int, Span]:
    """Each class's span for the index: the year (`wanted` "year"), a chosen period (id) for the classes of its
    grades and the current period for the others, or each class's current period. LookupError for an unknown id."""
    chosen = next((p for p in periods if wanted.isdigit() and p.pk == int(wanted)), None)
    if wanted.isdigit() and chosen is None:
        raise LookupError(wanted)
    spans = {}
    for school_class in classes:
        own = class_periods(periods, school_class.grade)
        if wanted == "year" or not own:
            spans[school_class.pk] = year_span(periods, school_class)
            continue
        period = chosen if chosen is not None and chosen in own else period_on(own, day)
        spans[school_class.pk] = Span(period, period.start, period.end)
    return spans


def class_performance(
    *, school_class: SchoolClass, span: Span, periods: list[StudyPeriod], day: datetime.date, course_ids=None
) -> Performance:
    return performances(
        classes=[school_class], spans={school_class.pk: span}, periods=periods, day=day, course_ids=course_ids
    )[school_class.pk]


# --- Attendance ---------------------------------------------------------------------------------------------


@dataclass
class Missed:
    """Missed lessons by reason, and lateness apart (with its minutes); «ДО» is not missed."""

    name: str
    absent: int = 0  # Н
    ill: int = 0  # Б
    excused: int = 0  # УП
    late: int = 0  # ОП
    minutes: int = 0

    @property
    def missed(self) -> int:
        return self.absent + self.ill + self.excused

    def add(self, code: str, count: int, minutes: int | None) -> None:
        if code == Code.ABSENT:
            self.absent += count
        elif code == Code.ILL:
            self.ill += count
        elif code == Code.EXCUSED:
            self.excused += count
        elif code == Code.LATE:
            self.late += count
            self.minutes += minutes or 0

    @property
    def figures(self) -> list[int]:
        return [self.absent, self.ill, self.excused, self.missed, self.late, self.minutes]


@dataclass
class Attendance:
    school_class: SchoolClass
    start: datetime.date
    end: datetime.date
    pupils: list[Missed]
    subjects: list[Missed]
    months: list[Missed]
    total: Missed


def class_attendance(
    *, school_class: SchoolClass, start: datetime.date, end: datetime.date, course_ids=None
) -> Attendance:
    """Missed lessons of the class's pupils in its courses (not cancelled) between two dates, by reason: per pupil,
    per subject, per month and in total. Five queries whatever the class's size: courses, the list, and one
    aggregate each by pupil, by course and by month (the total adds up the pupils' rows)."""
    school_id = school_class.school_id
    courses = list(
        Course.objects.filter(school_id=school_id, school_class=school_class)
        .select_related("subject", "group")
        .order_by("subject__name", "group__name", "pk")
    )
    if course_ids is not None:
        courses = [c for c in courses if c.pk in set(course_ids)]
    people = {}
    for row in (
        Enrollment.objects.filter(
            Q(until__isnull=True) | Q(until__gte=start), school_id=school_id, school_class=school_class, since__lte=end
        )
        .select_related("pupil")
        .only("pupil_id", *(f"pupil__{f}" for f in PERSON_FIELDS))
        .order_by("pupil__last_name", "pupil__first_name", "pupil__middle_name", "pupil_id")
    ):
        people.setdefault(row.pupil_id, row.pupil)
    absences = Absence.objects.filter(
        school_id=school_id,
        lesson__course_id__in=[c.pk for c in courses],
        lesson__date__range=(start, end),
        pupil_id__in=list(people),
        code__in=[*MISSED, Code.LATE],
    ).exclude(lesson__status=Lesson.Status.CANCELLED)
    figures = {"n": Count("pk"), "m": Sum("minutes")}

    by_pupil = {pid: Missed(name=full_name(p)) for pid, p in people.items()}
    by_course = {c.pk: Missed(name=_course_name(c)) for c in courses}
    by_month: dict[datetime.date, Missed] = {}
    total = Missed(name="")
    if courses and people:
        for row in absences.values("pupil_id", "code").annotate(**figures).order_by():
            by_pupil[row["pupil_id"]].add(row["code"], row["n"], row["m"])
            total.add(row["code"], row["n"], row["m"])
        for row in absences.values("lesson__course_id", "code").annotate(**figures).order_by():
            by_course[row["lesson__course_id"]].add(row["code"], row["n"], row["m"])
        for row in (
            absences.annotate(month=TruncMonth("lesson__date")).values("month", "code").annotate(**figures).order_by()
        ):
            month = row["month"]
            month = month.date() if isinstance(month, datetime.datetime) else month
            by_month.setdefault(month, Missed(name=date_format(month, "F Y"))).add(row["code"], row["n"], row["m"])
    return Attendance(
        school_class=school_class,
        start=start,
        end=end,
        pupils=list(by_pupil.values()),
        subjects=list(by_course.values()),
        months=[by_month[m] for m in sorted(by_month)],
        total=total,
    )


# --- The whole school's performance, built in the background ----------------------------------------------------


def _text(value) -> str:
    return "" if value is None else f"{value}".replace(".", ",")


@job_builder("class_performance_school")
def build_school_performance(job, progress) -> Built:
    """Every class of the current year: its figures, then each subject's (the index's reads, a fixed number of
    queries). Re-authorises the person who asked."""
    from accounts.access import access
    from ejournal.clock import today
    from schedule.selectors import current_year

    user, school = job.requested_by, job.school
    access(user).active_school_id = school.pk
    if not user.has_perm("reports.export_class_reports"):
        raise JobRefused(_("You may no longer build this report."))
    day = today(school.timezone)
    year = current_year(school=school, day=day)
    classes = list(SchoolClass.objects.filter(school=school, year=year).select_related("year")) if year else []
    periods = year_periods(school_id=school.pk, year_id=year.pk) if year else []
    try:
        spans = index_spans(classes=classes, periods=periods, wanted=str(job.params.get("period", "")), day=day)
    except LookupError:
        spans = index_spans(classes=classes, periods=periods, wanted="", day=day)
    progress(0, 2)
    results = performances(classes=classes, spans=spans, periods=periods, day=day)
    progress(1, 2)
    versions = {FINAL: _("final"), PRELIMINARY: _("preliminary"), CURRENT: _("current")}
    summary, subjects = [], []
    for school_class in classes:
        perf = results[school_class.pk]
        span = str(perf.span.period) if perf.span.period is not None else _("year")
        summary.append(
            [
                str(school_class),
                span,
                versions[perf.version],
                len(perf.rows),
                _text(perf.total.quality),
                _text(perf.total.success),
                _text(perf.marks_total.average),
                *perf.marks_total.count_list,
            ]
        )
        for line in perf.lines:
            subjects.append(
                [
                    str(school_class),
                    line.name,
                    line.attested,
                    _text(line.quality),
                    _text(line.success),
                    _text(line.average),
                    *line.count_list,
                ]
            )
    figures = [_("Quality, %"), _("Success, %"), _("Average"), *MARK_COLUMNS]
    tables = [
        Table(
            title=_("Classes"),
            columns=[_("Class"), _("Period"), _("Version"), _("Pupils"), *figures],
            rows=summary,
            caption=school.name,
        ),
        Table(
            title=_("Subjects"),
            columns=[_("Class"), _("Subject"), _("Attested"), *figures],
            rows=subjects,
            caption=school.name,
        ),
    ]
    content = as_xlsx(tables)
    progress(2, 2)
    return Built(content=content, filename=f"classes-{day.isoformat()}.xlsx", content_type=XLSX_TYPE)
