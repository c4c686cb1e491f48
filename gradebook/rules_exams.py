"""Who reads and enters the state final attestation's results (ГИА, R-E12) and records the attestation of pupils in
family or self-education (R-E11).

The deputy (and the admin, who configures the school) enters any pupil's exam results; a subject teacher enters
those of the grade 9 and 11 classes they teach that subject to (seed 003 «Учителя»: teachers put the ГИА marks in);
the director reads. A class's results are also read by its class teacher. The attestation commission's marks for
pupils learning outside the school are the deputy's (and the admin's).
"""

from dataclasses import dataclass

import rules
from django.db.models import Q

from accounts.predicates import is_admin, is_class_teacher_of, is_deputy, is_school_member, is_school_reader
from schedule.models import Course, SchoolClass
from schedule.selectors import taught_courses

# The grades that sit the state final attestation: ОГЭ after the 9th, ЕГЭ after the 11th.
EXAM_GRADES = (9, 11)


@dataclass(frozen=True)
class ClassSubject:
    """What a permission to enter exam results is asked about: a class, and a subject (None: any subject)."""

    school_class: SchoolClass
    subject_id: int | None = None

    @property
    def school_id(self) -> int:
        return self.school_class.school_id


def taught_subjects(user, school_class: SchoolClass) -> frozenset[int]:
    """The subjects this user teaches to the class (a whole-class course or a subgroup's), cached per request."""
    cache = getattr(user, "_ej_exam_subjects", None)
    if cache is None:
        cache = user._ej_exam_subjects = {}
    if school_class.pk not in cache:
        courses = taught_courses(user)
        cache[school_class.pk] = frozenset(
            Course.objects.filter(pk__in=list(courses))
            .filter(Q(school_class_id=school_class.pk) | Q(group__school_class_id=school_class.pk))
            .values_list("subject_id", flat=True)
            if courses
            else ()
        )
    return cache[school_class.pk]


@rules.predicate
def teaches_in_exam_class(user, school_class) -> bool:
    if school_class is None or school_class.grade not in EXAM_GRADES:
        return False
    return bool(taught_subjects(user, school_class))


@rules.predicate
def teaches_exam_subject(user, target) -> bool:
    """Teaches the subject (any subject when none is named) to a grade 9 or 11 class."""
    if target is None or target.school_class.grade not in EXAM_GRADES:
        return False
    subjects = taught_subjects(user, target.school_class)
    return bool(subjects) if target.subject_id is None else target.subject_id in subjects


@rules.predicate
def is_class_teacher_of_target(user, target) -> bool:
    return target is not None and is_class_teacher_of(user, target.school_class)


# The school's list of results, with its late entries (R-E12): the administration.
rules.add_perm("gradebook.view_exam_results", is_school_member & is_school_reader)
# A class's results: the administration, the class teacher, the class's teachers.
rules.add_perm(
    "gradebook.view_class_exam_results",
    is_school_member & (is_school_reader | is_class_teacher_of | teaches_in_exam_class),
)
# Entering results (asked with a ClassSubject): the deputy and the admin for any pupil, the subject's teacher.
rules.add_perm("gradebook.change_exam_results", is_school_member & (is_admin | is_deputy | teaches_exam_subject))

# R-E11: the attestation commission's results of pupils in family or self-education.
rules.add_perm("gradebook.view_family_attestation", is_school_member & is_school_reader)
rules.add_perm("gradebook.change_family_attestation", is_school_member & (is_admin | is_deputy))
