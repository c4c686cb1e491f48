import rules

from accounts.predicates import is_school_member, is_school_reader, is_teacher
from schedule.models import Course
from schedule.rules import course_is_open
from schedule.selectors import taught_courses

# Journal control: the deputy and the director; the admin reads it (DESIGN §1, R-A03).
rules.add_perm("reports.view_control", is_school_reader)


# --- Remarks of journal control (R-J02) ------------------------------------------------------------------------


@rules.predicate
def teaches_remark_course(user, obj) -> bool:
    """Teaches the remark's course (or the course itself, when asked with one); courses of open years only."""
    course_id = obj.pk if isinstance(obj, Course) else getattr(obj, "course_id", None)
    return course_id is not None and course_id in taught_courses(user)


# The admin (weekly) and the deputy (monthly) analyse the journals and leave remarks (seed 001); the director, who
# reads everything, may too. Never on a closed year's journal, which nobody can fix any more.
rules.add_perm("reports.add_remark", is_school_member & is_school_reader & course_is_open)
# The list of remarks: those who read everything (all of the school's), teachers (those on their own courses).
rules.add_perm("reports.view_remarks", is_school_reader | is_teacher)
# One remark, or a course's remarks (asked with the course, on its journal page): the readers, the course's teachers.
may_see_remarks = is_school_member & (is_school_reader | teaches_remark_course)
rules.add_perm("reports.view_remark", may_see_remarks)
rules.add_perm("reports.view_course_remarks", may_see_remarks)
# The course's teacher fixes the journal and marks the remark done; a reader finds it not fixed and reopens it.
rules.add_perm("reports.close_remark", is_school_member & teaches_remark_course)
rules.add_perm("reports.reopen_remark", is_school_member & is_school_reader)


# --- Reports built in the background: only the person who asked opens and downloads them -----------------------


@rules.predicate
def requested_job(user, job) -> bool:
    return job is not None and job.requested_by_id == user.pk


rules.add_perm("reports.view_job", is_school_member & requested_job)

from . import rules_class, rules_fill_rate, rules_sheets, rules_weekly, rules_year  # noqa: E402, F401 - register on import

# The reports' index: those who read the school's reports and every teacher (own courses and classes).
rules.add_perm("reports.view_reports", is_school_member & (is_school_reader | is_teacher))

# Issue 12's reports: user activity, pupils' workload, files for the website, the council's report.
from . import rules_i12  # noqa: E402, F401 - register on import
