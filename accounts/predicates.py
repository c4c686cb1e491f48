"""Permission predicates shared by every app's rules.py (django-rules).

They read the per-request cache of accounts.access, so they cost no query after the first. An object passed in
decides the school (its `school_id`); without one, the user's active school does.
"""

import rules

from .access import access, children_ids
from .models import READER_ROLES, Role


def _school_id(user, obj) -> int | None:
    sid = getattr(obj, "school_id", None) if obj is not None else None
    return sid if sid is not None else access(user).active_school_id


def has_role(*roles: str) -> rules.Predicate:
    wanted = frozenset(roles)

    @rules.predicate(name=f"has_role({','.join(sorted(wanted))})")
    def _has_role(user, obj=None) -> bool:
        return bool(access(user).roles_in(_school_id(user, obj)) & wanted)

    return _has_role


@rules.predicate
def is_school_member(user, obj=None) -> bool:
    return bool(access(user).roles_in(_school_id(user, obj)))


is_admin = has_role(Role.ADMIN)
is_director = has_role(Role.DIRECTOR)
is_deputy = has_role(Role.DEPUTY)
is_teacher = has_role(Role.TEACHER)
is_pupil = has_role(Role.PUPIL)
is_guardian = has_role(Role.GUARDIAN)
# Admin, director and deputy read every journal and diary of their school (R-A03).
is_school_reader = has_role(*READER_ROLES)


@rules.predicate
def is_pupil_itself(user, pupil) -> bool:
    return pupil is not None and user.is_authenticated and pupil.pk == user.pk


@rules.predicate
def is_guardian_of(user, pupil) -> bool:
    """R-A07: a parent reaches only their own children."""
    return pupil is not None and pupil.pk in children_ids(user)


@rules.predicate
def is_class_teacher_of(user, school_class) -> bool:
    """The class teacher of this class (the link lives on the class, DESIGN §1)."""
    return school_class is not None and getattr(school_class, "class_teacher_id", None) == user.pk
