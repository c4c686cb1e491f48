"""The calendar link: the feed that calendar apps read with the token in its URL, and the profile's three actions
on one's own link (create, reset, revoke), each its own POST URL that goes back to the profile."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import access
from accounts.decorators import school_member_required
from ejournal.clock import today

from . import ical, services
from .models import CalendarFeed
from .selectors import feed_content

# The raw token of a link made by this session's last action, shown once on the profile and then forgotten.
NEW_TOKEN_KEY = "calendars_new_token"  # noqa: S105 - a session key, not a secret
TOKEN_MAX = 100


def _refused() -> HttpResponse:
    response = HttpResponse(
        _("This calendar link does not work: it was revoked or never existed.") + "\n",
        status=401,
        content_type="text/plain; charset=utf-8",
    )
    response["WWW-Authenticate"] = 'Bearer realm="calendar"'
    return response


def _feed_of(token: str) -> CalendarFeed | None:
    if not token or len(token) > TOKEN_MAX:
        return None
    feed = (
        CalendarFeed.objects.filter(token_hash=services.token_hash(token), revoked_at__isnull=True)
        .select_related("user", "school")
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    # The owner must still belong to the school that issued the link: leaving the school ends it.
    if not access(feed.user).roles_in(feed.school_id):
        return None
    return feed


@require_safe
def feed(request, token: str):
    """No session: the token is the credential (calendar apps cannot log in). Unknown, revoked, or its owner gone:
    401 with a short text, never a hint of whether it once existed."""
    found = _feed_of(token)
    if found is None:
        return _refused()
    owner, school = found.user, found.school
    content = feed_content(
        user=owner,
        today=today(school.timezone),
        weeks_back=settings.CALENDAR_WEEKS_BACK,
        weeks_ahead=settings.CALENDAR_WEEKS_AHEAD,
    )
    body = ical.render(content=content, owner=owner, tz=school.timezone)
    services.feed_touch(feed=found)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    # Personal data: no shared cache keeps it.
    patch_cache_control(response, private=True, max_age=900)
    return response


# --- The profile's section and its actions -------------------------------------------------------------------------


def _active(request) -> CalendarFeed | None:
    return CalendarFeed.objects.for_school(request.school).filter(user=request.user, revoked_at__isnull=True).first()


def feed_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("calendars:feed", kwargs={"token": token}))


def profile_section(request) -> dict | None:
    """The profile's «Calendar» section: the link right after it is made (once), then its prefix and dates."""
    # Other callers (tests, a page without the middleware) may hand a bare request: no school, no section.
    if getattr(request, "school", None) is None or not request.user.has_perm("calendars.keep_feed"):
        return None
    active = _active(request)
    session = getattr(request, "session", None)
    token = session.pop(NEW_TOKEN_KEY, None) if session is not None else None
    url = webcal = ""
    if token and active is not None and services.token_hash(token) == active.token_hash:
        url = feed_url(request, token)
        webcal = "webcal://" + url.split("://", 1)[1]
    return {"feed": active, "url": url, "webcal": webcal}


def _back(request, message: str, *, error: bool = False):
    (messages.error if error else messages.success)(request, message)
    return redirect(reverse("accounts:profile") + "#calendar")


def _check(request) -> None:
    if not request.user.has_perm("calendars.keep_feed"):
        raise PermissionDenied


@require_POST
@school_member_required
def feed_create(request):
    _check(request)
    try:
        _feed, token = services.feed_create(actor=request.user, school=request.school)
    except services.CalendarError as e:
        return _back(request, e.message, error=True)
    request.session[NEW_TOKEN_KEY] = token
    return _back(request, _("Your calendar link is ready. Copy it now: it is shown only once."))


@require_POST
@school_member_required
def feed_reset(request):
    _check(request)
    active = _active(request)
    if active is None:
        return _back(request, _("You have no calendar link to reset."), error=True)
    try:
        _feed, token = services.feed_reset(actor=request.user, feed=active)
    except services.CalendarError as e:
        return _back(request, e.message, error=True)
    request.session[NEW_TOKEN_KEY] = token
    return _back(request, _("The old calendar link no longer works. Here is the new one: copy it now."))


@require_POST
@school_member_required
def feed_revoke(request):
    _check(request)
    active = _active(request)
    if active is None:
        return _back(request, _("You have no calendar link to revoke."), error=True)
    try:
        services.feed_revoke(actor=request.user, feed=active)
    except services.CalendarError as e:
        return _back(request, e.message, error=True)
    return _back(request, _("The calendar link is revoked: calendars subscribed to it no longer get updates."))
