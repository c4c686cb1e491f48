"""Permission-matrix rows of the reports built in the background: only the person who asked (here the deputy) sees
the job's page and downloads its file; everybody else of the school gets 403, another school's teacher 404."""

from django.core.files.base import ContentFile

from ejournal.clock import now
from reports.models import ReportJob

from . import Case, only


def deputy_job(w) -> dict:
    if not hasattr(w, "_jobs_job"):
        job = ReportJob.objects.create(
            school=w.school,
            kind="matrix",
            title="Заполняемость журналов",
            requested_by=w.deputy,
            created_at=now(),
            state=ReportJob.State.DONE,
            filename="report.xlsx",
            content_type="application/octet-stream",
        )
        job.file.save("report.xlsx", ContentFile(b"PK"), save=True)
        w._jobs_job = job
    return {"job_id": w._jobs_job.pk}


ASKER = only("deputy") | {"foreign_teacher": 404}

ROWS: dict[str, list[Case]] = {
    "reports:job_detail": [Case("the deputy's job", ASKER, kwargs=deputy_job)],
    "reports:job_download": [Case("the deputy's job", ASKER, kwargs=deputy_job)],
}
