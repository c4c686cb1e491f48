from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ejournal.models import SchoolOwned


class WorkType(SchoolOwned):
    """A kind of work with its weight in the weighted average and its own deadlines (DESIGN §5, seed 003)."""

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=20, blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=4,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    entry_deadline_days = models.PositiveSmallIntegerField(
        _("enter marks within (days)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(60)],
        help_text=_("Empty: the school's rule for current marks"),
    )
    edit_window_days = models.PositiveSmallIntegerField(
        _("edit marks within (days)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(366)],
        help_text=_("Empty: the school's edit window"),
    )
    is_control = models.BooleanField(_("control work"), default=False)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("work type")
        verbose_name_plural = _("work types")
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="worktype_unique_name")]

    def __str__(self) -> str:
        return self.name
