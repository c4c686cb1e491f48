from django.db.models import Q, QuerySet

from accounts.access import access, children_ids
from accounts.models import STAFF_ROLES, Role, School, User


def visible_pupils(*, user: User, school: School) -> QuerySet[User]:
    """Pupils whose diary this user may look for. A family reaches only itself: others answer 404, not 403."""
    pupils = User.objects.filter(memberships__school=school, memberships__role=Role.PUPIL)
    if access(user).roles_in(school.pk) & STAFF_ROLES:
        return pupils
    return pupils.filter(Q(pk=user.pk) | Q(pk__in=children_ids(user, school.pk)))


def family_pupils(*, user: User, school: School) -> list[User]:
    """The pupil themself, or a guardian's children, for the child switcher."""
    ids = set(children_ids(user, school.pk))
    if Role.PUPIL in access(user).roles_in(school.pk):
        ids.add(user.pk)
    return list(User.objects.filter(pk__in=ids).order_by("last_name", "first_name"))
