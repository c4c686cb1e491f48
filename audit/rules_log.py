"""Permissions of the audit pages (log): see audit/rules.py.

The audit log is read by the school's administrator only (issue 10 item 2): the director and the deputy read the
mark-change report, not who logged in when."""

import rules

from accounts.predicates import is_admin, is_school_member

rules.add_perm("audit.view_log", is_school_member & is_admin)
