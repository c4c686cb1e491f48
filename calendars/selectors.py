"""What a calendar link shows, rebuilt at every read from its owner's current roles (issue 12 item 4):

- a pupil: their own lessons (of their class's and groups' courses on the dates they were there: a pupil who moves
  to another class sees the new class's lessons from the move's date), the homework due, their class's events;
- a guardian: the same for each of their children (in every school where they are the child's guardian);
- a teacher: the lessons they teach and the ones they substitute on. A lesson of theirs that a colleague takes is
  kept in the feed but cancelled for them (STATUS:CANCELLED, transparent): the calendar strikes it out, the slot
  shows as free, and if the substitution is removed the same event (same UID) comes back; events of the classes
  they lead or teach in the window;
- everybody: the school-wide events of each of their schools; the administration without lessons gets these and
  the events of the classes they lead.

A fixed number of queries whatever the window holds (at most eight, besides the link's own row and the roles):
enrollments, group memberships, lessons (with their course's teachers: two), bells, homework, led classes, events.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q

from accounts.access import access
from accounts.models import GuardianLink, Membership, Role, School, User
from diary.models import Event
from diary.selectors_week import HOMEWORK_REACH
from schedule.models import CourseTeacher, Enrollment, GroupMembership, Homework, Lesson, Substitution
from schedule.selectors import led_classes
from schedule.slots import bell_times


@dataclass
class FeedPupil:
    """A pupil whose lessons the feed shows: the owner themself or one of their children."""

    id: int
    name: str  # what prefixes their events when the feed holds several children
    school_ids: set[int]
    # (since, until or None, class id, the class's bell schedule id, has lessons with the class: False in family
    # and self-education, R-E11)
    classes: list[tuple[datetime.date, datetime.date | None, int, int | None, bool]] = field(default_factory=list)
    # (since, until or None, group id)
    groups: list[tuple[datetime.date, datetime.date | None, int]] = field(default_factory=list)

    def class_on(self, day: datetime.date) -> tuple[int, int | None] | None:
        for since, until, class_id, bells_id, _attends in self.classes:
            if since <= day and (until is None or day <= until):
                return class_id, bells_id
        return None

    def attends_on(self, day: datetime.date) -> int | None:
        """The class whose whole-class lessons the pupil has on the day (none in family or self-education)."""
        for since, until, class_id, _bells_id, attends in self.classes:
            if since <= day and (until is None or day <= until):
                return class_id if attends else None
        return None

    def takes(self, course, day: datetime.date) -> bool:
        """The course is the pupil's on the day: a whole-class course while they are in the class, a group's while
        they are in the group (as the diary's week reads it: a pupil in family or self-education has no lessons with
        their class, R-E11)."""
        if course.school_id not in self.school_ids:
            return False
        if course.group_id is not None:
            return any(
                g == course.group_id and since <= day and (until is None or day <= until)
                for since, until, g in self.groups
            )
        return self.attends_on(day) == course.school_class_id


@dataclass
class FeedLesson:
    lesson: Lesson
    tz: str
    start: datetime.time | None
    end: datetime.time | None
    teachers: list[str]  # the course's teachers, short names
    substitute: str  # the substitute's short name, or ""
    # For the owner as a teacher: "" (not theirs), "own", "substitute" (they take a colleague's lesson),
    # "given_away" (a colleague takes theirs).
    teaching: str = ""
    pupils: list[str] = field(default_factory=list)  # names of the feed's pupils who have this lesson
    bells: int | None = None  # the bell schedule its times come from

    @property
    def cancelled(self) -> bool:
        return self.lesson.status == Lesson.Status.CANCELLED or self.teaching == "given_away"


@dataclass
class FeedHomework:
    homework: Homework
    due: datetime.date
    pupils: list[str]


@dataclass
class FeedEvent:
    event: Event
    tz: str
    pupils: list[str]  # the feed's pupils whose class it is (empty for the school's and for a teacher's classes)


@dataclass
class FeedContent:
    start: datetime.date
    end: datetime.date
    lessons: list[FeedLesson]
    homework: list[FeedHomework]
    events: list[FeedEvent]
    several_pupils: bool  # a parent of two or more children: events carry the child's name


def _roles_by_school(user: User) -> dict[int, frozenset[str]]:
    return access(user).roles


def _pupils(user: User, roles: dict[int, frozenset[str]]) -> dict[int, FeedPupil]:
    pupils: dict[int, FeedPupil] = {}
    own = {sid for sid, r in roles.items() if Role.PUPIL in r}
    if own:
        pupils[user.pk] = FeedPupil(user.pk, user.first_name or user.get_short_name(), own)
    guardian_of = [sid for sid, r in roles.items() if Role.GUARDIAN in r]
    if guardian_of:
        # A child is shown while they are a pupil of the school that links them to this parent (diary.selectors).
        still_pupil = Membership.objects.filter(
            user_id=OuterRef("pupil_id"), school_id=OuterRef("school_id"), role=Role.PUPIL
        )
        links = (
            GuardianLink.objects.filter(guardian=user, school_id__in=guardian_of)
            .filter(Exists(still_pupil))
            .select_related("pupil")
            .order_by("pupil__last_name", "pupil__first_name", "pupil_id")
        )
        for link in links:
            child = link.pupil
            found = pupils.setdefault(child.pk, FeedPupil(child.pk, child.first_name or child.get_short_name(), set()))
            found.school_ids.add(link.school_id)
    return pupils


def _fill_enrollments(pupils: dict[int, FeedPupil], start: datetime.date, end: datetime.date) -> None:
    """The pupils' classes and groups around the window (from HOMEWORK_REACH before it: homework due in the window
    was set at a lesson up to that long before). Two queries."""
    reach = start - HOMEWORK_REACH
    around = Q(since__lte=end) & (Q(until__isnull=True) | Q(until__gte=reach))
    schools = set().union(*(p.school_ids for p in pupils.values()))
    for e in (
        Enrollment.objects.filter(around, pupil_id__in=list(pupils), school_id__in=schools)
        .select_related("school_class")
        .order_by("since", "pk")
    ):
        pupil = pupils[e.pupil_id]
        if e.school_id in pupil.school_ids:
            pupil.classes.append(
                (e.since, e.until, e.school_class_id, e.school_class.bell_schedule_id, e.form == Enrollment.Form.SCHOOL)
            )
    for m in GroupMembership.objects.filter(around, pupil_id__in=list(pupils), school_id__in=schools).order_by(
        "since", "pk"
    ):
        pupil = pupils[m.pupil_id]
        if m.school_id in pupil.school_ids:
            pupil.groups.append((m.since, m.until, m.group_id))


def _substitution(lesson: Lesson) -> Substitution | None:
    try:
        return lesson.substitution
    except Substitution.DoesNotExist:
        return None


def _lessons(
    user: User, pupils: dict[int, FeedPupil], teacher_schools: list[int], schools: list[int], start, end
) -> list[Lesson]:
    wanted = []
    class_ids = {c[2] for p in pupils.values() for c in p.classes}
    group_ids = {g[2] for p in pupils.values() for g in p.groups}
    if class_ids:
        wanted.append(Q(course__group__isnull=True, course__school_class_id__in=class_ids))
    if group_ids:
        wanted.append(Q(course__group_id__in=group_ids))
    if teacher_schools:
        teaches = CourseTeacher.objects.filter(course_id=OuterRef("course_id"), teacher_id=user.pk)
        wanted.append(Q(school_id__in=teacher_schools) & (Exists(teaches) | Q(substitution__substitute_id=user.pk)))
    if not wanted:
        return []
    where = wanted[0]
    for q in wanted[1:]:
        where |= q
    teachers = CourseTeacher.objects.select_related("teacher").order_by("teacher__last_name", "teacher__first_name")
    return list(
        Lesson.objects.filter(where, school_id__in=schools, date__gte=start, date__lte=end)
        .select_related(
            "course__subject", "course__school_class", "course__group__school_class", "substitution__substitute"
        )
        .prefetch_related(Prefetch("course__course_teachers", queryset=teachers))
        .order_by("date", "number", "pk")
    )


def _class_bells(course) -> int | None:
    """The bells a lesson rings by: its class's, or for a group, the group's class's (None: the pupil's class's)."""
    if course.school_class_id is not None:
        return course.school_class.bell_schedule_id
    if course.group_id is not None and course.group.school_class_id is not None:
        return course.group.school_class.bell_schedule_id
    return None


def _teaching(user: User, lesson: Lesson, teacher_schools: set[int], teacher_ids: set[int]) -> str:
    if lesson.school_id not in teacher_schools:
        return ""
    sub = _substitution(lesson)
    if sub is not None and sub.substitute_id == user.pk:
        return "substitute"
    if user.pk in teacher_ids:
        return "given_away" if sub is not None else "own"
    return ""


def _homework(pupils: dict[int, FeedPupil], start, end) -> list[FeedHomework]:
    """Homework due in the window (by its due lesson's date, else the date it was set, as the diary's homework list
    reads it) of the pupils' lessons; none of a cancelled lesson. One query."""
    class_ids = {c[2] for p in pupils.values() for c in p.classes}
    group_ids = {g[2] for p in pupils.values() for g in p.groups}
    theirs = Q(lesson__course__group__isnull=True, lesson__course__school_class_id__in=class_ids) | Q(
        lesson__course__group_id__in=group_ids
    )
    due_in = Q(due_lesson__date__gte=start, due_lesson__date__lte=end) | Q(
        due_lesson__isnull=True, lesson__date__gte=start, lesson__date__lte=end
    )
    schools = set().union(*(p.school_ids for p in pupils.values()))
    rows = (
        Homework.objects.filter(theirs, due_in, school_id__in=schools, lesson__date__gte=start - HOMEWORK_REACH)
        .exclude(lesson__status=Lesson.Status.CANCELLED)
        .select_related("lesson__course__subject", "due_lesson")
        .order_by("pk")
    )
    found = []
    for homework in rows:
        lesson = homework.lesson
        names = [p.name for p in pupils.values() if p.takes(lesson.course, lesson.date)]
        if names:
            due = homework.due_lesson.date if homework.due_lesson_id is not None else lesson.date
            found.append(FeedHomework(homework, due, names))
    return found


def feed_content(*, user: User, today: datetime.date, weeks_back: int, weeks_ahead: int) -> FeedContent:
    """The owner's calendar from `weeks_back` weeks before today to `weeks_ahead` weeks after it."""
    start = today - datetime.timedelta(weeks=weeks_back)
    end = today + datetime.timedelta(weeks=weeks_ahead)
    roles = _roles_by_school(user)
    schools_by_id: dict[int, School] = access(user).schools
    schools = sorted(roles)
    teacher_schools = {sid for sid, r in roles.items() if Role.TEACHER in r}
    pupils = _pupils(user, roles)
    if pupils:
        _fill_enrollments(pupils, start, end)
    several = len([p for p in pupils.values() if p.id != user.pk]) >= 2

    lessons: list[FeedLesson] = []
    bells_wanted: set[int] = set()
    taught_classes: set[int] = set()
    for lesson in _lessons(user, pupils, sorted(teacher_schools), schools, start, end):
        course = lesson.course
        links = list(course.course_teachers.all())
        teaching = _teaching(user, lesson, teacher_schools, {ct.teacher_id for ct in links})
        names, pupil_bells = [], None
        for pupil in pupils.values():
            if pupil.takes(course, lesson.date):
                names.append(pupil.name)
                on = pupil.class_on(lesson.date)
                pupil_bells = pupil_bells or (on[1] if on else None)
        if not teaching and not names:
            continue  # a course of the pupil's class on a date they were not in it
        bells = _class_bells(course) or pupil_bells
        if bells:
            bells_wanted.add(bells)
        if teaching:
            school_class_id = course.school_class_id or (course.group.school_class_id if course.group_id else None)
            if school_class_id:
                taught_classes.add(school_class_id)
        sub = _substitution(lesson)
        item = FeedLesson(
            lesson=lesson,
            tz=schools_by_id[lesson.school_id].timezone,
            start=None,
            end=None,
            teachers=[ct.teacher.get_short_name() for ct in links],
            substitute=sub.substitute.get_short_name() if sub is not None else "",
            teaching=teaching,
            pupils=names,
            bells=bells,
        )
        lessons.append(item)
    times = bell_times(bells_wanted)
    for item in lessons:
        start_end = times.get((item.bells, item.lesson.number)) if item.bells else None
        if start_end:
            item.start, item.end = start_end

    homework = _homework(pupils, start, end) if pupils else []

    # Events: each school's own, the pupils' classes' (on the dates they were in them), the classes the owner
    # leads or teaches in the window.
    staff = any(r & {Role.TEACHER, Role.ADMIN, Role.DIRECTOR, Role.DEPUTY} for r in roles.values())
    own_classes = taught_classes | (set(led_classes(user)) if staff else set())
    pupil_classes = {c[2] for p in pupils.values() for c in p.classes}
    events: list[FeedEvent] = []
    if schools:
        rows = (
            Event.objects.filter(school_id__in=schools, date__gte=start, date__lte=end)
            .filter(Q(school_class__isnull=True) | Q(school_class_id__in=own_classes | pupil_classes))
            .select_related("school_class")
            .order_by("date", "start", "pk")
        )
        for event in rows:
            tz = schools_by_id[event.school_id].timezone
            if event.school_class_id is None:
                events.append(FeedEvent(event, tz, []))
                continue
            names = [
                p.name
                for p in pupils.values()
                if event.school_id in p.school_ids and (p.class_on(event.date) or (None,))[0] == event.school_class_id
            ]
            if names or event.school_class_id in own_classes:
                events.append(FeedEvent(event, tz, names))
    return FeedContent(start=start, end=end, lessons=lessons, homework=homework, events=events, several_pupils=several)
