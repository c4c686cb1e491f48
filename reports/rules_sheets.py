"""Permissions of the summary sheets (issue 9 item 2, R-I05, R-I06): a pupil's sheet for the pupil themself, their
guardians, the class teacher of their class, the readers (admin, director, deputy) and a subject teacher who teaches
the pupil (who then sees only their own courses); a class's sheets and bundle for its class teacher, the readers and
a subject teacher of one of the class's courses (their own courses only)."""

import rules
from django.db.models import Q

from accounts.predicates import (
    is_class_teacher_of,
    is_guardian_of,
    is_pupil_itself,
    is_school_member,
    is_school_reader,
)
from schedule.models import Course, Enrollment, GroupMembership
from schedule.rules import is_class_teacher_of_pupil
from schedule.selectors import taught_courses


@rules.predicate
def teaches_pupil(user, pupil) -> bool:
    """Teaches a course of an open year that is (or was) the pupil's: their class's whole-class course while they
    were enrolled, or their group's course. One query."""
    courses = taught_courses(user)
    if not courses or pupil is None:
        return False
    classes = Enrollment.objects.filter(pupil_id=pupil.pk).values("school_class_id")
    groups = GroupMembership.objects.filter(pupil_id=pupil.pk).values("group_id")
    return (
        Course.objects.filter(pk__in=courses)
        .filter(Q(group__isnull=True, school_class_id__in=classes) | Q(group_id__in=groups))
        .exists()
    )


@rules.predicate
def teaches_class(user, school_class) -> bool:
    """Teaches a course of the class (a whole-class course or a group of the class)."""
    courses = taught_courses(user)
    if not courses or school_class is None:
        return False
    return (
        Course.objects.filter(pk__in=courses)
        .filter(Q(school_class_id=school_class.pk) | Q(group__school_class_id=school_class.pk))
        .exists()
    )


# Sees the whole sheet of the pupil (every subject).
sees_whole_pupil_sheet = is_pupil_itself | is_guardian_of | is_school_reader | is_class_teacher_of_pupil
rules.add_perm("reports.view_pupil_sheet", is_school_member & (sees_whole_pupil_sheet | teaches_pupil))
rules.add_perm("reports.view_whole_pupil_sheet", is_school_member & sees_whole_pupil_sheet)
# A class's sheets and its printable bundle.
sees_whole_class_sheets = is_school_reader | is_class_teacher_of
rules.add_perm("reports.view_class_sheets", is_school_member & (sees_whole_class_sheets | teaches_class))
rules.add_perm("reports.view_whole_class_sheets", is_school_member & sees_whole_class_sheets)
