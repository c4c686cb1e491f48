"""The calendar link's life (issue 12 item 4): created, revoked, reset, each in the audit log. The raw token leaves
`feed_create` once, for the page that shows it; only its sha256 is stored, so a stolen database opens no calendar."""

import datetime
import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.access import access
from accounts.models import School, User
from audit.log import record
from ejournal.clock import now

from .models import CalendarFeed

PREFIX_LENGTH = 6
# A calendar app polls every few minutes to every few hours: noting each read would be a write per poll.
TOUCH_EVERY = datetime.timedelta(hours=1)


class CalendarError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _school(actor: User, school: School | None) -> School:
    school = school if school is not None else access(actor).active_school
    if school is None or not actor.is_active or not access(actor).roles_in(school.pk):
        raise CalendarError(_("A calendar link is made by a member of the school only."))
    return school


@transaction.atomic
def feed_create(*, actor: User, school: School | None = None) -> tuple[CalendarFeed, str]:
    """The actor's new link in the school (their active school by default); returns the feed and the raw token,
    which is never stored and cannot be shown again."""
    school = _school(actor, school)
    if CalendarFeed.objects.for_school(school).filter(user=actor, revoked_at__isnull=True).exists():
        raise CalendarError(_("You already have a calendar link. Reset it to get a new one."))
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            feed = CalendarFeed.objects.create(
                school=school, user=actor, token_hash=token_hash(token), prefix=token[:PREFIX_LENGTH], created_at=now()
            )
    except IntegrityError:
        # A second click that raced the first: the partial unique index keeps one active link.
        raise CalendarError(_("You already have a calendar link. Reset it to get a new one.")) from None
    record(actor=actor, school=school, action="calendars.feed.created", obj=feed, data={"prefix": feed.prefix})
    return feed, token


def _locked_active(feed: CalendarFeed) -> CalendarFeed:
    return CalendarFeed.objects.select_for_update().get(pk=feed.pk)


@transaction.atomic
def feed_revoke(*, actor: User, feed: CalendarFeed) -> CalendarFeed:
    """The link stops working at once: calendars that subscribed to it get 401 and keep nothing new."""
    feed = _locked_active(feed)
    if feed.user_id != actor.pk:
        raise CalendarError(_("Only the owner revokes their calendar link."))
    if feed.revoked_at is not None:
        raise CalendarError(_("This calendar link is already revoked."))
    feed.revoked_at = now()
    feed.save(update_fields=["revoked_at"])
    record(actor=actor, school=feed.school, action="calendars.feed.revoked", obj=feed, data={"prefix": feed.prefix})
    return feed


@transaction.atomic
def feed_reset(*, actor: User, feed: CalendarFeed) -> tuple[CalendarFeed, str]:
    """A new link in place of the old one (a lost phone, a link sent to the wrong chat)."""
    feed_revoke(actor=actor, feed=feed)
    return feed_create(actor=actor, school=feed.school)


def feed_touch(*, feed: CalendarFeed) -> None:
    """Notes that a calendar read the link, at most once per TOUCH_EVERY (no write per poll, no audit entry: a
    read is not an action of the person)."""
    moment = now()
    if feed.last_used_at is None or moment - feed.last_used_at >= TOUCH_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=moment)
        feed.last_used_at = moment
