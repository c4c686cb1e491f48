"""Celery tasks of new messages' emails (R-I08). Ids only; each is safe to run twice (a receipt is emailed once);
sending retries with back-off on transient mail and network errors."""

import smtplib

from celery import shared_task

from ejournal.celery import queue_each

TRANSIENT = (ConnectionError, TimeoutError, smtplib.SMTPException)


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def message_emails_queue(message_ids: list[int]) -> int:
    """The emails of new messages (one, or every thread's of a group message), each to its own task."""
    from .emails import due_receipts

    due = due_receipts(message_ids)
    queue_each(message_email_send, [(receipt_id,) for receipt_id in due])
    return len(due)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def message_email_send(receipt_id: int) -> bool:
    from .emails import email_send

    return email_send(receipt_id=receipt_id)
