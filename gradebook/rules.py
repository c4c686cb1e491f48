import rules

from accounts.predicates import is_teacher

# "My day": every teacher keeps the journal of their own lessons (R-A01, R-A04).
rules.add_perm("gradebook.view_my_day", is_teacher)
