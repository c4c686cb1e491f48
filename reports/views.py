from django.db.models import Count, Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.decorators import school_permission_required
from ejournal.clock import today
from schedule.models import SchoolClass
from schedule.selectors import current_year


@require_GET
@school_permission_required("reports.view_control")
def control(request):
    """The deputy's start page: every class of the year with its class teacher and today's pupils."""
    school = request.school
    day = today(school.timezone)
    year = current_year(school=school, day=day)
    on_day = Q(enrollments__since__lte=day) & (Q(enrollments__until__isnull=True) | Q(enrollments__until__gte=day))
    classes = (
        SchoolClass.objects.for_school(school)
        .filter(year=year)
        .select_related("class_teacher")
        .annotate(pupils=Count("enrollments", filter=on_day))
        .order_by("grade", "letter")
    )
    return render(request, "reports/control.html", {"year": year, "classes": classes, "day": day})
