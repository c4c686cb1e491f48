"""The mark-change report (таблица изменений, seed 000 §12, seed 001; issue 10 item 1): every change of a mark, a
period mark, an absence, a lesson's topic and its homework after the first entry, read from django-simple-history's
tables (DESIGN §4), newest first, a page at a time by keyset.

What counts as a change of a cell (a mark of a work and a pupil; a period mark of a course, period and pupil; an
absence of a lesson and a pupil):
- a history row «~» whose value differs from the row before it (a comment or a flag alone is not a change);
- a history row «-»: the value → empty; a deleted mark never vanishes from the report;
- a history row «+» that follows a «-» of the same cell (entered again: empty → value), or that an approved
  late-change request or a retake protocol made (R-F01, R-F05): the cell was empty after its deadline.
A topic changes when a «~» row of the lesson has another topic than the row before, and that one was not empty
(setting the first topic is its entry); homework changes with each «~» or «-» row whose text, pages or exercises
differ (and «+» after a «-», as for a cell).

The reason is the late-change request or protocol the history row names (its document, who approved), or "within
the window". "Only after the window closed" keeps the rows an approved request made, and the topic and homework
changes made after the school's edit window of their lesson (an admin re-applying a plan, say).

The SQL is one UNION ALL of a branch per kind, each filtered by school and by the keyset (history_date, kind,
history_id) and taking only its own first page of changes in its index's order, so that a page costs about the same
over a year of history as over a week (a branch stops after a page's rows instead of reading all year); the page's
courses, lessons, works and periods are joined to its 50 rows only. It is the SQL both PostgreSQL and the demo's
SQLite run (the local day of a timestamp through reports.fill_rate.Dialect).
"""

# The SQL below is built from our models' table names only; every value is a parameter.
# ruff: noqa: S608

import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import School, User
from attendance.models import Absence
from gradebook.models import LateChangeRequest, LessonWork, Mark, PeriodMark, WorkType
from reports.fill_rate import Dialect
from schedule.models import (
    Course,
    Enrollment,
    GroupMembership,
    Homework,
    Lesson,
    SchoolClass,
    StudyGroup,
    StudyPeriod,
    Subject,
)

PAGE_SIZE = 50

MARK, PERIOD_MARK, ABSENCE, TOPIC, HOMEWORK = 1, 2, 3, 4, 5
KIND_LABELS = {
    MARK: gettext_lazy("mark"),
    PERIOD_MARK: gettext_lazy("period mark"),
    ABSENCE: gettext_lazy("attendance"),
    TOPIC: gettext_lazy("topic"),
    HOMEWORK: gettext_lazy("homework"),
}
PUPIL_KINDS = (MARK, PERIOD_MARK, ABSENCE)
LESSON_KINDS = (TOPIC, HOMEWORK)


@dataclass(frozen=True)
class Filters:
    """What the page asks for: changes made from `start` to `end` (the school's dates, both included), and the
    optional teacher (who made the change), class, subject and pupil."""

    school: School
    start: datetime.date
    end: datetime.date
    teacher_id: int | None = None
    class_id: int | None = None
    subject_id: int | None = None
    pupil_id: int | None = None
    late_only: bool = False


@dataclass(frozen=True)
class Cursor:
    """The last row of a page: the next page starts after it (keyset: history_date, kind, history_id, descending)."""

    at: datetime.datetime
    kind: int
    hid: int

    def encode(self) -> str:
        return f"{self.at.astimezone(datetime.UTC):%Y%m%dT%H%M%S.%f}_{self.kind}_{self.hid}"

    @classmethod
    def decode(cls, text: str) -> "Cursor | None":
        """A cursor from the URL, or None when it is not one (a user's edit of the address is not an error)."""
        try:
            stamp, kind, hid = text.split("_")
            at = datetime.datetime.strptime(stamp, "%Y%m%dT%H%M%S.%f").replace(tzinfo=datetime.UTC)
            kind, hid = int(kind), int(hid)
        except ValueError:
            return None
        if kind not in KIND_LABELS or hid < 0:
            return None
        return cls(at=at, kind=kind, hid=hid)


@dataclass
class Change:
    kind: int
    hid: int
    at: datetime.datetime
    user: User | None
    pupil: User | None
    lesson_date: datetime.date | None
    lesson_number: int | None
    course_id: int
    subject: str
    group: str
    what: str  # the work («Контрольная работа»), the period («1 четверть», «год»), or nothing
    old: str
    new: str
    late_change: LateChangeRequest | None = None
    after_window: bool = False

    @property
    def cursor(self) -> Cursor:
        return Cursor(at=self.at, kind=self.kind, hid=self.hid)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


@dataclass
class Page:
    rows: list[Change] = field(default_factory=list)
    next: Cursor | None = None


# --- SQL ------------------------------------------------------------------------------------------------------


def _t(model) -> str:
    return model._meta.db_table


def _h(model) -> str:
    return model.history.model._meta.db_table


def _absence_value(alias: str) -> str:
    # «ОП:10» for 10 minutes late; the page shows it as «ОП (10 мин)».
    minutes = f"{alias}.code || ':' || CAST({alias}.minutes AS TEXT)"
    return f"CASE WHEN {alias}.minutes IS NULL THEN {alias}.code ELSE {minutes} END"


def _homework_value(alias: str) -> str:
    return f"{alias}.text || '\x1f' || {alias}.pages || '\x1f' || {alias}.exercises"


@dataclass(frozen=True)
class _Spec:
    kind: int
    history: str
    cell: tuple[str, ...]  # the columns that name a cell, across its rows (a deleted and re-entered mark)
    value: str  # an expression of the alias `{a}`
    pupil: bool
    course: str  # the course id's expression (aliases h and l)
    lesson: str  # the lesson id's expression
    ref: str  # the work or period id
    late_change: str  # the late-change column or NULL
    join_lesson: str = ""  # joins that give `l` (the lesson) when the history row has no course


def _specs() -> list[_Spec]:
    lesson, work = _t(Lesson), _t(LessonWork)
    return [
        _Spec(
            kind=MARK,
            history=_h(Mark),
            cell=("work_id", "pupil_id"),
            value="{a}.value",
            pupil=True,
            course="l.course_id",
            lesson="l.id",
            ref="h.work_id",
            late_change="h.late_change_id",
            join_lesson=f"JOIN {work} w ON w.id = h.work_id JOIN {lesson} l ON l.id = w.lesson_id",
        ),
        _Spec(
            kind=PERIOD_MARK,
            history=_h(PeriodMark),
            cell=("course_id", "COALESCE({a}.period_id, 0)", "pupil_id"),
            value="{a}.value",
            pupil=True,
            course="h.course_id",
            lesson="NULL",
            ref="h.period_id",
            late_change="h.late_change_id",
        ),
        _Spec(
            kind=ABSENCE,
            history=_h(Absence),
            cell=("lesson_id", "pupil_id"),
            value=_absence_value("{a}"),
            pupil=True,
            course="l.course_id",
            lesson="l.id",
            ref="NULL",
            late_change="h.late_change_id",
            join_lesson=f"JOIN {lesson} l ON l.id = h.lesson_id",
        ),
        _Spec(
            kind=TOPIC,
            history=_h(Lesson),
            cell=("id",),
            value="{a}.topic",
            pupil=False,
            course="h.course_id",
            lesson="h.id",
            ref="NULL",
            late_change="NULL",
            join_lesson=f"JOIN {lesson} l ON l.id = h.id",
        ),
        _Spec(
            kind=HOMEWORK,
            history=_h(Homework),
            cell=("lesson_id",),
            value=_homework_value("{a}"),
            pupil=False,
            course="l.course_id",
            lesson="l.id",
            ref="NULL",
            late_change="NULL",
            join_lesson=f"JOIN {lesson} l ON l.id = h.lesson_id",
        ),
    ]


def _col(expr: str, alias: str) -> str:
    return expr.format(a=alias) if "{a}" in expr else f"{alias}.{expr}"


def _same_cell(spec: _Spec, a: str, b: str) -> str:
    return " AND ".join(f"{_col(c, a)} = {_col(c, b)}" for c in spec.cell)


def _where(spec: _Spec, f: Filters, cursor: Cursor | None, dialect: Dialect) -> str:
    """The branch's filters on its history row `h`, its lesson `l` (when it has one) and course `c`."""
    parts = ["h.school_id = %(school)s", "h.history_date >= %(since)s", "h.history_date < %(until)s"]
    if cursor is not None:
        if spec.kind < cursor.kind:
            parts.append("h.history_date <= %(c_at)s")
        elif spec.kind == cursor.kind:
            parts.append("(h.history_date < %(c_at)s OR (h.history_date = %(c_at)s AND h.history_id < %(c_hid)s))")
        else:
            parts.append("h.history_date < %(c_at)s")
    if f.teacher_id:
        parts.append("h.history_user_id = %(teacher)s")
    # The course filters ask for the course's id: the topic's and the period mark's history rows carry it, so that
    # their rows are filtered before each one's previous value is read.
    # On PostgreSQL as an array computed once (an InitPlan): a cheap filter of the index scan, evaluated before the
    # previous value's subquery, where an IN would become a join after it.
    courses = _t(Course)

    def among(query: str) -> str:
        return f"{spec.course} = ANY(ARRAY({query}))" if dialect.pg else f"{spec.course} IN ({query})"

    if f.subject_id:
        parts.append(among(f"SELECT cs.id FROM {courses} cs WHERE cs.subject_id = %(subject)s"))
    if f.pupil_id:
        parts.append("h.pupil_id = %(pupil)s" if spec.pupil else "1 = 0")
    if f.class_id:
        if spec.pupil:
            enrolled = f"SELECT e.pupil_id FROM {_t(Enrollment)} e WHERE e.school_class_id = %(klass)s"
            parts.append(f"h.pupil_id IN ({enrolled})")
        else:
            # The class's own courses, its groups', and those of the groups across classes its pupils are in.
            parts.append(
                among(
                    f"SELECT cc.id FROM {courses} cc WHERE cc.school_class_id = %(klass)s OR "
                    f"cc.group_id IN (SELECT g.id FROM {_t(StudyGroup)} g WHERE g.school_class_id = %(klass)s)"
                    f" OR cc.group_id IN (SELECT gm.group_id FROM {_t(GroupMembership)} gm JOIN {_t(Enrollment)} e"
                    " ON e.pupil_id = gm.pupil_id WHERE e.school_class_id = %(klass)s)"
                )
            )
    if f.late_only:
        if spec.late_change != "NULL":
            parts.append(f"{spec.late_change} IS NOT NULL")
        else:
            # The school's edit window (None: until the year ends, so never after it).
            parts.append(
                f"{dialect.num('window')} IS NOT NULL AND {dialect.local_day('h.history_date')} > "
                f"{dialect.plus('l.date', dialect.num('window'))}"
            )
    return " AND ".join(parts)


NO_ID = "CAST(NULL AS BIGINT)"  # a typed NULL: a UNION of subqueries needs each column's type


def _id(expr: str) -> str:
    return NO_ID if expr == "NULL" else expr


def _branches(spec: _Spec, f: Filters, cursor: Cursor | None, dialect: Dialect, limit: int) -> list[str]:
    """The branch's SQL, each part taking its own first `limit` changes newest first: the page's rows are among them,
    and each part walks its partial index (school, date; see the history-indexes migrations) backwards and stops
    there, so that a page reads about as many history rows over a year as over a week."""
    value = spec.value.format(a="h")
    previous = (
        f"CASE WHEN h.history_type = '~' THEN (SELECT {spec.value.format(a='p')} FROM {spec.history} p "
        "WHERE p.id = h.id AND p.history_id < h.history_id ORDER BY p.history_id DESC LIMIT 1) END"
    )
    pupil = "h.pupil_id" if spec.pupil else NO_ID
    joins = f"{spec.join_lesson} JOIN {_t(Course)} c ON c.id = {spec.course}"
    columns = (
        f"{spec.kind} AS k, h.history_id AS hid, h.history_date AS at, h.history_user_id AS user_id, "
        f"{pupil} AS pupil_id, {spec.course} AS course_id, {_id(spec.lesson)} AS lesson_id, {_id(spec.ref)} AS ref_id"
    )
    keep = "b.k, b.hid, b.at, b.user_id, b.pupil_id, b.course_id, b.lesson_id, b.ref_id"
    where = _where(spec, f, cursor, dialect)
    first = f"ORDER BY b.at DESC, b.hid DESC LIMIT {int(limit)}"
    requested = spec.late_change != "NULL"
    if spec.kind == TOPIC:
        indexed = "h.history_type = '~'"
    elif requested:
        indexed = f"(h.history_type <> '+' OR {spec.late_change} IS NOT NULL)"
    else:
        indexed = "h.history_type <> '+'"
    inner = (
        f"SELECT {columns}, h.history_type AS t, {previous} AS prev, {value} AS val, "
        f"{_id(spec.late_change)} AS late_change_id FROM {spec.history} h {joins} WHERE {where} AND {indexed}"
    )
    if spec.kind == TOPIC:
        return [
            f"SELECT {keep}, b.prev AS old, b.val AS new, {NO_ID} AS late_change_id FROM ({inner}) b "
            f"WHERE b.prev <> '' AND b.prev <> b.val {first}"
        ]
    plus_request = " OR (b.t = '+' AND b.late_change_id IS NOT NULL)" if requested else ""
    changed = f"(b.t = '~' AND COALESCE(b.prev, '') <> b.val) OR b.t = '-'{plus_request}"
    old = "CASE WHEN b.t = '-' THEN b.val WHEN b.t = '+' THEN '' ELSE b.prev END"
    new = "CASE WHEN b.t = '-' THEN '' ELSE b.val END"
    edited = f"SELECT {keep}, {old} AS old, {new} AS new, b.late_change_id FROM ({inner}) b WHERE {changed} {first}"
    # Entered again after a removal: the «+» right after a «-» of the same cell (the cell's next row). The removals
    # are few (the partial index); each finds its cell's next row by the cell's key.
    next_after = (
        f"NOT EXISTS (SELECT 1 FROM {spec.history} m WHERE {_same_cell(spec, 'm', 'd')} "
        "AND m.history_id > d.history_id AND m.history_id < h.history_id)"
    )
    not_request = f" AND {spec.late_change} IS NULL" if requested else ""
    removed = "(d.history_type <> '+' OR d.late_change_id IS NOT NULL)" if requested else "d.history_type <> '+'"
    again = (
        f"SELECT b.* FROM (SELECT {columns}, '' AS old, {value} AS new, {NO_ID} AS late_change_id "
        f"FROM {spec.history} d JOIN {spec.history} h ON {_same_cell(spec, 'h', 'd')} "
        f"AND h.history_type = '+' AND h.history_id > d.history_id {joins} "
        f"WHERE d.school_id = %(school)s AND {removed} AND d.history_type = '-' AND {where}{not_request} "
        f"AND {next_after}) b {first}"
    )
    return [edited, again]


def page_sql(f: Filters, cursor: Cursor | None, limit: int, dialect: Dialect) -> str:
    # Each part is its own subquery: its ORDER BY and LIMIT stay its own (SQLite allows them in a compound only so).
    branches = [b for spec in _specs() for b in _branches(spec, f, cursor, dialect, limit)]
    union = "\nUNION ALL\n".join(f"SELECT * FROM ({b}) p{i}" for i, b in enumerate(branches))
    lesson, work, worktype, period = _t(Lesson), _t(LessonWork), _t(WorkType), _t(StudyPeriod)
    subject, group, klass = _t(Subject), _t(StudyGroup), _t(SchoolClass)
    return f"""
WITH page AS (
  SELECT * FROM ({union}) x
  ORDER BY x.at DESC, x.k DESC, x.hid DESC
  LIMIT {int(limit)}
)
SELECT page.k, page.hid, page.at, page.user_id, page.pupil_id, page.course_id, page.old, page.new,
       page.late_change_id, l.date, l.number, s.name, g.name, sc.grade, sc.letter,
       wt.name, w.title, sp.kind, sp.number
FROM page
JOIN {_t(Course)} c ON c.id = page.course_id
JOIN {subject} s ON s.id = c.subject_id
LEFT JOIN {group} g ON g.id = c.group_id
LEFT JOIN {klass} sc ON sc.id = c.school_class_id
LEFT JOIN {lesson} l ON l.id = page.lesson_id
LEFT JOIN {work} w ON page.k = {MARK} AND w.id = page.ref_id
LEFT JOIN {worktype} wt ON wt.id = w.work_type_id
LEFT JOIN {period} sp ON page.k = {PERIOD_MARK} AND sp.id = page.ref_id
ORDER BY page.at DESC, page.k DESC, page.hid DESC
"""


def _bounds(f: Filters) -> tuple[datetime.datetime, datetime.datetime]:
    tz = zoneinfo.ZoneInfo(f.school.timezone)
    since = datetime.datetime.combine(f.start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(f.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return since, until


def _stamp(conn, moment: datetime.datetime):
    """A timestamp parameter as the backend stores it (SQLite: UTC text)."""
    return conn.ops.adapt_datetimefield_value(moment)


def _aware(value) -> datetime.datetime:
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.UTC)
    return value


def changes_page(f: Filters, *, after: Cursor | None = None, limit: int = PAGE_SIZE, conn=None) -> Page:
    """One page of changes, newest first, after `after` (None: the first page); `next` is set when more follow."""
    conn = conn or connection
    dialect = Dialect.of(conn)
    since, until = _bounds(f)
    params = {
        "school": f.school.pk,
        "since": _stamp(conn, since),
        "until": _stamp(conn, until),
        "teacher": f.teacher_id,
        "subject": f.subject_id,
        "pupil": f.pupil_id,
        "klass": f.class_id,
        "window": f.school.settings.edit_window_days,
        "tz": f.school.timezone,
        "conn_tz": conn.timezone_name,
    }
    if after is not None:
        params |= {"c_at": _stamp(conn, after.at), "c_hid": after.hid}
    with conn.cursor() as cursor:
        cursor.execute(page_sql(f, after, limit + 1, dialect), params)
        raw = cursor.fetchall()
    more = len(raw) > limit
    raw = raw[:limit]
    users = User.objects.in_bulk({r[3] for r in raw if r[3]} | {r[4] for r in raw if r[4]})
    requests = (
        LateChangeRequest.objects.using(conn.alias).select_related("decided_by").in_bulk({r[8] for r in raw if r[8]})
    )
    window = f.school.settings.edit_window_days
    tz = zoneinfo.ZoneInfo(f.school.timezone)
    rows = []
    for k, hid, at, user_id, pupil_id, course_id, old, new, lc, l_date, l_number, subject, group, *rest in raw:
        grade, letter, wt, title, period_kind, period_number = rest
        at = _aware(at)
        if isinstance(l_date, str):
            l_date = datetime.date.fromisoformat(l_date)
        what = ""
        if k == MARK:
            what = title or wt or ""
        elif k == PERIOD_MARK:
            what = str(StudyPeriod(kind=period_kind, number=period_number)) if period_kind else _("year")
        late = window is not None and l_date is not None
        after_window = lc is not None or (late and at.astimezone(tz).date() > l_date + datetime.timedelta(days=window))
        rows.append(
            Change(
                kind=k,
                hid=hid,
                at=at,
                user=users.get(user_id),
                pupil=users.get(pupil_id),
                lesson_date=l_date,
                lesson_number=l_number,
                course_id=course_id,
                subject=subject,
                group=group or f"{grade}{letter}",
                what=what,
                old=display(k, old or ""),
                new=display(k, new or ""),
                late_change=requests.get(lc),
                after_window=after_window,
            )
        )
    return Page(rows=rows, next=rows[-1].cursor if more and rows else None)


def display(kind: int, value: str) -> str:
    """A stored value as the page writes it: «ОП (10 мин)», homework's text · pages · exercises."""
    if not value:
        return ""
    if kind == ABSENCE:
        code, _sep, minutes = value.partition(":")
        label = Absence.Code(code).label if code in Absence.Code.values else code
        return _("%(code)s (%(minutes)s min)") % {"code": label, "minutes": minutes} if minutes else str(label)
    if kind == HOMEWORK:
        return " · ".join(part.strip() for part in value.split("\x1f") if part.strip())
    return value


def reason(change: Change) -> str:
    """Why the change was made: the request or protocol with its document and who approved it, or the window."""
    lc = change.late_change
    if lc is None:
        return _("after the window closed") if change.after_window else _("within the window")
    label = (
        _("Retake protocol No. %(number)s")
        if lc.source == LateChangeRequest.Source.PROTOCOL
        else _("Request No. %(number)s")
    )
    text = label % {"number": lc.pk}
    text += f": {lc.get_reason_display()}; " + _("document No. %(number)s of %(date)s") % {
        "number": lc.document_number,
        "date": lc.document_date.strftime("%d.%m.%Y"),
    }
    if lc.decided_by is not None:
        text += "; " + _("approved by %(name)s") % {"name": lc.decided_by.get_short_name()}
    return text
