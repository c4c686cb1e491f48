import rules

from accounts.predicates import is_school_reader

# Journal control: the deputy and the director; the admin reads it (DESIGN §1, R-A03).
rules.add_perm("reports.view_control", is_school_reader)
