"""User activity (R-J10): per role and ISO week, the school's activity figure, and the staff's own activity. A month
by default (the director looks at it monthly, seed 003); any range of up to a year. Figures from reports/activity.py.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.decorators import school_permission_required
from ejournal.clock import today

from .activity import KIND_LABELS, KINDS, activity, staff_activity, weeks_of
from .models import PublishedReport
from .publish import activity_tables
from .views_fill_rate import RangeForm
from .xlsx import Table, as_xlsx, xlsx_response


@dataclass
class Period:
    form: RangeForm
    start: datetime.date | None
    end: datetime.date | None
    error: str
    quick: list[tuple[str, str]]

    @property
    def query(self) -> str:
        return urlencode({"start": self.start.isoformat(), "end": self.end.isoformat()}) if self.start else ""


def month_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = day.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


def period(request) -> Period:
    """The range asked for, this month by default."""
    day = today(request.school.timezone)
    this_start, this_end = month_of(day)
    last_start, last_end = month_of(this_start - datetime.timedelta(days=1))
    quick = [
        (_("this month"), urlencode({"start": this_start.isoformat(), "end": this_end.isoformat()})),
        (_("last month"), urlencode({"start": last_start.isoformat(), "end": last_end.isoformat()})),
    ]
    source = request.GET if ("start" in request.GET or "end" in request.GET) else None
    form = RangeForm(source or {"start": this_start, "end": this_end})
    if not form.is_valid():
        errors = form.non_field_errors() or [_("Enter the dates as dd.mm.yyyy.")]
        return Period(form=form, start=None, end=None, error=str(errors[0]), quick=quick)
    return Period(form=form, start=form.cleaned_data["start"], end=form.cleaned_data["end"], error="", quick=quick)


def _publish_context(request, kind: str, start, end) -> dict:
    return {
        "can_publish": request.user.has_perm("reports.publish_report"),
        "publish_kind": kind,
        "publish_start": start,
        "publish_end": end,
        "publish_formats": PublishedReport.Format.choices,
    }


@require_GET
@school_permission_required("reports.view_activity")
def activity_report(request):
    chosen = period(request)
    context = {"period": chosen, "title": _("User activity")}
    if chosen.start is None:
        return render(request, "reports/activity/index.html", context, status=422)
    result = activity(school=request.school, start=chosen.start, end=chosen.end)
    if request.GET.get("format") == "xlsx":
        tables = activity_tables(result)
        for table in tables:
            table.caption = f"{request.school.name}. {chosen.start:%d.%m.%Y}–{chosen.end:%d.%m.%Y}"
        return xlsx_response(as_xlsx(tables), f"activity-{chosen.start.isoformat()}-{chosen.end.isoformat()}")
    kinds = [(kind, KIND_LABELS[kind]) for kind in KINDS]
    rows = []
    for row in result.rows:
        lines = []
        for kind, label in kinds:
            cells = [w.get(kind) for w in row.weeks]
            total = row.total.get(kind)
            lines.append((label, [c.events if c else 0 for c in cells], total.events if total else 0))
        rows.append((row, lines))
    context |= {
        "result": result,
        "weeks": result.week_labels(),
        "rows": rows,
        **_publish_context(request, PublishedReport.Kind.ACTIVITY, chosen.start, chosen.end),
    }
    return render(request, "reports/activity/index.html", context)


@require_GET
@school_permission_required("reports.view_activity")
def activity_staff(request):
    """Each staff member's activity in the range (teachers first of all): the drill-down of the staff's rows."""
    chosen = period(request)
    context = {"period": chosen, "title": _("Staff activity"), "kinds": [str(KIND_LABELS[k]) for k in KINDS[:-1]]}
    if chosen.start is None:
        return render(request, "reports/activity/staff.html", context, status=422)
    people = staff_activity(school=request.school, start=chosen.start, end=chosen.end)
    weeks = len(weeks_of(chosen.start, chosen.end))
    lines = [(p, [p.counts.get(k, 0) for k in KINDS[:-1]]) for p in people]
    if request.GET.get("format") == "xlsx":
        table = Table(
            title=_("Staff"),
            columns=[_("Full name"), _("Roles"), *context["kinds"], _("Active weeks")],
            rows=[[p.name, ", ".join(p.roles), *counts, f"{p.active_weeks} / {weeks}"] for p, counts in lines],
            caption=f"{request.school.name}. {chosen.start:%d.%m.%Y}–{chosen.end:%d.%m.%Y}",
        )
        return xlsx_response(as_xlsx([table]), f"staff-activity-{chosen.start.isoformat()}-{chosen.end.isoformat()}")
    context |= {"lines": lines, "weeks": weeks}
    return render(request, "reports/activity/staff.html", context)
