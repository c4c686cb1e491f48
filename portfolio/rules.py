"""Who keeps and who reads pupils' portfolios (R-I14; seed 004 §3.1 п.3, §4.1 п.10; R-A03, R-A06, R-A07).

Entries are written by the staff who know the pupil's results: the teachers who teach the pupil now (a course of an
open year whose class or group has the pupil today), the pupil's class teacher, and the admin and the deputy, who
keep the school's records (the director reads). Pupils and parents read their own portfolio in the diary and never
write. The deputy's report of how full the portfolios are is read by the administration; a class teacher reads their
own class's line.

The plain functions below are what services.py asks too, so that a page's buttons and a write agree. They cost one
query per pupil at most, cached on the user for the request.
"""

import rules
from django.db.models import Q

from accounts.access import access
from accounts.models import READER_ROLES, STAFF_ROLES, Role
from accounts.predicates import (
    is_class_teacher_of,
    is_guardian_of,
    is_pupil_itself,
    is_school_member,
    is_school_reader,
    is_teacher,
)
from ejournal.clock import today
from schedule.models import Course, Enrollment, GroupMembership
from schedule.rules import is_class_teacher_of_pupil
from schedule.selectors import led_classes, taught_courses

WRITER_ROLES = frozenset({Role.ADMIN, Role.DEPUTY})


def _cache(user, name: str) -> dict:
    cache = getattr(user, name, None)
    if cache is None:
        cache = {}
        setattr(user, name, cache)
    return cache


def teaches_pupil_now(user, pupil_id: int) -> bool:
    """Teaches a course of an open year that the pupil attends today: their class's whole-class course or their
    group's course. One query per pupil, cached for the request."""
    courses = taught_courses(user)
    if not courses or pupil_id is None:
        return False
    cache = _cache(user, "_ej_portfolio_taught")
    if pupil_id not in cache:
        day = today()
        classes = Enrollment.objects.on(day).filter(pupil_id=pupil_id).values("school_class_id")
        groups = GroupMembership.objects.on(day).filter(pupil_id=pupil_id).values("group_id")
        cache[pupil_id] = (
            Course.objects.filter(pk__in=courses)
            .filter(Q(group__isnull=True, school_class_id__in=classes) | Q(group_id__in=groups))
            .exists()
        )
    return cache[pupil_id]


def leads_pupil_class(user, pupil_id: int) -> bool:
    """The pupil is enrolled today in a class of an open year that the user leads; cached for the request."""
    if not led_classes(user) or pupil_id is None:
        return False
    cache = _cache(user, "_ej_portfolio_led")
    if pupil_id not in cache:
        ids = list(led_classes(user))
        cache[pupil_id] = Enrollment.objects.on(today()).filter(pupil_id=pupil_id, school_class_id__in=ids).exists()
    return cache[pupil_id]


def may_write(user, school_id: int | None, pupil_id: int | None) -> bool:
    """Enter, correct or remove the achievements of this pupil of this school."""
    roles = access(user).roles_in(school_id)
    if school_id is None or pupil_id is None or not roles & STAFF_ROLES:
        return False
    if roles & WRITER_ROLES:
        return True
    return leads_pupil_class(user, pupil_id) or teaches_pupil_now(user, pupil_id)


def may_read_report(user, school_id: int | None) -> bool:
    return bool(access(user).roles_in(school_id) & READER_ROLES)


@rules.predicate
def may_write_for_pupil(user, pupil) -> bool:
    return pupil is not None and may_write(user, access(user).active_school_id, pupil.pk)


@rules.predicate
def may_change_achievement(user, achievement) -> bool:
    return achievement is not None and may_write(user, achievement.school_id, achievement.pupil_id)


@rules.predicate
def teaches_pupil(user, pupil) -> bool:
    return pupil is not None and teaches_pupil_now(user, pupil.pk)


@rules.predicate
def teaches_in_class(user, school_class) -> bool:
    """Teaches a course of the class: a whole-class one, or one of a group that has a pupil of the class."""
    courses = taught_courses(user)
    if not courses or school_class is None:
        return False
    day = today()
    in_class = Enrollment.objects.on(day).filter(school_class_id=school_class.pk).values("pupil_id")
    groups = GroupMembership.objects.on(day).filter(pupil_id__in=in_class).values("group_id")
    return (
        Course.objects.filter(pk__in=courses)
        .filter(Q(school_class_id=school_class.pk) | Q(group__school_class_id=school_class.pk) | Q(group_id__in=groups))
        .exists()
    )


# The pupil's portfolio in the diary: whoever reads the pupil's diary (R-A03, R-A06, R-A07) and the teachers who write
# in it.
rules.add_perm(
    "portfolio.view_portfolio",
    is_pupil_itself | is_guardian_of | is_school_reader | is_class_teacher_of_pupil | teaches_pupil,
)
rules.add_perm("portfolio.add_achievement", is_school_member & may_write_for_pupil)
rules.add_perm("portfolio.change_achievement", may_change_achievement)
# The navigation's row: the administration's report, and every teacher's way to the classes they lead or teach (the
# roles are cached: the menu asks it on every page without a query).
rules.add_perm("portfolio.view_portfolios", is_school_reader | is_teacher)
# A class's list of pupils with their entries: the administration, its class teacher, its teachers.
rules.add_perm(
    "portfolio.view_class_portfolios", is_school_member & (is_school_reader | is_class_teacher_of | teaches_in_class)
)
