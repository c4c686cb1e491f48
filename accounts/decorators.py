from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def school_permission_required(perm: str):
    """Login, membership of a school, then a permission that needs no object (the page as a whole).

    Pages about one object fetch it through the school's scope and ask `has_perm(perm, obj)` themselves.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.school is None or not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def school_member_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.school is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
