"""The page of a report being built: a progress bar polled by htmx, then the download link (pretix's AsyncAction)."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accounts.decorators import school_member_required
from audit.log import record

from .models import ReportJob


def _job(request, job_id: int) -> ReportJob:
    job = get_object_or_404(ReportJob.objects.for_school(request.school), pk=job_id)
    if not request.user.has_perm("reports.view_job", job):
        raise PermissionDenied
    return job


@require_GET
@school_member_required
def job_detail(request, job_id: int):
    job = _job(request, job_id)
    template = "reports/jobs/_progress.html" if request.htmx else "reports/jobs/detail.html"
    return render(request, template, {"job": job})


@require_GET
@school_member_required
def job_download(request, job_id: int):
    job = _job(request, job_id)
    if job.state != ReportJob.State.DONE or not job.file:
        raise Http404
    record(
        actor=request.user,
        school=request.school,
        action="reports.export.downloaded",
        obj=job,
        data={"kind": job.kind, "file": job.filename},
    )
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=job.content_type)
