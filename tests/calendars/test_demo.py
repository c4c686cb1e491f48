"""The demo's calendar link (issue 12 item 6): «guardian» has one, made through the service, once."""

from calendars.models import CalendarFeed
from ejournal.demo_calendars import add_calendar_feeds


def test_the_demo_guardian_has_a_calendar_link_made_once(world):
    assert add_calendar_feeds(school=world.school) == 1
    feed = CalendarFeed.objects.get(user__username="guardian")
    assert feed.school == world.school and feed.revoked_at is None
    assert add_calendar_feeds(school=world.school) == 0
    assert CalendarFeed.objects.count() == 1
