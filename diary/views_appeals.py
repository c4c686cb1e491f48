"""One mark in the diary and the family's report of it as wrongly entered (seed 004 §7.1, R-I11).

The pupil is fetched through the family's scope (`visible_pupils`: another family's pupil is 404) and the diary's
permission is asked; the work must be one where this pupil has a mark or a report (else 404), so that no URL shows
anything of a lesson the pupil was not marked in. The only write a family makes here is the report (R-A06, R-A07);
its rules are gradebook/appeals.py's.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import school_member_required
from accounts.models import SchoolSettings
from ejournal.clock import today
from gradebook.appeals import appeal_deadline, appeal_file, can_appeal
from gradebook.forms_appeals import AppealForm
from gradebook.models import LessonWork, Mark, MarkAppeal
from gradebook.services import GradebookError

from .selectors import visible_pupils
from .visits import visit_record


def _pupil(request, pupil_id: int):
    pupil = get_object_or_404(visible_pupils(user=request.user, school=request.school), pk=pupil_id)
    if not request.user.has_perm("diary.view_diary", pupil):
        raise PermissionDenied
    return pupil


def _work(request, pupil, work_id: int) -> LessonWork:
    """The work, if the pupil has a mark in it or reported one there."""
    marked = Mark.objects.filter(work_id=OuterRef("pk"), pupil=pupil)
    reported = MarkAppeal.objects.filter(work_id=OuterRef("pk"), pupil=pupil)
    return get_object_or_404(
        LessonWork.objects.for_school(request.school)
        .filter(Exists(marked) | Exists(reported))
        .select_related("work_type", "lesson__course__subject", "lesson__course__year"),
        pk=work_id,
    )


def _page(request, pupil, work: LessonWork, *, form: AppealForm | None = None, status: int = 200, error: str = ""):
    school = request.school
    mark = Mark.objects.filter(work=work, pupil=pupil).select_related("author").first()
    appeals = list(
        MarkAppeal.objects.filter(school=school, work=work, pupil=pupil)
        .select_related("author", "answered_by")
        .order_by("created_at", "pk")
    )
    waiting = next((a for a in appeals if a.status == MarkAppeal.Status.OPEN), None)
    settings = SchoolSettings.of(school)
    day = today(school.timezone)
    may_file = request.user.has_perm("gradebook.file_appeal", pupil)
    deadline = appeal_deadline(mark, settings, school.timezone) if mark is not None else None
    can_file = may_file and not work.lesson.course.year.is_archived
    can_file = can_file and can_appeal(mark, waiting, settings, day, school.timezone)
    context = {
        "pupil": pupil,
        "error": error,
        "work": work,
        "lesson": work.lesson,
        "course": work.lesson.course,
        "mark": mark,
        "appeals": appeals,
        "waiting": waiting,
        "deadline": deadline,
        "can_file": can_file,
        # The family could have reported it, but its days passed (said so, with until when it was possible).
        "too_late": may_file and mark is not None and waiting is None and deadline < day,
        # A form that came back with errors is shown again whatever else changed, so that the errors are seen.
        "form": form if form is not None and form.errors else (AppealForm() if can_file else None),
    }
    return render(request, "diary/appeals/mark.html", context, status=status)


@require_GET
@school_member_required
def mark(request, pupil_id: int, work_id: int):
    """One mark: its value, lesson, subject, work type and weight, comment and teacher; the reports of it with the
    teacher's answers; and, within the school's days, the form to report it as wrongly entered."""
    pupil = _pupil(request, pupil_id)
    work = _work(request, pupil, work_id)
    visit_record(request, pupil)  # a family's visit to the diary (R-I12)
    return _page(request, pupil, work)


@require_POST
@school_member_required
def appeal_new(request, pupil_id: int, work_id: int):
    pupil = _pupil(request, pupil_id)
    work = _work(request, pupil, work_id)
    if not request.user.has_perm("gradebook.file_appeal", pupil):
        raise PermissionDenied
    form = AppealForm(request.POST)
    if not form.is_valid():
        return _page(request, pupil, work, form=form, status=422)
    try:
        appeal_file(actor=request.user, pupil=pupil, work=work, text=form.cleaned_data["text"])
    except GradebookError as e:
        # Nothing was filed (the days passed, a report already waits, the mark was removed meanwhile).
        return _page(request, pupil, work, status=409, error=e.message)
    messages.success(request, _("The report is sent to the teacher. The answer will appear on this page."))
    return redirect("diary:mark", pupil_id=pupil.pk, work_id=work.pk)
