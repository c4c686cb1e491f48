"""Reads of the timetable pages: a class's timetable on a date (the editor, R-C01, R-C03) and the week of actual
lessons of a class, a teacher or a room. Each takes a fixed number of queries, however many lessons, courses and
teachers the school has (STYLE: reads pin their query count in tests)."""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import Membership, Role, School, User

from .models import (
    AcademicYear,
    Bell,
    Course,
    CourseTeacher,
    Holiday,
    Lesson,
    SchoolClass,
    StudyPeriod,
    Substitution,
    TimetableEntry,
    Weekday,
)
from .selectors import PERSON_FIELDS

DAYS = tuple(Weekday)  # Monday to Saturday: a Russian school week
DEFAULT_NUMBERS = range(1, 8)  # the rows of a grid when the class has no bells

Times = dict[tuple[int, int], tuple[datetime.time, datetime.time]]


def _people() -> QuerySet[User]:
    return User.objects.only(*PERSON_FIELDS).order_by("last_name", "first_name", "middle_name")


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def natural_key(text: str):
    """«2», «12», «12а», «спортзал» in the order a person expects (numbers by value)."""
    return [
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold()) for part in re.split(r"(\d+)", text) if part
    ]


def _bells(schedule_ids: set[int | None]) -> Times:
    ids = schedule_ids - {None}
    if not ids:
        return {}
    return {(b.schedule_id, b.number): (b.start, b.end) for b in Bell.objects.filter(schedule_id__in=ids)}


def _time(times: Times, school_class: SchoolClass | None, number: int):
    if school_class is None or school_class.bell_schedule_id is None:
        return None
    return times.get((school_class.bell_schedule_id, number))


@dataclass
class Day:
    weekday: Weekday
    date: datetime.date | None = None
    holiday: str = ""


@dataclass
class Cell:
    day: Day
    items: list = field(default_factory=list)


@dataclass
class Row:
    """One lesson number of the grid: its bell (when one schedule applies) and a cell per day, Monday first."""

    number: int
    start: datetime.time | None = None
    end: datetime.time | None = None
    cells: list[Cell] = field(default_factory=list)


def _rows(
    numbers: set[int], days: list[Day], times: Times | None = None, schedule_id: int | None = None
) -> dict[int, Row]:
    rows = {}
    for number in sorted(numbers):
        bell = times.get((schedule_id, number)) if times and schedule_id else None
        rows[number] = Row(number, *(bell or (None, None)), cells=[Cell(day) for day in days])
    return rows


def _class_numbers(times: Times, schedule_id: int | None) -> set[int]:
    """The class's lesson numbers: its bells, or 1–7 without bells."""
    numbers = {n for (s, n) in times if s == schedule_id} if schedule_id else set()
    return numbers or set(DEFAULT_NUMBERS)


def _teachers_by_course(courses) -> None:
    for course in courses:
        course.teacher_list = list(course.teachers.all())


# --- A class's timetable on a date (the editor) --------------------------------------------------------------


def cross_groups(school_class: SchoolClass) -> QuerySet:
    """Ids of the groups across classes (a profile group) that hold a pupil of this class at some time."""
    from .models import StudyGroup

    return StudyGroup.objects.filter(
        year_id=school_class.year_id,
        school_class__isnull=True,
        memberships__pupil__enrollments__school_class=school_class,
    ).values("pk")


def of_class(school_class: SchoolClass, prefix: str = "") -> Q:
    """A class's courses: the whole class's, its subgroups', and those of groups across classes with its pupils."""
    return (
        Q(**{f"{prefix}school_class": school_class})
        | Q(**{f"{prefix}group__school_class": school_class})
        | Q(**{f"{prefix}group_id__in": cross_groups(school_class)})
    )


def class_courses(school_class: SchoolClass, *, across: bool = True) -> QuerySet[Course]:
    """The class's courses with their subject and teachers: the whole class's and its subgroups', and unless
    `across` is False, those of the groups across classes its pupils belong to."""
    where = of_class(school_class) if across else Q(school_class=school_class) | Q(group__school_class=school_class)
    return (
        Course.objects.for_school(school_class.school_id)
        .filter(where)
        .select_related("subject", "group", "school_class")
        .prefetch_related(Prefetch("teachers", queryset=_people()))
        .order_by("subject__name", "title", "group__name", "pk")
    )


@dataclass
class Change:
    """A change planned after the date shown: an entry that starts later, or one that ends later."""

    date: datetime.date
    starts: bool
    entry: TimetableEntry


@dataclass
class ClassTimetable:
    school_class: SchoolClass
    day: datetime.date
    days: list[Day]
    rows: list[Row]
    courses: list[Course]  # each with `in_timetable` (lessons a week on the day) and `mismatch`
    changes: list[Change]
    entries: dict[int, TimetableEntry]  # every entry shown (in force on the day or later), by id


def class_timetable(*, school_class: SchoolClass, day: datetime.date) -> ClassTimetable:
    """The entries in force on the day of the class's courses (two subgroups may share a cell), the changes planned
    after the day, and each course's hours a week against its lessons in the timetable. Four queries."""
    courses = list(class_courses(school_class))
    _teachers_by_course(courses)
    by_id = {c.pk: c for c in courses}
    entries = list(
        TimetableEntry.objects.filter(school_id=school_class.school_id, course_id__in=by_id)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("valid_from", "weekday", "number", "pk")
    )
    times = _bells({school_class.bell_schedule_id})
    numbers = _class_numbers(times, school_class.bell_schedule_id)
    numbers |= {e.number for e in entries}
    days = [Day(d) for d in DAYS]
    rows = _rows(numbers, days, times, school_class.bell_schedule_id)
    counts: dict[int, int] = dict.fromkeys(by_id, 0)
    changes = []
    for entry in entries:
        entry.course = by_id[entry.course_id]
        if entry.valid_from <= day:
            rows[entry.number].cells[entry.weekday - 1].items.append(entry)
            counts[entry.course_id] += 1
        else:
            changes.append(Change(entry.valid_from, True, entry))
        if entry.valid_to is not None:
            changes.append(Change(entry.valid_to + datetime.timedelta(days=1), False, entry))
    for row in rows.values():
        for cell in row.cells:
            cell.items.sort(key=lambda e: (e.course.group.name if e.course.group_id else "", e.course.subject.name))
    for course in courses:
        course.in_timetable = counts[course.pk]
        course.mismatch = Decimal(course.in_timetable) != course.hours_per_week
    changes.sort(key=lambda c: (c.date, c.starts, c.entry.weekday, c.entry.number))
    return ClassTimetable(
        school_class=school_class,
        day=day,
        days=days,
        rows=list(rows.values()),
        courses=courses,
        changes=changes,
        entries={e.pk: e for e in entries},
    )


# --- Weeks of actual lessons ----------------------------------------------------------------------------------


@dataclass
class Week:
    monday: datetime.date
    days: list[Day]
    rows: list[Row]
    lessons: int  # how many lessons the week shows
    not_generated: bool  # some of it is the timetable, shown because its lessons are not generated yet
    with_times: bool  # the rows carry one class's bells; otherwise each lesson shows its own time

    @property
    def saturday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=5)

    @property
    def previous(self) -> datetime.date:
        return self.monday - datetime.timedelta(days=7)

    @property
    def next(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=7)

    @property
    def empty(self) -> bool:
        return not any(cell.items for row in self.rows for cell in row.cells)


def _lessons(school: School) -> QuerySet[Lesson]:
    return (
        Lesson.objects.for_school(school)
        .select_related("course__subject", "course__school_class", "course__group", "substitution__substitute", "entry")
        .prefetch_related(Prefetch("course__teachers", queryset=_people()))
    )


def _entries(school: School) -> QuerySet[TimetableEntry]:
    return (
        TimetableEntry.objects.for_school(school)
        .select_related("course__subject", "course__school_class", "course__group")
        .prefetch_related(Prefetch("course__teachers", queryset=_people()))
    )


def _substitution(lesson: Lesson) -> Substitution | None:
    try:
        return lesson.substitution
    except Substitution.DoesNotExist:
        return None


def _decorate_lesson(lesson: Lesson, times: Times) -> None:
    lesson.is_lesson = True
    lesson.time = _time(times, lesson.course.school_class, lesson.number)
    lesson.sub = _substitution(lesson)
    lesson.teacher_list = list(lesson.course.teachers.all())
    lesson.teacher_names = ", ".join(t.get_short_name() for t in lesson.teacher_list)
    lesson.cancelled = lesson.status == Lesson.Status.CANCELLED
    # A lesson generated for one place and moved since keeps that place (entry, slot_date): show where it came from.
    moved_day = lesson.slot_date is not None and lesson.slot_date != lesson.date
    moved_number = lesson.entry is not None and lesson.entry.number != lesson.number
    lesson.moved_from = (
        (lesson.slot_date, lesson.entry.number if lesson.entry else None) if (moved_day or moved_number) else None
    )


def _school_days(school: School, monday: datetime.date, year_ids: set[int]):
    """The holidays of the week by day, and a test whether a day of a year falls in one of its study periods for a
    grade (a year without periods counts every day). Two queries."""
    saturday = monday + datetime.timedelta(days=5)
    holidays: dict[datetime.date, str] = {}
    for h in Holiday.objects.for_school(school).filter(start__lte=saturday, end__gte=monday):
        day = max(h.start, monday)
        while day <= min(h.end, saturday):
            holidays[day] = h.name
            day += datetime.timedelta(days=1)
    periods: dict[int, list[StudyPeriod]] = {}
    if year_ids:
        for p in StudyPeriod.objects.filter(year_id__in=year_ids):
            periods.setdefault(p.year_id, []).append(p)

    def in_periods(year_id: int, day: datetime.date, grade: int | None) -> bool:
        mine = periods.get(year_id)
        if not mine:
            return True
        return any(p.start <= day <= p.end and (grade is None or p.grade_from <= grade <= p.grade_to) for p in mine)

    return holidays, in_periods


def _week(
    *,
    school: School,
    monday: datetime.date,
    lessons: QuerySet[Lesson],
    entries: QuerySet[TimetableEntry],
    school_class: SchoolClass | None = None,
) -> Week:
    """The week's lessons; for the courses whose lessons this week are not generated yet, their timetable entries in
    force on each day (not in the holidays, inside a study period), marked as such. At most nine queries."""
    monday = monday_of(monday)
    saturday = monday + datetime.timedelta(days=5)
    dates = [monday + datetime.timedelta(days=i) for i in range(len(DAYS))]
    found = [lesson for lesson in lessons.filter(date__gte=monday, date__lte=saturday) if lesson.date.isoweekday() <= 6]
    planned = list(entries.overlapping(monday, saturday))
    missing: set[int] = set()
    if planned:
        course_ids = {e.course_id for e in planned}
        generated = set(
            Lesson.objects.filter(school_id=school.pk, course_id__in=course_ids)
            .filter(Q(date__gte=monday, date__lte=saturday) | Q(slot_date__gte=monday, slot_date__lte=saturday))
            .order_by()
            .values_list("course_id", flat=True)
            .distinct()
        )
        missing = course_ids - generated
    planned = [e for e in planned if e.course_id in missing]
    holidays, in_periods = _school_days(school, monday, {e.course.year_id for e in planned})
    classes = [lesson.course.school_class for lesson in found] + [e.course.school_class for e in planned]
    schedule_ids = {c.bell_schedule_id for c in classes if c is not None}
    if school_class is not None:
        schedule_ids.add(school_class.bell_schedule_id)
    times = _bells(schedule_ids)

    items: list[tuple[datetime.date, int, object]] = []
    for lesson in found:
        _decorate_lesson(lesson, times)
        items.append((lesson.date, lesson.number, lesson))
    for entry in planned:
        day = dates[entry.weekday - 1]
        school_class_of = entry.course.school_class
        grade = school_class_of.grade if school_class_of is not None else None
        if not (entry.valid_from <= day and (entry.valid_to is None or day <= entry.valid_to)):
            continue
        if day in holidays or not in_periods(entry.course.year_id, day, grade):
            continue
        # A copy per day would be needed if an entry could fall on two days; it falls on one (its weekday).
        entry.is_lesson = False
        entry.date = day
        entry.time = _time(times, school_class_of, entry.number)
        entry.teacher_list = list(entry.course.teachers.all())
        items.append((day, entry.number, entry))

    days = [Day(DAYS[i], dates[i], holidays.get(dates[i], "")) for i in range(len(DAYS))]
    if school_class is not None:
        numbers = _class_numbers(times, school_class.bell_schedule_id)
        rows = _rows(numbers | {n for _d, n, _i in items}, days, times, school_class.bell_schedule_id)
    else:
        rows = _rows(set(DEFAULT_NUMBERS) | {n for _d, n, _i in items}, days)
    for day, number, item in items:
        rows[number].cells[day.weekday()].items.append(item)
    for row in rows.values():
        for cell in row.cells:
            cell.items.sort(key=_item_order)
    return Week(
        monday=monday,
        days=days,
        rows=list(rows.values()),
        lessons=len(found),
        not_generated=any(not getattr(i, "is_lesson", True) for _d, _n, i in items),
        with_times=school_class is not None and school_class.bell_schedule_id is not None,
    )


def _item_order(item):
    start = item.time[0] if item.time else datetime.time(0)
    course = item.course
    return (start, course.school_class.grade if course.school_class_id else 99, course.audience, course.subject.name)


def class_week(*, school: School, school_class: SchoolClass, monday: datetime.date) -> Week:
    """The class's lessons of the week: its own courses', its subgroups' and its pupils' groups across classes."""
    where = of_class(school_class, "course__")
    return _week(
        school=school,
        monday=monday,
        lessons=_lessons(school).filter(where),
        entries=_entries(school).filter(where),
        school_class=school_class,
    )


def teacher_week(*, school: School, teacher: User, monday: datetime.date) -> Week:
    """The lessons the teacher gives: their courses' lessons unless given to a substitute, and the lessons they
    substitute on (R-C04)."""
    taught = CourseTeacher.objects.filter(school_id=school.pk, teacher=teacher).values("course_id")
    mine = Q(course_id__in=taught, substitution__isnull=True) | Q(substitution__substitute=teacher)
    return _week(
        school=school,
        monday=monday,
        lessons=_lessons(school).filter(mine),
        entries=_entries(school).filter(course_id__in=taught),
    )


def room_week(*, school: School, room: str, monday: datetime.date) -> Week:
    return _week(
        school=school,
        monday=monday,
        lessons=_lessons(school).filter(room__iexact=room),
        entries=_entries(school).filter(room__iexact=room),
    )


# --- Lists for the pickers and the index ----------------------------------------------------------------------


def rooms_in_use(*, school: School, year: AcademicYear | None, monday: datetime.date | None = None) -> list[str]:
    """The rooms of the year's timetable and of the week's lessons, in natural order (one query)."""
    from_entries = TimetableEntry.objects.for_school(school).exclude(room="")
    from_entries = from_entries.filter(course__year=year) if year is not None else from_entries.none()
    rooms = from_entries.order_by().values_list("room", flat=True).distinct()
    if monday is not None:
        week = (
            Lesson.objects.for_school(school)
            .exclude(room="")
            .filter(date__gte=monday, date__lte=monday + datetime.timedelta(days=5))
            .order_by()
            .values_list("room", flat=True)
            .distinct()
        )
        rooms = rooms.union(week)
    seen: dict[str, str] = {}
    for room in rooms:
        seen.setdefault(room.casefold(), room)
    return sorted(seen.values(), key=natural_key)


def school_teachers(school: School) -> QuerySet[User]:
    ids = Membership.objects.filter(school=school, role=Role.TEACHER).values("user_id")
    return User.objects.filter(pk__in=ids).only(*PERSON_FIELDS).order_by("last_name", "first_name", "middle_name")


def year_classes(*, school: School, year: AcademicYear | None) -> QuerySet[SchoolClass]:
    classes = SchoolClass.objects.for_school(school).select_related("class_teacher").order_by("grade", "letter")
    return classes.filter(year=year) if year is not None else classes.none()


# R-C02: the timetable is in place at least this many days before each reporting period starts.
TIMETABLE_LEAD_DAYS = 7


@dataclass
class Readiness:
    """Whether every class a period is for has its timetable for the period's first day, and by when it is due."""

    period: StudyPeriod
    due: datetime.date
    missing: list[SchoolClass]
    overdue: bool


def timetable_readiness(*, year, day: datetime.date) -> list[Readiness]:
    """The current and the coming periods of the year (R-C02): the classes of each period's grades with no lesson in
    the timetable on its first day. Three queries, whatever the number of classes and periods."""
    if year is None:
        return []
    periods = list(StudyPeriod.objects.filter(year=year, end__gte=day).order_by("start", "grade_from"))
    classes = list(SchoolClass.objects.filter(year=year).order_by("grade", "letter"))
    if not periods or not classes:
        return []
    first = min(p.start for p in periods)
    ranges = list(
        TimetableEntry.objects.filter(course__year=year, course__school_class__isnull=False)
        .overlapping(first, None)
        .values_list("course__school_class_id", "valid_from", "valid_to")
    )
    result = []
    for period in periods:
        start = period.start
        ready = {c for c, since, until in ranges if since <= start and (until is None or until >= start)}
        missing = [c for c in classes if period.grade_from <= c.grade <= period.grade_to and c.pk not in ready]
        due = start - datetime.timedelta(days=TIMETABLE_LEAD_DAYS)
        result.append(Readiness(period=period, due=due, missing=missing, overdue=bool(missing) and day > due))
    return result
