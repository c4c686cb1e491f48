"""Celery tasks of the reports. Ids only in arguments; each re-authorises and is safe to run twice."""

from celery import shared_task


@shared_task(acks_late=True)
def report_job_run(job_id: int) -> str:
    """Build one report in the background (reports/jobs.py); returns the job's state."""
    from . import builders  # noqa: F401 - the reports register their builders on import
    from .jobs import job_run

    job = job_run(job_id)
    return job.state if job is not None else "missing"
