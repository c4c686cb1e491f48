"""Permissions of families' notifications (email and SMS) and the silent-parents list, registered on import by
diary/rules.py."""

import rules

from accounts.predicates import is_admin, is_class_teacher_of, is_guardian, is_school_member, is_school_reader

# A parent chooses their own notifications (R-I07): the only write of a family besides an appeal (R-A06, R-A07).
rules.add_perm("diary.change_notifications", is_guardian)
# The parents who do not open the diary (R-I12, seed 003): the class teacher of the class, who calls them, and
# those who read everything (R-A03). Asked of a SchoolClass.
rules.add_perm("diary.view_silent_parents", is_school_member & (is_class_teacher_of | is_school_reader))
# The school's SMS to families (R-I07): the administrator, who runs the gateway's account, sees what waits and what
# failed and sends a failed one again. Asked of the page, and of an SmsNotice for the retry.
rules.add_perm("diary.view_sms", is_admin)
rules.add_perm("diary.retry_sms", is_admin)
