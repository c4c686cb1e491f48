"""Work types and their weights (R-D02, R-E01, R-E02): the admin's pages; the director and the deputy read them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import school_member_required, school_permission_required
from accounts.models import SchoolSettings

from . import services
from .forms import WorkTypeForm
from .models import WorkType
from .services import GradebookError

VIEW, CHANGE = "gradebook.view_worktypes", "gradebook.change_worktypes"
FIELDS = ("name", "short_name", "weight", "entry_deadline_days", "edit_window_days", "is_control", "position")


def _status(request) -> int:
    return 422 if request.method == "POST" else 200


@require_GET
@school_permission_required(VIEW)
def worktype_list(request):
    school = request.school
    work_types = list(WorkType.objects.for_school(school).order_by("position", "name"))
    can_edit = request.user.has_perm(CHANGE)
    return render(
        request,
        "gradebook/worktypes/list.html",
        {
            "work_types": work_types,
            # The school's own rules stand where a work type leaves its deadlines empty.
            "rules": SchoolSettings.objects.filter(school=school).first() or SchoolSettings(school=school),
            "usual": services.usual_work_types() if can_edit and not work_types else [],
            "can_edit": can_edit,
        },
    )


def _form_page(request, form, *, title: str, work_type: WorkType | None = None):
    """The structure pages' shared form page (back link, fields, delete)."""
    context = {
        "form": form,
        "title": title,
        "back": reverse("gradebook:worktype_list"),
        "delete_url": reverse("gradebook:worktype_delete", args=[work_type.pk]) if work_type else None,
    }
    return render(request, "schedule/years/form.html", context, status=_status(request))


@require_http_methods(["GET", "POST"])
@school_permission_required(CHANGE)
def worktype_add(request):
    form = WorkTypeForm(request.POST or None, initial={"weight": 1})
    if request.method == "POST" and form.is_valid():
        try:
            work_type = services.work_type_create(actor=request.user, school=request.school, **form.cleaned_data)
        except GradebookError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The work type «%(name)s» is added.") % {"name": work_type})
            return redirect("gradebook:worktype_list")
    return _form_page(request, form, title=_("New work type"))


@require_POST
@school_permission_required(CHANGE)
def worktype_add_usual(request):
    try:
        added = services.work_types_add_usual(actor=request.user, school=request.school)
    except GradebookError as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request,
            _("Added %(count)s usual work types. Check their weights against your school's regulation.")
            % {"count": len(added)},
        )
    return redirect("gradebook:worktype_list")


def _work_type(request, work_type_id: int) -> WorkType:
    work_type = get_object_or_404(WorkType.objects.for_school(request.school), pk=work_type_id)
    if not request.user.has_perm(CHANGE, work_type):
        raise PermissionDenied
    return work_type


@require_http_methods(["GET", "POST"])
@school_member_required
def worktype_edit(request, work_type_id: int):
    work_type = _work_type(request, work_type_id)
    form = WorkTypeForm(request.POST or None, initial={f: getattr(work_type, f) for f in FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            services.work_type_update(actor=request.user, work_type=work_type, **form.cleaned_data)
        except GradebookError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The work type «%(name)s» is saved.") % {"name": work_type})
            return redirect("gradebook:worktype_list")
    return _form_page(request, form, title=work_type.name, work_type=work_type)


@require_POST
@school_member_required
def worktype_delete(request, work_type_id: int):
    work_type = _work_type(request, work_type_id)
    name = work_type.name
    try:
        services.work_type_delete(actor=request.user, work_type=work_type)
    except GradebookError as e:
        messages.error(request, e.message)
        return redirect("gradebook:worktype_edit", work_type_id=work_type.pk)
    messages.success(request, _("The work type «%(name)s» is deleted.") % {"name": name})
    return redirect(reverse("gradebook:worktype_list"))
