import rules

from accounts.access import access
from accounts.models import FAMILY_ROLES


@rules.predicate
def is_family_in(user, school) -> bool:
    """A pupil or a parent in this school (the active one when none is given)."""
    school_id = school.pk if school is not None else None
    return bool(access(user).roles_in(school_id) & FAMILY_ROLES)


@rules.predicate
def is_token_owner(user, token) -> bool:
    return token is not None and token.user_id == user.pk


# The API reads the diary for a family's app (R-A06, R-A07): pupils and parents hold keys. Staff read diaries
# through the site, where the idle-session rule (issue 10 item 5) guards the shared classroom computers.
rules.add_perm("api.hold_token", is_family_in)
# Only the owner revokes their key; the administration ends access by closing the login (the key dies with it).
rules.add_perm("api.revoke_token", is_token_owner)
