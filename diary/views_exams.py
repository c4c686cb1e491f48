"""The family's tab of state exam results (ГИА, R-E12): the pupil's ОГЭ, ЕГЭ and ГВЭ results of every year, read-only.
The diary's own scope check comes first (another family's child is 404, R-A07)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.decorators import school_member_required
from ejournal.clock import today
from gradebook.models import ExamResult

from .views import _header, _open


@require_GET
@school_member_required
def exams(request, pupil_id: int):
    day = today(request.school.timezone)
    pupil, family = _open(request, pupil_id, day)
    results = list(
        ExamResult.objects.for_school(request.school)
        .filter(pupil_id=pupil.pk)
        .select_related("subject", "year")
        .order_by("-year__start", "exam_date", "subject__name", "pk")
    )
    return render(request, "diary/exams.html", {**_header(pupil, family, "diary:exams"), "results": results})
