"""The diary's own data (DESIGN §3): class and school news, the events calendar, the families' notification
choices and the notices sent, and the days each person opened the diary (seed 003: the class teacher calls the
parents who have not looked for two weeks)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ejournal.models import SchoolOwned


class News(SchoolOwned):
    """A piece of news: the class's (kept by its class teacher, R-I09) or, without a class, the school's."""

    school_class = models.ForeignKey(
        "schedule.SchoolClass",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="news",
        verbose_name=_("class"),
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=5000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published"))
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("news")
        verbose_name_plural = _("news")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["school", "school_class", "-published_at"])]

    def __str__(self) -> str:
        return self.title


class Event(SchoolOwned):
    """An entry of the events calendar (R-I10): the class's or, without a class, the school's."""

    school_class = models.ForeignKey(
        "schedule.SchoolClass",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("class"),
    )
    date = models.DateField(_("date"))
    start = models.TimeField(_("starts"), null=True, blank=True)
    end = models.TimeField(_("ends"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["date", "start", "pk"]
        indexes = [models.Index(fields=["school", "date"])]

    def __str__(self) -> str:
        return self.title


class NotificationSettings(SchoolOwned):
    """What a parent wants to hear about their children's marks (R-I07): an email per mark, a daily digest, or
    nothing (the default: no mail nobody asked for)."""

    class Marks(models.TextChoices):
        EACH = "each", _("an email for each mark")
        DIGEST = "digest", _("a daily digest")
        NONE = "none", _("no emails")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    marks = models.CharField(_("marks by email"), max_length=8, choices=Marks.choices, default=Marks.NONE)
    # SMS to the account's phone (R-I07, seed 004 §4.1 п.4): off unless the parent asks, as every SMS costs the school.
    sms_marks = models.BooleanField(_("SMS of new marks"), default=False)
    sms_absences = models.BooleanField(_("SMS of absences and lateness"), default=False)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")
        constraints = [models.UniqueConstraint(fields=["school", "user"], name="notificationsettings_unique")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_marks_display()}"


class MarkNotice(SchoolOwned):
    """One parent's notice of one change of a mark (one row of the mark's history): created once, sent once. The
    unique key is what makes a re-run task, or a second worker, send nothing twice."""

    class Kind(models.TextChoices):
        NEW = "new", _("new mark")
        CHANGED = "changed", _("mark changed")
        DELETED = "deleted", _("mark removed")

    guardian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mark_history_id = models.BigIntegerField(_("mark's history row"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    value = models.CharField(_("mark"), max_length=8, blank=True)
    old_value = models.CharField(_("previous mark"), max_length=8, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    work_type = models.CharField(_("work type"), max_length=100, blank=True)
    lesson_date = models.DateField(_("lesson date"))
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    # Collected into the evening's digest rather than sent at once.
    digest = models.BooleanField(_("in the digest"), default=False)
    created_at = models.DateTimeField(_("created"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("mark notice")
        verbose_name_plural = _("mark notices")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["guardian", "mark_history_id"], name="marknotice_once_per_change")
        ]
        indexes = [
            models.Index(
                fields=["school", "digest", "guardian"], name="marknotice_unsent", condition=models.Q(sent_at=None)
            )
        ]

    def __str__(self) -> str:
        return f"{self.guardian}: {self.subject} {self.value}"


class SmsNotice(SchoolOwned):
    """One SMS to one parent about one event (R-I07): a mark's or an absence's history row, or a notice of several
    days of absence. The unique (parent, kind, event) is what makes a re-run task, a second worker or a repeated
    signal send nothing twice; the row stays after sending for that reason. Sent at `send_after` at the earliest:
    the end of the school's quiet hours, or the back-off after a failed attempt."""

    class Kind(models.TextChoices):
        MARK = "mark", _("mark")
        ABSENCE = "absence", _("absence")
        ABSENCE_NOTICE = "notice", _("absence of several days")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        # The parent turned the SMS off, lost the phone number or opted out of the diary before it went.
        CANCELLED = "cancelled", _("cancelled")

    guardian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    # The mark's or the absence's history row, or the absence notice (by kind). An id, not a key: the rows are the
    # gradebook's and attendance's, and the SMS outlives them.
    event_id = models.BigIntegerField(_("event"))
    event_at = models.DateTimeField(_("happened"))
    phone = models.CharField(_("phone"), max_length=32)
    text = models.CharField(_("text"), max_length=300)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    send_after = models.DateTimeField(_("send at"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The gateway's id of the message, to find it in the provider's own reports.
    provider_id = models.CharField(_("gateway's message id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("SMS")
        verbose_name_plural = _("SMS")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["guardian", "kind", "event_id"], name="smsnotice_once_per_event"),
        ]
        indexes = [
            models.Index(fields=["send_after"], name="smsnotice_due", condition=models.Q(status="pending")),
            models.Index(fields=["school", "status", "-created_at"], name="smsnotice_school_status"),
        ]

    def __str__(self) -> str:
        return f"{self.phone}: {self.text}"


class DiaryVisit(SchoolOwned):
    """A day on which a pupil or a parent opened the diary: one row per person and day (seed 003, R-I12; the
    control reports count them too)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("diary visit")
        verbose_name_plural = _("diary visits")
        constraints = [models.UniqueConstraint(fields=["school", "user", "day"], name="diaryvisit_once_a_day")]
        indexes = [models.Index(fields=["school", "day"])]

    def __str__(self) -> str:
        return f"{self.user} {self.day}"
