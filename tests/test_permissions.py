"""The permission matrix (DESIGN §8): every URL pattern × every role × own and foreign objects.

The URL list is read from the resolver, so a new view without a row here fails `test_matrix_covers_every_url`.
Expected answers: a status code, LOGIN (redirect to our login page) or REDIRECT (any redirect elsewhere).
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

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


MATRIX: dict[str, list[Case]] = {
    "home": [Case("start page redirect", only(*MEMBERS, ok=REDIRECT))],
    "healthz": [Case("health", only(*MEMBERS, anonymous=200))],
    "set_language": [
        Case(
            "switch language",
            only(*MEMBERS, ok=REDIRECT, anonymous=REDIRECT),
            method="post",
            data=lambda w: {"language": "ru"},
        )
    ],
    "accounts:login": [Case("login form", only(ok=REDIRECT, default=REDIRECT, anonymous=200))],
    "accounts:logout": [Case("logout", only(*MEMBERS, ok=REDIRECT, anonymous=REDIRECT), method="post")],
    "accounts:password_change": [Case("own password", only(*MEMBERS))],
    "accounts:school_switch": [
        Case(
            "own school",
            only(*MEMBERS, ok=REDIRECT) | {"foreign_teacher": 404},
            method="post",
            data=lambda w: {"school": w.school.pk},
        ),
        Case(
            "a school not one's own",
            only(default=404) | {"foreign_teacher": REDIRECT},
            method="post",
            data=lambda w: {"school": w.other_school.pk},
        ),
    ],
    "schedule:setup": [Case("set-up checklist", only(*STAFF_READERS))],
    "schedule:class_detail": [
        Case(
            "own class",
            only(*STAFF_READERS, "class_teacher", default=403) | {"foreign_teacher": 404},
            kwargs=lambda w: {"class_id": w.school_class.pk},
        ),
        Case(
            "another class of the school",
            only(*STAFF_READERS) | {"foreign_teacher": 404},
            kwargs=lambda w: {"class_id": w.other_class.pk},
        ),
        Case(
            "a class of another school",
            only(default=404) | {"foreign_teacher": 200},
            kwargs=lambda w: {"class_id": w.foreign_class.pk},
        ),
    ],
    "gradebook:my_day": [Case("my day", only("teacher", "class_teacher", "foreign_teacher"))],
    "reports:control": [Case("journal control", only(*STAFF_READERS))],
    "diary:home": [Case("own diary", only("pupil", "guardian", ok=REDIRECT))],
    "diary:pupil": [
        Case(
            "own pupil",
            only(*STAFF_READERS, "class_teacher", "pupil", "guardian") | {"foreign_teacher": 404},
            kwargs=lambda w: {"pupil_id": w.pupil.pk},
        ),
        Case(
            "another family's pupil",
            only(*STAFF_READERS) | {"pupil": 404, "guardian": 404, "foreign_teacher": 404},
            kwargs=lambda w: {"pupil_id": w.other_pupil.pk},
        ),
        Case(
            "a pupil of another school",
            only(default=404) | {"foreign_teacher": 200},
            kwargs=lambda w: {"pupil_id": w.foreign_pupil.pk},
        ),
    ],
    # Django's admin is for platform superusers: every school role is sent to its own login.
    "admin:index": [Case("django admin", only(ok=REDIRECT, default=REDIRECT, anonymous=REDIRECT))],
}

# The rest of Django's admin answers through Django's own staff check, tested by Django; only its index is listed.
EXCLUDED_NAMESPACES = ("admin:",)


def url_names(patterns=None, prefix: str = "") -> list[str]:
    names = []
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            names += url_names(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
        elif isinstance(p, URLPattern):
            names.append(f"{prefix}{p.name}" if p.name else f"{prefix}<unnamed {p.pattern}>")
    return names


def test_matrix_covers_every_url():
    known = {n for n in url_names() if not n.startswith(EXCLUDED_NAMESPACES)} | {"admin:index"}
    assert known - set(MATRIX) == set(), "URL patterns without a row in the permission matrix"
    assert set(MATRIX) - known == set(), "rows in the permission matrix for URLs that no longer exist"


def _check(response, expected, role, name, case):
    where = f"{name} [{case.label}] as {role}"
    if expected == LOGIN:
        assert response.status_code == 302, where
        assert response["Location"].startswith(reverse("accounts:login")), where
    elif expected == REDIRECT:
        assert response.status_code == 302, where
    else:
        assert response.status_code == expected, f"{where}: {response.status_code} != {expected}"


@pytest.mark.parametrize(
    ("name", "case"), [(name, case) for name, cases in MATRIX.items() for case in cases], ids=lambda v: str(v)
)
def test_permission_matrix(client, world, name, case):
    for role in ROLES:
        client.logout()
        user = world.persona(role)
        if user is not None:
            client.force_login(user)
        url = reverse(name, kwargs=case.kwargs(world))
        response = getattr(client, case.method)(url, data=case.data(world))
        _check(response, case.expected.get(role, case.default), role, name, case)


@pytest.mark.parametrize(
    "name", ["schedule:setup", "reports:control", "gradebook:my_day", "diary:home", "accounts:password_change"]
)
def test_pages_refuse_a_wrong_method(client, world, name):
    client.force_login(world.admin)
    assert client.delete(reverse(name)).status_code == 405


def test_logout_refuses_get(client, world):
    client.force_login(world.pupil)
    assert client.get(reverse("accounts:logout")).status_code == 405
