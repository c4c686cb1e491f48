"""Handed-in work of electronic tasks (R-G04), the teacher's side: for one homework, every pupil of the lesson's list
with the state of their work; one pupil's work with its text and files, the teacher's comment and a mark set through
the journal's service (gradebook/submissions.py). Read by whoever reads the lesson; commented and marked by whoever
fills it. It lives in the gradebook because a mark is the journal's (the schedule app may not import the gradebook)."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import school_member_required
from accounts.models import User
from schedule.models import Homework, HomeworkSubmission, SubmissionFile
from schedule.selectors_lessons import lesson_list, lessons_with_details
from schedule.services import ScheduleError
from schedule.services import submissions as submission_services

from .forms_submissions import NEW, SubmissionCommentForm, SubmissionMarkForm
from .models import LessonWork, Mark
from .services import GradebookError
from .submissions import submission_mark_set


def _homework(request, homework_id: int) -> Homework:
    homework = get_object_or_404(
        Homework.objects.for_school(request.school).filter(submission_required=True), pk=homework_id
    )
    homework.lesson = get_object_or_404(lessons_with_details(request.school), pk=homework.lesson_id)
    if not request.user.has_perm("gradebook.view_submissions", homework.lesson):
        raise PermissionDenied
    return homework


@dataclass
class Row:
    pupil: User
    submission: HomeworkSubmission | None
    mark: str

    @property
    def state(self) -> str:
        if self.submission is None:
            return "missing"
        if self.submission.status == HomeworkSubmission.Status.CHECKED:
            return "checked"
        return "late" if self.submission.late else "submitted"


@require_GET
@school_member_required
def submissions(request, homework_id: int):
    """Every pupil of the lesson's list on its date, with their work's state: handed in, late, not handed in,
    checked; and the mark it was given. Five queries whatever the class's size."""
    homework = _homework(request, homework_id)
    lesson = homework.lesson
    pupil_ids = lesson_list(lesson).values("pupil_id")
    pupils = list(User.objects.filter(pk__in=pupil_ids).order_by("last_name", "first_name", "pk"))
    works = {
        s.pupil_id: s
        for s in HomeworkSubmission.objects.filter(school=request.school, homework=homework).prefetch_related("files")
    }
    # Work by a pupil who has since left the list stays visible.
    missing = [pid for pid in works if pid not in {p.pk for p in pupils}]
    if missing:
        pupils += list(User.objects.filter(pk__in=missing).order_by("last_name", "first_name", "pk"))
    marked = {s.mark_work_id for s in works.values() if s.mark_work_id}
    marks = {
        (work_id, pupil_id): value
        for work_id, pupil_id, value in Mark.objects.filter(school=request.school, work_id__in=marked).values_list(
            "work_id", "pupil_id", "value"
        )
    }
    rows = []
    for pupil in pupils:
        work = works.get(pupil.pk)
        mark = marks.get((work.mark_work_id, pupil.pk), "") if work is not None else ""
        rows.append(Row(pupil=pupil, submission=work, mark=mark))
    counts = {state: sum(1 for r in rows if r.state == state) for state in ("submitted", "late", "checked", "missing")}
    return render(
        request,
        "gradebook/submissions/list.html",
        {
            "homework": homework,
            "lesson": lesson,
            "course": lesson.course,
            "rows": rows,
            "counts": counts,
            "is_open": submission_services.is_open(homework),
            "can_check": request.user.has_perm("gradebook.check_submissions", lesson),
        },
    )


def _submission(request, submission_id: int) -> HomeworkSubmission:
    submission = get_object_or_404(
        HomeworkSubmission.objects.for_school(request.school).select_related("homework", "pupil", "commented_by"),
        pk=submission_id,
    )
    homework = submission.homework
    homework.lesson = get_object_or_404(lessons_with_details(request.school), pk=homework.lesson_id)
    if not request.user.has_perm("gradebook.view_submissions", homework.lesson):
        raise PermissionDenied
    return submission


def _checkable(request, submission_id: int) -> HomeworkSubmission:
    submission = _submission(request, submission_id)
    if not request.user.has_perm("gradebook.check_submissions", submission.homework.lesson):
        raise PermissionDenied
    return submission


def _page(request, submission: HomeworkSubmission, *, status: int = 200, error: str = "", **forms):
    homework = submission.homework
    lesson = homework.lesson
    can_check = request.user.has_perm("gradebook.check_submissions", lesson)
    works = list(LessonWork.objects.filter(school=request.school, lesson=lesson).select_related("work_type"))
    mark = None
    if submission.mark_work_id:
        mark = Mark.objects.filter(work_id=submission.mark_work_id, pupil_id=submission.pupil_id).first()
    context = {
        "submission": submission,
        "homework": homework,
        "lesson": lesson,
        "course": lesson.course,
        "files": list(submission.files.all()),
        "mark": mark,
        "mark_work": next((w for w in works if w.pk == submission.mark_work_id), None),
        "can_check": can_check,
        "error": error,
    }
    if can_check:
        context["comment_form"] = forms.get("comment_form") or SubmissionCommentForm(
            initial={"comment": submission.comment}
        )
        # The column it was marked in, else the lesson's last one, else a new one.
        column = submission.mark_work_id or (works[-1].pk if works else NEW)
        initial = {"column": str(column)}
        if mark is not None:
            initial["value"] = mark.value
        context["mark_form"] = forms.get("mark_form") or SubmissionMarkForm(
            initial=initial, works=works, school=request.school
        )
    return render(request, "gradebook/submissions/detail.html", context, status=status)


@require_GET
@school_member_required
def submission(request, submission_id: int):
    return _page(request, _submission(request, submission_id))


@require_POST
@school_member_required
def submission_comment(request, submission_id: int):
    submission = _checkable(request, submission_id)
    form = SubmissionCommentForm(request.POST)
    if form.is_valid():
        try:
            submission_services.submission_comment(
                actor=request.user, submission=submission, comment=form.cleaned_data["comment"]
            )
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The comment is saved; the pupil and the parents see it in the diary."))
            return redirect("gradebook:submission", submission_id=submission.pk)
    return _page(request, submission, status=422, comment_form=form)


@require_POST
@school_member_required
def submission_mark(request, submission_id: int):
    submission = _checkable(request, submission_id)
    lesson = submission.homework.lesson
    works = list(LessonWork.objects.filter(school=request.school, lesson=lesson).select_related("work_type"))
    form = SubmissionMarkForm(request.POST, works=works, school=request.school)
    if form.is_valid():
        data = form.cleaned_data
        try:
            marked = submission_mark_set(
                actor=request.user,
                submission=submission,
                value=data["value"],
                work=form.work,
                work_type=data["work_type"],
                title=data["title"],
            )
        except GradebookError as e:
            form.add_error(None, e.message)
        else:
            if marked.late:
                messages.warning(request, _("The mark is in the journal; it was entered after the deadline."))
            else:
                messages.success(request, _("The mark is in the journal."))
            return redirect("gradebook:submission", submission_id=submission.pk)
    return _page(request, submission, status=422, mark_form=form)


@require_GET
@school_member_required
def submission_file(request, file_id: int):
    """A handed-in file, as an attachment, to those who read the lesson."""
    file = get_object_or_404(SubmissionFile.objects.for_school(request.school), pk=file_id)
    _submission(request, file.submission_id)
    try:
        handle = file.file.open("rb")
    except FileNotFoundError as e:
        raise Http404 from e
    return FileResponse(handle, as_attachment=True, filename=file.name)
