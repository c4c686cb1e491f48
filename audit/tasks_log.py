"""Celery tasks of the audit app (log)."""

from celery import shared_task


@shared_task
def audit_log_purge() -> int:
    """Nightly (CELERY_BEAT_SCHEDULE): deletes the entries older than each school's retention; safe to run twice."""
    from .log import audit_purge

    return audit_purge()
