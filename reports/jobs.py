"""Reports and exports built in the background (issue 9, item 8): a page that would take longer than a second starts a
`ReportJob`, a Celery task builds the file and counts its steps on the row, and the job's page shows a progress bar
until the download link appears (pretix's AsyncAction and CachedFile).

A report registers a builder by kind:

    @job_builder("fill_rate_xlsx")
    def build(job: ReportJob, progress: Callable[[int, int], None]) -> Built:
        ...

The builder re-authorises `job.requested_by` itself (the task runs later, perhaps after a role was taken away) by
raising `JobRefused`, reads its parameters from `job.params` (ids and dates only), calls `progress(done, total)` as
it goes and returns the file. The task stores it and records the export in the audit log.
"""

import datetime
import os
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import School, User
from audit.log import record
from ejournal.clock import now

from .models import ReportJob


@dataclass
class Built:
    content: bytes
    filename: str  # with its extension
    content_type: str
    # A file too big to hold in memory (a year's archive): its path on the disk, `content` empty; the task copies it
    # into the job's storage and deletes it.
    path: str | None = None


class JobRefused(Exception):
    """The person who asked may no longer build this report; `message` is shown on the job's page (Russian)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


Builder = Callable[[ReportJob, Callable[[int, int], None]], Built]
BUILDERS: dict[str, Builder] = {}


def job_builder(kind: str):
    def register(fn: Builder) -> Builder:
        if kind in BUILDERS:
            raise ValueError(f"two builders for {kind}")
        BUILDERS[kind] = fn
        return fn

    return register


@transaction.atomic
def job_start(*, actor: User, school: School, kind: str, title: str, params: dict) -> ReportJob:
    """Queue a report; the task starts once the row is committed. `params` holds ids, dates and choices only."""
    if kind not in BUILDERS:
        raise ValueError(f"no builder for {kind}")
    job = ReportJob.objects.create(
        school=school, kind=kind, params=params, title=title[:300], requested_by=actor, created_at=now()
    )
    from .tasks import report_job_run

    transaction.on_commit(lambda: report_job_run.delay(job.pk), robust=True)
    return job


def job_run(job_id: int) -> ReportJob | None:
    """The task's body: build the file once (a job that is done or failed is left alone), keep its progress."""
    job = ReportJob.objects.select_related("school", "requested_by").filter(pk=job_id).first()
    if job is None or job.state in (ReportJob.State.DONE, ReportJob.State.FAILED):
        return job
    ReportJob.objects.filter(pk=job.pk).update(state=ReportJob.State.RUNNING)
    last = {"at": datetime.datetime.min.replace(tzinfo=datetime.UTC)}

    def progress(done: int, total: int) -> None:
        # At most a write every half second: a report of a thousand steps does not become a thousand updates.
        moment = now()
        if done < total and (moment - last["at"]).total_seconds() < 0.5:
            return
        last["at"] = moment
        ReportJob.objects.filter(pk=job.pk).update(done_steps=done, total_steps=total)

    try:
        built = BUILDERS[job.kind](job, progress)
    except JobRefused as refused:
        _finish_failed(job, refused.message)
        return job
    except Exception:
        _finish_failed(job, _("The report could not be built. Try again later or tell the administrator."))
        raise
    with transaction.atomic():
        size = _store(job, built)
        job.filename = built.filename
        job.content_type = built.content_type
        job.state = ReportJob.State.DONE
        job.finished_at = now()
        job.save(update_fields=["file", "filename", "content_type", "state", "finished_at"])
        record(
            actor=job.requested_by,
            school=job.school,
            action="reports.export.built",
            obj=job,
            data={"kind": job.kind, "params": job.params, "bytes": size},
        )
    return job


def _store(job: ReportJob, built: Built) -> int:
    """The built file into the job's storage; a file on the disk is copied in chunks, then deleted."""
    if built.path is None:
        job.file.save(built.filename, ContentFile(built.content), save=False)
        return len(built.content)
    try:
        with open(built.path, "rb") as stream:
            job.file.save(built.filename, File(stream), save=False)
        return os.path.getsize(built.path)
    finally:
        os.unlink(built.path)


def _finish_failed(job: ReportJob, message: str) -> None:
    job.state = ReportJob.State.FAILED
    job.error = message[:500]
    job.finished_at = now()
    job.save(update_fields=["state", "error", "finished_at"])
