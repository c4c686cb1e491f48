"""Internal mail (R-I08): threads between people of one school, their messages, files and read receipts.

A thread is private to its participants. A message sent to a group («all parents of 5А») is one thread per
family, so that a family's answer reaches the sender only. Every recipient of a message has a receipt: when they
read it (the sender sees it) and whether it was emailed (once). The unread counter of the navigation counts the
user's unread receipts, one indexed query.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ejournal.models import SchoolOwned


class Thread(SchoolOwned):
    subject = models.CharField(_("subject"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("started"))
    # The inbox's order: bumped by every message.
    last_message_at = models.DateTimeField(_("last message"))
    # A thread of a group message: whom the group was («Родители 5А»), and the family's child it went to.
    group_label = models.CharField(_("sent to the group"), max_length=200, blank=True)
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("message thread")
        verbose_name_plural = _("message threads")
        ordering = ["-last_message_at", "-pk"]

    def __str__(self) -> str:
        return self.subject


class Participant(SchoolOwned):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="messaging_participant_unique")]
        indexes = [models.Index(fields=["school", "user"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.thread}"


class Message(SchoolOwned):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"), max_length=5000)
    created_at = models.DateTimeField(_("sent"))

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "created_at"])]

    def __str__(self) -> str:
        return self.text[:60]


class Attachment(SchoolOwned):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    # Stored by the service under messages/<school>/<month>/<a name of ours>; one stored file may back the
    # attachments of every thread of a group message.
    file = models.FileField(_("file"), upload_to="messages/", max_length=300)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Receipt(SchoolOwned):
    """One recipient of one message: read when, emailed when (each at most once)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="messaging_receipt_unique")]
        indexes = [
            # The navigation's counter: a person's unread receipts in a school.
            models.Index(fields=["school", "user"], condition=Q(read_at__isnull=True), name="messaging_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.message_id}"


class MessagingSettings(SchoolOwned):
    """A person's own choice: an email for each new message (default: none, no mail nobody asked for)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email_each = models.BooleanField(_("email me each new message"), default=False)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("message settings")
        verbose_name_plural = _("message settings")
        constraints = [models.UniqueConstraint(fields=["school", "user"], name="messagingsettings_unique")]

    def __str__(self) -> str:
        return str(self.user)
