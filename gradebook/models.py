from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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


class LessonWork(SchoolOwned):
    """A column of the journal grid: a work done on a lesson, of a work type (R-E01)."""

    lesson = models.ForeignKey("schedule.Lesson", on_delete=models.PROTECT, related_name="works")
    work_type = models.ForeignKey(WorkType, on_delete=models.PROTECT, related_name="works")
    title = models.CharField(_("title"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("lesson work")
        verbose_name_plural = _("lesson works")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title or str(self.work_type)


class Mark(SchoolOwned):
    """A pupil's mark for a lesson work; every change keeps its history with its author (promise 6)."""

    class Value(models.TextChoices):
        ONE = "1", "1"
        TWO = "2", "2"
        THREE = "3", "3"
        FOUR = "4", "4"
        FIVE = "5", "5"
        PASS = "зач", _("pass")
        FAIL = "незач", _("fail")

    work = models.ForeignKey(LessonWork, on_delete=models.PROTECT, related_name="marks")
    pupil = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="marks")
    value = models.CharField(_("mark"), max_length=8, choices=Value.choices)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Entered after its deadline (R-D01, R-D02): accepted, and counted as late in the control reports.
    entered_late = models.BooleanField(_("entered late"), default=False)
    created_at = models.DateTimeField(_("entered"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mark")
        verbose_name_plural = _("marks")
        constraints = [models.UniqueConstraint(fields=["work", "pupil"], name="mark_unique_per_work")]

    def __str__(self) -> str:
        return self.value
