"""Electronic tasks and teaching materials in the diary (R-G03, R-G04): the task's page, where the pupil hands in
their work (a text and files) until the due time and the family reads the teacher's comment and mark; the handed-in
files; the lesson's material files from the lesson's date. And the pieces of the week's day cards that show them.

Every page is about one pupil (`pupil_id` in the path): the pupil is looked for in the user's scope and the diary's
permission is asked (diary.views._open); the homework, file or material must be of that pupil's lessons (their class's
or group's on its date), else 404. Only the pupil themself hands in (diary.submit_task); the write is a submission,
never the journal (R-A06)."""

from html import escape

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import school_member_required
from ejournal.clock import today
from gradebook.models import LessonWork, Mark
from schedule.models import Homework, HomeworkSubmission, LessonMaterial, SubmissionFile
from schedule.services import ScheduleError
from schedule.services import submissions as services
from schedule.services.materials import visible_to_families

from .forms_submissions import SubmissionForm
from .selectors import pupil_lesson_filter
from .views import _open


def _homework(request, pupil, homework_id: int) -> Homework:
    """A homework asking for work, of one of the pupil's lessons; any other is 404."""
    return get_object_or_404(
        Homework.objects.for_school(request.school)
        .filter(submission_required=True)
        .filter(pupil_lesson_filter(pupil.pk, prefix="lesson__"))
        .select_related("lesson__course__subject", "lesson__course__year", "school"),
        pk=homework_id,
    )


def _page(request, pupil, family, homework: Homework, *, form=None, status: int = 200, error: str = ""):
    submission = (
        HomeworkSubmission.objects.filter(homework=homework, pupil=pupil).select_related("commented_by").first()
    )
    files = list(submission.files.all()) if submission is not None else []
    mark = work = None
    if submission is not None and submission.mark_work_id:
        mark = Mark.objects.filter(work_id=submission.mark_work_id, pupil=pupil).first()
        work = LessonWork.objects.filter(pk=submission.mark_work_id).select_related("work_type").first()
    is_open = services.is_open(homework)
    may_submit = request.user.has_perm("diary.submit_task", pupil)
    can_submit = may_submit and is_open and not homework.lesson.course.year.is_archived
    if can_submit and form is None:
        form = SubmissionForm(initial={"text": submission.text if submission else ""})
    context = {
        "pupil": pupil,
        "children": [],
        "homework": homework,
        "lesson": homework.lesson,
        "subject": homework.lesson.course.title or homework.lesson.course.subject.name,
        "submission": submission,
        "files": files,
        "mark": mark,
        "mark_work": work,
        "is_open": is_open,
        "late_now": homework.submission_due is not None and timezone.now() > homework.submission_due,
        "can_submit": can_submit,
        "may_submit": may_submit,
        "form": form if can_submit else None,
        "error": error,
    }
    return render(request, "diary/submissions/task.html", context, status=status)


@require_GET
@school_member_required
def task(request, pupil_id: int, homework_id: int):
    pupil, family = _open(request, pupil_id, today(request.school.timezone))
    return _page(request, pupil, family, _homework(request, pupil, homework_id))


@require_POST
@school_member_required
def task_submit(request, pupil_id: int, homework_id: int):
    pupil, family = _open(request, pupil_id, today(request.school.timezone))
    homework = _homework(request, pupil, homework_id)
    if not request.user.has_perm("diary.submit_task", pupil):
        raise PermissionDenied
    form = SubmissionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            submission = services.submission_save(
                actor=request.user,
                homework=homework,
                text=form.cleaned_data["text"],
                uploads=form.cleaned_data["files"],
            )
        except ScheduleError as e:
            # Shown above the page: after the due time there is no form to carry it.
            return _page(request, pupil, family, homework, form=form, status=422, error=e.message)
        else:
            if submission.late:
                messages.warning(request, _("The work is handed in after the due time; the teacher sees it as late."))
            else:
                messages.success(request, _("The work is handed in. You may change it until the due time."))
            return redirect("diary:task", pupil_id=pupil.pk, homework_id=homework.pk)
    return _page(request, pupil, family, homework, form=form, status=422)


def _file(request, pupil, file_id: int) -> SubmissionFile:
    """A file of this pupil's own work; any other is 404."""
    return get_object_or_404(
        SubmissionFile.objects.for_school(request.school)
        .filter(submission__pupil=pupil)
        .select_related("submission__homework"),
        pk=file_id,
    )


@require_GET
@school_member_required
def task_file(request, pupil_id: int, file_id: int):
    pupil, _family = _open(request, pupil_id, today(request.school.timezone))
    file = _file(request, pupil, file_id)
    try:
        handle = file.file.open("rb")
    except FileNotFoundError as e:
        raise Http404 from e
    return FileResponse(handle, as_attachment=True, filename=file.name)


@require_POST
@school_member_required
def task_file_remove(request, pupil_id: int, file_id: int):
    pupil, family = _open(request, pupil_id, today(request.school.timezone))
    file = _file(request, pupil, file_id)
    if not request.user.has_perm("diary.submit_task", pupil):
        raise PermissionDenied
    homework = _homework(request, pupil, file.submission.homework_id)
    try:
        services.submission_file_remove(actor=request.user, file=file)
    except ScheduleError as e:
        return _page(request, pupil, family, homework, status=409, error=e.message)
    messages.success(request, _("The file is removed from your work."))
    return redirect("diary:task", pupil_id=pupil.pk, homework_id=homework.pk)


@require_GET
@school_member_required
def material_file(request, pupil_id: int, material_id: int):
    """A material's file of one of the pupil's lessons, from the lesson's date on (before it: 404, as if there were
    none: a test stays unseen until its lesson)."""
    pupil, _family = _open(request, pupil_id, today(request.school.timezone))
    material = get_object_or_404(
        LessonMaterial.objects.for_school(request.school)
        .filter(kind=LessonMaterial.Kind.FILE)
        .filter(pupil_lesson_filter(pupil.pk, prefix="lesson__"))
        .select_related("lesson"),
        pk=material_id,
    )
    if not visible_to_families(material.lesson.date, request.school.timezone) or not material.file:
        raise Http404
    try:
        handle = material.file.open("rb")
    except FileNotFoundError as e:
        raise Http404 from e
    return FileResponse(handle, as_attachment=True, filename=material.file_name or "material")


# --- The week's day cards ------------------------------------------------------------------------------------


class WeekPieces:
    """Renders a lesson's materials and a homework's task state for diary.views.week_html (escaped HTML). URLs are
    reversed once per page."""

    def __init__(self, pupil_id: int):
        probe = 987654321
        self._task = reverse("diary:task", kwargs={"pupil_id": pupil_id, "homework_id": probe}).split(str(probe))
        self._file = reverse("diary:material_file", kwargs={"pupil_id": pupil_id, "material_id": probe}).split(
            str(probe)
        )
        self.t = {
            "materials": escape(_("Materials")),
            "task": escape(_("Hand in through the diary")),
            "by": _("by %(when)s"),
            "missing": escape(_("not handed in")),
            "submitted": escape(_("handed in")),
            "late": escape(_("handed in late")),
            "checked": escape(_("checked")),
            "mark": escape(_("mark")),
            "open": escape(_("Open the task")),
        }

    def materials(self, lesson) -> str:
        if not lesson.materials:
            return ""
        out = [f'<div class="dw-materials"><p class="dw-label">{self.t["materials"]}</p><ul class="dw-files">']
        for m in lesson.materials:
            title = escape(m.title)
            if m.kind == LessonMaterial.Kind.FILE:
                href = f"{self._file[0]}{m.id}{self._file[1]}"
                out.append(f'<li><a href="{href}" download>{title}</a></li>')
            elif m.kind == LessonMaterial.Kind.LINK:
                out.append(f'<li><a href="{escape(m.url)}" rel="noopener noreferrer" target="_blank">{title}</a></li>')
            else:
                text = escape(m.text).replace("\r\n", "\n").replace("\n", "<br>")
                out.append(f"<li><details><summary>{title}</summary><p>{text}</p></details></li>")
        out.append("</ul></div>")
        return "".join(out)

    def task(self, homework) -> str:
        task = homework.task
        if task is None:
            return ""
        if task.status == HomeworkSubmission.Status.CHECKED:
            state, css = self.t["checked"], "ok"
        elif task.status:
            state, css = (self.t["late"], "late") if task.late else (self.t["submitted"], "warn")
        else:
            state, css = self.t["missing"], "st-neutral"
        when = ""
        if task.due is not None:
            local = timezone.localtime(task.due)
            when = " " + escape(self.t["by"] % {"when": date_format(local, "j E H:i")})
        parts = [
            f'<div class="dw-task"><p><span class="dw-label">{self.t["task"]}</span>{when} '
            f'<span class="badge {css}">{state}</span>'
        ]
        if task.mark:
            parts.append(f' <span class="dw-task-mark">{self.t["mark"]}: <strong>{escape(task.mark)}</strong></span>')
        parts.append("</p>")
        if task.comment:
            parts.append(f'<p class="dw-comment">{escape(task.comment)}</p>')
        href = f"{self._task[0]}{homework.id}{self._task[1]}"
        parts.append(f'<p><a class="dw-btn dw-task-link" href="{href}">{self.t["open"]}</a></p></div>')
        return "".join(parts)
