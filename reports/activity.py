"""User activity (R-J10; seed 002 §1.1 «активности пользователей», seed 004 §1.1 п.21 «рейтинга активности», seed 003:
the director looks at it once a month).

What counts as activity, per person and ISO week (Monday to Sunday, the school's time):
- a login (the audit log's `accounts.login` entries of the school);
- a mark entered (a mark's history row of creation, by its author) and a mark changed (a history row of change);
- homework entered (a homework's history row of creation, by its author);
- a diary opened (diary/visits.py: one row per person and day).

A person with several roles (a deputy who teaches) counts in each of them. A person is *active* in a week (or the
whole range) with at least one of these events.

The school's activity figure (rating): the weighted mean of the shares of each role's members who were active in the
range, with the weights of `WEIGHTS` (teachers weigh most: the journal is theirs to fill; then parents and pupils, who
read it; the administration least, being few). Roles without members are left out of both sums. The page shows every
term of the sum.

Every figure is made in SQL: one query groups the events by role, week and kind (plus the actives per week and per
range), one counts the members per role; the staff drill-down is one query grouped by person and one for the names.
The SQL runs on PostgreSQL and on the SQLite of the `make run` demo (timestamps and dates are compared with
parameters only; the week is found by comparing with each week's first moment).
"""

import datetime
import math
import zoneinfo
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role, School, User
from audit.models import AuditEntry
from diary.models import DiaryVisit
from gradebook.models import Mark
from schedule.models import Homework

KINDS = ("login", "mark", "mark_changed", "homework", "diary")
KIND_LABELS = {
    "login": _("Logins"),
    "mark": _("Marks entered"),
    "mark_changed": _("Marks changed"),
    "homework": _("Homework entered"),
    "diary": _("Diaries opened (days)"),
}
ROLE_ORDER = (Role.TEACHER, Role.GUARDIAN, Role.PUPIL, Role.DEPUTY, Role.DIRECTOR, Role.ADMIN)
ADMINISTRATION = (Role.ADMIN, Role.DIRECTOR, Role.DEPUTY)
STAFF = (Role.ADMIN, Role.DIRECTOR, Role.DEPUTY, Role.TEACHER)
# The activity figure's weights (see the module's docstring).
WEIGHTS = {Role.TEACHER: 4, Role.GUARDIAN: 3, Role.PUPIL: 2, "administration": 1}
MAX_STAFF = 1000


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def weeks_of(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The Mondays of the ISO weeks the range touches."""
    first = start - datetime.timedelta(days=start.weekday())
    return [first + datetime.timedelta(weeks=n) for n in range((end - first).days // 7 + 1)]


@dataclass
class Cell:
    events: int = 0
    people: int = 0


@dataclass
class RoleRow:
    role: str
    label: str
    members: int
    weeks: list[dict[str, Cell]]  # per week: kind → Cell, "*" → the actives
    total: dict[str, Cell]

    @property
    def active(self) -> int:
        return self.total.get("*", Cell()).people

    @property
    def share(self) -> int | None:
        return _pct(self.active, self.members)

    def week_active(self) -> list[tuple[int, int | None]]:
        return [(w.get("*", Cell()).people, _pct(w.get("*", Cell()).people, self.members)) for w in self.weeks]


@dataclass
class Term:
    """One term of the activity figure."""

    label: str
    members: int
    active: int
    weight: int

    @property
    def share(self) -> float:
        return self.active / self.members if self.members else 0.0

    @property
    def percent(self) -> int | None:
        return _pct(self.active, self.members)


@dataclass
class Activity:
    school: School
    start: datetime.date
    end: datetime.date
    weeks: list[datetime.date]
    rows: list[RoleRow]
    terms: list[Term] = field(default_factory=list)

    @property
    def figure(self) -> int | None:
        """The school's activity figure, 0–100 (see the module's docstring)."""
        weights = sum(t.weight for t in self.terms if t.members)
        if not weights:
            return None
        return math.floor(100 * sum(t.weight * t.share for t in self.terms if t.members) / weights + 0.5)

    def week_labels(self) -> list[str]:
        return [f"{max(w, self.start):%d.%m}–{min(w + datetime.timedelta(days=6), self.end):%d.%m}" for w in self.weeks]


def _pct(part: int, whole: int) -> int | None:
    return math.floor(part * 100 / whole + 0.5) if whole else None


def _bounds(school: School, start: datetime.date, end: datetime.date):
    """The range's and its weeks' first moments in the school's time zone (aware datetimes)."""
    tz = zoneinfo.ZoneInfo(school.timezone)

    def moment(day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(), tzinfo=tz)

    weeks = weeks_of(start, end)
    return weeks, moment(start), moment(end + datetime.timedelta(days=1)), [moment(w) for w in weeks[1:]]


def _params(school: School, start: datetime.date, end: datetime.date, conn) -> tuple[dict, list[datetime.date], int]:
    weeks, t0, t1, cuts = _bounds(school, start, end)
    ops = conn.ops
    params = {
        "school": school.pk,
        "t0": ops.adapt_datetimefield_value(t0),
        "t1": ops.adapt_datetimefield_value(t1),
        "d0": ops.adapt_datefield_value(start),
        "d1": ops.adapt_datefield_value(end),
        "login": "accounts.login",
    }
    for n, (cut, week) in enumerate(zip(cuts, weeks[1:], strict=True), start=1):
        params[f"t{n}x"] = ops.adapt_datetimefield_value(cut)
        params[f"d{n}x"] = ops.adapt_datefield_value(week)
    return params, weeks, len(cuts)


def _week_case(column: str, kind: str, cuts: int) -> str:
    """The week's index (0…) of a timestamp (`kind` "t") or a date ("d"): compared with each week's start."""
    if not cuts:
        return "0"
    whens = " ".join(f"WHEN {column} < %({kind}{n}x)s THEN {n - 1}" for n in range(1, cuts + 1))
    return f"CASE {whens} ELSE {cuts} END"


def _events_sql(cuts: int) -> str:
    """(user_id, kind, week) of every event of the range. Table names come from the models only."""
    mark_history, homework_history = Mark.history.model, Homework.history.model
    return f"""
  SELECT a.actor_id AS user_id, 'login' AS kind, {_week_case("a.created_at", "t", cuts)} AS wk
  FROM {_t(AuditEntry)} a
  WHERE a.school_id = %(school)s AND a.action = %(login)s AND a.actor_id IS NOT NULL
    AND a.created_at >= %(t0)s AND a.created_at < %(t1)s
  UNION ALL
  SELECT h.history_user_id, CASE WHEN h.history_type = '+' THEN 'mark' ELSE 'mark_changed' END,
    {_week_case("h.history_date", "t", cuts)}
  FROM {_t(mark_history)} h
  WHERE h.school_id = %(school)s AND h.history_type IN ('+', '~') AND h.history_user_id IS NOT NULL
    AND h.history_date >= %(t0)s AND h.history_date < %(t1)s
  UNION ALL
  SELECT h.history_user_id, 'homework', {_week_case("h.history_date", "t", cuts)}
  FROM {_t(homework_history)} h
  WHERE h.school_id = %(school)s AND h.history_type = '+' AND h.history_user_id IS NOT NULL
    AND h.history_date >= %(t0)s AND h.history_date < %(t1)s
  UNION ALL
  SELECT v.user_id, 'diary', {_week_case("v.day", "d", cuts)}
  FROM {_t(DiaryVisit)} v
  WHERE v.school_id = %(school)s AND v.day >= %(d0)s AND v.day <= %(d1)s
"""  # noqa: S608


def _by_role_sql(cuts: int) -> str:
    events = _events_sql(cuts)
    roles = f"SELECT DISTINCT m.user_id, m.role FROM {_t(Membership)} m WHERE m.school_id = %(school)s"  # noqa: S608
    source = "FROM ev JOIN r ON r.user_id = ev.user_id"
    return f"""
WITH ev AS ({events}), r AS ({roles})
SELECT r.role, ev.wk, ev.kind, COUNT(*), COUNT(DISTINCT ev.user_id) {source} GROUP BY r.role, ev.wk, ev.kind
UNION ALL
SELECT r.role, ev.wk, '*', COUNT(*), COUNT(DISTINCT ev.user_id) {source} GROUP BY r.role, ev.wk
UNION ALL
SELECT r.role, -1, ev.kind, COUNT(*), COUNT(DISTINCT ev.user_id) {source} GROUP BY r.role, ev.kind
UNION ALL
SELECT r.role, -1, '*', COUNT(*), COUNT(DISTINCT ev.user_id) {source} GROUP BY r.role
"""  # noqa: S608


def activity(*, school: School, start: datetime.date, end: datetime.date, conn=None) -> Activity:
    """The range's activity per role and week, and the activity figure: 2 queries whatever the school's size."""
    conn = conn or connection
    params, weeks, cuts = _params(school, start, end, conn)
    with conn.cursor() as cursor:
        cursor.execute(_by_role_sql(cuts), params)
        found = cursor.fetchall()
    members = dict(
        Membership.objects.filter(school=school).values_list("role").annotate(n=Count("user_id", distinct=True))
    )
    cells: dict[str, tuple[list[dict[str, Cell]], dict[str, Cell]]] = {}
    for role in ROLE_ORDER:
        cells[role] = ([{} for _w in weeks], {})
    for role, week, kind, events, people in found:
        if role not in cells:
            continue
        by_week, total = cells[role]
        target = total if week == -1 else by_week[int(week)]
        target[kind] = Cell(events=int(events), people=int(people))
    labels = dict(Role.choices)
    rows = [
        RoleRow(role=role, label=labels[role], members=members.get(role, 0), weeks=cells[role][0], total=cells[role][1])
        for role in ROLE_ORDER
    ]
    result = Activity(school=school, start=start, end=end, weeks=weeks, rows=rows)
    by_role = {r.role: r for r in rows}
    for role in (Role.TEACHER, Role.GUARDIAN, Role.PUPIL):
        row = by_role[role]
        result.terms.append(Term(label=str(row.label), members=row.members, active=row.active, weight=WEIGHTS[role]))
    # The administration as one term: its people's roles overlap, so its actives are added up per role (few people).
    admin_rows = [by_role[r] for r in ADMINISTRATION]
    result.terms.append(
        Term(
            label=str(_("Administration")),
            members=sum(r.members for r in admin_rows),
            active=sum(r.active for r in admin_rows),
            weight=WEIGHTS["administration"],
        )
    )
    return result


# --- The staff's own activity (the drill-down) ---------------------------------------------------------------------


@dataclass
class StaffRow:
    user: User
    roles: list[str]
    counts: dict[str, int]
    active_weeks: int

    @property
    def name(self) -> str:
        return self.user.get_full_name()


def staff_activity(*, school: School, start: datetime.date, end: datetime.date, conn=None) -> list[StaffRow]:
    """Each staff member's events in the range by kind, and in how many of its weeks they were active, the silent
    ones too: 2 queries (the figures; the people with their roles)."""
    conn = conn or connection
    params, _weeks, cuts = _params(school, start, end, conn)
    roles = ", ".join(f"'{r.value}'" for r in STAFF)
    sql = f"""
WITH ev AS ({_events_sql(cuts)}),
s AS (SELECT DISTINCT m.user_id FROM {_t(Membership)} m WHERE m.school_id = %(school)s AND m.role IN ({roles}))
SELECT ev.user_id, ev.kind, COUNT(*), COUNT(DISTINCT ev.wk) FROM ev JOIN s ON s.user_id = ev.user_id
GROUP BY ev.user_id, ev.kind
UNION ALL
SELECT ev.user_id, '*', COUNT(*), COUNT(DISTINCT ev.wk) FROM ev JOIN s ON s.user_id = ev.user_id GROUP BY ev.user_id
"""  # noqa: S608
    with conn.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    counts: dict[int, dict[str, int]] = {}
    weeks_active: dict[int, int] = {}
    for user_id, kind, events, weeks in found:
        if kind == "*":
            weeks_active[user_id] = int(weeks)
        else:
            counts.setdefault(user_id, {})[kind] = int(events)
    people: dict[int, StaffRow] = {}
    labels = dict(Role.choices)
    memberships = (
        Membership.objects.filter(school=school, role__in=STAFF)
        .select_related("user")
        .only("role", "user__first_name", "user__last_name", "user__middle_name", "user__username")
        .order_by("user__last_name", "user__first_name", "user__middle_name", "user_id", "role")
    )
    for m in memberships[: MAX_STAFF * len(STAFF)]:
        row = people.get(m.user_id)
        if row is None:
            row = people[m.user_id] = StaffRow(
                user=m.user, roles=[], counts=counts.get(m.user_id, {}), active_weeks=weeks_active.get(m.user_id, 0)
            )
        row.roles.append(str(labels[m.role]))
    return list(people.values())[:MAX_STAFF]
