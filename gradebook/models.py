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
    # The approved late-change request (or retake protocol) that made this change after the window (R-F01, R-F05):
    # its history row names it. Empty for a change within the window.
    late_change = models.ForeignKey(
        "LateChangeRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("entered"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mark")
        verbose_name_plural = _("marks")
        constraints = [models.UniqueConstraint(fields=["work", "pupil"], name="mark_unique_per_work")]

    def __str__(self) -> str:
        return self.value


def _scan_path(instance, filename: str) -> str:
    return f"late-changes/{instance.school_id}/{filename}"


class PeriodMark(SchoolOwned):
    """A pupil's mark for a course in a study period, or for the year when `period` is empty (R-E03). Every change
    keeps its history with its author (promise 6)."""

    class Value(models.TextChoices):
        ONE = "1", "1"
        TWO = "2", "2"
        THREE = "3", "3"
        FOUR = "4", "4"
        FIVE = "5", "5"
        PASS = "зач", _("pass")
        FAIL = "незач", _("fail")
        NOT_ATTESTED = "н/а", _("not attested")
        EXEMPT = "осв", _("exempt")
        DEBT = "долг", _("academic debt")

    course = models.ForeignKey("schedule.Course", on_delete=models.PROTECT, related_name="period_marks")
    period = models.ForeignKey(
        "schedule.StudyPeriod", on_delete=models.PROTECT, null=True, blank=True, related_name="period_marks"
    )
    pupil = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="period_marks")
    value = models.CharField(_("mark"), max_length=8, choices=Value.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Entered after the period's deadline (R-E05): accepted, and counted as late.
    entered_late = models.BooleanField(_("entered late"), default=False)
    late_change = models.ForeignKey(
        "LateChangeRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A pupil in family or self-education (R-E11) is attested by the school's commission without lessons: the mark
    # comes from its protocol, whose number and date the attestation sheets print.
    protocol = models.CharField(_("attestation protocol"), max_length=100, blank=True)
    protocol_date = models.DateField(_("protocol date"), null=True, blank=True)
    created_at = models.DateTimeField(_("entered"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("period mark")
        verbose_name_plural = _("period marks")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "period", "pupil"],
                condition=models.Q(period__isnull=False),
                name="periodmark_unique_per_period",
            ),
            models.UniqueConstraint(
                fields=["course", "pupil"], condition=models.Q(period__isnull=True), name="periodmark_unique_year"
            ),
        ]
        indexes = [models.Index(fields=["school", "pupil"])]

    def __str__(self) -> str:
        return self.value

    @property
    def is_year(self) -> bool:
        return self.period_id is None


class LateChangeRequest(SchoolOwned):
    """A change after a window closed (R-F01..R-F05): a teacher's written request with its reason and document,
    approved or rejected by the director or a deputy, or a retake protocol the deputy enters. The change is applied
    by the service on approval, and its history row names this request."""

    class Target(models.TextChoices):
        MARK = "mark", _("mark")
        ABSENCE = "absence", _("attendance")
        PERIOD_MARK = "period_mark", _("period mark")

    class Reason(models.TextChoices):
        PUPIL_ILLNESS = "pupil_illness", _("the pupil missed lessons through illness")
        PUPIL_OTHER = "pupil_other", _("the pupil missed lessons for another documented valid reason")
        RETAKE = "retake", _("a retake for a documented valid reason")
        TEACHER_ILLNESS = "teacher_illness", _("the teacher's illness")

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting a decision")
        APPROVED = "approved", _("approved and applied")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Source(models.TextChoices):
        REQUEST = "request", _("a teacher's request")
        PROTOCOL = "protocol", _("a retake protocol")

    target = models.CharField(_("what changes"), max_length=16, choices=Target.choices)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.REQUEST)
    course = models.ForeignKey("schedule.Course", on_delete=models.PROTECT, related_name="late_changes")
    lesson = models.ForeignKey(
        "schedule.Lesson", on_delete=models.PROTECT, null=True, blank=True, related_name="late_changes"
    )
    work = models.ForeignKey(LessonWork, on_delete=models.PROTECT, null=True, blank=True, related_name="late_changes")
    # A period mark's period; empty for the year mark.
    period = models.ForeignKey(
        "schedule.StudyPeriod", on_delete=models.PROTECT, null=True, blank=True, related_name="late_changes"
    )
    pupil = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="late_changes_about")
    old_value = models.CharField(_("was"), max_length=16, blank=True)
    new_value = models.CharField(_("becomes"), max_length=16, blank=True, help_text=_("Empty: removed"))
    minutes = models.PositiveSmallIntegerField(_("minutes late"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    document_number = models.CharField(_("document number"), max_length=100)
    document_date = models.DateField(_("document date"))
    scan = models.FileField(_("scan of the document"), upload_to=_scan_path, max_length=300)
    scan_name = models.CharField(_("file name"), max_length=200, blank=True)
    explanation = models.TextField(_("explanation"), max_length=1000, blank=True)
    status = models.CharField(_("state"), max_length=16, choices=Status.choices, default=Status.PENDING)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="late_changes")
    created_at = models.DateTimeField(_("filed"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_comment = models.CharField(_("decision comment"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("late-change request")
        verbose_name_plural = _("late-change requests")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "status"]), models.Index(fields=["author", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target="mark", work__isnull=False, lesson__isnull=False)
                | models.Q(target="absence", lesson__isnull=False, work__isnull=True)
                | models.Q(target="period_mark", lesson__isnull=True, work__isnull=True),
                name="latechange_target_fields",
            )
        ]

    def __str__(self) -> str:
        return _("Request No. %(number)s") % {"number": self.pk}

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class MarkAppeal(SchoolOwned):
    """A pupil or a parent reports a mark as wrongly entered (seed 004 §7.1, R-I11): within the school's days of
    the mark appearing, with a short text. The mark's teacher corrects it through the journal's normal rules, or
    answers why it stands; the family sees the answer. The appeal names the cell (work and pupil), not the mark row:
    a correction may remove the mark, and the appeal stays."""

    class Status(models.TextChoices):
        OPEN = "open", _("awaiting the teacher")
        CORRECTED = "corrected", _("corrected")
        ANSWERED = "answered", _("the mark stands")

    work = models.ForeignKey(LessonWork, on_delete=models.PROTECT, related_name="appeals")
    pupil = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("mark reported"), max_length=8)
    text = models.CharField(_("what is wrong"), max_length=500)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("reported"))
    status = models.CharField(_("state"), max_length=16, choices=Status.choices, default=Status.OPEN)
    answer = models.CharField(_("teacher's answer"), max_length=1000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("mark appeal")
        verbose_name_plural = _("mark appeals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "pupil"], condition=models.Q(status="open"), name="markappeal_one_open_per_cell"
            )
        ]
        indexes = [models.Index(fields=["school", "status"]), models.Index(fields=["school", "pupil"])]

    def __str__(self) -> str:
        return f"{self.pupil}: {self.value}"


class ExamResult(SchoolOwned):
    """A pupil's result of the state final attestation (ГИА, R-E12): ОГЭ in grade 9, ЕГЭ in grade 11, or ГВЭ. Results
    are due within a day of their arrival at the school; a later entry is accepted and counted (`late`)."""

    class Kind(models.TextChoices):
        OGE = "oge", _("OGE")
        EGE = "ege", _("EGE")
        EGE_BASE = "ege_base", _("EGE (basic mathematics)")
        GVE = "gve", _("GVE")

    year = models.ForeignKey("schedule.AcademicYear", on_delete=models.PROTECT, related_name="exam_results")
    pupil = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exam_results")
    subject = models.ForeignKey("schedule.Subject", on_delete=models.PROTECT, related_name="exam_results")
    kind = models.CharField(_("exam"), max_length=8, choices=Kind.choices)
    exam_date = models.DateField(_("exam date"))
    received_on = models.DateField(_("results received on"))
    primary_score = models.PositiveSmallIntegerField(
        _("primary score"), validators=[MaxValueValidator(200)], null=True, blank=True
    )
    # ЕГЭ's 100-point score; the other exams have none.
    test_score = models.PositiveSmallIntegerField(
        _("test score"), validators=[MaxValueValidator(100)], null=True, blank=True
    )
    # ОГЭ, ГВЭ and ЕГЭ in basic mathematics give a 2–5 mark; the profile ЕГЭ gives none.
    mark = models.PositiveSmallIntegerField(
        _("mark"), validators=[MinValueValidator(2), MaxValueValidator(5)], null=True, blank=True
    )
    retake = models.BooleanField(_("retake"), default=False)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("entered"), default=timezone.now)
    # Entered more than a day after the results arrived (R-E12): set by the service from the school's clock.
    late = models.BooleanField(_("entered late"), default=False)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("state exam result")
        verbose_name_plural = _("state exam results")
        ordering = ["exam_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "subject", "kind", "exam_date"], name="examresult_unique_per_exam"
            ),
            models.CheckConstraint(
                condition=models.Q(received_on__gte=models.F("exam_date")), name="examresult_received_after_exam"
            ),
        ]
        indexes = [models.Index(fields=["school", "year"]), models.Index(fields=["school", "pupil"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"
