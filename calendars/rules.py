"""Who keeps a calendar link: every member of the school keeps their own (a pupil, a parent, a teacher, the
administration); nobody keeps another person's. The feed itself asks no permission: its token is the credential,
and what it shows is rebuilt from the token's owner's current roles (calendars/selectors.py)."""

import rules

from accounts.predicates import is_school_member

rules.add_perm("calendars.keep_feed", is_school_member)
