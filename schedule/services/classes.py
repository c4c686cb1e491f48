import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Membership, Role, User
from audit.log import record

from ..models import AcademicYear, Enrollment, SchoolClass
from . import ScheduleError


@transaction.atomic
def school_class_create(
    *, actor: User | None, year: AcademicYear, grade: int, letter: str, class_teacher: User | None = None
) -> SchoolClass:
    letter = letter.strip().upper()
    if not 1 <= grade <= 11:
        raise ScheduleError(_("The grade must be from 1 to 11."))
    if SchoolClass.objects.filter(year=year, grade=grade, letter=letter).exists():
        raise ScheduleError(_("Class %(name)s already exists in this year.") % {"name": f"{grade}{letter}"})
    if (
        class_teacher is not None
        and not Membership.objects.filter(school_id=year.school_id, user=class_teacher, role=Role.TEACHER).exists()
    ):
        raise ScheduleError(_("The class teacher must be a teacher of this school."))
    school_class = SchoolClass.objects.create(
        school_id=year.school_id, year=year, grade=grade, letter=letter, class_teacher=class_teacher
    )
    record(actor=actor, school=year.school, action="schedule.class.created", obj=school_class)
    return school_class


@transaction.atomic
def pupils_enroll(
    *, actor: User | None, school_class: SchoolClass, pupils: list[User], since: datetime.date
) -> list[Enrollment]:
    """Enroll pupils into a class from a date (a pupil already in another class there should be moved instead)."""
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
