"""Pages of the weekly summary sheets for families who opted out (issue 9 item 3; R-I04, DESIGN §6.3): a class's
bundle as a download (its class teacher and the readers), the runs with their counts and mail errors (the readers),
one run's deliveries, and the admin's "queue the failed ones again". Everything through the school's scope: another
school's run or bundle is a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import school_member_required, school_permission_required

from .models import ClassBundle, WeeklyDelivery, WeeklyRun
from .weekly import run_counts, run_retry

RUNS_SHOWN = 20
ERRORS_SHOWN = 100
STATES = [(code, label) for code, label in WeeklyDelivery.State.choices]


@require_GET
@school_member_required
def weekly_bundle(request, bundle_id: int):
    bundle = get_object_or_404(
        ClassBundle.objects.for_school(request.school).select_related("school_class", "run"), pk=bundle_id
    )
    if not request.user.has_perm("reports.view_weekly_bundle", bundle):
        raise PermissionDenied
    if not bundle.file:
        raise Http404
    try:
        handle = bundle.file.open("rb")
    except FileNotFoundError as e:
        raise Http404 from e
    name = _("Summary sheets %(class)s %(start)s-%(end)s.pdf") % {
        "class": bundle.school_class,
        "start": f"{bundle.run.week_start:%d.%m.%Y}",
        "end": f"{bundle.run.week_end:%d.%m.%Y}",
    }
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")


def _delivery_rows(deliveries) -> list[tuple]:
    """(class, pupil, channel, address, state code, state, attempts, error, sent) per delivery, for a plain loop."""
    return [
        (
            str(d.school_class),
            d.pupil.get_full_name(),
            d.get_channel_display(),
            d.address or (d.guardian.get_full_name() if d.guardian_id else ""),
            d.state,
            d.get_state_display(),
            d.attempts,
            d.last_error,
            d.sent_at,
        )
        for d in deliveries
    ]


@require_GET
@school_permission_required("reports.view_weekly_runs")
def weekly_runs(request):
    runs = list(WeeklyRun.objects.for_school(request.school).order_by("-week_start")[:RUNS_SHOWN])
    counts = run_counts(runs)
    rows = [(run, [(code, label, counts.get(run.pk, {}).get(code, 0)) for code, label in STATES]) for run in runs]
    errors = list(
        WeeklyDelivery.objects.for_school(request.school)
        .filter(state__in=(WeeklyDelivery.State.FAILED, WeeklyDelivery.State.GAVE_UP))
        .select_related("school_class", "pupil", "guardian", "run")
        .order_by("-run__week_start", "school_class__grade", "school_class__letter", "pk")[:ERRORS_SHOWN]
    )
    errors = [(d.run, *row) for d, row in zip(errors, _delivery_rows(errors), strict=True)]
    context = {"rows": rows, "errors": errors, "can_retry": request.user.has_perm("reports.retry_weekly")}
    return render(request, "reports/weekly/runs.html", context)


def _run(request, run_id: int, perm: str) -> WeeklyRun:
    run = get_object_or_404(WeeklyRun.objects.for_school(request.school), pk=run_id)
    if not request.user.has_perm(perm, run):
        raise PermissionDenied
    return run


@require_GET
@school_member_required
def weekly_run(request, run_id: int):
    run = _run(request, run_id, "reports.view_weekly_runs")
    deliveries = list(
        WeeklyDelivery.objects.filter(run=run)
        .select_related("school_class", "pupil", "guardian")
        .order_by("school_class__grade", "school_class__letter", "pupil__last_name", "pupil__first_name", "channel")
    )
    bundles = list(
        ClassBundle.objects.filter(run=run)
        .select_related("school_class")
        .order_by("school_class__grade", "school_class__letter")
    )
    counts = run_counts([run]).get(run.pk, {})
    context = {
        "run": run,
        "rows": _delivery_rows(deliveries),
        "bundles": bundles,
        "states": [(code, label, counts.get(code, 0)) for code, label in STATES],
        "can_retry": request.user.has_perm("reports.retry_weekly"),
        "to_retry": counts.get(WeeklyDelivery.State.FAILED, 0) + counts.get(WeeklyDelivery.State.GAVE_UP, 0),
    }
    return render(request, "reports/weekly/run.html", context)


@require_POST
@school_member_required
def weekly_retry(request, run_id: int):
    run = _run(request, run_id, "reports.retry_weekly")
    queued = run_retry(run=run)
    if queued:
        messages.success(request, _("%(n)s emails are queued again.") % {"n": queued})
    else:
        messages.info(request, _("Nothing to send again."))
    return redirect("reports:weekly_run", run_id=run.pk)
