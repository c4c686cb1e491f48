"""What a user is, loaded once per request: memberships by school, the active school, children of a guardian.

Permission predicates read these cached sets, so that asking `has_perm` many times on a page costs no queries
(STYLE: ask once per page, never once per row or per menu item).
"""

from dataclasses import dataclass, field

from .models import GuardianLink, Membership, School


@dataclass
class Access:
    roles: dict[int, frozenset[str]]
    schools: dict[int, School]
    active_school_id: int | None = None
    _children: dict[int, frozenset[int]] | None = field(default=None, repr=False)

    def roles_in(self, school_id: int | None) -> frozenset[str]:
        if school_id is None:
            school_id = self.active_school_id
        return self.roles.get(school_id, frozenset()) if school_id is not None else frozenset()

    @property
    def active_school(self) -> School | None:
        return self.schools.get(self.active_school_id) if self.active_school_id else None


def access(user) -> Access:
    """The user's memberships, cached on the user object (one query per request)."""
    cached = getattr(user, "_ej_access", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        result = Access(roles={}, schools={})
    else:
        roles: dict[int, set[str]] = {}
        schools: dict[int, School] = {}
        for m in Membership.objects.filter(user=user).select_related("school__settings").order_by("school_id"):
            roles.setdefault(m.school_id, set()).add(m.role)
            schools[m.school_id] = m.school
        result = Access(
            roles={k: frozenset(v) for k, v in roles.items()},
            schools=schools,
            active_school_id=next(iter(schools), None),
        )
    user._ej_access = result
    return result


def children_ids(user, school_id: int | None = None) -> frozenset[int]:
    """Ids of the pupils this user is a guardian of (in one school, or in all)."""
    a = access(user)
    if a._children is None:
        children: dict[int, set[int]] = {}
        if a.roles:
            for pupil_id, sid in GuardianLink.objects.filter(guardian=user).values_list("pupil_id", "school_id"):
                children.setdefault(sid, set()).add(pupil_id)
        a._children = {k: frozenset(v) for k, v in children.items()}
    if school_id is None:
        return frozenset().union(*a._children.values()) if a._children else frozenset()
    return a._children.get(school_id, frozenset())
