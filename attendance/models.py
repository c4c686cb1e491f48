"""Attendance (DESIGN §4, R-H01..R-H08): a pupil's absence from a lesson with its code, the class teacher's
multi-day notice that fills a pupil's lessons (R-H03, R-H05), and the "attendance taken" mark of a lesson (R-H01).

A pupil without an Absence row on a lesson whose attendance was taken was present. Every change of an absence keeps
its history with its author (promise 6)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ejournal.models import SchoolOwned

MAX_LATE_MINUTES = 90


class Code(models.TextChoices):
    """The journal's attendance codes. The labels are the official short codes of Russian journals, the same in
    every language of the interface; `LONG` says what each means."""

    ABSENT = "absent", "Н"
    ILL = "ill", "Б"
    EXCUSED = "excused", "УП"
    LATE = "late", "ОП"
    REMOTE = "remote", "ДО"


LONG = {
    Code.ABSENT: _("absent"),
    Code.ILL: _("absent through illness"),
    Code.EXCUSED: _("absent for a valid reason"),
    Code.LATE: _("late"),
    Code.REMOTE: _("present remotely"),
}
# A notice covers whole days: being late is recorded lesson by lesson.
NOTICE_CODES = (Code.ABSENT, Code.ILL, Code.EXCUSED, Code.REMOTE)


class AbsenceNotice(SchoolOwned):
    """An absence recorded in advance or afterwards for one or several days, with its reason and document (R-H03,
    R-H05): it fills the pupil's lessons of those days with absences, which a teacher removes if the pupil came."""

    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="absence_notices", verbose_name=_("pupil")
    )
    # The class it was recorded for: its class teacher and the admin manage it.
    school_class = models.ForeignKey(
        "schedule.SchoolClass", on_delete=models.PROTECT, related_name="absence_notices", verbose_name=_("class")
    )
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    code = models.CharField(_("code"), max_length=16, choices=Code.choices)
    reason = models.CharField(_("reason"), max_length=300)
    document = models.CharField(
        _("document"), max_length=200, blank=True, help_text=_("For example, medical certificate No. 123 of 12.11.2026")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("absence notice")
        verbose_name_plural = _("absence notices")
        ordering = ["-start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="absencenotice_end_after_start"),
        ]
        indexes = [models.Index(fields=["school_class", "start"]), models.Index(fields=["pupil", "start"])]

    def __str__(self) -> str:
        return f"{self.pupil} {self.start:%d.%m.%Y}–{self.end:%d.%m.%Y}: {self.get_code_display()}"

    @property
    def long_label(self) -> str:
        return LONG[self.code]


class Absence(SchoolOwned):
    """A pupil's absence (or lateness, or remote presence) on one lesson (R-H01, R-H02, R-H06)."""

    Code = Code

    lesson = models.ForeignKey(
        "schedule.Lesson", on_delete=models.PROTECT, related_name="absences", verbose_name=_("lesson")
    )
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="absences", verbose_name=_("pupil")
    )
    code = models.CharField(_("code"), max_length=16, choices=Code.choices)
    minutes = models.PositiveSmallIntegerField(
        _("minutes late"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LATE_MINUTES)],
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    notice = models.ForeignKey(
        AbsenceNotice,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="absences",
        verbose_name=_("absence notice"),
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Entered after the deadline (R-D01): accepted, and counted as late in the fill-rate reports.
    entered_late = models.BooleanField(_("entered late"), default=False)
    # The gradebook's approved late-change request that made this change after the window (R-F01): its history row
    # names it. An id, not a key: attendance sits below the gradebook (DESIGN §3) and never reads the request.
    late_change_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("recorded"))
    updated_at = models.DateTimeField(_("changed"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["lesson_id", "pupil_id"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "pupil"], name="absence_unique_per_lesson"),
            models.CheckConstraint(
                condition=(Q(code="late") & Q(minutes__gte=1) & Q(minutes__lte=MAX_LATE_MINUTES))
                | (~Q(code="late") & Q(minutes__isnull=True)),
                name="absence_minutes_only_when_late",
            ),
        ]
        indexes = [models.Index(fields=["pupil", "lesson"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """«ОП 10» for a lateness, else the short code."""
        short = self.get_code_display()
        return f"{short} {self.minutes}" if self.code == Code.LATE and self.minutes else short

    @property
    def long_label(self) -> str:
        return LONG[self.code]


class AttendanceTaken(SchoolOwned):
    """The teacher took the lesson's attendance (R-H01): "all present" is this row and no absence."""

    lesson = models.OneToOneField(
        "schedule.Lesson", on_delete=models.PROTECT, related_name="attendance_taken", verbose_name=_("lesson")
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("taken"))
    entered_late = models.BooleanField(_("entered late"), default=False)

    class Meta:
        verbose_name = _("attendance taken")
        verbose_name_plural = _("attendance taken")

    def __str__(self) -> str:
        return f"{self.lesson}: {self.at:%d.%m.%Y %H:%M}"
