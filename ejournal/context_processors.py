from django.utils.functional import SimpleLazyObject

from accounts.access import access

from .navigation import menu


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_items": SimpleLazyObject(lambda: menu(user)),
        "nav_roles": SimpleLazyObject(lambda: sorted(access(user).roles_in(None))),
        "current_school": getattr(request, "school", None),
        "nav_schools": SimpleLazyObject(lambda: list(access(user).schools.values())),
    }
