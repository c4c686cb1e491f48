"""Who records attendance (DESIGN §5, R-H01, R-H03, R-H04). Built from the schedule's predicates, so that
"may fill this lesson" means one thing everywhere; time rules are the services' (and the pages show them).

Pupils and guardians never write (R-A06): no predicate below is true for them.
"""

import rules

from accounts.predicates import is_admin, is_class_teacher_of, is_school_member, is_school_reader
from schedule.rules import (
    holds_substitute_grant,
    is_class_teacher_of_lesson,
    is_lesson_teacher,
    is_substituted,
    lesson_is_open,
)

# Filling the lesson (schedule.fill_lesson): its teacher unless a substitute took it, and the substitute.
may_fill_lesson = (is_lesson_teacher & ~is_substituted) | holds_substitute_grant

# A lesson's attendance (obj: lesson): whoever fills the lesson (R-H01), the class teacher of its class, who records
# and corrects their class's absences daily (R-H04), and the admin. Never a cancelled lesson or a closed year.
rules.add_perm(
    "attendance.change_attendance",
    is_school_member & lesson_is_open & (may_fill_lesson | is_class_teacher_of_lesson | is_admin),
)
# A class's daily attendance page (obj: class): its class teacher and those who read everything (R-A03, R-A05).
rules.add_perm("attendance.view_class_attendance", is_school_member & (is_class_teacher_of | is_school_reader))
# Notices of one or several days (obj: class, R-H03, R-H05): its class teacher and the admin.
rules.add_perm("attendance.record_notice", is_school_member & (is_class_teacher_of | is_admin))
