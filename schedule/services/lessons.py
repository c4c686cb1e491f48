"""One lesson's changes: an extra lesson, a move, a cancellation (R-C05), a substitution (R-C04, R-C06), its topic
and form (R-C09, R-C12). Every change of a lesson keeps its history with its author (promise 6)."""

import datetime

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import Membership, Role, User
from audit.log import record
from ejournal.clock import now

from ..models import AcademicYear, Course, CourseTeacher, Holiday, Lesson, Substitution
from ..signals import lessons_created
from ..slots import bell_times, same_time, slot_of
from . import ScheduleError
from .timetable import MAX_LESSON_NUMBER, _room, check_clash, course_teachers

# The guardian permission a substitution grants; `schedule.fill_lesson` (rules.py) combines it with the lesson's
# own state, so a grant never opens a cancelled lesson or a closed year.
SUBSTITUTE_PERM = "schedule.substitute_lesson"


def _d(day: datetime.date) -> str:
    return date_format(day, "d.m.Y")


def _check_open(year: AcademicYear) -> None:
    if year.is_archived:
        raise ScheduleError(_("The year %(year)s is closed: its lessons no longer change.") % {"year": year})


def _locked(lesson: Lesson) -> Lesson:
    """The lesson re-read under a row lock: two editors of one lesson take turns."""
    return (
        Lesson.objects.select_for_update(of=("self",))
        .select_related("course__year", "course__school_class")
        .get(pk=lesson.pk)
    )


def _save(lesson: Lesson, actor: User | None, fields: list[str]) -> None:
    if actor is not None and actor.pk:
        lesson._history_user = actor
    lesson.save(update_fields=fields)


def _lesson_teachers(lesson: Lesson) -> set[int]:
    sub = Substitution.objects.filter(lesson=lesson).values_list("substitute_id", flat=True).first()
    if sub is not None:
        return {sub}
    return set(CourseTeacher.objects.filter(course_id=lesson.course_id).values_list("teacher_id", flat=True))


def _check_day(course: Course, day: datetime.date) -> None:
    year = course.year
    if not year.start <= day <= year.end:
        raise ScheduleError(
            _("The date %(date)s is outside the academic year %(year)s.") % {"date": _d(day), "year": year}
        )
    if day.isoweekday() == 7:
        raise ScheduleError(_("%(date)s is a Sunday.") % {"date": _d(day)})
    holiday = Holiday.objects.filter(year=year, start__lte=day, end__gte=day).first()
    if holiday is not None:
        raise ScheduleError(_("%(date)s falls in the %(holiday)s.") % {"date": _d(day), "holiday": holiday})


def _check_free(
    *,
    course: Course,
    day: datetime.date,
    number: int,
    room: str,
    teachers: set[int],
    ignore: int | None = None,
) -> None:
    """Nobody of the lesson (its teacher, its room, its pupils) is in another lesson at that time on that day."""
    if not 0 <= number <= MAX_LESSON_NUMBER:
        raise ScheduleError(_("The lesson number must be from 0 to %(max)s.") % {"max": MAX_LESSON_NUMBER})
    others = list(
        Lesson.objects.filter(school_id=course.school_id, date=day)
        .in_journal()
        .exclude(pk=ignore)
        .select_related("course__subject", "course__school_class", "course__group")
    )
    if not others:
        return
    mine = slot_of(course, number)
    times = bell_times({mine[0]} | {slot_of(o.course, 0)[0] for o in others})
    clashing = [o for o in others if same_time(mine, slot_of(o.course, o.number), times)]
    if not clashing:
        return
    subs = dict(Substitution.objects.filter(lesson__in=clashing).values_list("lesson_id", "substitute_id"))
    busy = course_teachers({o.course_id for o in clashing})
    for other in clashing:
        check_clash(
            course=course,
            teachers=teachers,
            room=room,
            other_course=other.course,
            busy={subs[other.pk]} if other.pk in subs else busy.get(other.course_id, set()),
            other_room=other.room,
            day=day,
            where=_("%(date)s, lesson %(number)s: %(course)s")
            % {"date": _d(day), "number": other.number, "course": other.course},
        )


@transaction.atomic
def lesson_add(
    *, actor: User | None, course: Course, date: datetime.date, number: int, room: str = "", topic: str = ""
) -> Lesson:
    """An extra lesson outside the timetable (a make-up lesson, a consultation)."""
    _check_open(course.year)
    room = _room(room)
    _check_day(course, date)
    teachers = set(course.course_teachers.values_list("teacher_id", flat=True))
    _check_free(course=course, day=date, number=number, room=room, teachers=teachers)
    lesson = Lesson(
        school_id=course.school_id,
        course=course,
        date=date,
        number=number,
        room=room,
        topic=" ".join(topic.split()),
        is_extra=True,
    )
    if actor is not None and actor.pk:
        lesson._history_user = actor
    lesson.save()
    lessons_created.send(sender=Lesson, lessons=[lesson])
    record(
        actor=actor,
        school=course.school,
        action="schedule.lesson.added",
        obj=lesson,
        data={"date": str(date), "number": number},
    )
    return lesson


@transaction.atomic
def lesson_move(
    *, actor: User | None, lesson: Lesson, date: datetime.date, number: int, room: str | None = None
) -> Lesson:
    """Another day, time or room for one lesson; what is recorded in it moves with it."""
    lesson = _locked(lesson)
    _check_open(lesson.course.year)
    if lesson.status == Lesson.Status.CANCELLED:
        raise ScheduleError(_("The lesson is cancelled: restore it first."))
    room = lesson.room if room is None else _room(room)
    _check_day(lesson.course, date)
    _check_free(
        course=lesson.course, day=date, number=number, room=room, teachers=_lesson_teachers(lesson), ignore=lesson.pk
    )
    before = {"date": str(lesson.date), "number": lesson.number, "room": lesson.room}
    lesson.date, lesson.number, lesson.room = date, number, room
    _save(lesson, actor, ["date", "number", "room"])
    record(
        actor=actor,
        school=lesson.course.school,
        action="schedule.lesson.moved",
        obj=lesson,
        data={"from": before, "to": {"date": str(date), "number": number, "room": room}},
    )
    return lesson


@transaction.atomic
def lesson_cancel(*, actor: User | None, lesson: Lesson, reason: str) -> Lesson:
    """A cancelled lesson leaves the journal and the fill rate, and is shown as cancelled (R-C05)."""
    lesson = Lesson.objects.select_for_update(of=("self",)).select_related("course__year").get(pk=lesson.pk)
    _check_open(lesson.course.year)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ScheduleError(_("Say why the lesson is cancelled."))
    if lesson.status == Lesson.Status.CANCELLED:
        raise ScheduleError(_("The lesson is already cancelled."))
    if lesson.status == Lesson.Status.HELD:
        raise ScheduleError(_("The lesson has been held: it cannot be cancelled."))
    substitution = Substitution.objects.filter(lesson=lesson).select_related("substitute").first()
    if substitution is not None:
        _substitution_drop(actor=actor, substitution=substitution)
    lesson.status, lesson.cancel_reason = Lesson.Status.CANCELLED, reason[:300]
    _save(lesson, actor, ["status", "cancel_reason"])
    record(
        actor=actor,
        school=lesson.course.school,
        action="schedule.lesson.cancelled",
        obj=lesson,
        data={"reason": reason},
    )
    return lesson


@transaction.atomic
def lesson_restore(*, actor: User | None, lesson: Lesson) -> Lesson:
    lesson = _locked(lesson)
    _check_open(lesson.course.year)
    if lesson.status != Lesson.Status.CANCELLED:
        raise ScheduleError(_("The lesson is not cancelled."))
    _check_free(
        course=lesson.course,
        day=lesson.date,
        number=lesson.number,
        room=lesson.room,
        teachers=_lesson_teachers(lesson),
        ignore=lesson.pk,
    )
    lesson.status, lesson.cancel_reason = Lesson.Status.PLANNED, ""
    _save(lesson, actor, ["status", "cancel_reason"])
    record(actor=actor, school=lesson.course.school, action="schedule.lesson.restored", obj=lesson)
    return lesson


@transaction.atomic
def lesson_delete(*, actor: User | None, lesson: Lesson) -> None:
    """Only an extra lesson in which nothing was recorded can be deleted; a timetable lesson is cancelled instead."""
    from .timetable import _remove_unused_lessons

    _check_open(lesson.course.year)
    if not lesson.is_extra:
        raise ScheduleError(_("A lesson of the timetable is cancelled, not deleted."))
    record(actor=actor, school=lesson.course.school, action="schedule.lesson.deleted", obj=lesson)
    if not _remove_unused_lessons(Lesson.objects.filter(pk=lesson.pk)):
        raise ScheduleError(_("Something is already recorded in this lesson: it cannot be deleted."))


# --- Substitutions ---------------------------------------------------------------------------------------------


@transaction.atomic
def substitution_set(*, actor: User | None, lesson: Lesson, substitute: User, reason: str = "") -> Substitution:
    """Another teacher takes the lesson and fills its journal (R-C06); the course's teachers keep read access."""
    lesson = _locked(lesson)
    course = lesson.course
    _check_open(course.year)
    if lesson.status == Lesson.Status.CANCELLED:
        raise ScheduleError(_("The lesson is cancelled: there is nothing to substitute."))
    if not Membership.objects.filter(school_id=lesson.school_id, user=substitute, role=Role.TEACHER).exists():
        raise ScheduleError(_("Only a teacher of this school can substitute."))
    if course.course_teachers.filter(teacher=substitute).exists():
        raise ScheduleError(_("%(teacher)s already teaches this course.") % {"teacher": substitute.get_full_name()})
    _check_free(
        course=course, day=lesson.date, number=lesson.number, room="", teachers={substitute.pk}, ignore=lesson.pk
    )
    previous = Substitution.objects.filter(lesson=lesson).select_related("substitute").first()
    if previous is not None:
        _substitution_drop(actor=actor, substitution=previous)
    substitution = Substitution.objects.create(
        school_id=lesson.school_id,
        lesson=lesson,
        substitute=substitute,
        reason=" ".join(reason.split())[:300],
        created_by=actor if actor is not None and actor.pk else None,
        created_at=now(),
    )
    assign_perm(SUBSTITUTE_PERM, substitute, lesson)
    record(
        actor=actor,
        school=course.school,
        action="schedule.substitution.set",
        obj=lesson,
        data={"substitute": substitute.pk, "reason": substitution.reason},
    )
    return substitution


def _substitution_drop(*, actor: User | None, substitution: Substitution) -> None:
    remove_perm(SUBSTITUTE_PERM, substitution.substitute, substitution.lesson)
    record(
        actor=actor,
        school=substitution.lesson.school,
        action="schedule.substitution.removed",
        obj=substitution.lesson,
        data={"substitute": substitution.substitute_id},
    )
    substitution.delete()


@transaction.atomic
def substitution_remove(*, actor: User | None, lesson: Lesson) -> None:
    """The course's own teacher takes the lesson back; the substitute loses the right to fill it."""
    _check_open(lesson.course.year)
    substitution = Substitution.objects.filter(lesson=lesson).select_related("substitute", "lesson__course").first()
    if substitution is None:
        raise ScheduleError(_("The lesson has no substitute."))
    _substitution_drop(actor=actor, substitution=substitution)


# --- Topic and form ----------------------------------------------------------------------------------------------


@transaction.atomic
def lesson_topic_set(*, actor: User | None, lesson: Lesson, topic: str, form: str | None = None) -> Lesson:
    """The topic typed by hand (R-C09): applying the thematic plan again keeps it."""
    lesson = Lesson.objects.select_for_update(of=("self",)).select_related("course__year").get(pk=lesson.pk)
    _check_open(lesson.course.year)
    if lesson.status == Lesson.Status.CANCELLED:
        raise ScheduleError(_("The lesson is cancelled."))
    topic = " ".join((topic or "").split())
    if len(topic) > 500:
        raise ScheduleError(_("The topic is longer than 500 characters."))
    fields = []
    if topic != lesson.topic:
        lesson.topic, lesson.topic_from_plan = topic, False
        fields += ["topic", "topic_from_plan"]
        if not topic:
            lesson.plan_item = None
            fields.append("plan_item")
    if form is not None and form != lesson.form:
        if form not in Lesson.Form.values:
            raise ScheduleError(_("Choose the lesson's form."))
        lesson.form = form
        fields.append("form")
    if fields:
        _save(lesson, actor, fields)
    return lesson
