"""Emails of new messages (R-I08): to those who chose them (messaging settings), each at most once per message and
recipient. `due_receipts` lists whom a set of new messages should be emailed to; `email_send` sends one, locking its
receipt and marking it emailed in the transaction that sends, so a re-run task or a second worker sends nothing
twice. Both run in Celery tasks (messaging/tasks.py), which take ids only."""

import re

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Membership
from ejournal import clock

from .models import MessagingSettings, Participant, Receipt


def _wanted():
    """The receipt's person wants mail in the receipt's school, is still of it, and can get it."""
    choice = MessagingSettings.objects.filter(
        school_id=OuterRef("school_id"), user_id=OuterRef("user_id"), email_each=True
    )
    member = Membership.objects.filter(school_id=OuterRef("school_id"), user_id=OuterRef("user_id"))
    return Exists(choice) & Exists(member)


def due_receipts(message_ids: list[int]) -> list[int]:
    """The receipts of these messages whose recipients want an email and have not had it (nor read the message)."""
    return list(
        Receipt.objects.filter(
            message_id__in=message_ids, emailed_at__isnull=True, read_at__isnull=True, user__is_active=True
        )
        .exclude(user__email="")
        .filter(_wanted())
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _link(name: str, **kwargs) -> str:
    """An absolute link into the portal when the deployment says where it is (PORTAL_URL); else none."""
    base = settings.PORTAL_URL.rstrip("/")
    return f"{base}{reverse(name, kwargs=kwargs or None)}" if base else ""


@transaction.atomic
def email_send(*, receipt_id: int) -> bool:
    """One email of one message to one recipient; False when nothing is (or is any longer) due."""
    receipt = (
        Receipt.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk=receipt_id, emailed_at__isnull=True, read_at__isnull=True)
        .filter(_wanted())
        .select_related("user", "school", "message__author", "message__thread")
        .first()
    )
    if receipt is None:
        return False
    user, message = receipt.user, receipt.message
    # Asked again in the worker: the person may have lost their address, their account or the thread since.
    if not user.is_active or not user.email:
        return False
    if not Participant.objects.filter(thread_id=message.thread_id, user_id=user.pk).exists():
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("New message: %(subject)s") % {"subject": message.thread.subject}
        body = render_to_string(
            "messaging/email.txt",
            {
                "name": user.get_full_name() or user.username,
                "author": message.author.get_full_name() or message.author.username,
                "message": message,
                "thread": message.thread,
                "school": receipt.school,
                "thread_url": _link("messaging:thread", thread_id=message.thread_id),
                "settings_url": _link("messaging:settings"),
            },
        )
    body = re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"
    receipt.emailed_at = clock.now()
    receipt.save(update_fields=["emailed_at"])
    send_mail(subject, body, None, [user.email])
    return True
