"""Reads of the diary's pages: whose diary a user may open, the family's children for the switcher, and the marks
page's pieces (the marks of a period by subject, attendance totals, what the next marks must be)."""

import datetime
import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum

from accounts.access import access, children_ids
from accounts.models import STAFF_ROLES, Membership, Role, School, User
from attendance.models import Absence, Code
from ejournal.clock import today
from gradebook.models import Mark, WorkType
from gradebook.selectors import NUMERIC, averages, forecast_of
from schedule.models import Enrollment, GroupMembership, HomeworkFile, Lesson, SchoolClass

# --- Whose diary ---------------------------------------------------------------------------------------------


def visible_pupils(*, user: User, school: School) -> QuerySet[User]:
    """Pupils whose diary this user may look for. A family reaches only itself: others answer 404, not 403."""
    pupils = User.objects.filter(memberships__school=school, memberships__role=Role.PUPIL)
    if access(user).roles_in(school.pk) & STAFF_ROLES:
        return pupils
    return pupils.filter(Q(pk=user.pk) | Q(pk__in=children_ids(user, school.pk)))


@functools.cache
def _pupils_sql(count: int) -> str:
    """Pupils of a school by id, each with their class on a day (the latest enrollment there begun by then: a pupil
    who left keeps the class they left), its bells and class teacher. Plain SQL: the ORM's compiling of the same
    correlated subqueries took longer than the rest of a diary page's reads."""
    q = connection.ops.quote_name
    user, enrollment, school_class, membership = (
        q(m._meta.db_table) for m in (User, Enrollment, SchoolClass, Membership)
    )
    ids = ", ".join(["%s"] * count)
    return (
        "SELECT u.id, u.username, u.first_name, u.last_name, u.middle_name, sc.id AS class_id,"  # noqa: S608
        " sc.grade AS class_grade, sc.letter AS class_letter, sc.bell_schedule_id AS class_bells_id,"
        " ct.last_name AS class_teacher_last, ct.first_name AS class_teacher_first,"
        " ct.middle_name AS class_teacher_middle"
        f" FROM {user} u LEFT JOIN {enrollment} e ON e.id = (SELECT e2.id FROM {enrollment} e2"
        " WHERE e2.pupil_id = u.id AND e2.school_id = %s AND e2.since <= %s ORDER BY e2.since DESC, e2.id DESC"
        f" LIMIT 1) LEFT JOIN {school_class} sc ON sc.id = e.school_class_id"
        f" LEFT JOIN {user} ct ON ct.id = sc.class_teacher_id"
        f" WHERE u.id IN ({ids}) AND EXISTS (SELECT 1 FROM {membership} ms WHERE ms.user_id = u.id"
        " AND ms.school_id = %s AND ms.role = %s)"
        " ORDER BY u.last_name, u.first_name, u.id"
    )


def pupils_with_class(*, school: School, ids, day: datetime.date) -> list[User]:
    """The pupils of the school among `ids`, each with `class_name`, `class_grade`, `class_bells_id` and
    `class_teacher_name` on the day (empty when not enrolled): one query."""
    ids = sorted(set(ids))
    if not ids:
        return []
    rows = User.objects.raw(_pupils_sql(len(ids)), [school.pk, day, *ids, school.pk, Role.PUPIL])
    return [_dressed(p) for p in rows]


def _dressed(pupil: User) -> User:
    pupil.class_name = f"{pupil.class_grade}{pupil.class_letter}" if pupil.class_id else ""
    names = (pupil.class_teacher_last, pupil.class_teacher_first, pupil.class_teacher_middle)
    pupil.class_teacher_name = " ".join(n for n in names if n)
    return pupil


def family_pupils(*, user: User, school: School, day: datetime.date | None = None) -> list[User]:
    """The pupil themself, or a guardian's children, for the child switcher; each with `class_name` and
    `class_teacher_name` on the day (today by default). One query (none for a user who is neither)."""
    roles = access(user).roles_in(school.pk)
    ids = set(children_ids(user, school.pk)) if Role.GUARDIAN in roles else set()
    if Role.PUPIL in roles:
        ids.add(user.pk)
    return pupils_with_class(school=school, ids=ids, day=day or today(school.timezone))


def diary_pupil(*, user: User, school: School, pupil_id: int, day: datetime.date) -> tuple[User | None, list[User]]:
    """The pupil whose diary is asked for, if this user may look for them (None: answer 404), and the user's own
    family for the switcher. A family's pupil comes from the family's own query: one query for both."""
    family = family_pupils(user=user, school=school, day=day)
    for child in family:
        if child.pk == pupil_id:
            return child, family
    if not access(user).roles_in(school.pk) & STAFF_ROLES:
        return None, family
    # Staff may look for any pupil of the school (as `visible_pupils`).
    found = pupils_with_class(school=school, ids=[pupil_id], day=day)
    return (found[0] if found else None), family


# --- The pupil's lessons --------------------------------------------------------------------------------------


def pupil_lesson_filter(pupil_id: int, prefix: str = "") -> Q:
    """A Q over lessons (or over rows reaching a lesson by `prefix`, e.g. "homework__lesson__"): the lesson's course
    is the pupil's on the lesson's date. A whole-class course counts while the pupil is enrolled in the class, a
    group's course while they are a member of the group (a subgroup's pupils see their own group only)."""
    date = OuterRef(f"{prefix}date")
    enrolled = Enrollment.objects.filter(
        Q(until__isnull=True) | Q(until__gte=date),
        pupil_id=pupil_id,
        school_class_id=OuterRef(f"{prefix}course__school_class_id"),
        since__lte=date,
        form=Enrollment.Form.SCHOOL,  # R-E11: family and self-education pupils have no lessons with the class
    )
    member = GroupMembership.objects.filter(
        Q(until__isnull=True) | Q(until__gte=date),
        pupil_id=pupil_id,
        group_id=OuterRef(f"{prefix}course__group_id"),
        since__lte=date,
    )
    return (Q(**{f"{prefix}course__group__isnull": True}) & Exists(enrolled)) | Exists(member)


def pupil_homework_file(*, school: School, pupil: User, file_id: int) -> HomeworkFile | None:
    """A file of the homework of one of the pupil's lessons (their class's or group's on its date), else None: the
    diary's download and the API's read it here. One query."""
    return (
        HomeworkFile.objects.for_school(school)
        .filter(pk=file_id)
        .filter(Exists(Lesson.objects.filter(pupil_lesson_filter(pupil.pk), pk=OuterRef("homework__lesson_id"))))
        .first()
    )


def pupil_course_ids(pupil_id: int, start: datetime.date, end: datetime.date) -> QuerySet:
    """A subquery of the ids of the courses of the pupil's classes and groups that overlap [start, end]: it lets the
    lessons' (course, date) index narrow the search before the per-date check of `pupil_lesson_filter`."""
    from schedule.models import Course

    overlapping = Q(since__lte=end) & (Q(until__isnull=True) | Q(until__gte=start))
    classes = Enrollment.objects.filter(overlapping, pupil_id=pupil_id).values("school_class_id")
    groups = GroupMembership.objects.filter(overlapping, pupil_id=pupil_id).values("group_id")
    return Course.objects.filter(Q(group__isnull=True, school_class_id__in=classes) | Q(group_id__in=groups)).values(
        "pk"
    )


# --- Weights and "what the next marks must be" ---------------------------------------------------------------


def weight_text(weight: Decimal | None) -> str:
    """«1», «2», «1.5»: a work type's weight without its trailing zeros."""
    if weight is None:
        return ""
    text = f"{Decimal(weight).normalize():f}"
    return text


@dataclass(frozen=True)
class Option:
    """A kind of next mark: a work type's weight; `name` is set for the control work (shown by name)."""

    weight: Decimal
    name: str = ""


@dataclass
class Step:
    option: Option
    count: int | None  # fives in a row that reach the target; None: not within the limit


@dataclass
class NextMarks:
    state: str  # "no_marks", "top" (the forecast is already 5), "ok", "unreachable" (no option within the limit)
    current: str = ""
    target: str = ""
    steps: list[Step] = field(default_factory=list)


def next_marks(
    *, marks: list[tuple[str, Decimal]], threshold: Decimal, options: list[Option], limit: int = 10
) -> NextMarks:
    """How many fives of each option's weight, in a row, bring the weighted average of `marks` ((value, weight)
    pairs; «зач» and the like do not count) to the next period mark, rounded as the school rounds (`threshold`).
    The averages and the rounding are the gradebook's own (`averages`, `forecast_of`)."""
    weighted = averages(marks)[1]
    if weighted is None:
        return NextMarks(state="no_marks")
    current = forecast_of(weighted, threshold)
    if current == "5":
        return NextMarks(state="top", current=current)
    target = str(int(current) + 1)
    steps = []
    for option in options:
        if option.weight <= 0:
            continue
        count = None
        for n in range(1, limit + 1):
            if forecast_of(averages([*marks, *[("5", option.weight)] * n])[1], threshold) >= target:
                count = n
                break
        steps.append(Step(option=option, count=count))
    state = "ok" if any(s.count is not None for s in steps) else "unreachable"
    return NextMarks(state=state, current=current, target=target, steps=steps)


def next_mark_options(subject_weights: list[Decimal], work_types: list[WorkType]) -> list[Option]:
    """The weight of the subject's most common marks (else the school's first work type's, else 1), and the
    school's control work's when its weight differs."""
    if subject_weights:
        common = Counter(subject_weights).most_common(1)[0][0]
    elif work_types:
        common = work_types[0].weight
    else:
        common = Decimal(1)
    options = [Option(weight=Decimal(common))]
    control = max((t for t in work_types if t.is_control), key=lambda t: (t.weight, -t.position), default=None)
    if control is not None and Decimal(control.weight) != Decimal(common):
        options.append(Option(weight=Decimal(control.weight), name=control.name))
    return options


# --- The marks page -------------------------------------------------------------------------------------------


@dataclass(slots=True)
class MarkRow:
    work_id: int
    date: datetime.date
    value: str
    comment: str
    work_type: str
    weight: Decimal
    title: str
    appeal: str = ""  # the latest appeal's state, if any
    url: str = ""  # the mark's page (set by the view)

    @property
    def weight_text(self) -> str:
        return weight_text(self.weight)

    @property
    def numeric(self) -> bool:
        return self.value in NUMERIC


def period_marks(
    *, school_id: int, pupil_id: int, course_ids: list[int], start: datetime.date, end: datetime.date
) -> dict[int, list[MarkRow]]:
    """The pupil's marks of the courses' lessons (not cancelled) in [start, end], by course, in date order: the
    marks `pupil_results` averages (one query)."""
    if not course_ids:
        return {}
    from gradebook.models import MarkAppeal

    appeal = MarkAppeal.objects.filter(work_id=OuterRef("work_id"), pupil_id=pupil_id).order_by("-created_at", "-pk")
    rows = (
        Mark.objects.filter(
            school_id=school_id,
            pupil_id=pupil_id,
            work__lesson__course_id__in=course_ids,
            work__lesson__date__range=(start, end),
        )
        .exclude(work__lesson__status=Lesson.Status.CANCELLED)
        .annotate(appeal=Subquery(appeal.values("status")[:1]))
        .order_by("work__lesson__date", "work__lesson__number", "work__position", "work_id")
        .values_list(
            "work__lesson__course_id",
            "work_id",
            "work__lesson__date",
            "value",
            "comment",
            "work__work_type__name",
            "work__work_type__weight",
            "work__title",
            "appeal",
        )
    )
    result: dict[int, list[MarkRow]] = defaultdict(list)
    for course_id, work_id, date, value, comment, kind, weight, title, appeal_state in rows:
        result[course_id].append(MarkRow(work_id, date, value, comment, kind, weight, title, appeal_state or ""))
    return result


@dataclass
class Attendance:
    missed: dict[str, int] = field(default_factory=dict)  # code → lessons missed (late and remote not counted)
    late: int = 0
    late_minutes: int = 0
    remote: int = 0

    @property
    def missed_total(self) -> int:
        return sum(self.missed.values())

    @property
    def empty(self) -> bool:
        return not self.missed and not self.late and not self.remote


def attendance_totals(
    *, school_id: int, pupil_id: int, course_ids: list[int], start: datetime.date, end: datetime.date
) -> dict[int, Attendance]:
    """Per course: the lessons (not cancelled) the pupil missed in [start, end] by code, and the latenesses with
    their minutes (one query)."""
    if not course_ids:
        return {}
    rows = (
        Absence.objects.filter(
            school_id=school_id,
            pupil_id=pupil_id,
            lesson__course_id__in=course_ids,
            lesson__date__range=(start, end),
        )
        .exclude(lesson__status=Lesson.Status.CANCELLED)
        .values("lesson__course_id", "code")
        .annotate(n=Count("id"), minutes=Sum("minutes"))
        .order_by()
    )
    result: dict[int, Attendance] = defaultdict(Attendance)
    for row in rows:
        totals = result[row["lesson__course_id"]]
        if row["code"] == Code.LATE:
            totals.late += row["n"]
            totals.late_minutes += row["minutes"] or 0
        elif row["code"] == Code.REMOTE:
            totals.remote += row["n"]
        else:
            totals.missed[row["code"]] = row["n"]
    return result
