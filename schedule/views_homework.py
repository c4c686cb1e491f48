"""Homework of a lesson (R-G01, R-G02): set, cleared and given files by whoever fills the lesson; files are read by
whoever may read the lesson."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import school_member_required

from .forms_homework import HomeworkFileForm, HomeworkForm
from .models import Homework, HomeworkFile
from .services import ScheduleError
from .services import homework as services
from .views_lessons import _detail, _detail_url, _lesson


def _fillable(request, lesson_id: int):
    lesson = _lesson(request, lesson_id)
    if not request.user.has_perm("schedule.fill_lesson", lesson):
        raise PermissionDenied
    return lesson


@require_POST
@school_member_required
def homework_set(request, lesson_id: int):
    lesson = _fillable(request, lesson_id)
    form = HomeworkForm(request.POST, lesson=lesson)
    if form.is_valid():
        try:
            homework = services.homework_set(actor=request.user, lesson=lesson, **form.cleaned_data)
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            if homework.entered_late:
                messages.warning(request, _("The homework is saved; it was entered after the deadline."))
            else:
                messages.success(request, _("The homework is saved."))
            return redirect(_detail_url(lesson))
    return _detail(request, lesson, status=422, homework_form=form)


@require_POST
@school_member_required
def homework_clear(request, lesson_id: int):
    lesson = _fillable(request, lesson_id)
    try:
        services.homework_clear(actor=request.user, lesson=lesson)
    except ScheduleError as e:
        return _detail(request, lesson, status=422, error=e.message)
    messages.success(request, _("The homework is removed."))
    return redirect(_detail_url(lesson))


@require_POST
@school_member_required
def homework_file_add(request, lesson_id: int):
    lesson = _fillable(request, lesson_id)
    homework = Homework.objects.filter(lesson=lesson).first()
    form = HomeworkFileForm(request.POST, request.FILES)
    if homework is None:
        form.add_error(None, _("Save the homework's text first, then attach files to it."))
    elif form.is_valid():
        try:
            services.homework_file_add(actor=request.user, homework=homework, upload=form.cleaned_data["file"])
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The file is attached."))
            return redirect(_detail_url(lesson))
    return _detail(request, lesson, status=422, file_form=form)


def _file(request, file_id: int) -> HomeworkFile:
    return get_object_or_404(
        HomeworkFile.objects.for_school(request.school).select_related("homework__lesson__course__year"), pk=file_id
    )


@require_POST
@school_member_required
def homework_file_remove(request, file_id: int):
    file = _file(request, file_id)
    lesson = _fillable(request, file.homework.lesson_id)
    try:
        services.homework_file_remove(actor=request.user, file=file)
    except ScheduleError as e:
        return _detail(request, lesson, status=422, error=e.message)
    messages.success(request, _("The file is removed."))
    return redirect(_detail_url(lesson))


@require_GET
@school_member_required
def homework_file(request, file_id: int):
    """The file, to those who may read the lesson (pupils and parents get theirs through the diary, issue 7)."""
    file = _file(request, file_id)
    if not request.user.has_perm("schedule.view_lesson", file.homework.lesson):
        raise PermissionDenied
    try:
        handle = file.file.open("rb")
    except FileNotFoundError as e:
        raise Http404 from e
    return FileResponse(handle, as_attachment=True, filename=file.name)
