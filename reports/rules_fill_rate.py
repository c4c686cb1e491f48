"""Permissions of the reports (issue 9): see reports/rules.py for the shared ones."""

import rules

from accounts.predicates import is_school_member, is_school_reader

# Journal control (fill rate, R-J01, R-J04): the deputy and the director, the admin reads it (DESIGN §1). Asked with
# the class or course shown (its school decides) or, for the whole school, with none.
rules.add_perm("reports.view_fill_rate", is_school_member & is_school_reader)
# Its exports (XLSX, PDF; the whole school's built in the background): the same readers.
rules.add_perm("reports.export_fill_rate", is_school_member & is_school_reader)
