from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ejournal.models import SchoolOwned

TEXT_MAX = 2000
ANSWER_MAX = 500


class Remark(SchoolOwned):
    """A remark of journal control (замечание, R-J02): a reader of the school finds something wrong in a course's
    journal (optionally in one of its lessons); the course's teacher fixes it by the deadline and marks it done.

    Nothing is deleted: a done remark can be reopened, and each state change keeps who and when (the audit log keeps
    every round; the row keeps the latest)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")

    course = models.ForeignKey(
        "schedule.Course", on_delete=models.PROTECT, related_name="remarks", verbose_name=_("course")
    )
    lesson = models.ForeignKey(
        "schedule.Lesson",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="remarks",
        verbose_name=_("lesson"),
    )
    text = models.TextField(_("remark"), max_length=TEXT_MAX)
    due = models.DateField(_("fix by"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("created"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=ANSWER_MAX, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    reopen_note = models.CharField(_("why reopened"), max_length=ANSWER_MAX, blank=True)

    class Meta:
        verbose_name = _("remark")
        verbose_name_plural = _("remarks")
        ordering = ["due", "pk"]
        indexes = [
            models.Index(fields=["school", "status"]),
            models.Index(fields=["course", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open") | models.Q(done_at__isnull=False), name="remark_done_has_when"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course}: {self.text[:60]}"

    def is_overdue(self, today) -> bool:
        """Still open after its deadline (R-J02: fixed by the deadline)."""
        return self.status == self.Status.OPEN and self.due < today


# --- Files built in the background (item 8 of issue 9; pretix's CachedFile) -------------------------------------


def _job_path(job: "ReportJob", filename: str) -> str:
    return f"reports/{job.school_id}/jobs/{job.pk or 'new'}/{filename}"


class ReportJob(SchoolOwned):
    """A report or export too big for one request: built by a Celery task that keeps its progress here; the page that
    started it polls this row and offers the file when it is done. Only the person who asked downloads it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being built")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("report"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=300)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("requested"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    done_steps = models.PositiveIntegerField(default=0)
    total_steps = models.PositiveIntegerField(default=0)
    file = models.FileField(_("file"), upload_to=_job_path, max_length=300, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("report being built")
        verbose_name_plural = _("reports being built")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "requested_by", "created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(100 * self.done_steps / self.total_steps) if self.total_steps else 0


# --- The weekly summary sheets for families who opted out of the diary (R-I04, R-I05; DESIGN §6.3) -------------


class WeeklyRun(SchoolOwned):
    """One school's weekly sheets for one school week (Monday to Saturday): the record that makes the job run exactly
    once per pupil, week and channel however many times it is started. Its deliveries carry a state each."""

    class State(models.TextChoices):
        RUNNING = "running", _("being sent")
        DONE = "done", _("all sent")

    week_start = models.DateField(_("week from"))
    week_end = models.DateField(_("week to"))
    created_at = models.DateTimeField(_("started"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.RUNNING)
    started_count = models.PositiveSmallIntegerField(_("times started"), default=1)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("weekly summary sheets")
        verbose_name_plural = _("weekly summary sheets")
        ordering = ["-week_start"]
        constraints = [models.UniqueConstraint(fields=["school", "week_start"], name="weeklyrun_unique_week")]

    def __str__(self) -> str:
        return f"{self.school_id}: {self.week_start:%d.%m.%Y}–{self.week_end:%d.%m.%Y}"


def _bundle_path(bundle: "ClassBundle", filename: str) -> str:
    return f"reports/{bundle.school_id}/weekly/{bundle.run.week_start:%Y-%m-%d}/{filename}"


class ClassBundle(SchoolOwned):
    """The printable bundle of one class for one week: one PDF, a page (or more) per pupil whose family opted out;
    the class teacher prints it and hands the sheets over (the channel «on paper»)."""

    run = models.ForeignKey(WeeklyRun, on_delete=models.CASCADE, related_name="bundles")
    school_class = models.ForeignKey("schedule.SchoolClass", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("file"), upload_to=_bundle_path, max_length=300, blank=True)
    pupils = models.PositiveSmallIntegerField(_("pupils"), default=0)
    built_at = models.DateTimeField(_("built"), null=True, blank=True)

    class Meta:
        verbose_name = _("class bundle of summary sheets")
        verbose_name_plural = _("class bundles of summary sheets")
        constraints = [models.UniqueConstraint(fields=["run", "school_class"], name="classbundle_unique")]

    def __str__(self) -> str:
        return f"{self.school_class}: {self.run}"


class WeeklyDelivery(SchoolOwned):
    """One sheet to one family by one channel (the class's paper bundle, or an email to one parent): created once per
    run, pupil, guardian and channel, and sent under a row lock, so that no second start sends it again."""

    class Channel(models.TextChoices):
        PAPER = "paper", _("on paper, in the class bundle")
        EMAIL = "email", _("by email")

    class State(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed, will be retried")
        GAVE_UP = "gave_up", _("failed")

    run = models.ForeignKey(WeeklyRun, on_delete=models.CASCADE, related_name="deliveries")
    school_class = models.ForeignKey("schedule.SchoolClass", on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("weekly sheet sent")
        verbose_name_plural = _("weekly sheets sent")
        constraints = [
            # A bundle's row has no guardian: a second constraint keeps it one per pupil too.
            models.UniqueConstraint(
                fields=["run", "pupil", "guardian", "channel"],
                condition=models.Q(guardian__isnull=False),
                name="weeklydelivery_once",
            ),
            models.UniqueConstraint(
                fields=["run", "pupil", "channel"],
                condition=models.Q(guardian__isnull=True),
                name="weeklydelivery_once_paper",
            ),
        ]
        indexes = [models.Index(fields=["run", "state"]), models.Index(fields=["school", "state"])]

    def __str__(self) -> str:
        return f"{self.pupil_id} → {self.get_channel_display()}"


# --- Reports published for the school's website, with personal data removed (R-J16; issue 12) ------------------


def _published_path(report: "PublishedReport", filename: str) -> str:
    return f"reports/{report.school_id}/published/{filename}"


class PublishedReport(SchoolOwned):
    """A report's file for the school's website (seed 003: the deputy «представляют отчетные файлы … на официальный
    сайт школы»): built once from the report of the moment, without any personal data (no pupils', parents' or
    teachers' names, logins, emails, phones or birth dates), and kept as it was published."""

    class Kind(models.TextChoices):
        FILL_RATE = "fill_rate", _("Journal control (fill rate)")
        PERFORMANCE = "performance", _("Performance of the classes")
        ATTENDANCE = "attendance", _("Attendance of the classes")
        ACTIVITY = "activity", _("User activity")
        WORKLOAD = "workload", _("Pupils' workload")
        COUNCIL = "council", _("Report on how the journal works")

    class Format(models.TextChoices):
        XLSX = "xlsx", _("spreadsheet (XLSX)")
        PDF = "pdf", _("PDF")

    kind = models.CharField(_("report"), max_length=20, choices=Kind.choices)
    fmt = models.CharField(_("format"), max_length=4, choices=Format.choices)
    title = models.CharField(_("title"), max_length=300)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    file = models.FileField(_("file"), upload_to=_published_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published"))

    class Meta:
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["school", "-published_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def content_type(self) -> str:
        if self.fmt == self.Format.PDF:
            return "application/pdf"
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
