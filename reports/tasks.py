"""Celery tasks of the reports. Ids only in arguments; each re-authorises and is safe to run twice."""

from celery import shared_task


@shared_task(acks_late=True)
def report_job_run(job_id: int) -> str:
    """Build one report in the background (reports/jobs.py); returns the job's state."""
    from . import builders  # noqa: F401 - the reports register their builders on import
    from .jobs import job_run

    job = job_run(job_id)
    return job.state if job is not None else "missing"


# --- The weekly summary sheets for families who opted out (reports/weekly.py; R-I04, DESIGN §6.3) ---------------


@shared_task
def weekly_sheets_due() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): starts the previous week's run of each school where it is Monday at or after
    its weekly hour (school time); a week already started is left to its own tasks."""
    from .weekly import weekly_run_start, weeks_due

    due = weeks_due()
    for school, week_start in due:
        weekly_run_start(school=school, week_start=week_start)
    return len(due)


@shared_task(acks_late=True)
def weekly_class_build(run_id: int, class_id: int) -> dict:
    """One class of a run: its bundle once, then its unsent emails, each exactly once."""
    from .weekly import weekly_class_build as build

    return build(run_id=run_id, class_id=class_id)


@shared_task(acks_late=True)
def weekly_delivery_retry(delivery_id: int) -> str:
    """One more attempt at one failed email (queued with exponential back-off by reports/weekly.py)."""
    from .weekly import delivery_retry

    return delivery_retry(delivery_id=delivery_id)
