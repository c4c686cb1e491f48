import rules

from accounts.predicates import (
    is_admin,
    is_deputy,
    is_director,
    is_school_member,
    is_school_reader,
    is_teacher,
)
from schedule.models import Substitution
from schedule.rules import (
    course_is_open,
    is_class_teacher_of_course,
    is_class_teacher_of_lesson,
    is_course_teacher,
    is_lesson_substitute,
    is_lesson_teacher,
    may_fill_lesson,
)


@rules.predicate
def is_course_substitute(user, course) -> bool:
    """Substitutes on one of the course's lessons (R-C06): opens its journal to fill that lesson."""
    if course is None or not user.is_authenticated:
        return False
    return Substitution.objects.filter(lesson__course=course, substitute_id=user.pk).exists()


# "My day": every teacher keeps the journal of their own lessons (R-A01, R-A04).
rules.add_perm("gradebook.view_my_day", is_teacher)

# Work types and their weights: the admin sets them up (R-A02); the director and the deputy read them.
rules.add_perm("gradebook.view_worktypes", is_school_reader)
rules.add_perm("gradebook.change_worktypes", is_admin)

# The journal (issue 5): marks of a lesson are written by whoever may fill it (the course's teacher unless a
# substitute took it, the substitute through the grant; R-A04, R-C06); the time windows are the services' (R-D03).
rules.add_perm("gradebook.change_marks", may_fill_lesson)
# A course's journal is read by its teachers, a substitute on one of its lessons (who fills that lesson there,
# R-C06), the class teacher of its class (R-A05) and those who read everything (R-A03); never by pupils or parents
# (R-A06, R-A07).
rules.add_perm(
    "gradebook.view_journal",
    is_school_member & (is_school_reader | is_course_teacher | is_class_teacher_of_course | is_course_substitute),
)

# Period and year marks (issue 6, R-E03): read by whoever reads the journal; set by the course's teachers in an open
# year (the windows and the attestation rules are the services', R-D06, R-E04..R-E08).
rules.add_perm(
    "gradebook.view_period_marks",
    is_school_member & (is_school_reader | is_course_teacher | is_class_teacher_of_course | is_course_substitute),
)
rules.add_perm("gradebook.change_period_marks", is_school_member & course_is_open & is_course_teacher)


@rules.predicate
def is_request_author(user, request) -> bool:
    return request is not None and request.author_id == user.pk


# Late-change requests (seed 001, R-F01..R-F05). Whoever would write the cell files one (the view asks the cell's own
# permission: gradebook.change_marks, attendance.change_attendance, gradebook.change_period_marks); the director or
# a deputy decides (DESIGN §5); the deputy enters retake marks from a protocol (R-F05). A request is read by its
# author and those who read everything (R-A03); the list shows each their own side.
rules.add_perm("gradebook.view_late_changes", is_school_member & (is_school_reader | is_teacher))
rules.add_perm("gradebook.view_late_change", is_school_member & (is_school_reader | is_request_author))
rules.add_perm("gradebook.decide_late_change", is_school_member & (is_director | is_deputy))
rules.add_perm("gradebook.withdraw_late_change", is_school_member & is_request_author)
rules.add_perm("gradebook.enter_retake_protocol", is_school_member & course_is_open & is_deputy)

# Electronic tasks' handed-in work (R-G04), asked with the homework's lesson: read by whoever reads the lesson (the
# readers, its teachers and substitute, the class teacher); checked, commented and marked by whoever fills it. The
# mark goes through the journal's service and its own rules (windows, values).
rules.add_perm(
    "gradebook.view_submissions",
    is_school_member & (is_school_reader | is_lesson_teacher | is_lesson_substitute | is_class_teacher_of_lesson),
)
rules.add_perm("gradebook.check_submissions", may_fill_lesson)

# The appeals' and the exam results' permissions register on import.
from . import rules_appeals, rules_exams  # noqa: E402, F401
