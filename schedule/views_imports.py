"""Import of staff, pupils and parents from a file, with a preview of every row before anything is written; and
the export of the same lists in the same format (R-B08, R-B09)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import school_member_required, school_permission_required
from accounts.models import ImportJob, Membership, Role
from accounts.services import AccountsError
from ejournal.clock import today

from . import exports, imports
from .forms_imports import ImportUploadForm
from .models import Enrollment, SchoolClass
from .selectors import current_year
from .services import ScheduleError

RECENT_JOBS = 20


def _jobs(request):
    return ImportJob.objects.for_school(request.school).select_related("created_by").defer("content")


@require_http_methods(["GET", "POST"])
@school_permission_required("accounts.import_people")
def import_upload(request):
    """The upload form and the school's past imports."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job, report = imports.import_upload(
                actor=request.user,
                school=request.school,
                kind=form.cleaned_data["kind"],
                filename=form.cleaned_data["file"].name,
                content=form.content,
            )
        except AccountsError as e:
            form.add_error(None, e.message)
        else:
            if report.errors:
                n = len(report.errors)
                messages.error(
                    request,
                    ngettext(
                        "The file has %(n)s error: correct it and upload the file again.",
                        "The file has %(n)s errors: correct them and upload the file again.",
                        n,
                    )
                    % {"n": n},
                )
            return redirect("schedule:import_preview", job_id=job.pk)
    return render(
        request,
        "schedule/imports/upload.html",
        {
            "form": form,
            "jobs": _jobs(request)[:RECENT_JOBS],
            "can_export": request.user.has_perm("accounts.export_people"),
            "pupil_headers": imports.headers(ImportJob.Kind.PUPILS),
            "staff_headers": imports.headers(ImportJob.Kind.STAFF),
        },
    )


@require_GET
@school_permission_required("accounts.import_people")
def import_preview(request, job_id: int):
    """Every row of the file with its problems, checked against the school as it is now."""
    job = get_object_or_404(_jobs(request).defer(None), pk=job_id)
    report = imports.check(school=request.school, kind=job.kind, content=bytes(job.content))
    only_errors = request.GET.get("show") == "errors" and bool(report.errors)
    rows = [r for r in report.rows if r.errors] if only_errors else report.rows
    return render(
        request,
        "schedule/imports/preview.html",
        {
            "job": job,
            "report": report,
            "rows": rows,
            "only_errors": only_errors,
            "counts": report.counts(),
            "errors": report.errors,
            "error_rows": sum(1 for r in report.rows if r.errors),
            "warnings": sum(len(r.warnings) for r in report.rows),
            "applied": job.status == ImportJob.Status.APPLIED,
            "can_apply": job.status != ImportJob.Status.APPLIED and not report.errors and report.changes,
            "pupils": job.kind == ImportJob.Kind.PUPILS,
        },
    )


@require_POST
@school_permission_required("accounts.import_people")
def import_apply(request, job_id: int):
    job = get_object_or_404(_jobs(request), pk=job_id)
    try:
        report = imports.import_apply(actor=request.user, school=request.school, job=job)
    except (AccountsError, ScheduleError) as e:
        messages.error(request, e.message)
        return redirect("schedule:import_preview", job_id=job.pk)
    if report.errors:
        messages.error(request, _("The file has errors: nothing was written. Correct them and upload the file again."))
        return redirect(reverse("schedule:import_preview", args=[job.pk]) + "?show=errors")
    c = report.counts()
    if not report.changes:
        messages.success(request, _("Everyone in the file is already in the school: nothing was written."))
    else:
        messages.success(
            request,
            _(
                "Import done: %(pupils)s new pupils, %(parents)s new parents, %(staff)s new staff, "
                "%(enrolled)s enrolled in classes, %(links)s links to parents."
            )
            % {
                "pupils": c["new_pupils"],
                "parents": c["new_guardians"],
                "staff": c["new_staff"],
                "enrolled": c["enrollments"],
                "links": c["links"],
            },
        )
    return redirect("schedule:import_preview", job_id=job.pk)


def _download(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=f"{filename}.{fmt}")
    add_never_cache_headers(response)
    return response


def _format(fmt: str) -> str:
    if fmt not in exports.FORMATS:
        raise Http404
    return fmt


@require_GET
@school_permission_required("accounts.import_people")
def import_template(request, kind: str, fmt: str):
    """The file to fill in: the export of an empty list (with notes on a second sheet of the workbook)."""
    fmt = _format(fmt)
    if kind not in ImportJob.Kind.values:
        raise Http404
    columns = imports.headers(kind)
    if kind == ImportJob.Kind.PUPILS:
        title, name = "Обучающиеся", "Шаблон_обучающиеся_и_родители"
    else:
        title, name = "Сотрудники", "Шаблон_сотрудники"
    return _download(exports.as_file(fmt, columns, [], title=title, kind=kind), fmt, name)


@require_GET
@school_permission_required("accounts.export_people")
def export_index(request):
    school = request.school
    day = today(school.timezone)
    year = current_year(school=school, day=day)
    classes = []
    if year is not None:
        counts = dict(
            Enrollment.objects.for_school(school)
            .on(max(day, year.start))
            .filter(school_class__year=year)
            .values("school_class_id")
            .annotate(n=Count("id"))
            .values_list("school_class_id", "n")
        )
        classes = [(c, counts.get(c.pk, 0)) for c in SchoolClass.objects.for_school(school).filter(year=year)]
    staff = Membership.objects.for_school(school).filter(role__in=exports.STAFF_ORDER).values("user_id").distinct()
    return render(
        request,
        "schedule/imports/export.html",
        {
            "year": year,
            "classes": classes,
            "staff_count": staff.count(),
            "pupil_count": Membership.objects.for_school(school).filter(role=Role.PUPIL).count(),
            "formats": exports.FORMATS,
        },
    )


@require_GET
@school_permission_required("accounts.export_people")
def export_staff(request, fmt: str):
    fmt = _format(fmt)
    columns, rows = exports.staff_table(school=request.school)
    exports.export_downloaded(actor=request.user, school=request.school, what="staff", fmt=fmt, rows=len(rows))
    day = today(request.school.timezone)
    return _download(exports.as_file(fmt, columns, rows, title="Сотрудники"), fmt, f"Сотрудники_{day:%Y-%m-%d}")


@require_GET
@school_permission_required("accounts.export_people")
def export_pupils(request, fmt: str):
    fmt = _format(fmt)
    day = today(request.school.timezone)
    columns, rows = exports.pupil_table(school=request.school, day=day)
    exports.export_downloaded(actor=request.user, school=request.school, what="pupils", fmt=fmt, rows=len(rows))
    return _download(exports.as_file(fmt, columns, rows, title="Обучающиеся"), fmt, f"Обучающиеся_{day:%Y-%m-%d}")


@require_GET
@school_member_required
def export_class_pupils(request, class_id: int, fmt: str):
    school_class = get_object_or_404(SchoolClass.objects.for_school(request.school).select_related("year"), pk=class_id)
    if not request.user.has_perm("accounts.export_people", school_class):
        raise PermissionDenied
    fmt = _format(fmt)
    day = today(request.school.timezone)
    columns, rows = exports.pupil_table(school=request.school, day=day, school_class=school_class)
    exports.export_downloaded(
        actor=request.user, school=request.school, what="pupils", fmt=fmt, rows=len(rows), school_class=school_class
    )
    name = f"Обучающиеся_{school_class}_{day:%Y-%m-%d}"
    return _download(exports.as_file(fmt, columns, rows, title=str(school_class)), fmt, name)
