"""Reports published for the school's website (R-J16): the list of files, publishing one (from this page or from a
report's own page), and downloading one. The files hold no personal data (reports/publish.py)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import school_permission_required
from ejournal.clock import today

from . import fill_rate
from .models import PublishedReport
from .publish import published_list, report_publish
from .services import ReportsError
from .views_activity import month_of
from .views_fill_rate import DATE_FORMATS

MAX_LIST = 200


class PublishForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Report"), choices=PublishedReport.Kind.choices)
    fmt = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=PublishedReport.Format.choices, initial=PublishedReport.Format.PDF
    )
    start = forms.DateField(label=gettext_lazy("From"), input_formats=DATE_FORMATS)
    end = forms.DateField(
        label=gettext_lazy("To"),
        input_formats=DATE_FORMATS,
        help_text=gettext_lazy("The workload report takes the week of the first date; the council's report the year."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end of the range is before its start."))
        return data


def _page(request, form: PublishForm, status: int = 200):
    reports = list(published_list(request.school)[:MAX_LIST])
    return render(
        request,
        "reports/published/index.html",
        {
            "reports": reports,
            "form": form if request.user.has_perm("reports.publish_report") else None,
            "title": _("Reports for the school's website"),
        },
        status=status,
    )


@require_GET
@school_permission_required("reports.view_published")
def published(request):
    start, end = month_of(today(request.school.timezone))
    return _page(request, PublishForm(initial={"start": start, "end": end}))


@require_POST
@school_permission_required("reports.publish_report")
def publish(request):
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=422)
    data = form.cleaned_data
    year = fill_rate.year_of(school=request.school, start=data["start"], end=data["end"])
    if year is None:
        form.add_error(None, _("No academic year covers these dates."))
        return _page(request, form, status=422)
    try:
        report = report_publish(
            actor=request.user,
            school=request.school,
            kind=data["kind"],
            year=year,
            start=data["start"],
            end=data["end"],
            fmt=data["fmt"],
        )
    except ReportsError as e:
        form.add_error(None, e.message)
        return _page(request, form, status=422)
    messages.success(request, _("Published: %(title)s.") % {"title": report.title})
    return redirect("reports:published")


@require_GET
@school_permission_required("reports.view_published")
def published_download(request, report_id: int):
    report = get_object_or_404(PublishedReport.objects.for_school(request.school), pk=report_id)
    if not request.user.has_perm("reports.view_published", report):
        raise PermissionDenied
    try:
        handle = report.file.open("rb")
    except FileNotFoundError as e:
        raise Http404 from e
    return FileResponse(handle, as_attachment=True, filename=report.filename, content_type=report.content_type)
