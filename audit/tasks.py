"""Celery finds `audit.tasks`: each part of the audit app keeps its tasks in its own module."""

# views_changes and tasks_archive register the change log's export and the year archive (reports.jobs).
from . import tasks_archive, tasks_backup, tasks_log, views_changes  # noqa: F401 - register on import
