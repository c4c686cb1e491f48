"""The calendar feed in the demo school (issue 12 item 4): «guardian» has a calendar link, made through the same
service as on her profile page. Its raw token is shown only at creation, so the demo cannot print it: she resets
the link on her profile to get a working URL. Nothing is added twice."""

from accounts.models import School, User
from calendars import services
from calendars.models import CalendarFeed


def add_calendar_feeds(*, school: School) -> int:
    """The stable mother's link; returns how many links were made (0 when she already has one)."""
    guardian = User.objects.filter(username="guardian").first()
    if guardian is None:
        return 0
    if CalendarFeed.objects.for_school(school).filter(user=guardian, revoked_at__isnull=True).exists():
        return 0
    services.feed_create(actor=guardian, school=school)
    return 1
