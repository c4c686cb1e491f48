"""A new message emails the recipient by their own choice (R-I08): off by default, needs an address, once per
message and recipient, queued on commit with ids only, retried after a transient mail failure."""

import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from messaging import services, tasks
from messaging.models import Receipt
from tests.messaging.helpers import pupil_of, thread_between

pytestmark = pytest.mark.django_db

SETTINGS = reverse("messaging:settings")


def _choose(client, user, on: bool):
    client.force_login(user)
    return client.post(SETTINGS, {"email_each": "on"} if on else {})


def test_a_recipient_who_chose_email_gets_one_for_each_new_message_once(
    client, world, django_capture_on_commit_callbacks
):
    assert _choose(client, world.guardian, True).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        thread = thread_between(world, world.class_teacher, world.guardian, subject="Экскурсия", text="Сбор в 9:00.")
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [world.guardian.email]
    assert email.subject == "Новое сообщение: Экскурсия"
    assert "Сбор в 9:00." in email.body and world.class_teacher.get_full_name() in email.body
    # The same tasks again (a retry, a second worker): nothing is sent twice.
    message = thread.messages.get()
    assert tasks.message_emails_queue.apply(args=[[message.pk]]).get() == 0
    receipt = Receipt.objects.get(message=message)
    assert tasks.message_email_send.apply(args=[receipt.pk]).get() is False
    assert len(mail.outbox) == 1
    # The sender, who did not choose email, gets none for the answer... until they do.
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(actor=User.objects.get(pk=world.guardian.pk), thread=thread, text="Спасибо!")
    assert len(mail.outbox) == 1
    _choose(client, world.class_teacher, True)
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(actor=User.objects.get(pk=world.guardian.pk), thread=thread, text="И ещё вопрос.")
    assert [m.to for m in mail.outbox[1:]] == [[world.class_teacher.email]]


def test_nobody_gets_email_by_default(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        thread_between(world, world.class_teacher, world.guardian)
    assert mail.outbox == []


def test_a_group_message_emails_each_recipient_who_chose_it(client, world, django_capture_on_commit_callbacks):
    brother, (mother, father) = pupil_of(world, world.school_class, "brother", ("mother2", "father2"))
    _choose(client, mother, True)
    _choose(client, world.guardian, True)
    client.force_login(world.class_teacher)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("messaging:new"),
            {"to": f"g:guardians:{world.school_class.pk}", "subject": "Собрание", "text": "В четверг."},
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mother.email, world.guardian.email])


def test_email_needs_an_address(client, world):
    User.objects.filter(pk=world.guardian.pk).update(email="")
    response = _choose(client, world.guardian, True)
    assert response.status_code == 422
    assert "нет адреса электронной почты" in response.content.decode()
    assert services.messaging_choice(school=world.school, user=world.guardian).email_each is False


def test_a_failed_send_is_retried_and_sent_once(client, world, django_capture_on_commit_callbacks):
    _choose(client, world.guardian, True)
    thread = thread_between(world, world.class_teacher, world.guardian)  # its emails are not run here
    receipt = Receipt.objects.get(message__thread=thread)
    real = mail.send_mail
    calls = []

    def flaky(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("gone")
        return real(*args, **kwargs)

    # The worker's retry (with back-off there; at once in eager mode when failures are not propagated).
    with mock.patch("messaging.emails.send_mail", flaky):
        assert tasks.message_email_send.apply(args=[receipt.pk], throw=False).get() is True
    assert len(calls) == 2
    assert len(mail.outbox) == 1
    receipt.refresh_from_db()
    assert receipt.emailed_at is not None


def test_a_message_read_before_its_email_went_is_not_emailed(client, world):
    _choose(client, world.guardian, True)
    thread = thread_between(world, world.class_teacher, world.guardian)
    client.force_login(world.guardian)
    client.get(reverse("messaging:thread", args=[thread.pk]))
    assert tasks.message_emails_queue.apply(args=[[thread.messages.get().pk]]).get() == 0
    assert mail.outbox == []
