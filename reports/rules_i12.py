"""Permissions of issue 12's reports: user activity (R-J10), pupils' workload (R-J12), the reports published for the
school's website (R-J16) and the yearly report for the governing council (R-J17)."""

import rules

from accounts.predicates import is_deputy, is_director, is_school_member, is_school_reader

# The director looks at the activity monthly (seed 003); the deputy and the admin read it too (DESIGN §1).
rules.add_perm("reports.view_activity", is_school_member & is_school_reader)
# The deputy controls the pupils' workload (seed 004 §3.1 п.9); the director and the admin read it.
rules.add_perm("reports.view_workload", is_school_member & is_school_reader)
# The report for the governing council: the director presents it (seed 003); the deputy and the admin read it.
rules.add_perm("reports.view_council_report", is_school_member & is_school_reader)
# The files for the website: the deputy hands them over (seed 003), the director too; the admin, who reads
# everything, sees and downloads them but publishes nothing (DESIGN §1: read-only).
rules.add_perm("reports.view_published", is_school_member & is_school_reader)
rules.add_perm("reports.publish_report", is_school_member & (is_deputy | is_director))
