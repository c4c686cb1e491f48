"""Mark appeals, the teacher's side (seed 004 §7.1, R-I11): the list of reports, one report with the mark as the
journal holds it now and the ways to correct it, and the answer. The family's side is diary/views_appeals.py.

Every report is fetched through the school's scope (another school's is 404) and the permission layer is asked once
per page: `gradebook.view_appeals`, `gradebook.view_appeal`, `gradebook.answer_appeal`. The rules are
gradebook/appeals.py's; a correction itself is made in the journal, never here.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import school_member_required, school_permission_required
from accounts.predicates import is_school_reader
from ejournal.clock import today
from schedule.selectors import taught_courses

from . import appeals as services
from .forms_appeals import AnswerForm
from .late_changes import Cell, lock_of
from .models import LateChangeRequest, MarkAppeal
from .selectors import course_periods, period_on
from .services import GradebookError
from .status_lists import status_list

Status = MarkAppeal.Status
PER_PAGE = 50
STATUSES = ("all", *Status.values)


def _scope(request):
    """The reports a page lists: the school's for those who read everything (R-A03), else the teacher's courses'."""
    rows = MarkAppeal.objects.for_school(request.school)
    if is_school_reader.test(request.user):
        return rows, True
    return rows.filter(work__lesson__course_id__in=taught_courses(request.user)), False


@require_GET
@school_permission_required("gradebook.view_appeals")
def appeal_list(request):
    """Reports awaiting an answer first, then the answered ones, newest first; a tab per state."""
    scope, reader = _scope(request)
    status, tabs, rows = status_list(
        scope=scope,
        rows=services.with_cell(scope),
        choices=Status,
        order=STATUSES,
        requested=request.GET.get("status", ""),
        default="all",
        all_label=_("all reports"),
        waiting=Status.OPEN,
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "appeals": page.object_list, "status": status, "reader": reader, "statuses": tabs}
    return render(request, "gradebook/appeals/list.html", context)


def _appeal(request, appeal_id: int, perm: str) -> MarkAppeal:
    found = get_object_or_404(
        services.with_cell(MarkAppeal.objects.for_school(request.school)).select_related("work__lesson__substitution"),
        pk=appeal_id,
    )
    if not request.user.has_perm(perm, found):
        raise PermissionDenied
    # The same school (for_school), loaded with its settings by the middleware.
    found.school = found.work.school = found.work.lesson.school = found.work.lesson.course.school = request.school
    return found


def _journal_url(appeal: MarkAppeal) -> str:
    """The course's grid at the lesson: its period's page, scrolled to the lesson's column."""
    lesson = appeal.work.lesson
    url = reverse("gradebook:journal", args=[lesson.course_id])
    period = period_on(course_periods(lesson.course), lesson.date)
    return f"{url}?period={period.pk}#lesson-{lesson.pk}" if period else f"{url}#lesson-{lesson.pk}"


def _detail(request, appeal: MarkAppeal, *, form: AnswerForm | None = None, status: int = 200, error: str = ""):
    lesson = appeal.work.lesson
    course = lesson.course
    is_open = appeal.status == Status.OPEN
    can_answer = is_open and request.user.has_perm("gradebook.answer_appeal", appeal)
    context = {
        "appeal": appeal,
        "error": error,
        "course": course,
        "lesson": lesson,
        "work": appeal.work,
        "changed": appeal.mark_value != appeal.value,
        "can_answer": can_answer,
        "form": form or (AnswerForm() if can_answer else None),
        "journal_url": _journal_url(appeal) if request.user.has_perm("gradebook.view_journal", course) else "",
    }
    if can_answer and request.user.has_perm("gradebook.change_marks", lesson):
        # Whether the teacher still corrects the mark in the grid, or (the window closed, the period's mark closed
        # the journal, the school wants approval) only through a late-change request (R-F01).
        cell = Cell(
            target=LateChangeRequest.Target.MARK, course=course, pupil=appeal.pupil, lesson=lesson, work=appeal.work
        )
        lock = lock_of(cell, today(request.school.timezone))
        context["lock"] = lock
        if lock:
            query = urlencode({"work": appeal.work_id, "pupil": appeal.pupil_id})
            context["late_change_url"] = f"{reverse('gradebook:late_change_new', args=[course.pk])}?{query}"
        else:
            context["may_correct"] = True
    return render(request, "gradebook/appeals/detail.html", context, status=status)


@require_GET
@school_member_required
def appeal_detail(request, appeal_id: int):
    return _detail(request, _appeal(request, appeal_id, "gradebook.view_appeal"))


@require_POST
@school_member_required
def appeal_answer(request, appeal_id: int):
    """The teacher's answer: «corrected» once the journal holds another value, or why the mark stands."""
    appeal = _appeal(request, appeal_id, "gradebook.answer_appeal")
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _detail(request, appeal, form=form, status=422)
    try:
        services.appeal_answer(
            actor=request.user, appeal=appeal, outcome=form.cleaned_data["outcome"], answer=form.cleaned_data["answer"]
        )
    except GradebookError as e:
        # Nothing changed: a correction not made yet, or a colleague answered meanwhile.
        appeal.refresh_from_db(fields=["status", "answer", "answered_by", "answered_at"])
        return _detail(request, appeal, form=form, status=409, error=e.message)
    messages.success(request, _("The answer is saved: the family sees it in the diary."))
    return redirect("gradebook:appeal_detail", appeal_id=appeal.pk)
