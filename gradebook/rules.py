import rules

from accounts.predicates import is_admin, is_school_reader, is_teacher

# "My day": every teacher keeps the journal of their own lessons (R-A01, R-A04).
rules.add_perm("gradebook.view_my_day", is_teacher)

# Work types and their weights: the admin sets them up (R-A02); the director and the deputy read them.
rules.add_perm("gradebook.view_worktypes", is_school_reader)
rules.add_perm("gradebook.change_worktypes", is_admin)
