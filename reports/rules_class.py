"""Permissions of the class reports and the risk list (issue 9, items 4 and 7): the deputy and the director read
every class, the admin reads the same pages; a class teacher their own class; a subject teacher the performance and
attendance of their own courses in a class (the report is then cut to those courses); pupils and guardians none."""

import rules

from accounts.predicates import is_class_teacher_of, is_school_member, is_school_reader, is_teacher
from schedule.models import Course
from schedule.rules import is_class_teacher
from schedule.selectors import taught_courses


def own_course_ids(user, school_class) -> list[int]:
    """The user's courses of open years in the class (whole-class and its subgroups'): one query, cached per class."""
    cache = getattr(user, "_ej_class_courses", None)
    if cache is None:
        cache = user._ej_class_courses = {}
    if school_class.pk not in cache:
        taught = taught_courses(user)
        cache[school_class.pk] = (
            list(
                Course.objects.filter(school_class_id=school_class.pk, pk__in=list(taught)).values_list("pk", flat=True)
            )
            if taught
            else []
        )
    return cache[school_class.pk]


@rules.predicate
def teaches_in_class(user, school_class) -> bool:
    return school_class is not None and bool(own_course_ids(user, school_class))


# Whole reports of a class: its performance and attendance (all subjects), its risk list.
may_read_class = is_school_member & (is_school_reader | is_class_teacher_of)
rules.add_perm("reports.view_class_report", may_read_class | (is_school_member & teaches_in_class))
rules.add_perm("reports.view_class_risk", may_read_class)
# The index of the class reports: readers (every class), teachers (the classes they lead or teach).
rules.add_perm("reports.view_class_reports", is_school_reader | is_teacher)
# The risk list's page: readers (any class, the whole school), class teachers (their own class).
rules.add_perm("reports.view_risk", is_school_reader | is_class_teacher)
rules.add_perm("reports.view_school_risk", is_school_reader)
rules.add_perm("reports.export_class_reports", is_school_reader)
