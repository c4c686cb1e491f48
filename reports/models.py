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
