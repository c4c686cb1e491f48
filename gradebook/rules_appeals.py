"""Permissions of mark appeals (seed 004 §7.1, R-I11), registered on import by gradebook/rules.py.

A family reports (the pupil, a parent: R-A06, R-A07 leave them nothing else to write); the journal's keeper answers
(the course's teachers and whoever entered the mark); those who may read the pupil's journal read the report.
"""

import rules

from accounts.predicates import (
    is_guardian,
    is_guardian_of,
    is_pupil,
    is_pupil_itself,
    is_school_member,
    is_school_reader,
    is_teacher,
)
from schedule.rules import is_class_teacher_of_pupil, is_lesson_substitute, is_lesson_teacher

from .models import Mark


def _lesson(appeal):
    return appeal.work.lesson if appeal is not None else None


@rules.predicate
def is_appeal_course_teacher(user, appeal) -> bool:
    return appeal is not None and is_lesson_teacher(user, _lesson(appeal))


@rules.predicate
def is_appeal_lesson_substitute(user, appeal) -> bool:
    return appeal is not None and is_lesson_substitute(user, _lesson(appeal))


@rules.predicate
def is_appeal_mark_author(user, appeal) -> bool:
    """Entered the mark the report is about (a substitute, a colleague before the course changed hands). The view
    may annotate `mark_author_id`; otherwise it is read once per appeal object."""
    if appeal is None or not user.is_authenticated:
        return False
    if not hasattr(appeal, "mark_author_id"):
        appeal.mark_author_id = (
            Mark.objects.filter(work_id=appeal.work_id, pupil_id=appeal.pupil_id).values_list("author_id", flat=True)
        ).first()
    return appeal.mark_author_id == user.pk


@rules.predicate
def is_class_teacher_of_appellant(user, appeal) -> bool:
    return appeal is not None and is_class_teacher_of_pupil(user, appeal.pupil)


# Reporting a mark: the pupil themself or a parent of theirs. Staff who read the diary (the class teacher, the
# administration) never report in the family's name.
rules.add_perm(
    "gradebook.file_appeal", is_school_member & ((is_pupil & is_pupil_itself) | (is_guardian & is_guardian_of))
)
# The list of reports: teachers (their courses') and those who read everything (the school's).
rules.add_perm("gradebook.view_appeals", is_school_member & (is_teacher | is_school_reader))
# One report: those who read everything (R-A03), the course's teachers, the lesson's substitute and the mark's
# author, the class teacher of the pupil (R-A05).
rules.add_perm(
    "gradebook.view_appeal",
    is_school_member
    & (
        is_school_reader
        | is_appeal_course_teacher
        | is_appeal_lesson_substitute
        | is_appeal_mark_author
        | is_class_teacher_of_appellant
    ),
)
# Answering: whoever keeps that journal, the course's teachers and the mark's author; the readers only read.
rules.add_perm("gradebook.answer_appeal", is_school_member & (is_appeal_course_teacher | is_appeal_mark_author))
