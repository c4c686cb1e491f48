"""Celery tasks of the families' notifications (R-I07): emails of marks and SMS of marks and absences. Ids only;
each is safe to run twice (the services create a notice or an SMS once and send it once). Email sending retries
with Celery's back-off on transient mail and network errors; an SMS keeps its attempts and its next time on its row
(diary/sms_notices.py), and the beat's `sms_send_due` sends what is due."""

import smtplib

from celery import shared_task

from ejournal.celery import queue_each

TRANSIENT = (ConnectionError, TimeoutError, smtplib.SMTPException)


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def mark_notices_create(history_id: int) -> int:
    """The notices of one change of a mark (one row of its history), then the emails of those who want each mark."""
    from .notices import mark_notices_create as create

    due = create(history_id=history_id)
    queue_each(notice_send, [(notice_id,) for notice_id in due])
    return len(due)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def notice_send(notice_id: int) -> bool:
    from .notices import notice_send as send

    return send(notice_id=notice_id)


@shared_task
def mark_digests_send() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): the daily digests of the schools whose digest hour it is now."""
    from .notices import digests_due

    due = digests_due()
    queue_each(mark_digest_send, due)
    return len(due)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def mark_digest_send(school_id: int, guardian_id: int) -> int:
    from .notices import digest_send

    return digest_send(school_id=school_id, guardian_id=guardian_id)


# --- SMS ----------------------------------------------------------------------------------------------------------


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def mark_sms_create(history_id: int) -> int:
    """The SMS of one change of a mark, then the sending of those due now (the others wait for the beat)."""
    from .sms_notices import mark_sms_create as create

    due = create(history_id=history_id)
    queue_each(sms_send, [(sms_id,) for sms_id in due])
    return len(due)


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def absence_sms_create(history_ids: list[int]) -> int:
    """The SMS of one write of absences (its history rows), then the sending of those due now."""
    from .sms_notices import absence_sms_create as create

    due = create(history_ids=history_ids)
    queue_each(sms_send, [(sms_id,) for sms_id in due])
    return len(due)


@shared_task
def sms_send(sms_id: int) -> bool:
    """No Celery retry: a failed attempt is recorded on the row with its next time, which the beat honours."""
    from .sms_notices import sms_send as send

    return send(sms_id=sms_id)


@shared_task
def sms_send_due() -> int:
    """Every few minutes (CELERY_BEAT_SCHEDULE): the SMS whose quiet hours or back-off have passed."""
    from .sms_notices import sms_due

    due = sms_due()
    queue_each(sms_send, [(sms_id,) for sms_id in due])
    return len(due)
