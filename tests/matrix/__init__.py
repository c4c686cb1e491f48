"""The permission matrix's vocabulary. Each area of the code lists its URLs in its own module here
(`ROWS = {"app:url_name": [Case(...), ...]}`); tests/test_permissions.py collects every module's ROWS and fails for
a URL pattern that no module lists.

Expected answers: a status code, LOGIN (redirect to our login page) or REDIRECT (any redirect elsewhere).
Roles: the personas of tests/conftest.py; `kwargs` and `data` take the World and return the URL's kwargs and the
request's data.
"""

from collections.abc import Callable
from dataclasses import dataclass

LOGIN = "login"
REDIRECT = "redirect"
ROLES = (
    "anonymous",
    "admin",
    "director",
    "deputy",
    "class_teacher",
    "teacher",
    "pupil",
    "guardian",
    "foreign_teacher",
)
STAFF_READERS = ("admin", "director", "deputy")
MEMBERS = tuple(r for r in ROLES if r != "anonymous")


@dataclass
class Case:
    label: str
    expected: dict[str, int | str]
    kwargs: Callable = lambda w: {}
    method: str = "get"
    data: Callable = lambda w: {}
    default: int | str = 403


def only(*roles, ok: int | str = 200, default: int | str = 403, anonymous: int | str = LOGIN) -> dict:
    """`ok` for the roles named, `default` for the other members, `anonymous` for a visitor."""
    table = {r: (ok if r in roles else default) for r in MEMBERS}
    table["anonymous"] = anonymous
    return table
