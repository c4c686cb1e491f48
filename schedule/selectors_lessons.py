"""Reads of the lesson pages, the substitutions and the teacher's day: each in a fixed number of queries, however
many lessons, teachers and pupils a school has (STYLE: reads pin their query count in tests)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import Role, School, User

from .models import Enrollment, GroupMembership, Lesson, Substitution
from .selectors import PERSON_FIELDS, learns_at_home
from .slots import Slot, Times, bell_times, same_time, slot_of


def _people() -> QuerySet[User]:
    return User.objects.only(*PERSON_FIELDS).order_by("last_name", "first_name", "middle_name")


def lessons_with_details(school: School) -> QuerySet[Lesson]:
    """Lessons with what a row shows: subject, class or group, bells, substitute and the course's teachers."""
    return (
        Lesson.objects.for_school(school)
        .select_related(
            "course__subject",
            "course__year",
            "course__school_class",
            "course__group",
            "substitution__substitute",
            "substitution__created_by",
        )
        .prefetch_related(Prefetch("course__teachers", queryset=_people()))
    )


def slot(lesson: Lesson) -> Slot:
    return slot_of(lesson.course, lesson.number)


def lesson_bell_times(lessons) -> Times:
    """The bells of the lessons' classes, in one query."""
    return bell_times({slot(lesson)[0] for lesson in lessons})


def _substitution(lesson: Lesson) -> Substitution | None:
    try:
        return lesson.substitution
    except Substitution.DoesNotExist:
        return None


def decorate(lessons: list[Lesson]) -> Times:
    """Set on each lesson of `lessons_with_details`: `time` (start, end) or None, `sub` (its Substitution or None)
    and `teacher_list` (the course's teachers). Returns the bells read (one query)."""
    times = lesson_bell_times(lessons)
    for lesson in lessons:
        lesson.time = times.get(slot(lesson)) if slot(lesson)[0] else None  # type: ignore[arg-type]
        lesson.sub = _substitution(lesson)
        lesson.teacher_list = list(lesson.course.teachers.all())
    return times


def _sort_key(lesson: Lesson):
    start = lesson.time[0] if lesson.time else datetime.time(0)
    return (lesson.date, start, lesson.number, lesson.course.audience)


def who_teaches(lesson: Lesson) -> set[int]:
    """Who is in front of the class: the substitute, or else the course's teachers (needs `decorate`)."""
    return {lesson.sub.substitute_id} if lesson.sub is not None else {t.pk for t in lesson.teacher_list}


# --- One lesson ------------------------------------------------------------------------------------------------


@dataclass
class Change:
    when: datetime.datetime
    user: User | None
    kind: str  # "+" created, "~" changed, "-" deleted
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (field label, old, new)


# The fields of a lesson whose changes its history page shows, in this order.
HISTORY_FIELDS = ("date", "number", "room", "status", "cancel_reason", "form", "topic")


def _shown(record, name: str) -> str:
    value = getattr(record, name)
    if name in ("status", "form"):
        return str(dict(getattr(Lesson, name.capitalize()).choices).get(value, value))
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return "" if value is None else str(value)


def lesson_changes(lesson: Lesson) -> list[Change]:
    """The lesson's history, newest first, each change with who made it and what it changed (one query)."""
    records = list(lesson.history.select_related("history_user").order_by("history_date", "history_id"))
    changes: list[Change] = []
    previous = None
    for record in records:
        change = Change(when=record.history_date, user=record.history_user, kind=record.history_type)
        if previous is not None:
            for name in HISTORY_FIELDS:
                old, new = _shown(previous, name), _shown(record, name)
                if old != new:
                    label = str(Lesson._meta.get_field(name).verbose_name)
                    change.fields.append((label[:1].upper() + label[1:], old, new))
        changes.append(change)
        previous = record
    changes.reverse()
    return changes


def lesson_list(lesson: Lesson):
    """The lesson's list on its date: the group's memberships, or the class's enrollments, in force that day."""
    course = lesson.course
    if course.group_id is not None:
        rows = GroupMembership.objects.on(lesson.date).filter(group_id=course.group_id)
    else:
        rows = Enrollment.objects.on(lesson.date).filter(school_class_id=course.school_class_id)
    # R-E11: a pupil learning at home has no lessons.
    return rows.exclude(learns_at_home(lesson.date, lesson.date))


def on_lesson_list(lesson: Lesson, pupil_id: int) -> bool:
    """The pupil belongs to the lesson on its date (marks and attendance are only for them)."""
    return lesson_list(lesson).filter(pupil_id=pupil_id).exists()


def lesson_pupils(lesson: Lesson) -> list[User]:
    """The course's pupils on the lesson's date: a pupil who moved away is not listed, one who came is."""
    return list(_people().filter(pk__in=lesson_list(lesson).values("pupil_id")))


@dataclass
class Candidate:
    teacher: User
    busy: bool


def school_teachers(school: School | int) -> QuerySet[User]:
    return _people().filter(memberships__school=school, memberships__role=Role.TEACHER).distinct()


def substitute_candidates(lesson: Lesson, day_lessons: list[Lesson], times: Times) -> list[Candidate]:
    """The school's teachers who could take the lesson (not its own teachers), each marked busy when they teach
    another lesson at the same time that day. `day_lessons` are the day's lessons from `day_overview`."""
    own = {t.pk for t in lesson.course.teachers.all()}
    busy: set[int] = set()
    here = slot(lesson)
    for other in day_lessons:
        if other.pk != lesson.pk and other.status != Lesson.Status.CANCELLED and same_time(here, slot(other), times):
            busy |= who_teaches(other)
    return [Candidate(t, t.pk in busy) for t in school_teachers(lesson.school_id) if t.pk not in own]


# --- A day of the school (substitutions) ------------------------------------------------------------------------


@dataclass
class DayRow:
    """A heading of the day page (a teacher or a class) and its lessons in time order."""

    title: str
    lessons: list[Lesson]


def day_overview(school: School, day: datetime.date) -> tuple[list[Lesson], Times]:
    """Every lesson of the school on the day, cancelled ones too, with time, substitute and teachers (3 queries)."""
    lessons = list(lessons_with_details(school).filter(date=day))
    times = decorate(lessons)
    lessons.sort(key=_sort_key)
    return lessons, times


def by_teacher(lessons: list[Lesson]) -> list[DayRow]:
    """The day by the course's teachers (the ones a substitute replaces); a lesson of two teachers is under both."""
    rows: dict[int, tuple[User, list[Lesson]]] = {}
    for lesson in lessons:
        for teacher in lesson.teacher_list:
            rows.setdefault(teacher.pk, (teacher, []))[1].append(lesson)
    ordered = sorted(rows.values(), key=lambda r: (r[0].last_name, r[0].first_name, r[0].middle_name, r[0].pk))
    return [DayRow(teacher.get_full_name() or teacher.username, items) for teacher, items in ordered]


def by_class(lessons: list[Lesson]) -> list[DayRow]:
    def key(lesson: Lesson):
        sc = lesson.course.school_class
        return (sc is None, sc.grade if sc else 0, sc.letter if sc else lesson.course.audience)

    rows: dict[str, list[Lesson]] = {}
    for lesson in sorted(lessons, key=lambda lesson: (key(lesson), _sort_key(lesson))):
        sc = lesson.course.school_class
        rows.setdefault(str(sc) if sc else lesson.course.audience, []).append(lesson)
    return [DayRow(title, items) for title, items in rows.items()]


def substitution_log(school: School, start: datetime.date, end: datetime.date) -> list[Substitution]:
    """Every substitution of the dates (R-C07) with the lesson, its course's teachers, the substitute and who
    recorded it (3 queries)."""
    rows = list(
        Substitution.objects.for_school(school)
        .filter(lesson__date__gte=start, lesson__date__lte=end)
        .select_related(
            "lesson__course__subject",
            "lesson__course__school_class",
            "lesson__course__group",
            "substitute",
            "created_by",
        )
        .prefetch_related(Prefetch("lesson__course__teachers", queryset=_people()))
        .order_by("lesson__date", "lesson__number", "pk")
    )
    times = lesson_bell_times([s.lesson for s in rows])
    for s in rows:
        s.lesson.time = times.get(slot(s.lesson)) if slot(s.lesson)[0] else None  # type: ignore[arg-type]
    return rows


# --- The teacher's day -------------------------------------------------------------------------------------------


@dataclass
class TeacherDay:
    lessons: list[Lesson]  # what the teacher teaches: own lessons nobody took and the lessons they substitute on
    given_away: list[Lesson]  # own lessons a colleague substitutes on that day


def teacher_day(*, school: School, teacher: User, day: datetime.date) -> TeacherDay:
    """A teacher's lessons of the day in time order (3 queries). Each lesson gets `is_substitution` (the teacher
    substitutes on it) and `missing_topic` (not cancelled and no topic yet)."""
    mine = Q(course__course_teachers__teacher=teacher, course__year__is_archived=False)
    lessons = list(
        lessons_with_details(school).filter(date=day).filter(mine | Q(substitution__substitute=teacher)).distinct()
    )
    decorate(lessons)
    lessons.sort(key=_sort_key)
    taught, given_away = [], []
    for lesson in lessons:
        lesson.is_substitution = lesson.sub is not None and lesson.sub.substitute_id == teacher.pk
        lesson.missing_topic = lesson.status != Lesson.Status.CANCELLED and not lesson.topic
        if lesson.sub is not None and not lesson.is_substitution:
            given_away.append(lesson)
        else:
            taught.append(lesson)
    return TeacherDay(lessons=taught, given_away=given_away)
