"""The school's time rules (DESIGN §5): the admin edits them; the director and the deputy read them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .decorators import school_permission_required
from .forms_settings import HELP, SECTIONS, SchoolSettingsForm
from .models import SchoolSettings
from .services import AccountsError
from .settings_services import school_settings_update

# Set-up pages share one pair of permissions, declared in schedule/rules.py (R-A02: the admin sets the school up).
VIEW, CHANGE = "schedule.view_setup", "schedule.change_setup"


def _shown(value) -> str:
    if value is None:
        return _("no limit")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return localize(value)


def _read_only(s: SchoolSettings) -> list[tuple[str, list[tuple[str, str, str]]]]:
    meta = SchoolSettings._meta
    return [
        (
            title,
            [
                (meta.get_field(n).verbose_name, _shown(getattr(s, n)), HELP.get(n, meta.get_field(n).help_text))
                for n in names
            ],
        )
        for title, names in SECTIONS
    ]


@require_http_methods(["GET", "POST"])
@school_permission_required(VIEW)
def rules(request):
    school = request.school
    current = SchoolSettings.objects.filter(school=school).first() or SchoolSettings(school=school)
    can_edit = request.user.has_perm(CHANGE)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = None
    if can_edit:
        form = SchoolSettingsForm(request.POST or None, instance=current)
        if request.method == "POST" and form.is_valid():
            try:
                school_settings_update(actor=request.user, school=school, values=form.cleaned_data)
            except AccountsError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, _("The school's rules are saved."))
                return redirect("accounts:rules")
    return render(
        request,
        "accounts/settings/rules.html",
        {
            "form": form,
            "sections": None if can_edit else _read_only(current),
            "can_edit": can_edit,
        },
        status=422 if request.method == "POST" else 200,
    )
