"""Internal mail (R-I08): every write goes through these functions.

`message_send` starts a thread with one person, `group_send` one thread per family of a group, `reply` answers in a
thread, `thread_read` records that a participant read it (the sender's read receipts), `messaging_settings_set` is
a person's choice of emails. Who may write to whom is asked of messaging/rules.py's functions, the same ones the
pages ask. A new message's emails are queued on commit (messaging/tasks.py), ids only.
"""

import os
import uuid
from functools import partial

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import access
from accounts.models import School, User
from audit.log import record
from ejournal.clock import now, today
from ejournal.uploads import KIND_REFUSED, content_matches, upload_max_mb
from schedule.services.homework import ALLOWED_EXTENSIONS

from .errors import MessagingError
from .models import Attachment, Message, MessagingSettings, Participant, Receipt, Thread
from .rules import may_write
from .selectors import Audience, audience_families, may_write_to_audience

__all__ = [
    "MAX_FILES",
    "MessagingError",
    "group_send",
    "message_send",
    "messaging_settings_set",
    "reply",
    "thread_read",
    "upload_problem",
]

MAX_FILES = 5
SUBJECT_MAX = Thread._meta.get_field("subject").max_length
TEXT_MAX = Message._meta.get_field("text").max_length
NAME_MAX = Attachment._meta.get_field("name").max_length


# --- Checks -----------------------------------------------------------------------------------------------------


def upload_problem(upload) -> str | None:
    """What is wrong with a file, in the user's words, or None: the kinds homework accepts, by name and by content
    (a program renamed to .pdf is refused), and not larger than the deployment's limit."""
    extension = os.path.splitext(os.path.basename(upload.name or ""))[1].lower()
    if extension not in ALLOWED_EXTENSIONS:
        return str(KIND_REFUSED)
    if upload.size > settings.UPLOAD_MAX_BYTES:
        return _("The file «%(name)s» is larger than %(size)s MB.") % {"name": upload.name, "size": upload_max_mb()}
    if not content_matches(upload, extension):
        return _("The file's content is not what its name says (%(ext)s). Save it again in that format.") % {
            "ext": extension
        }
    return None


def _check_uploads(uploads) -> list:
    uploads = list(uploads or [])
    if len(uploads) > MAX_FILES:
        raise MessagingError(_("A message has at most %(count)s files.") % {"count": MAX_FILES})
    for upload in uploads:
        problem = upload_problem(upload)
        if problem:
            raise MessagingError(problem)
    return uploads


def _clean_text(text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        raise MessagingError(_("Write the message."))
    if len(text) > TEXT_MAX:
        raise MessagingError(_("The message is longer than %(limit)s characters.") % {"limit": TEXT_MAX})
    return text


def _clean_subject(subject: str | None) -> str:
    subject = " ".join((subject or "").split())
    if not subject:
        raise MessagingError(_("Give the message a subject."))
    if len(subject) > SUBJECT_MAX:
        raise MessagingError(_("The subject is longer than %(limit)s characters.") % {"limit": SUBJECT_MAX})
    return subject


def _check_member(actor: User, school_id: int) -> None:
    if not access(actor).roles_in(school_id):
        raise MessagingError(_("You are not a member of this school."))


# --- Writing ------------------------------------------------------------------------------------------------------


def _store(school_id: int, uploads: list, at) -> list[tuple[str, int, str]]:
    """(the user's name, size, the stored path) of each file, stored once under a name of ours."""
    stored = []
    for upload in uploads:
        name = os.path.basename(upload.name or "")[:NAME_MAX]
        extension = os.path.splitext(name)[1].lower()
        upload.seek(0)
        path = default_storage.save(f"messages/{school_id}/{at:%Y-%m}/{uuid.uuid4().hex}{extension}", upload)
        stored.append((name, upload.size, path))
    return stored


def _queue_emails(message_ids: list[int]) -> None:
    from .tasks import message_emails_queue

    # robust: a failing queue never turns a sent message into an error; a rolled-back one emails nobody.
    transaction.on_commit(partial(message_emails_queue.delay, message_ids), robust=True)


def _post(*, thread: Thread, author: User, text: str, files: list, at, recipients: list[int]) -> Message:
    message = Message.objects.create(school_id=thread.school_id, thread=thread, author=author, text=text, created_at=at)
    Attachment.objects.bulk_create(
        [
            Attachment(school_id=thread.school_id, message=message, file=path, name=name, size=size, uploaded_at=at)
            for name, size, path in files
        ]
    )
    Receipt.objects.bulk_create(
        [Receipt(school_id=thread.school_id, message=message, user_id=user_id) for user_id in recipients]
    )
    Thread.objects.filter(pk=thread.pk).update(last_message_at=at)
    thread.last_message_at = at
    # Whoever writes has read what came before.
    Receipt.objects.filter(message__thread=thread, user=author, read_at__isnull=True).update(read_at=at)
    return message


def _start(
    *,
    actor: User,
    school: School,
    subject: str,
    text: str,
    files: list,
    at,
    recipients: list[int],
    group_label: str = "",
    pupil_id: int | None = None,
) -> tuple[Thread, Message]:
    thread = Thread.objects.create(
        school=school,
        subject=subject,
        created_by=actor,
        created_at=at,
        last_message_at=at,
        group_label=group_label[:200],
        pupil_id=pupil_id,
    )
    Participant.objects.bulk_create(
        [
            Participant(school=school, thread=thread, user_id=user_id)
            for user_id in dict.fromkeys([actor.pk, *recipients])
        ]
    )
    message = _post(thread=thread, author=actor, text=text, files=files, at=at, recipients=recipients)
    return thread, message


@transaction.atomic
def message_send(*, actor: User, school: School, recipient: User, subject: str, text: str, uploads=()) -> Thread:
    """A new thread with one person, if the rules let the actor write to them (R-I08)."""
    _check_member(actor, school.pk)
    if not may_write(actor, recipient, school.pk):
        raise MessagingError(_("You cannot write to %(name)s.") % {"name": recipient.get_full_name() or recipient})
    subject, text = _clean_subject(subject), _clean_text(text)
    uploads = _check_uploads(uploads)
    at = now()
    thread, message = _start(
        actor=actor,
        school=school,
        subject=subject,
        text=text,
        files=_store(school.pk, uploads, at),
        at=at,
        recipients=[recipient.pk],
    )
    _queue_emails([message.pk])
    return thread


@transaction.atomic
def group_send(*, actor: User, school: School, audience: Audience, subject: str, text: str, uploads=()) -> list[Thread]:
    """A message to a group, delivered as one thread per family (a pupil's parents share theirs), per pupil or per
    colleague, so that each answer stays between the sender and that family (R-I08)."""
    _check_member(actor, school.pk)
    school_class = audience.school_class
    if school_class is not None and school_class.year.is_archived:
        raise MessagingError(
            _("The year %(year)s is closed: write to this year's classes.") % {"year": school_class.year}
        )
    if not may_write_to_audience(actor, audience, school.pk):
        raise MessagingError(_("You cannot write to «%(group)s».") % {"group": audience.label})
    subject, text = _clean_subject(subject), _clean_text(text)
    uploads = _check_uploads(uploads)
    families = []
    for family in audience_families(audience, school=school, day=today(school.timezone)):
        others = [pk for pk in family.user_ids if pk != actor.pk]
        if others:
            families.append((others, family.pupil_id))
    if not families:
        raise MessagingError(_("Nobody in «%(group)s» can receive messages yet.") % {"group": audience.label})
    at = now()
    files = _store(school.pk, uploads, at)
    threads, message_ids = [], []
    for recipients, pupil_id in families:
        thread, message = _start(
            actor=actor,
            school=school,
            subject=subject,
            text=text,
            files=files,
            at=at,
            recipients=recipients,
            group_label=audience.label,
            pupil_id=pupil_id,
        )
        threads.append(thread)
        message_ids.append(message.pk)
    record(
        actor=actor,
        school=school,
        action="messaging.group.sent",
        data={
            "group": audience.token,
            "label": audience.label,
            "subject": subject,
            "threads": len(threads),
            "people": sum(len(recipients) for recipients, _pupil in families),
            "files": len(files),
        },
    )
    _queue_emails(message_ids)
    return threads


@transaction.atomic
def reply(*, actor: User, thread: Thread, text: str, uploads=()) -> Message:
    """An answer in a thread: its participants only; it reaches the thread's other participants."""
    _check_member(actor, thread.school_id)
    participants = list(Participant.objects.filter(thread=thread).order_by("pk").values_list("user_id", flat=True))
    if actor.pk not in participants:
        raise MessagingError(_("You do not take part in this conversation."))
    text = _clean_text(text)
    uploads = _check_uploads(uploads)
    at = now()
    message = _post(
        thread=thread,
        author=actor,
        text=text,
        files=_store(thread.school_id, uploads, at),
        at=at,
        recipients=[pk for pk in participants if pk != actor.pk],
    )
    _queue_emails([message.pk])
    return message


@transaction.atomic
def thread_read(*, actor: User, thread: Thread) -> int:
    """The participant opened the thread: its messages to them are read now (the senders see when). Returns how
    many were unread."""
    return Receipt.objects.filter(
        school_id=thread.school_id, message__thread=thread, user=actor, read_at__isnull=True
    ).update(read_at=now())


# --- A person's choice ------------------------------------------------------------------------------------------


def messaging_choice(*, school: School, user: User) -> MessagingSettings:
    """The person's choice in this school; without a row, the default (no mail)."""
    return MessagingSettings.objects.for_school(school).filter(user=user).first() or MessagingSettings(
        school=school, user=user
    )


@transaction.atomic
def messaging_settings_set(*, actor: User, school: School, email_each: bool) -> MessagingSettings:
    """An email for each new message, or none (the default). Mail needs an address to go to."""
    _check_member(actor, school.pk)
    if email_each and not actor.email:
        raise MessagingError(
            _(
                "Your account has no email address, so messages cannot be sent by email. Ask the class teacher or "
                "the school's administrator to add your address."
            )
        )
    row, _created = MessagingSettings.objects.update_or_create(
        school=school, user=actor, defaults={"email_each": email_each}
    )
    record(actor=actor, school=school, action="messaging.settings.changed", obj=actor, data={"email_each": email_each})
    return row
