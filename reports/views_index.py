"""The reports' index: every report the person may open, in one place (the menu's «Отчёты»). Each link is shown
only when the permission layer lets the person in; the pages ask again."""

from dataclasses import dataclass

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.decorators import school_permission_required
from schedule.models import SchoolClass
from schedule.selectors import led_classes


@dataclass
class Link:
    title: str
    url: str
    note: str = ""


def _school_links(user) -> list[Link]:
    candidates = [
        (
            "reports.view_fill_rate",
            "reports:control",
            _("Journal control (fill rate)"),
            _("Topics, homework, attendance taken, marks on time, KTP, diary visits"),
        ),
        (
            "reports.view_class_reports",
            "reports:class_reports",
            _("Class reports"),
            _("Quality and success by period, attendance"),
        ),
        ("reports.view_risk", "reports:risk", _("Risk list"), _("Pupils likely to end the period with «н/а» or «2»")),
        ("reports.view_year_reports", "reports:year_reports", _("Final marks, medal sheet, journal printouts"), ""),
        ("reports.view_weekly_runs", "reports:weekly_runs", _("Weekly sheets for families who opted out"), ""),
        ("reports.view_remarks", "reports:remark_list", _("Remarks"), ""),
        ("reports.view_activity", "reports:activity", _("User activity"), _("Logins and work per role and week")),
        ("reports.view_workload", "reports:workload", _("Pupils' workload"), _("Homework time and control works")),
        ("reports.view_council_report", "reports:council_report", _("Report on how the journal works"), ""),
        ("reports.view_published", "reports:published", _("Reports for the school's website"), ""),
    ]
    return [Link(title, reverse(name), note) for perm, name, title, note in candidates if user.has_perm(perm)]


def _class_links(user, school_class: SchoolClass) -> list[Link]:
    pk = school_class.pk
    candidates = [
        ("reports.view_class_sheets", "reports:class_sheets", _("Summary sheets"), ""),
        ("reports.view_class_report", "reports:class_performance", _("Performance"), ""),
        ("reports.view_class_report", "reports:class_attendance", _("Attendance"), ""),
        ("reports.view_final_marks", "reports:final_marks", _("Final marks"), ""),
        ("reports.print_class_journal", "reports:class_printout", _("Journal printout"), ""),
    ]
    links = [
        Link(title, reverse(name, args=[pk]), note)
        for perm, name, title, note in candidates
        if user.has_perm(perm, school_class)
    ]
    if user.has_perm("reports.view_class_risk", school_class):
        links.append(Link(_("Risk list"), f"{reverse('reports:risk')}?class={pk}"))
    return links


@require_GET
@school_permission_required("reports.view_reports")
def index(request):
    user = request.user
    led = led_classes(user)
    classes = (
        SchoolClass.objects.for_school(request.school).filter(pk__in=list(led)).order_by("grade", "letter")
        if led
        else []
    )
    own = [(c, _class_links(user, c)) for c in classes]
    return render(request, "reports/index.html", {"links": _school_links(user), "own_classes": own})
