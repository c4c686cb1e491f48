"""Celery task of the audit app (backups): the nightly backup (CELERY_BEAT_SCHEDULE), R-K02 and R-K03."""

import logging

from celery import shared_task
from django.conf import settings

logger = logging.getLogger(__name__)


@shared_task
def backup_nightly() -> str | None:
    """A backup into BACKUP_DIR and, when BACKUP_MIRROR_DIR is set (the second medium of seed 003), a verified copy
    there; each keeps its newest BACKUP_KEEP. Does nothing but log while BACKUP_DIR is unset. Safe to run twice (one
    more backup, pruned the same way); not retried: a failed night leaves the error in the worker's log."""
    from .backup import backup, backup_copy, backups_prune

    if not settings.BACKUP_DIR:
        logger.info("backup_nightly: BACKUP_DIR is not set, no backup made")
        return None
    done = backup(settings.BACKUP_DIR)
    backups_prune(settings.BACKUP_DIR, keep=settings.BACKUP_KEEP)
    if settings.BACKUP_MIRROR_DIR:
        backup_copy(done.path, settings.BACKUP_MIRROR_DIR)
        backups_prune(settings.BACKUP_MIRROR_DIR, keep=settings.BACKUP_KEEP)
    return str(done.path)
