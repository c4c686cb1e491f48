"""A person's private calendar link (issue 12 item 4): the token in the URL is the credential, so only its hash is
kept; the short prefix lets the person tell which link they handed to which phone."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ejournal.models import SchoolOwned


class CalendarFeed(SchoolOwned):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("link begins with"), max_length=8)
    created_at = models.DateTimeField(_("created"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last read by a calendar"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "user"], condition=Q(revoked_at__isnull=True), name="calendarfeed_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}…"
