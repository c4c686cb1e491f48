from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from accounts.decorators import school_member_required, school_permission_required
from accounts.models import GuardianLink, SchoolSettings
from ejournal.clock import today
from gradebook.selectors_periods import pupil_results
from schedule.selectors import current_year, pupil_class, pupil_courses

from .selectors import family_pupils, visible_pupils


@require_GET
@school_permission_required("diary.view_own_diaries")
def home(request):
    """A pupil's own diary, or a guardian's first child's."""
    pupils = family_pupils(user=request.user, school=request.school)
    if not pupils:
        return render(request, "diary/no_children.html")
    return redirect("diary:pupil", pupil_id=pupils[0].pk)


@require_GET
@school_member_required
def pupil(request, pupil_id: int):
    pupil = get_object_or_404(visible_pupils(user=request.user, school=request.school), pk=pupil_id)
    if not request.user.has_perm("diary.view_diary", pupil):
        raise PermissionDenied
    day = today(request.school.timezone)
    year = current_year(school=request.school, day=day)
    school_class = pupil_class(school=request.school, pupil=pupil, day=day)
    # The forecast and the period marks of each subject (seed 003: families are told the forecast, R-E13).
    results = (
        pupil_results(
            pupil=pupil,
            courses=pupil_courses(pupil=pupil, year=year),
            settings=SchoolSettings.of(request.school),
            grade=school_class.grade if school_class is not None else None,
        )
        if year is not None
        else []
    )
    return render(
        request,
        "diary/pupil.html",
        {
            "pupil": pupil,
            "day": day,
            "school_class": school_class,
            "guardians": GuardianLink.objects.for_school(request.school).filter(pupil=pupil).select_related("guardian"),
            "family": family_pupils(user=request.user, school=request.school),
            "results": results,
            "periods": [slot.period for slot in results[0].slots[:-1]] if results else [],
        },
    )
