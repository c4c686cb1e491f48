"""Pupils' achievements (R-I14): olympiads, contests, projects, sport and creative results, each with its level, its
result and, where the family brought one, the scan of the diploma or certificate. Every change keeps its history
with its author (simple_history), so that an entry corrected or removed by mistake is never lost."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ejournal.models import SchoolOwned


def _scan_path(instance, filename: str) -> str:
    # The school and the pupil keep a directory small; the stored name is ours (services.py), never the user's.
    return f"portfolio/{instance.school_id}/{instance.pupil_id}/{filename}"


class Achievement(SchoolOwned):
    class Kind(models.TextChoices):
        OLYMPIAD = "olympiad", _("olympiad")
        CONTEST = "contest", _("contest or competition")
        PROJECT = "project", _("project")
        SPORT = "sport", _("sport")
        CREATIVE = "creative", _("creative work")
        OTHER = "other", _("other")

    class Level(models.TextChoices):
        SCHOOL = "school", _("in-school")
        MUNICIPAL = "municipal", _("municipal")
        REGIONAL = "regional", _("regional")
        NATIONAL = "national", _("all-Russian")
        INTERNATIONAL = "international", _("international")

    class Result(models.TextChoices):
        PARTICIPANT = "participant", _("participant")
        PRIZE_WINNER = "prize_winner", _("prize-winner")
        WINNER = "winner", _("winner")

    pupil = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="achievements")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    subject = models.ForeignKey(
        "schedule.Subject",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subject"),
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    # What the diploma says beyond the result: «2 место», «диплом III степени», «лауреат».
    result_note = models.CharField(_("result details"), max_length=100, blank=True)
    date = models.DateField(_("date"))
    scan = models.FileField(_("scan"), upload_to=_scan_path, max_length=300, blank=True)
    scan_name = models.CharField(_("scan's file name"), max_length=200, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("entered"))
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["school", "pupil", "date"], name="achievement_pupil_date")]

    def __str__(self) -> str:
        return self.title
