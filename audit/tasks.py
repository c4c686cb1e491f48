"""Celery finds `audit.tasks`: each part of the audit app keeps its tasks in its own module."""

# views_changes registers the change log's export builder (reports.jobs).
from . import tasks_log, views_changes  # noqa: F401 - register on import
