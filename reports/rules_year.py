"""Permissions of the period and year sheets, the medal sheet and the journal printout (issue 9, item 5 and 6; R-J13,
R-J14, R-J15): the deputy, the director and the admin (read) every class and course; the class teacher their own
class's sheets and printouts; a subject teacher their own courses' printouts and the final-marks sheet cut to their own
courses; pupils and guardians none."""

import rules

from accounts.predicates import is_class_teacher_of, is_school_member, is_school_reader, is_teacher
from schedule.rules import is_class_teacher_of_course, is_course_teacher

from .rules_class import teaches_in_class

may_read_class = is_school_member & (is_school_reader | is_class_teacher_of)
# The index of the year's reports: readers (every class), teachers (the classes they lead or teach).
rules.add_perm("reports.view_year_reports", is_school_reader | is_teacher)
# A class's final marks: whole for the readers and the class teacher, cut to own courses for a subject teacher.
rules.add_perm("reports.view_final_marks", may_read_class | (is_school_member & teaches_in_class))
rules.add_perm("reports.view_all_final_marks", may_read_class)
# The medal commission's sheet.
rules.add_perm("reports.view_medal_sheet", is_school_reader)
# The journal printout: a course's (its readers, its teachers, its class's teacher), a whole class's.
rules.add_perm(
    "reports.print_course_journal",
    is_school_member & (is_school_reader | is_course_teacher | is_class_teacher_of_course),
)
rules.add_perm("reports.print_class_journal", may_read_class)
