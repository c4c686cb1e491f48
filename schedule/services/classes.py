import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Membership, Role, User
from audit.log import record
from ejournal.clock import now

from ..models import AcademicYear, BellSchedule, Enrollment, GroupMembership, SchoolClass, StudyGroup, Subject
from . import ScheduleError


def _check_class_teacher(school_id: int, class_teacher: User | None) -> None:
    if (
        class_teacher is not None
        and not Membership.objects.filter(school_id=school_id, user=class_teacher, role=Role.TEACHER).exists()
    ):
        raise ScheduleError(_("The class teacher must be a teacher of this school."))


def _check_open(year: AcademicYear) -> None:
    if year.is_archived:
        raise ScheduleError(_("The year %(year)s is closed: its classes no longer change.") % {"year": year})


@transaction.atomic
def school_class_create(
    *,
    actor: User | None,
    year: AcademicYear,
    grade: int,
    letter: str,
    class_teacher: User | None = None,
    bell_schedule: BellSchedule | None = None,
) -> SchoolClass:
    _check_open(year)
    letter = letter.strip().upper()
    if not 1 <= grade <= 11:
        raise ScheduleError(_("The grade must be from 1 to 11."))
    if SchoolClass.objects.filter(year=year, grade=grade, letter=letter).exists():
        raise ScheduleError(_("Class %(name)s already exists in this year.") % {"name": f"{grade}{letter}"})
    if not letter or len(letter) > 8:
        raise ScheduleError(_("Give the class's letter (up to 8 characters)."))
    _check_class_teacher(year.school_id, class_teacher)
    school_class = SchoolClass.objects.create(
        school_id=year.school_id,
        year=year,
        grade=grade,
        letter=letter,
        class_teacher=class_teacher,
        bell_schedule=bell_schedule,
    )
    record(actor=actor, school=year.school, action="schedule.class.created", obj=school_class)
    return school_class


@transaction.atomic
def pupils_enroll(
    *, actor: User | None, school_class: SchoolClass, pupils: list[User], since: datetime.date
) -> list[Enrollment]:
    """Enroll pupils into a class from a date (a pupil already in another class there should be moved instead)."""
    _check_open(school_class.year)
    ids = {p.pk for p in pupils}
    known = set(
        Membership.objects.filter(school_id=school_class.school_id, role=Role.PUPIL, user_id__in=ids).values_list(
            "user_id", flat=True
        )
    )
    if known != ids:
        raise ScheduleError(_("Only pupils of this school can be enrolled."))
    busy = Enrollment.objects.on(since).filter(pupil_id__in=ids, school_class__year_id=school_class.year_id)
    if busy.exists():
        raise ScheduleError(_("Some of these pupils are already enrolled in a class on that date."))
    rows = Enrollment.objects.bulk_create(
        [Enrollment(school_id=school_class.school_id, pupil=p, school_class=school_class, since=since) for p in pupils]
    )
    record(
        actor=actor,
        school=school_class.school,
        action="schedule.class.enrolled",
        obj=school_class,
        data={"pupils": len(rows), "since": since.isoformat()},
    )
    return rows


@transaction.atomic
def school_class_update(
    *,
    actor: User | None,
    school_class: SchoolClass,
    letter: str,
    class_teacher: User | None,
    bell_schedule: BellSchedule | None,
) -> SchoolClass:
    _check_open(school_class.year)
    letter = letter.strip().upper()
    if not letter or len(letter) > 8:
        raise ScheduleError(_("Give the class's letter (up to 8 characters)."))
    clash = SchoolClass.objects.filter(year_id=school_class.year_id, grade=school_class.grade, letter=letter)
    if clash.exclude(pk=school_class.pk).exists():
        raise ScheduleError(
            _("Class %(name)s already exists in this year.") % {"name": f"{school_class.grade}{letter}"}
        )
    _check_class_teacher(school_class.school_id, class_teacher)
    before = {"letter": school_class.letter, "class_teacher": school_class.class_teacher_id}
    school_class.letter, school_class.class_teacher, school_class.bell_schedule = letter, class_teacher, bell_schedule
    school_class.save(update_fields=["letter", "class_teacher", "bell_schedule"])
    record(actor=actor, school=school_class.school, action="schedule.class.changed", obj=school_class, data=before)
    return school_class


def _current_enrollment(pupil: User, year_id: int, day: datetime.date) -> Enrollment | None:
    return (
        Enrollment.objects.on(day)
        .filter(pupil=pupil, school_class__year_id=year_id)
        .select_related("school_class")
        .first()
    )


@transaction.atomic
def enrollment_move(*, actor: User | None, pupil: User, to_class: SchoolClass, since: datetime.date) -> Enrollment:
    """A pupil moves to another class from a date (R-B07); the old class keeps them and their marks until the day
    before. Their subgroups of the old class end the same day."""
    _check_open(to_class.year)
    if not to_class.year.start <= since <= to_class.year.end:
        raise ScheduleError(_("The date must be inside the academic year."))
    current = _current_enrollment(pupil, to_class.year_id, since)
    if current is None:
        raise ScheduleError(_("%(name)s is not enrolled in a class on that date.") % {"name": pupil})
    if current.school_class_id == to_class.pk:
        raise ScheduleError(_("%(name)s is already in %(cls)s.") % {"name": pupil, "cls": to_class})
    later = Enrollment.objects.filter(pupil=pupil, school_class__year_id=to_class.year_id, since__gt=since)
    if later.exists():
        raise ScheduleError(_("There is a later move of this pupil; undo it first."))
    day_before = since - datetime.timedelta(days=1)
    if current.since > day_before:
        # Moved on the first day of the enrollment: nothing to keep in the old class.
        current.delete()
    else:
        current.until = day_before
        current.save(update_fields=["until"])
    GroupMembership.objects.on(since).filter(pupil=pupil, group__school_class_id=current.school_class_id).update(
        until=day_before
    )
    enrollment = Enrollment.objects.create(
        school_id=to_class.school_id, pupil=pupil, school_class=to_class, since=since
    )
    record(
        actor=actor,
        school=to_class.school,
        action="schedule.pupil.moved",
        obj=pupil,
        data={"from": str(current.school_class), "to": str(to_class), "since": since.isoformat()},
    )
    return enrollment


@transaction.atomic
def enrollment_end(*, actor: User | None, pupil: User, year: AcademicYear, last_day: datetime.date) -> None:
    """A pupil leaves the school (or the class) after `last_day`; their history stays."""
    _check_open(year)
    current = _current_enrollment(pupil, year.pk, last_day)
    if current is None:
        raise ScheduleError(_("%(name)s is not enrolled in a class on that date.") % {"name": pupil})
    if last_day < current.since:
        raise ScheduleError(_("The last day cannot be before the enrollment's first day."))
    current.until = last_day
    current.save(update_fields=["until"])
    GroupMembership.objects.on(last_day).filter(pupil=pupil, group__year=year).update(until=last_day)
    record(actor=actor, school=year.school, action="schedule.pupil.left", obj=pupil, data={"last_day": str(last_day)})


@transaction.atomic
def enrollment_form_set(*, actor: User | None, pupil: User, school_class: SchoolClass, form: str, day: datetime.date):
    """Set the form of education of the pupil's enrollment in the class on `day` (R-E11): at school, or family or
    self-education (then no lessons, no journal rows; the commission attests them)."""
    _check_open(school_class.year)
    if form not in Enrollment.Form.values:
        raise ScheduleError(_("Choose a form of education."))
    enrollment = (
        Enrollment.objects.on(day).filter(pupil=pupil, school_class=school_class).order_by("-since").first()
        or Enrollment.objects.filter(pupil=pupil, school_class=school_class).order_by("-since").first()
    )
    if enrollment is None:
        raise ScheduleError(_("%(name)s is not enrolled in the class.") % {"name": pupil})
    if enrollment.form == form:
        return enrollment
    old, enrollment.form = enrollment.form, form
    enrollment.save(update_fields=["form"])
    record(
        actor=actor,
        school=school_class.school,
        action="schedule.enrollment.form_changed",
        obj=pupil,
        data={"class": str(school_class), "was": old, "becomes": form},
    )
    return enrollment


# --- Study groups (R-B06) ---------------------------------------------------------------------------------


@transaction.atomic
def group_create(
    *,
    actor: User | None,
    year: AcademicYear,
    name: str,
    school_class: SchoolClass | None = None,
    subject: Subject | None = None,
) -> StudyGroup:
    _check_open(year)
    name = " ".join(name.split())
    if not name:
        raise ScheduleError(_("Give the group a name."))
    if StudyGroup.objects.filter(year=year, name__iexact=name).exists():
        raise ScheduleError(_("A group named «%(name)s» already exists this year.") % {"name": name})
    if school_class is not None and school_class.year_id != year.pk:
        raise ScheduleError(_("The class belongs to another year."))
    group = StudyGroup.objects.create(
        school_id=year.school_id, year=year, name=name, school_class=school_class, subject=subject
    )
    record(actor=actor, school=year.school, action="schedule.group.created", obj=group)
    return group


@transaction.atomic
def group_members_set(
    *, actor: User | None, group: StudyGroup, pupils: list[User], since: datetime.date
) -> tuple[int, int]:
    """The group's members from a date: newcomers join from `since`, those left out leave the day before.
    A subgroup of a class takes only that class's pupils on that date. Returns (joined, left)."""
    year = group.year
    _check_open(year)
    if not year.start <= since <= year.end:
        raise ScheduleError(_("The date must be inside the academic year."))
    wanted = {p.pk for p in pupils}
    enrolled = Enrollment.objects.on(since).filter(pupil_id__in=wanted, school_class__year=year)
    if group.school_class_id is not None:
        enrolled = enrolled.filter(school_class_id=group.school_class_id)
    if set(enrolled.values_list("pupil_id", flat=True)) != wanted:
        raise ScheduleError(_("Only pupils enrolled on that date in the group's class (or year) can join it."))
    current = {m.pupil_id: m for m in GroupMembership.objects.on(since).filter(group=group)}
    day_before = since - datetime.timedelta(days=1)
    leaving = [m for pid, m in current.items() if pid not in wanted]
    for m in leaving:
        if m.since > day_before:
            m.delete()
        else:
            m.until = day_before
            m.save(update_fields=["until"])
    joining = [pid for pid in wanted if pid not in current]
    GroupMembership.objects.bulk_create(
        [GroupMembership(school_id=group.school_id, pupil_id=pid, group=group, since=since) for pid in joining]
    )
    record(
        actor=actor,
        school=year.school,
        action="schedule.group.members",
        obj=group,
        data={"joined": len(joining), "left": len(leaving), "since": since.isoformat()},
    )
    return len(joining), len(leaving)


# --- Year close and promotion (R-B17; seed 003) ------------------------------------------------------------

PROMOTE, REPEAT, LEAVE = "promote", "repeat", "leave"


def default_decision(grade: int) -> str:
    return LEAVE if grade == 11 else PROMOTE


@transaction.atomic
def year_close(
    *,
    actor: User | None,
    year: AcademicYear,
    order: str,
    new_name: str,
    new_start: datetime.date,
    new_end: datetime.date,
    decisions: dict[int, str],
) -> AcademicYear:
    """Close a year on the director's order and open the next: «5А» continues as «6А» with its class teacher, each
    pupil is promoted, stays for a second year, or leaves (graduates). Nothing of the old year is lost: its classes,
    enrollments and marks stay as they were; enrollments still open end on the year's last day."""
    from .years import academic_year_create

    if year.is_archived:
        raise ScheduleError(_("The year %(year)s is already closed.") % {"year": year})
    if not order.strip():
        raise ScheduleError(_("Give the director's order that closes the year."))
    if new_start <= year.end:
        raise ScheduleError(_("The new year must start after the old one ends."))
    if set(decisions.values()) - {PROMOTE, REPEAT, LEAVE}:
        raise ScheduleError(_("Unknown decision for a pupil."))
    last = year.end
    enrollments = list(
        Enrollment.objects.on(last).filter(school_class__year=year).select_related("school_class", "pupil")
    )
    missing = [e.pupil for e in enrollments if e.pupil_id not in decisions]
    if missing:
        raise ScheduleError(_("Decide for every pupil: %(names)s.") % {"names": ", ".join(map(str, missing[:5]))})

    new_year = academic_year_create(actor=actor, school=year.school, name=new_name, start=new_start, end=new_end)
    old_classes = list(SchoolClass.objects.filter(year=year).order_by("grade", "letter"))
    new_classes: dict[tuple[int, str], SchoolClass] = {}
    for old in old_classes:
        if old.grade < 11:
            new = SchoolClass.objects.create(
                school_id=year.school_id,
                year=new_year,
                grade=old.grade + 1,
                letter=old.letter,
                class_teacher_id=old.class_teacher_id,
                bell_schedule_id=old.bell_schedule_id,
                previous=old,
            )
            new_classes[(new.grade, new.letter)] = new

    def target(grade: int, letter: str) -> SchoolClass:
        cls = new_classes.get((grade, letter))
        if cls is None:  # a repeater of the lowest grade, or a letter that did not continue
            cls = SchoolClass.objects.create(school_id=year.school_id, year=new_year, grade=grade, letter=letter)
            new_classes[(grade, letter)] = cls
        return cls

    rows = []
    for e in enrollments:
        decision = decisions[e.pupil_id]
        if decision == LEAVE:
            continue
        grade = e.school_class.grade + (1 if decision == PROMOTE else 0)
        if grade > 11:
            raise ScheduleError(_("%(name)s cannot be promoted beyond grade 11.") % {"name": e.pupil})
        rows.append(
            Enrollment(
                school_id=year.school_id,
                pupil_id=e.pupil_id,
                school_class=target(grade, e.school_class.letter),
                since=new_start,
            )
        )
    Enrollment.objects.bulk_create(rows)
    Enrollment.objects.filter(school_class__year=year, until__isnull=True).update(until=last)
    GroupMembership.objects.filter(group__year=year, until__isnull=True).update(until=last)
    year.is_archived = True
    year.closing_order = order.strip()
    year.closed_at = now()
    year.save(update_fields=["is_archived", "closing_order", "closed_at"])
    counts = {d: sum(1 for v in decisions.values() if v == d) for d in (PROMOTE, REPEAT, LEAVE)}
    record(
        actor=actor,
        school=year.school,
        action="schedule.year.closed",
        obj=year,
        data={"order": year.closing_order, "new_year": new_name, **counts},
    )
    return new_year


@transaction.atomic
def pupil_admit(*, actor: User | None, school_class: SchoolClass, person, since: datetime.date) -> Enrollment:
    """A new pupil (with their consent, R-B09) enrolled in a class from a date (R-B07)."""
    from accounts.services import person_create

    pupil = person_create(actor=actor, school=school_class.school, person=person)
    return pupils_enroll(actor=actor, school_class=school_class, pupils=[pupil], since=since)[0]
