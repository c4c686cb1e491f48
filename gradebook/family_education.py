"""Intermediate attestation of pupils in family education or self-education (R-E11, seed 002 §1.1).

Such a pupil belongs to a class only to be attested: no lessons, no journal rows, no attendance (the lists of
gradebook.selectors.list_rows and schedule's lesson lists leave them out). The school's attestation commission
records their period and year marks per subject, without lessons, from its protocol (number and date). The marks are
the course's ordinary period marks (`PeriodMark`, the course of the pupil's class for that subject), so the
attestation sheets show them next to their classmates'; only the course teacher's rules (the lists, the windows, the
too-few-marks warning) do not apply.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import SchoolSettings, User
from audit.log import record
from ejournal.clock import today
from schedule.models import Course, Enrollment, SchoolClass, StudyPeriod
from schedule.selectors import HOME_FORMS, PERSON_FIELDS

from .models import PeriodMark
from .period_marks import _check_course, _check_value
from .selectors import course_periods, is_attested
from .services import GradebookError


def _d(day: datetime.date) -> str:
    return date_format(day, "d.m.Y")


def _class_of(course: Course) -> int | None:
    if course.school_class_id is not None:
        return course.school_class_id
    return course.group.school_class_id if course.group_id is not None else None


def home_enrollment(*, school_class_id: int, pupil_id: int, start: datetime.date, end: datetime.date):
    """The pupil's enrollment in the class in family or self-education overlapping [start, end], if any."""
    return (
        Enrollment.objects.filter(
            Q(until__isnull=True) | Q(until__gte=start),
            school_class_id=school_class_id,
            pupil_id=pupil_id,
            form__in=HOME_FORMS,
            since__lte=end,
        )
        .order_by("-since")
        .first()
    )


@transaction.atomic
def family_attestation_set(
    *,
    actor: User,
    pupil: User,
    course: Course,
    period: StudyPeriod | None,
    value: str,
    protocol: str,
    protocol_date: datetime.date,
) -> PeriodMark:
    """Record the commission's period mark (or year mark, `period` None) of a pupil in family or self-education for
    a course of their class, with the protocol's number and date. History keeps every change and its author; the
    audit log names the protocol."""
    periods = course_periods(course)
    _check_course(course, period, periods)
    settings = SchoolSettings.of(course.school)
    value = _check_value(value, settings, is_year=period is None)
    protocol = " ".join((protocol or "").split())
    if not protocol:
        raise GradebookError(_("Give the number of the attestation commission's protocol."))
    if protocol_date is None:
        raise GradebookError(_("Give the date of the protocol."))
    day = today(course.school.timezone)
    if protocol_date > day:
        raise GradebookError(_("The protocol's date %(day)s is in the future.") % {"day": _d(protocol_date)})
    if period is not None:
        start, end = period.start, period.end
    else:
        start = periods[0].start if periods else course.year.start
        end = periods[-1].end if periods else course.year.end
    class_id = _class_of(course)
    if class_id is None or home_enrollment(school_class_id=class_id, pupil_id=pupil.pk, start=start, end=end) is None:
        raise GradebookError(
            _("%(name)s is not in family education or self-education in the course's class then.")
            % {"name": pupil.get_full_name()}
        )
    mark = PeriodMark.objects.select_for_update().filter(course=course, period=period, pupil=pupil).first()
    old = mark.value if mark is not None else ""
    if mark is None:
        mark = PeriodMark(school_id=course.school_id, course=course, period=period, pupil=pupil)
    mark.value, mark.author, mark.protocol, mark.protocol_date = value, actor, protocol, protocol_date
    mark.entered_late, mark.late_change = False, None
    mark._history_user = actor
    mark.save()
    record(
        actor=actor,
        school=course.school,
        action="gradebook.family_attestation.recorded",
        obj=mark,
        data={
            "pupil": pupil.pk,
            "course": course.pk,
            "period": period.pk if period is not None else None,
            "was": old,
            "becomes": value,
            "protocol": protocol,
            "protocol_date": protocol_date.isoformat(),
        },
    )
    return mark


# --- The commission's page: a class's pupils learning outside the school × its subjects ----------------------


def attestation_courses(school_class: SchoolClass) -> list[Course]:
    """One attested course per subject of the class: its whole-class course, else its first subgroup's (a pupil
    learning at home belongs to no subgroup). One query."""
    rows = (
        Course.objects.filter(school_id=school_class.school_id, kind=Course.Kind.LESSON)
        .filter(Q(school_class=school_class) | Q(group__school_class=school_class))
        .select_related("subject", "year", "school", "school_class", "group__school_class")
        .order_by("subject__name", "group_id", "pk")
    )
    chosen: dict[int, Course] = {}
    for course in rows:
        if not is_attested(course):
            continue
        current = chosen.get(course.subject_id)
        if current is None or (current.group_id is not None and course.group_id is None):
            chosen[course.subject_id] = course
    return sorted(chosen.values(), key=lambda c: (c.subject.name, c.pk))


@dataclass
class HomePupil:
    pupil: User
    form: str  # Enrollment.Form
    form_label: str
    # (course id, period id or None) → (value, protocol, protocol date)
    marks: dict = field(default_factory=dict)


@dataclass
class FamilySheet:
    school_class: SchoolClass
    periods: list[StudyPeriod]
    courses: list[Course]
    pupils: list[HomePupil]


def family_sheet(*, school_class: SchoolClass) -> FamilySheet:
    """The class's pupils in family or self-education in its year, its subjects, its grade's periods and the marks
    recorded: four queries whatever the class's size."""
    year = school_class.year
    courses = attestation_courses(school_class)
    periods = [
        p
        for p in StudyPeriod.objects.filter(school_id=school_class.school_id, year=year).order_by("start")
        if p.grade_from <= school_class.grade <= p.grade_to
    ]
    rows = (
        Enrollment.objects.filter(
            Q(until__isnull=True) | Q(until__gte=year.start),
            school_class=school_class,
            form__in=HOME_FORMS,
            since__lte=year.end,
        )
        .select_related("pupil")
        .only("form", "pupil_id", "school_class_id", "since", "until", *(f"pupil__{f}" for f in PERSON_FIELDS))
        .order_by("pupil__last_name", "pupil__first_name", "pupil__middle_name", "-since")
    )
    pupils: dict[int, HomePupil] = {}
    for row in rows:
        if row.pupil_id not in pupils:
            pupils[row.pupil_id] = HomePupil(row.pupil, row.form, str(Enrollment.Form(row.form).label))
    if pupils and courses:
        marks: dict[int, dict] = defaultdict(dict)
        for pupil_id, course_id, period_id, value, protocol, protocol_date in PeriodMark.objects.filter(
            school_id=school_class.school_id, pupil_id__in=list(pupils), course_id__in=[c.pk for c in courses]
        ).values_list("pupil_id", "course_id", "period_id", "value", "protocol", "protocol_date"):
            marks[pupil_id][(course_id, period_id)] = (value, protocol, protocol_date)
        for pupil_id, home in pupils.items():
            home.marks = marks.get(pupil_id, {})
    return FamilySheet(school_class=school_class, periods=periods, courses=courses, pupils=list(pupils.values()))
