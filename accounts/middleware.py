from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.storage import default_storage
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import ngettext
from django_htmx.http import HttpResponseClientRedirect

from ejournal import clock

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


LAST_ACTIVITY_KEY = "ej_last_activity"
# The stored time moves at most once a minute: a page's requests (htmx cells, polls) do not each write the session.
TOUCH_EVERY = 60


def session_touch(request) -> None:
    """Note the user's activity now (also at login, so that the first page need not write the session)."""
    request.session[LAST_ACTIVITY_KEY] = int(clock.now().timestamp())


class IdleSessionMiddleware:
    """Ends a session left idle longer than the school allows (SchoolSettings.session_idle_minutes; 0: never):
    classrooms share computers, and the next pupil must not find the teacher's journal open (issue 10 item 5).

    The last activity is kept in the session; the request that comes after the idle time logs the user out and
    goes to the login page with a message (htmx requests get HX-Redirect, as a swap of the login page into a cell
    would make no sense). After SchoolMiddleware: the current school decides the limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        school = getattr(request, "school", None)
        rules = getattr(school, "settings", None) if school is not None else None
        if user.is_authenticated and rules is not None:
            minutes = rules.session_idle_minutes
            moment = int(clock.now().timestamp())
            last = request.session.get(LAST_ACTIVITY_KEY)
            if minutes and isinstance(last, int) and moment - last > minutes * 60:
                return self._logged_out(request, minutes)
            if not isinstance(last, int) or moment - last >= TOUCH_EVERY:
                request.session[LAST_ACTIVITY_KEY] = moment
        return self.get_response(request)

    def _logged_out(self, request, minutes: int):
        from audit.receivers import LOGOUT_REASON

        setattr(request, LOGOUT_REASON, "idle")
        logout(request)
        login_url = reverse(settings.LOGIN_URL)
        if request.headers.get("HX-Request") == "true":
            response = HttpResponseClientRedirect(login_url)
        else:
            target = request.get_full_path() if request.method == "GET" else ""
            response = redirect_to_login(target) if target else redirect(login_url)
        # MessageMiddleware comes later in the chain and does not run for this answer: its storage is set up here.
        request._messages = default_storage(request)
        messages.warning(
            request,
            ngettext(
                "The session ended after %(minutes)s minute of inactivity. Log in again.",
                "The session ended after %(minutes)s minutes of inactivity. Log in again.",
                minutes,
            )
            % {"minutes": minutes},
        )
        request._messages.update(response)
        return response
