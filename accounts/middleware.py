from django.shortcuts import redirect
from django.urls import reverse

from .access import access

SCHOOL_SESSION_KEY = "ej_school_id"


class SchoolMiddleware:
    """Sets `request.school`: the school the user works in now (their memberships, loaded once)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.school = None
        user = request.user
        if user.is_authenticated:
            a = access(user)
            chosen = request.session.get(SCHOOL_SESSION_KEY)
            if chosen in a.schools:
                a.active_school_id = chosen
            request.school = a.active_school
        return self.get_response(request)


class ForcePasswordChangeMiddleware:
    """A user with a temporary password changes it before anything else (R-B13)."""

    allowed_names = ("accounts:password_change", "accounts:logout", "set_language", "healthz")

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed: tuple[str, ...] | None = None

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.must_change_password:
            if self._allowed is None:
                self._allowed = tuple(reverse(n) for n in self.allowed_names)
            static = request.path.startswith(("/static/", "/media/"))
            if not static and request.path not in self._allowed:
                return redirect("accounts:password_change")
        return self.get_response(request)
