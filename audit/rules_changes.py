"""Permissions of the mark-change report (issue 10 item 1; seed 000 §12): the admin, the director and the deputy
read every change of their school, all year (DESIGN §1, §6.6); teachers, pupils and parents do not."""

import rules

from accounts.predicates import is_school_member, is_school_reader

rules.add_perm("audit.view_changes", is_school_member & is_school_reader)
# Its exports (XLSX, PDF, built in the background): the same readers.
rules.add_perm("audit.export_changes", is_school_member & is_school_reader)
