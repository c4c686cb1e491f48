import rules

from accounts.predicates import is_guardian, is_guardian_of, is_pupil, is_pupil_itself, is_school_reader
from schedule.rules import is_class_teacher_of_pupil

from . import rules_news, rules_notices  # noqa: F401 - their permissions register on import

# A pupil sees their own diary, a parent their children's (R-A06, R-A07); the administration every diary (R-A03);
# the class teacher the diaries of their class.
rules.add_perm("diary.view_diary", is_pupil_itself | is_guardian_of | is_school_reader | is_class_teacher_of_pupil)
rules.add_perm("diary.view_own_diaries", is_pupil | is_guardian)
# Handing in an electronic task's work (R-G04): the pupil themself only; a parent reads it (R-A07), staff read it.
# It is never a write to the journal (R-A06).
rules.add_perm("diary.submit_task", is_pupil & is_pupil_itself)
