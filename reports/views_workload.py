"""Pupils' workload (R-J12): every class's week, day by day: lessons, homework time due, control works, against the
school's limits (the school's rules page). Figures from reports/workload.py."""

import datetime

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from accounts.decorators import school_permission_required
from ejournal.clock import today

from . import fill_rate
from .models import PublishedReport
from .publish import workload_tables
from .views_activity import _publish_context
from .views_fill_rate import DATE_FORMATS
from .workload import monday, workload
from .xlsx import as_xlsx, xlsx_response


class WeekForm(forms.Form):
    week = forms.DateField(label=gettext_lazy("Week of"), input_formats=DATE_FORMATS)


@require_GET
@school_permission_required("reports.view_workload")
def workload_report(request):
    school = request.school
    day = today(school.timezone)
    form = WeekForm(request.GET if "week" in request.GET else {"week": day})
    context = {"form": form, "title": _("Pupils' workload")}
    if not form.is_valid():
        context["error"] = _("Enter the date as dd.mm.yyyy.")
        return render(request, "reports/workload/index.html", context, status=422)
    start = monday(form.cleaned_data["week"])
    year = fill_rate.year_of(school=school, start=start, end=start + datetime.timedelta(days=5))
    context |= {
        "start": start,
        "previous": start - datetime.timedelta(weeks=1),
        "next": start + datetime.timedelta(weeks=1),
    }
    if year is None:
        context["error"] = _("No academic year covers these dates.")
        return render(request, "reports/workload/index.html", context, status=422)
    result = workload(school=school, year=year, week=start)
    if request.GET.get("format") == "xlsx":
        tables = workload_tables(result)
        week_of = _("Week of %(day)s") % {"day": start.strftime("%d.%m.%Y")}
        for table in tables:
            table.caption = f"{school.name}. {week_of}"
        return xlsx_response(as_xlsx(tables), f"workload-{start.isoformat()}")
    context |= {
        "result": result,
        **_publish_context(request, PublishedReport.Kind.WORKLOAD, start, start + datetime.timedelta(days=5)),
    }
    return render(request, "reports/workload/index.html", context)
