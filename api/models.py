"""Keys of the read-only diary API: a family's app reads the diary with one (issue 12 item 5).

Only a hash of the key is kept: a stolen database does not open anybody's diary. The short prefix lets the owner
tell their keys apart on the profile page."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ejournal.models import SchoolOwned


class ApiTokenQuerySet(models.QuerySet):
    def for_school(self, school):
        return self.filter(school=school)

    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(SchoolOwned):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=16)
    created_at = models.DateTimeField(_("created"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "school", "revoked_at"])]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
