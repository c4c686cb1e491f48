"""Celery tasks of new messages' emails (R-I08). Ids only; each is safe to run twice (a receipt is emailed once);
sending retries with back-off on transient mail and network errors."""

import logging
import smtplib

from celery import shared_task

logger = logging.getLogger(__name__)

TRANSIENT = (ConnectionError, TimeoutError, smtplib.SMTPException)


def _queue_each(task, calls: list[tuple]) -> None:
    """One task per recipient, so that one failing address neither stops nor repeats the others'. In eager mode
    (the demo) a failure that outlived its retries is logged here."""
    for args in calls:
        try:
            task.delay(*args)
        except Exception:
            if not task.app.conf.task_always_eager:
                raise
            logger.exception("%s%r failed", task.name, args)


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def message_emails_queue(message_ids: list[int]) -> int:
    """The emails of new messages (one, or every thread's of a group message), each to its own task."""
    from .emails import due_receipts

    due = due_receipts(message_ids)
    _queue_each(message_email_send, [(receipt_id,) for receipt_id in due])
    return len(due)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def message_email_send(receipt_id: int) -> bool:
    from .emails import email_send

    return email_send(receipt_id=receipt_id)
