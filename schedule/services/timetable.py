"""The teaching load (courses, R-B05), the timetable with validity dates (R-C01, R-C03) and the lessons generated
from it. A change from a date ends the old entry the day before and starts a new one: lessons before the date are
never touched, lessons after it are removed only when nothing was recorded in them (R-C03, seed 002 §1.1)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import Membership, Role, User
from audit.log import record

from ..models import (
    AcademicYear,
    Course,
    CourseTeacher,
    Enrollment,
    GroupMembership,
    Holiday,
    Lesson,
    SchoolClass,
    StudyGroup,
    StudyPeriod,
    Subject,
    TimetableEntry,
    Weekday,
)
from ..signals import lessons_created, lessons_in_use
from ..slots import bell_times, same_time, slot_of
from . import ScheduleError

MAX_LESSON_NUMBER = 15


def _d(day: datetime.date) -> str:
    return date_format(day, "d.m.Y")


def _check_open(year: AcademicYear) -> None:
    if year.is_archived:
        raise ScheduleError(_("The year %(year)s is closed: its timetable no longer changes.") % {"year": year})


def _room(value: str) -> str:
    return " ".join((value or "").split())


def _lock(year: AcademicYear) -> None:
    """Serialise timetable writes of one year, so that two editors cannot both pass the conflict check."""
    AcademicYear.objects.select_for_update().filter(pk=year.pk).first()


# --- Courses (the teaching load) ------------------------------------------------------------------------------


def _check_teachers(school_id: int, teachers: list[User]) -> None:
    ids = {t.pk for t in teachers}
    if not ids:
        raise ScheduleError(_("Choose at least one teacher."))
    found = set(
        Membership.objects.filter(school_id=school_id, role=Role.TEACHER, user_id__in=ids).values_list(
            "user_id", flat=True
        )
    )
    if found != ids:
        raise ScheduleError(_("Only teachers of this school can teach a course."))


def _check_course(
    *,
    year: AcademicYear,
    subject: Subject,
    school_class: SchoolClass | None,
    group: StudyGroup | None,
    hours_per_week: Decimal,
) -> SchoolClass | None:
    if subject.school_id != year.school_id:
        raise ScheduleError(_("The subject belongs to another school."))
    if school_class is None and group is None:
        raise ScheduleError(_("Choose the class or the group that is taught."))
    if group is not None:
        if group.year_id != year.pk:
            raise ScheduleError(_("The group belongs to another year."))
        if school_class is not None and group.school_class_id != school_class.pk:
            raise ScheduleError(_("The group «%(group)s» is not a group of this class.") % {"group": group})
        school_class = group.school_class
    elif school_class.year_id != year.pk:
        raise ScheduleError(_("The class belongs to another year."))
    if hours_per_week is None or hours_per_week < 0 or hours_per_week > 20:
        raise ScheduleError(_("Hours a week must be from 0 to 20."))
    return school_class


@transaction.atomic
def course_create(
    *,
    actor: User | None,
    year: AcademicYear,
    subject: Subject,
    teachers: list[User],
    hours_per_week: Decimal | int | str,
    school_class: SchoolClass | None = None,
    group: StudyGroup | None = None,
    kind: str = Course.Kind.LESSON,
    attested: bool | None = None,
    title: str = "",
) -> Course:
    _check_open(year)
    hours = Decimal(str(hours_per_week))
    school_class = _check_course(
        year=year, subject=subject, school_class=school_class, group=group, hours_per_week=hours
    )
    _check_teachers(year.school_id, teachers)
    if attested is None:
        attested = kind == Course.Kind.LESSON and not subject.no_attestation
    course = Course.objects.create(
        school_id=year.school_id,
        year=year,
        subject=subject,
        school_class=school_class,
        group=group,
        hours_per_week=hours,
        kind=kind,
        attested=attested,
        title=" ".join(title.split()),
    )
    CourseTeacher.objects.bulk_create(
        [CourseTeacher(school_id=year.school_id, course=course, teacher=t) for t in teachers]
    )
    record(
        actor=actor,
        school=year.school,
        action="schedule.course.created",
        obj=course,
        data={"teachers": [t.pk for t in teachers], "hours_per_week": str(hours)},
    )
    return course


@transaction.atomic
def course_update(
    *,
    actor: User | None,
    course: Course,
    teachers: list[User],
    hours_per_week: Decimal | int | str,
    kind: str,
    attested: bool,
    title: str = "",
) -> Course:
    """The teachers, hours and kind of a course; what is taught to whom stays (a new course is another load)."""
    _check_open(course.year)
    hours = Decimal(str(hours_per_week))
    _check_course(
        year=course.year,
        subject=course.subject,
        school_class=course.school_class,
        group=course.group,
        hours_per_week=hours,
    )
    _check_teachers(course.school_id, teachers)
    if attested and course.subject.no_attestation:
        raise ScheduleError(_("The subject «%(subject)s» is taught without attestation.") % {"subject": course.subject})
    course.hours_per_week, course.kind, course.attested = hours, kind, attested
    course.title = " ".join(title.split())
    course.save(update_fields=["hours_per_week", "kind", "attested", "title"])
    wanted = {t.pk for t in teachers}
    current = set(course.course_teachers.values_list("teacher_id", flat=True))
    course.course_teachers.filter(teacher_id__in=current - wanted).delete()
    CourseTeacher.objects.bulk_create(
        [CourseTeacher(school_id=course.school_id, course=course, teacher_id=pk) for pk in wanted - current]
    )
    if wanted != current:
        _check_entries_free(course)
    record(
        actor=actor,
        school=course.school,
        action="schedule.course.updated",
        obj=course,
        data={"teachers": sorted(wanted), "hours_per_week": str(hours), "kind": kind, "attested": attested},
    )
    return course


def _check_entries_free(course: Course) -> None:
    """A new teacher of a course must be free at the course's timetable places."""
    for entry in course.entries.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=course.year.start)):
        _check_conflicts(
            course=course,
            weekday=entry.weekday,
            number=entry.number,
            room=entry.room,
            valid_from=entry.valid_from,
            valid_to=entry.valid_to,
            ignore=entry.pk,
        )


@transaction.atomic
def course_delete(*, actor: User | None, course: Course) -> None:
    _check_open(course.year)
    if course.lessons.exists():
        raise ScheduleError(
            _("The course «%(course)s» already has lessons: it cannot be deleted.") % {"course": course}
        )
    record(actor=actor, school=course.school, action="schedule.course.deleted", obj=course)
    course.entries.all().delete()
    course.delete()


# --- Conflicts -----------------------------------------------------------------------------------------------


def _pupils(course: Course, day: datetime.date) -> set[int]:
    if course.group_id is not None:
        return set(GroupMembership.objects.on(day).filter(group_id=course.group_id).values_list("pupil_id", flat=True))
    return set(
        Enrollment.objects.on(day).filter(school_class_id=course.school_class_id).values_list("pupil_id", flat=True)
    )


def _share_pupils(a: Course, b: Course, day: datetime.date) -> bool:
    """The two courses teach some pupil in common on that day. Two subgroups of one class do not, by design."""
    if a.group_id is None and b.group_id is None:
        return a.school_class_id == b.school_class_id
    if a.group_id is not None and a.group_id == b.group_id:
        return True
    return bool(_pupils(a, day) & _pupils(b, day))


def _describe(course: Course, weekday: int | None = None, number: int = 0, day: datetime.date | None = None) -> str:
    when = _d(day) if day else str(Weekday(weekday).label)
    return _("%(when)s, lesson %(number)s: %(course)s") % {"when": when, "number": number, "course": course}


def _teacher_ids(course: Course) -> set[int]:
    return set(course.course_teachers.values_list("teacher_id", flat=True))


def _check_conflicts(
    *,
    course: Course,
    weekday: int,
    number: int,
    room: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None,
    ignore: int | None = None,
) -> None:
    """A teacher, a room or a pupil in two places at once is refused with what it clashes with."""
    others = (
        TimetableEntry.objects.filter(school_id=course.school_id, weekday=weekday, course__year_id=course.year_id)
        .overlapping(valid_from, valid_to)
        .exclude(pk=ignore)
        .select_related("course__subject", "course__school_class", "course__group")
    )
    others = list(others)
    if not others:
        return
    mine = slot_of(course, number)
    times = bell_times({mine[0]} | {slot_of(o.course, 0)[0] for o in others})
    clashing = [o for o in others if same_time(mine, slot_of(o.course, o.number), times)]
    for other in clashing:
        if other.course_id == course.pk:
            where = _describe(other.course, weekday, other.number)
            raise ScheduleError(_("The course already has a lesson at this time (%(where)s).") % {"where": where})
    teachers = _teacher_ids(course)
    busy = course_teachers({o.course_id for o in clashing})
    for other in clashing:
        check_clash(
            course=course,
            teachers=teachers,
            room=room,
            other_course=other.course,
            busy=busy.get(other.course_id, set()),
            other_room=other.room,
            day=max(valid_from, other.valid_from),
            where=_describe(other.course, weekday, other.number),
        )


def course_teachers(course_ids) -> dict[int, set[int]]:
    """Teacher ids of each course, in one query."""
    result: dict[int, set[int]] = defaultdict(set)
    for course_id, teacher_id in CourseTeacher.objects.filter(course_id__in=course_ids).values_list(
        "course_id", "teacher_id"
    ):
        result[course_id].add(teacher_id)
    return result


def check_clash(
    *,
    course: Course,
    teachers: set[int],
    room: str,
    other_course: Course,
    busy: set[int],
    other_room: str,
    day: datetime.date,
    where: str,
) -> None:
    """Refuse a lesson of `course` at the time of another one (`where`): a shared teacher, room or pupil."""
    if teachers & busy:
        names = ", ".join(u.get_full_name() or u.username for u in User.objects.filter(pk__in=teachers & busy))
        raise ScheduleError(
            _("The teacher %(teacher)s already teaches at this time: %(where)s.") % {"teacher": names, "where": where}
        )
    if room and other_room.casefold() == room.casefold():
        raise ScheduleError(_("Room %(room)s is taken at this time: %(where)s.") % {"room": room, "where": where})
    if _share_pupils(course, other_course, day):
        raise ScheduleError(
            _("Pupils of %(audience)s already have a lesson at this time: %(where)s.")
            % {"audience": course.audience, "where": where}
        )


# --- Timetable entries ------------------------------------------------------------------------------------


def _check_place(year: AcademicYear, weekday: int, number: int, valid_from: datetime.date, valid_to) -> None:
    if weekday not in Weekday.values:
        raise ScheduleError(_("Choose a day from Monday to Saturday."))
    if not 0 <= number <= MAX_LESSON_NUMBER:
        raise ScheduleError(_("The lesson number must be from 0 to %(max)s.") % {"max": MAX_LESSON_NUMBER})
    if not year.start <= valid_from <= year.end:
        raise ScheduleError(
            _("The date %(date)s is outside the academic year %(year)s.") % {"date": _d(valid_from), "year": year}
        )
    if valid_to is not None and valid_to < valid_from:
        raise ScheduleError(_("The entry cannot end before it starts."))


@transaction.atomic
def timetable_entry_add(
    *,
    actor: User | None,
    course: Course,
    weekday: int,
    number: int,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    room: str = "",
) -> TimetableEntry:
    """A course's lesson in the week from a date; lessons already generated after that date follow (R-C03)."""
    year = course.year
    _check_open(year)
    _lock(year)
    room = _room(room)
    _check_place(year, weekday, number, valid_from, valid_to)
    _check_conflicts(course=course, weekday=weekday, number=number, room=room, valid_from=valid_from, valid_to=valid_to)
    entry = TimetableEntry.objects.create(
        school_id=course.school_id,
        course=course,
        weekday=weekday,
        number=number,
        room=room,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    horizon = _generated_until(year)
    if horizon is not None and horizon >= valid_from:
        _generate(actor=actor, entries=[entry], start=valid_from, end=horizon)
    record(
        actor=actor,
        school=course.school,
        action="schedule.timetable.added",
        obj=entry,
        data={"course": course.pk, "weekday": weekday, "number": number, "room": room, "from": str(valid_from)},
    )
    return entry


@transaction.atomic
def timetable_entry_end(*, actor: User | None, entry: TimetableEntry, from_date: datetime.date) -> int:
    """The entry no longer applies from the date (an entry that starts on it is removed). Lessons before the date are
    kept as they were; later ones go unless something is recorded in them. Returns how many lessons were removed."""
    year = entry.course.year
    _check_open(year)
    _lock(year)
    if entry.valid_to is not None and from_date > entry.valid_to:
        raise ScheduleError(_("The entry already ends on %(date)s.") % {"date": _d(entry.valid_to)})
    removed = _remove_unused_lessons(Lesson.objects.filter(entry=entry, slot_date__gte=from_date))
    data = {"from": str(from_date), "lessons_removed": removed}
    if from_date <= entry.valid_from:
        record(actor=actor, school=entry.course.school, action="schedule.timetable.removed", obj=entry, data=data)
        entry.delete()
    else:
        entry.valid_to = from_date - datetime.timedelta(days=1)
        entry.save(update_fields=["valid_to"])
        record(actor=actor, school=entry.course.school, action="schedule.timetable.ended", obj=entry, data=data)
    return removed


@transaction.atomic
def timetable_entry_change(
    *,
    actor: User | None,
    entry: TimetableEntry,
    from_date: datetime.date,
    course: Course | None = None,
    weekday: int | None = None,
    number: int | None = None,
    room: str | None = None,
) -> TimetableEntry:
    """Another course, day, lesson number or room from a date: the weeks before it stay as they were."""
    new_course = course or entry.course
    if new_course.year_id != entry.course.year_id:
        raise ScheduleError(_("The course belongs to another year."))
    valid_to = entry.valid_to
    if from_date < entry.valid_from:
        from_date = entry.valid_from
    timetable_entry_end(actor=actor, entry=entry, from_date=from_date)
    return timetable_entry_add(
        actor=actor,
        course=new_course,
        weekday=entry.weekday if weekday is None else weekday,
        number=entry.number if number is None else number,
        room=entry.room if room is None else room,
        valid_from=from_date,
        valid_to=valid_to,
    )


def _remove_unused_lessons(lessons) -> int:
    """Delete the lessons in which nothing was recorded; a lesson that holds anything is kept (promise 6)."""
    candidates = set(
        lessons.filter(status=Lesson.Status.PLANNED, substitution__isnull=True, homework__isnull=True)
        .filter(Q(topic="") | Q(topic_from_plan=True))
        .values_list("pk", flat=True)
    )
    if not candidates:
        return 0
    for _receiver, used in lessons_in_use.send(sender=Lesson, lesson_ids=candidates):
        candidates -= set(used or ())
    Lesson.objects.filter(pk__in=candidates).delete()
    return len(candidates)


# --- Lessons from the timetable ---------------------------------------------------------------------------------


@dataclass
class Generated:
    created: int
    existing: int
    holidays: int


def _generated_until(year: AcademicYear) -> datetime.date | None:
    """The last day lessons were generated for in this year: a timetable change after it needs no lessons yet."""
    return Lesson.objects.filter(course__year=year, entry__isnull=False).aggregate(m=Max("slot_date"))["m"]


def _school_days(year: AcademicYear, start: datetime.date, end: datetime.date):
    """For each grade: the days of [start, end] inside a study period for that grade and outside the holidays."""
    holidays = set()
    for h in Holiday.objects.filter(year=year, start__lte=end, end__gte=start):
        day = max(h.start, start)
        while day <= min(h.end, end):
            holidays.add(day)
            day += datetime.timedelta(days=1)
    periods = list(StudyPeriod.objects.filter(year=year, start__lte=end, end__gte=start))

    def in_periods(day: datetime.date, grade: int | None) -> bool:
        if not periods:
            return year.start <= day <= year.end
        return any(p.start <= day <= p.end and (grade is None or p.grade_from <= grade <= p.grade_to) for p in periods)

    return holidays, in_periods


def _generate(
    *, actor: User | None, entries: list[TimetableEntry], start: datetime.date, end: datetime.date
) -> Generated:
    if not entries:
        return Generated(0, 0, 0)
    year = entries[0].course.year
    start, end = max(start, year.start), min(end, year.end)
    holidays, in_periods = _school_days(year, start, end)
    existing = set(
        Lesson.objects.filter(entry__in=entries, slot_date__gte=start, slot_date__lte=end).values_list(
            "entry_id", "slot_date"
        )
    )
    new: list[Lesson] = []
    skipped = 0
    for entry in entries:
        grade = entry.course.school_class.grade if entry.course.school_class_id else None
        first = max(start, entry.valid_from)
        last = min(end, entry.valid_to) if entry.valid_to else end
        day = first + datetime.timedelta(days=(entry.weekday - 1 - first.weekday()) % 7)
        while day <= last:
            if day in holidays:
                skipped += 1
            elif in_periods(day, grade) and (entry.pk, day) not in existing:
                new.append(
                    Lesson(
                        school_id=entry.school_id,
                        course_id=entry.course_id,
                        date=day,
                        number=entry.number,
                        room=entry.room,
                        entry=entry,
                        slot_date=day,
                    )
                )
            day += datetime.timedelta(days=7)
    if new:
        bulk_create_with_history(new, Lesson, batch_size=2000, default_user=actor if actor and actor.pk else None)
        lessons_created.send(sender=Lesson, lessons=new)
    return Generated(created=len(new), existing=len(existing), holidays=skipped)


@transaction.atomic
def lessons_generate(
    *,
    actor: User | None,
    year: AcademicYear,
    start: datetime.date,
    end: datetime.date,
    school_class: SchoolClass | None = None,
    grades: tuple[int, int] | None = None,
) -> Generated:
    """Lessons of every timetable entry for the days of [start, end] that fall in a study period and not in the
    holidays. Idempotent: a lesson already generated for an entry and day (even moved or cancelled since) is not
    made again, and nothing existing is changed."""
    _check_open(year)
    _lock(year)
    if end < start:
        raise ScheduleError(_("The last day cannot be before the first."))
    entries = (
        TimetableEntry.objects.filter(course__year=year)
        .overlapping(start, end)
        .select_related("course__school_class", "course__year")
    )
    if school_class is not None:
        entries = entries.filter(Q(course__school_class=school_class) | Q(course__group__school_class=school_class))
    if grades is not None:
        entries = entries.filter(Q(course__school_class__isnull=True) | Q(course__school_class__grade__range=grades))
    result = _generate(actor=actor, entries=list(entries), start=start, end=end)
    record(
        actor=actor,
        school=year.school,
        action="schedule.lessons.generated",
        obj=school_class or year,
        data={"from": str(start), "to": str(end), "created": result.created},
    )
    return result


def lessons_generate_period(*, actor: User | None, period: StudyPeriod) -> Generated:
    """The lessons of a period for the grades it is a period of (a quarter of grades 2–9 leaves the half-years of
    grades 10–11 alone); groups across classes follow every period."""
    return lessons_generate(
        actor=actor, year=period.year, start=period.start, end=period.end, grades=(period.grade_from, period.grade_to)
    )
