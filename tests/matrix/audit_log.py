"""Permission-matrix rows of the audit log (issue 10 item 2): the school's admin reads it; every other role of the
school gets 403, another school's teacher 403 too (the page is of the user's own school: there is no object of
another school to ask for), a visitor the login page; nobody writes to it (405 for POST)."""

from . import Case, only

ROWS: dict[str, list[Case]] = {
    "audit:log": [
        Case("the school's log", only("admin")),
        Case("filtered", only("admin"), data=lambda w: {"group": "logins", "person": "teacher"}),
        Case("a foreign school's login as the person", only("admin"), data=lambda w: {"person": "foreign_teacher"}),
        Case("no writes", only(ok=405, default=405, anonymous=405), method="post"),
    ],
}
