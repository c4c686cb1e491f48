"""The yearly report on how the journal works, for the governing council (R-J17): one page, and the same as a PDF
the director prints. Figures from reports/council.py."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.decorators import school_permission_required
from ejournal.clock import local_now, today
from schedule.models import AcademicYear
from schedule.selectors import current_year

from .council import council_report
from .models import PublishedReport
from .pdf import generated_on, pdf_response, render_pdf
from .views_activity import _publish_context


@require_GET
@school_permission_required("reports.view_council_report")
def council(request):
    school = request.school
    day = today(school.timezone)
    years = list(AcademicYear.objects.for_school(school).order_by("-start"))
    wanted = request.GET.get("year", "")
    if wanted:
        if not wanted.isdigit():
            raise Http404
        year = next((y for y in years if y.pk == int(wanted)), None)
        if year is None:
            raise Http404
    else:
        year = current_year(school=school, day=day)
    context = {"title": _("Report on how the electronic journal works"), "years": years, "year": year}
    if year is None:
        return render(request, "reports/council/index.html", context)
    result = council_report(school=school, year=year, today=day)
    context |= {"result": result, "school": school}
    if request.GET.get("format") == "pdf":
        context["generated"] = generated_on(local_now(school.timezone))
        content = render_pdf("reports/council/pdf.html", context)
        return pdf_response(content, f"council-report-{year.start.year}-{year.end.year}")
    context |= _publish_context(request, PublishedReport.Kind.COUNCIL, result.start, result.end)
    return render(request, "reports/council/index.html", context)
