"""The permission matrix (DESIGN §8): every URL pattern × every role × own and foreign objects.

The URL list is read from the resolver, so a new view without a row in one of tests/matrix/*.py fails
`test_matrix_covers_every_url`.
"""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.matrix
from tests.matrix import LOGIN, REDIRECT, ROLES, Case


def _collect() -> dict[str, list[Case]]:
    matrix: dict[str, list[Case]] = {}
    for info in pkgutil.iter_modules(tests.matrix.__path__):
        module = importlib.import_module(f"tests.matrix.{info.name}")
        for name, cases in module.ROWS.items():
            assert name not in matrix, f"{name} is listed in two matrix modules"
            matrix[name] = cases
    return matrix


MATRIX = _collect()

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
    "name", ["setup", "reports:control", "gradebook:my_day", "diary:home", "accounts:password_change"]
)
def test_pages_refuse_a_wrong_method(client, world, name):
    client.force_login(world.admin)
    assert client.delete(reverse(name)).status_code == 405


def test_logout_refuses_get(client, world):
    client.force_login(world.pupil)
    assert client.get(reverse("accounts:logout")).status_code == 405
