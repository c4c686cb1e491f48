"""Teaching materials of a lesson (R-G03): the lesson's list, posted, changed and removed by whoever fills the
lesson; read, files included, by whoever reads the lesson. Pupils and parents read them in the diary
(diary/views_submissions.py) from the lesson's date."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import school_member_required
from ejournal.clock import today

from .forms_materials import MaterialForm
from .models import Lesson, LessonMaterial
from .selectors_lessons import decorate
from .services import ScheduleError
from .services import materials as services
from .views_lessons import _lesson


def _url(lesson: Lesson) -> str:
    return reverse("schedule:materials", args=[lesson.pk])


def _page(request, lesson: Lesson, *, form: MaterialForm | None = None, status: int = 200, error: str = ""):
    can_change = request.user.has_perm("schedule.change_materials", lesson)
    decorate([lesson])
    materials = list(
        LessonMaterial.objects.filter(school=request.school, lesson=lesson)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    context = {
        "lesson": lesson,
        "course": lesson.course,
        "materials": materials,
        "can_change": can_change,
        "form": (form or MaterialForm(initial={"kind": LessonMaterial.Kind.FILE})) if can_change else None,
        "families_see": lesson.date <= today(request.school.timezone),
        "error": error,
    }
    return render(request, "schedule/materials/lesson.html", context, status=status)


@require_GET
@school_member_required
def materials(request, lesson_id: int):
    lesson = _lesson(request, lesson_id)
    if not request.user.has_perm("schedule.view_lesson", lesson):
        raise PermissionDenied
    return _page(request, lesson)


@require_POST
@school_member_required
def material_add(request, lesson_id: int):
    lesson = _lesson(request, lesson_id)
    if not request.user.has_perm("schedule.change_materials", lesson):
        raise PermissionDenied
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.material_add(
                actor=request.user,
                lesson=lesson,
                kind=data["kind"],
                title=data["title"],
                url=data["url"],
                text=data["text"],
                upload=data["file"],
            )
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The material is posted."))
            return redirect(_url(lesson))
    return _page(request, lesson, form=form, status=422)


def _material(request, material_id: int) -> LessonMaterial:
    return get_object_or_404(LessonMaterial.objects.for_school(request.school).select_related("lesson"), pk=material_id)


def _changeable(request, material_id: int) -> tuple[LessonMaterial, Lesson]:
    material = _material(request, material_id)
    lesson = _lesson(request, material.lesson_id)
    if not request.user.has_perm("schedule.change_materials", lesson):
        raise PermissionDenied
    return material, lesson


@require_http_methods(["GET", "POST"])
@school_member_required
def material_edit(request, material_id: int):
    material, lesson = _changeable(request, material_id)
    initial = {"kind": material.kind, "title": material.title, "url": material.url, "text": material.text}
    if request.method == "GET":
        form = MaterialForm(initial=initial, kind=material.kind)
        return render(request, "schedule/materials/edit.html", {"lesson": lesson, "material": material, "form": form})
    form = MaterialForm(request.POST, request.FILES, initial=initial, kind=material.kind)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.material_update(
                actor=request.user,
                material=material,
                title=data["title"],
                url=data["url"],
                text=data["text"],
                upload=data["file"],
            )
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The material is saved."))
            return redirect(_url(lesson))
    return render(
        request, "schedule/materials/edit.html", {"lesson": lesson, "material": material, "form": form}, status=422
    )


@require_POST
@school_member_required
def material_remove(request, material_id: int):
    material, lesson = _changeable(request, material_id)
    try:
        services.material_remove(actor=request.user, material=material)
    except ScheduleError as e:
        return _page(request, lesson, status=422, error=e.message)
    messages.success(request, _("The material is removed."))
    return redirect(_url(lesson))


@require_GET
@school_member_required
def material_file(request, material_id: int):
    """The material's file, as an attachment, to those who read the lesson (families get it through the diary)."""
    material = _material(request, material_id)
    lesson = _lesson(request, material.lesson_id)
    if not request.user.has_perm("schedule.view_lesson", lesson):
        raise PermissionDenied
    if not material.file:
        raise Http404
    try:
        handle = material.file.open("rb")
    except FileNotFoundError as e:
        raise Http404 from e
    return FileResponse(handle, as_attachment=True, filename=material.file_name or "material")
