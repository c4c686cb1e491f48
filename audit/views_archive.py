"""The year archive's pages (issue 10 item 3; R-K04, R-K05): the school's years with the state of their archives,
the button that builds a closed year's archive in the background (its progress on the report job's page), and the
download of the newest archive of a year, recorded in the audit log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import school_member_required, school_permission_required
from schedule.models import AcademicYear

from . import tasks_archive  # noqa: F401 - registers the archive's job builder for job_start
from .archive import KIND, ArchiveError, archive_of, archive_start, year_archives
from .log import record


def _year(request, year_id: int, perm: str) -> AcademicYear:
    year = get_object_or_404(AcademicYear.objects.for_school(request.school).select_related("school"), pk=year_id)
    if not request.user.has_perm(perm, year):
        raise PermissionDenied
    return year


@require_GET
@school_permission_required("audit.view_archive")
def archive_list(request):
    context = {
        "rows": year_archives(school=request.school),
        "can_build": request.user.has_perm("audit.build_archive"),
        "can_download": request.user.has_perm("audit.download_archive"),
    }
    return render(request, "audit/archive/list.html", context)


@require_POST
@school_member_required
def archive_build(request, year_id: int):
    year = _year(request, year_id, "audit.build_archive")
    try:
        job = archive_start(actor=request.user, year=year)
    except ArchiveError as refused:
        messages.error(request, refused.message)
        return redirect("audit:archive")
    return redirect("reports:job_detail", job_id=job.pk)


@require_GET
@school_member_required
def archive_download(request, year_id: int):
    year = _year(request, year_id, "audit.download_archive")
    job = archive_of(year=year)
    if job is None or not job.file:
        raise Http404
    # The download is the export of the whole school's personal data for a year: one entry names who took it.
    record(
        actor=request.user,
        school=request.school,
        action="reports.export.downloaded",
        obj=job,
        data={"kind": KIND, "year": year.name, "file": job.filename},
    )
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=job.content_type)
