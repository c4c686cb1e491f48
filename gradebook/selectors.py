"""Reads of the gradebook that pages and reports share (STYLE: reads take their scope explicitly and fetch in a fixed
number of queries).

`journal_grid` is the course's journal for one study period: lessons × their works as columns, the pupils who were
on the list on at least one lesson date as rows, marks in the cells and each row's averages. The page asks the
permission layer once and then `Grid.allow_editing(...)`: what is left per cell is a date comparison (STYLE).
"""

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Q, Subquery
from django.utils.translation import gettext as _

from accounts.models import SchoolSettings, User
from attendance.models import LONG, Absence, Code
from schedule.models import Course, Enrollment, GroupMembership, Lesson, StudyPeriod
from schedule.selectors import PERSON_FIELDS, home_enrollments, learns_at_home
from schedule.windows import date_window

from .marks import kind_window
from .models import LessonWork, Mark, PeriodMark, WorkType

NUMERIC = {"1", "2", "3", "4", "5"}  # «зач» and «незач» do not count in averages
# Period marks the pages show as a failure.
FAILING = {PeriodMark.Value.TWO, PeriodMark.Value.FAIL, PeriodMark.Value.NOT_ATTESTED, PeriodMark.Value.DEBT}
CENT = Decimal("0.01")


# --- Averages ------------------------------------------------------------------------------------------------


def averages(marks: list[tuple[str, Decimal]]) -> tuple[Decimal | None, Decimal | None]:
    """The average and the weighted average of (value, weight) pairs; only numeric marks count (R-E02)."""
    numeric = [(Decimal(v), w) for v, w in marks if v in NUMERIC]
    if not numeric:
        return None, None
    average = sum(v for v, _w in numeric) / len(numeric)
    total = sum(w for _v, w in numeric)
    weighted = sum(v * w for v, w in numeric) / total if total else None
    return (
        average.quantize(CENT, ROUND_HALF_UP),
        weighted.quantize(CENT, ROUND_HALF_UP) if weighted is not None else None,
    )


def forecast_of(weighted: Decimal | None, threshold: Decimal) -> str:
    """A period mark's forecast: the weighted average rounded by the school's rule, up from `threshold` (4.50 → 5
    at 0.50; 0.60 needs 4.60)."""
    if weighted is None:
        return ""
    threshold = Decimal(str(threshold))  # a default, unsaved settings row holds it as text
    whole = weighted.to_integral_value(ROUND_FLOOR)
    fraction = weighted - whole
    value = whole + 1 if fraction > 0 and fraction >= threshold else whole
    return str(int(min(max(value, 1), 5)))


def pupil_averages(*, course: Course, day: datetime.date, pupil_id: int) -> tuple[Decimal | None, Decimal | None]:
    """One pupil's row averages in the course's period that contains the day, in one query (the period is found
    inside it): what a saved mark sends back to its row. Plain SQL: it runs on every saved cell, and compiling the
    ORM's joins and period subqueries cost more than the database's work."""
    grade = course_grade(course)
    with connection.cursor() as cursor:
        cursor.execute(_row_marks_sql(grade is not None), _row_marks_args(course, day, pupil_id, grade))
        rows = cursor.fetchall()
    return averages([(value, Decimal(str(weight))) for value, weight in rows])


@functools.cache
def _row_marks_sql(by_grade: bool) -> str:
    """The values and weights of a pupil's marks in a course's lessons (not cancelled) of the period containing a
    day, the first such period of the course's grade (as `_periods_of`). Tables and columns by the models' names."""
    q = connection.ops.quote_name
    grades = " AND p.grade_from <= %s AND p.grade_to >= %s" if by_grade else ""
    period = (
        f"FROM {q(StudyPeriod._meta.db_table)} p WHERE p.school_id = %s AND p.year_id = %s"
        f" AND p.start <= %s AND p.{q('end')} >= %s{grades} ORDER BY p.start LIMIT 1"
    )
    return (
        f"SELECT m.value, t.weight FROM {q(Mark._meta.db_table)} m"  # noqa: S608 - names from the models only
        f" JOIN {q(LessonWork._meta.db_table)} w ON w.id = m.work_id"
        f" JOIN {q(WorkType._meta.db_table)} t ON t.id = w.work_type_id"
        f" JOIN {q(Lesson._meta.db_table)} l ON l.id = w.lesson_id"
        " WHERE m.school_id = %s AND m.pupil_id = %s AND l.course_id = %s AND l.status <> %s"
        f" AND l.date >= (SELECT p.start {period}) AND l.date <= (SELECT p.{q('end')} {period})"
    )


def _row_marks_args(course: Course, day: datetime.date, pupil_id: int, grade: int | None) -> list:
    period = [course.school_id, course.year_id, day, day] + ([grade, grade] if grade is not None else [])
    return [course.school_id, pupil_id, course.pk, Lesson.Status.CANCELLED, *period, *period]


def is_attested(course: Course) -> bool:
    """Whether the course has period and year marks (R-E04): not when its subject or the course itself is taught
    «без аттестации», nor an extracurricular course."""
    return course.attested and not course.subject.no_attestation and course.kind == Course.Kind.LESSON


def marks_needed(course: Course, settings: SchoolSettings) -> int:
    """Marks an objective period mark needs (R-E06): 3 at 1 hour a week, 5 at 2 or more (the school's numbers)."""
    return settings.min_marks_one_hour if course.hours_per_week < 2 else settings.min_marks_more_hours


# --- Periods -------------------------------------------------------------------------------------------------


def course_grade(course: Course) -> int | None:
    """The grade whose periods the course follows; a group across classes has none (then every period counts)."""
    if course.school_class_id is not None:
        return course.school_class.grade
    group_class = course.group.school_class if course.group_id else None
    return group_class.grade if group_class is not None else None


def _periods_of(course: Course):
    periods = StudyPeriod.objects.filter(school_id=course.school_id, year_id=course.year_id)
    grade = course_grade(course)
    if grade is not None:
        periods = periods.filter(grade_from__lte=grade, grade_to__gte=grade)
    return periods


def course_periods(course: Course) -> list[StudyPeriod]:
    """The year's study periods for the course's grade, in order (one query)."""
    return list(_periods_of(course).order_by("start", "grade_from"))


def period_on(periods: list[StudyPeriod], day: datetime.date) -> StudyPeriod | None:
    """The period containing the day; between periods the last one that ended; before the first, the first."""
    if not periods:
        return None
    for period in periods:
        if period.start <= day <= period.end:
            return period
    past = [p for p in periods if p.end < day]
    return past[-1] if past else periods[0]


# --- The grid ------------------------------------------------------------------------------------------------


@dataclass
class Column:
    """A lesson work: a column of marks. `work_id` is None for a lesson that has no work yet (a blank column)."""

    work_id: int | None
    lesson_id: int
    short: str = ""
    name: str = ""
    title: str = ""
    weight: Decimal | None = None
    open: bool = False  # its edit window is open today (R-D03..R-D05)
    editable_until: datetime.date | None = None
    has_marks: bool = False
    editable: bool = False  # set by Grid.allow_editing: open, and the user may write this lesson
    lock_reason: str = ""  # why the course's teacher cannot write it (the page fills it in)
    remove_url: str = ""  # the page fills them in
    edit_url: str = ""


@dataclass
class LessonHead:
    id: int
    date: datetime.date
    number: int
    topic: str
    substituted: bool  # given to a substitute: the course's teacher does not write its marks (R-C06)
    substitute_id: int | None = None
    homework: str = ""  # the task in one line, for the header's tooltip
    taken: bool = False  # the attendance is taken (R-H01)
    att_open: bool = False  # the attendance's window is open today (R-D03)
    att_until: datetime.date | None = None
    columns: list[Column] = field(default_factory=list)
    editable: bool = False  # works may be added (set by Grid.allow_editing)
    att_editable: bool = False  # its attendance may be written here (set by Grid.allow_editing)
    att_lock: str = ""  # why its attendance cannot be written by its editor (the page fills it in)
    url: str = ""  # the lesson's page and where a new column is sent: the page fills them in
    add_url: str = ""
    taken_url: str = ""

    @property
    def span(self) -> int:
        return len(self.columns)


@dataclass
class Cell:
    column: Column
    value: str = ""
    late: bool = False
    comment: str = ""
    off: bool = False  # the pupil was not on the list on the lesson's date
    att: str = ""  # the lesson's attendance code of the pupil («Н», «ОП» …), shown in each of its cells
    att_title: str = ""
    css: str = "jg-cell"
    closed: bool = False  # the pupil's period mark is set: the period's marks are closed to the teacher (R-D07)

    @property
    def editable(self) -> bool:
        return self.column.editable and not self.off and not self.closed


@dataclass
class Row:
    pupil: User
    cells: list[Cell]
    average: Decimal | None
    weighted: Decimal | None
    partial: bool  # on the list on some of the lesson dates only (came or left during the period)
    forecast: str = ""  # the period mark the weighted average rounds to (the school's rule)
    period_mark: str = ""  # the period's mark, once set
    count: int = 0  # marks in the period («зач» too): too few for an objective period mark is warned (R-E06)
    closed: bool = False  # the period mark closed the pupil's marks to the teacher (R-D07)
    cells_html: str = ""  # the row's cells rendered at once by the page (a template loop per cell is too slow)


@dataclass
class Grid:
    course: Course
    work_types: list[WorkType]  # the school's, in their order: the kinds of new columns
    period: StudyPeriod | None
    day: datetime.date
    lessons: list[LessonHead]
    columns: list[Column]
    rows: list[Row]
    today_lesson_id: int | None  # the lesson to scroll into view: today's, else the next one, else the last
    attested: bool = True  # the course has period marks: the grid shows the forecast and the period's mark
    marks_needed: int = 0  # for an objective period mark (R-E06): fewer are warned

    def allow_editing(self, *, may_edit_course: bool, substitute_id: int | None = None) -> None:
        """Apply the page's one permission answer: the course's teacher writes the lessons not given to a
        substitute, a substitute (`substitute_id`, in an open year) the lessons given to them (R-C06), each within
        its works' and its attendance's windows (a date comparison per column, no query)."""
        for lesson in self.lessons:
            own = may_edit_course and not lesson.substituted
            lesson.editable = own or (substitute_id is not None and lesson.substitute_id == substitute_id)
            lesson.att_editable = lesson.editable and lesson.att_open
            for column in lesson.columns:
                column.editable = lesson.editable and column.open and column.work_id is not None
        att_open = {h.id for h in self.lessons if h.att_editable}
        for row in self.rows:
            for cell in row.cells:
                cell.css = _css(cell, cell.column.lesson_id in att_open)

    @property
    def can_edit_any(self) -> bool:
        return any(c.editable for c in self.columns) or any(h.att_editable for h in self.lessons)


def _css(cell: Cell, att_editable: bool) -> str:
    # A work's cell is locked by its column; a lesson's cell without works only holds attendance.
    editable = (cell.column.editable and not cell.closed) if cell.column.work_id is not None else att_editable
    css = ["jg-cell"]
    if cell.off:
        css.append("jg-off")
    elif not editable:
        css.append("jg-locked")
    if cell.late:
        css.append("jg-late")
    if cell.comment:
        css.append("jg-commented")
    return " ".join(css)


def list_rows(course: Course, start: datetime.date, end: datetime.date, *, home_educated: bool = False):
    """Enrollments (or group memberships) that overlap [start, end], with their pupils (one query). Pupils in family
    or self-education have no lessons (R-E11) and are left out, unless `home_educated` asks for them too: then each
    row carries `home_form`, their form of education outside the school (None for the others)."""
    if course.group_id is not None:
        rows = GroupMembership.objects.filter(school_id=course.school_id, group_id=course.group_id)
    else:
        rows = Enrollment.objects.filter(school_id=course.school_id, school_class_id=course.school_class_id)
    rows = rows.filter(Q(until__isnull=True) | Q(until__gte=start), since__lte=end)
    if home_educated:
        rows = rows.annotate(home_form=Subquery(home_enrollments(start, end).values("form")[:1]))
    else:
        rows = rows.exclude(learns_at_home(start, end))
    return rows.select_related("pupil").only("since", "until", "pupil_id", *(f"pupil__{f}" for f in PERSON_FIELDS))


def journal_grid(*, course: Course, period: StudyPeriod | None, day: datetime.date) -> Grid:
    """The course's journal for a period (R-E01, R-E02) in eight queries whatever its size: lessons (with their
    substitute, homework and "attendance taken"), their works, the school's work types, its time rules, the list's
    enrollments, the absences, the marks, the period's marks. `course` comes with its year, subject (and class or
    group) loaded."""
    start, end = (period.start, period.end) if period is not None else (course.year.start, course.year.end)
    # Plain rows, not model instances: a quarter's ~45 lessons and ~90 works built as models cost more than the SQL.
    lessons = list(
        Lesson.objects.filter(school_id=course.school_id, course=course, date__range=(start, end))
        .in_journal()
        .order_by("date", "number")
        .values_list(
            "id",
            "date",
            "number",
            "topic",
            "substitution__substitute_id",
            "homework__text",
            "homework__pages",
            "homework__exercises",
            "attendance_taken__id",
        )
    )
    works: dict[int, list[tuple]] = defaultdict(list)
    if lessons:
        for work in (
            LessonWork.objects.filter(school_id=course.school_id, lesson_id__in=[row[0] for row in lessons])
            .order_by("position", "pk")
            .values_list("lesson_id", "id", "work_type_id", "title")
        ):
            works[work[0]].append(work)
    kinds = {k.pk: k for k in WorkType.objects.filter(school_id=course.school_id)}
    settings = SchoolSettings.objects.get(school_id=course.school_id)
    year_end = course.year.end

    heads: list[LessonHead] = []
    columns: list[Column] = []
    for lesson_id, date, number, topic, substitute_id, hw_text, hw_pages, hw_exercises, taken_id in lessons:
        att_window = date_window(date, year_end, settings)
        head = LessonHead(
            id=lesson_id,
            date=date,
            number=number,
            topic=topic,
            substituted=substitute_id is not None,
            substitute_id=substitute_id,
            homework=" ".join(" ".join(p.split()) for p in (hw_text, hw_pages, hw_exercises) if p),
            taken=taken_id is not None,
            att_open=att_window.is_open(day),
            att_until=att_window.editable_until,
        )
        for _lesson_id, work_id, kind_id, title in works.get(lesson_id, ()):
            kind = kinds[kind_id]
            work_window = kind_window(date, year_end, kind, settings)
            head.columns.append(
                Column(
                    work_id=work_id,
                    lesson_id=lesson_id,
                    short=kind.short_name or kind.name[:3],
                    name=kind.name,
                    title=title,
                    weight=kind.weight,
                    open=work_window.is_open(day),
                    editable_until=work_window.editable_until,
                )
            )
        if not head.columns:
            head.columns.append(Column(work_id=None, lesson_id=lesson_id))
        heads.append(head)
        columns.extend(head.columns)

    # Who was on the list on each lesson date: a pupil who came or left mid-period is a row with some cells off.
    spans: dict[int, list[tuple[datetime.date, datetime.date | None]]] = defaultdict(list)
    people: dict[int, User] = {}
    for entry in list_rows(course, start, end):
        spans[entry.pupil_id].append((entry.since, entry.until))
        people[entry.pupil_id] = entry.pupil

    def on_list(pupil_id: int, date: datetime.date) -> bool:
        return any(since <= date and (until is None or until >= date) for since, until in spans[pupil_id])

    dates = sorted({h.date for h in heads})
    shown = [pid for pid in people if not dates or any(on_list(pid, d) for d in dates)]

    absences: dict[tuple[int, int], tuple[str, str]] = {}
    if heads and shown:
        for lesson_id, pupil_id, code, minutes in Absence.objects.filter(
            school_id=course.school_id, lesson_id__in=[h.id for h in heads]
        ).values_list("lesson_id", "pupil_id", "code", "minutes"):
            absences[(lesson_id, pupil_id)] = attendance_label(code, minutes)

    work_ids = [c.work_id for c in columns if c.work_id is not None]
    marks: dict[tuple[int, int], tuple[str, bool, str]] = {}
    if work_ids and shown:
        for work_id, pupil_id, value, late, comment in Mark.objects.filter(
            school_id=course.school_id, work_id__in=work_ids
        ).values_list("work_id", "pupil_id", "value", "entered_late", "comment"):
            marks[(work_id, pupil_id)] = (value, late, comment)
    with_marks = {w for w, _p in marks}
    for column in columns:
        column.has_marks = column.work_id in with_marks
    period_marks: dict[int, str] = {}
    if period is not None and shown:
        period_marks = dict(
            PeriodMark.objects.filter(school_id=course.school_id, course=course, period=period).values_list(
                "pupil_id", "value"
            )
        )
    closing = settings.lock_journal_after_period_mark

    date_of = {h.id: h.date for h in heads}
    rows = []
    for pid in sorted(shown, key=lambda p: (people[p].last_name, people[p].first_name, people[p].middle_name, p)):
        on = {d: on_list(pid, d) for d in dates}
        cells, counted, counted_all = [], [], 0
        closed = closing and pid in period_marks
        for column in columns:
            cell = Cell(column=column, off=not on[date_of[column.lesson_id]], closed=closed)
            if (column.lesson_id, pid) in absences:
                cell.att, cell.att_title = absences[(column.lesson_id, pid)]
            if column.work_id is not None and (column.work_id, pid) in marks:
                cell.value, cell.late, cell.comment = marks[(column.work_id, pid)]
                counted.append((cell.value, column.weight))
                counted_all += 1
            cells.append(cell)
        average, weighted = averages(counted)
        rows.append(
            Row(
                pupil=people[pid],
                cells=cells,
                average=average,
                weighted=weighted,
                partial=not all(on.values()),
                forecast=forecast_of(weighted, settings.rounding_threshold),
                period_mark=period_marks.get(pid, ""),
                count=counted_all,
                closed=closed,
            )
        )

    return Grid(
        course=course,
        work_types=sorted(kinds.values(), key=lambda k: (k.position, k.name)),
        period=period,
        day=day,
        lessons=heads,
        columns=columns,
        rows=rows,
        today_lesson_id=_in_view(heads, day),
        attested=is_attested(course) and period is not None,
        marks_needed=marks_needed(course, settings),
    )


_SHORT = dict(Code.choices)


def attendance_label(code: str, minutes: int | None) -> tuple[str, str]:
    """The code as the journal shows it («ОП») and what it means («late, 10 min»)."""
    title = str(LONG[code])
    if code == Code.LATE and minutes:
        title = _("%(what)s, %(minutes)s min") % {"what": title, "minutes": minutes}
    return _SHORT[code], title


def _in_view(heads: list[LessonHead], day: datetime.date) -> int | None:
    if not heads:
        return None
    for head in heads:
        if head.date >= day:
            return head.id
    return heads[-1].id
