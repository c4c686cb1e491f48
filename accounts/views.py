from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import LoginView
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import profile as profile_sections
from . import services
from .access import access
from .forms import LoginForm
from .forms_welcome import WelcomeForm
from .middleware import SCHOOL_SESSION_KEY
from .models import Role, School


class SchoolLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def lockout(request, original_response=None, credentials=None):
    """django-axes' answer to a locked (login, IP) pair: a page in Russian that says for how long."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "accounts/locked.html", context, status=429)


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(
            user=request.user, new_password=form.cleaned_data["new_password1"], school=request.school
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your password has been changed."))
        return redirect("home")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": request.user.must_change_password},
    )


@require_GET
@login_required
def profile(request):
    """The person's own page: who they are here, their password, and the sections other apps add (feeds, API)."""
    roles = sorted(access(request.user).roles_in(request.school.pk if request.school else None))
    return render(
        request,
        "accounts/profile.html",
        {
            "role_labels": [Role(r).label for r in roles if r in Role.values],
            "sections": profile_sections.sections_for(request),
        },
    )


@require_POST
@login_required
def school_switch(request):
    """A person who works in two schools chooses the one they work in now; only their own schools answer."""
    try:
        school_id = int(request.POST.get("school", ""))
    except ValueError:
        school_id = None
    if school_id not in access(request.user).schools:
        raise Http404
    request.session[SCHOOL_SESSION_KEY] = school_id
    return redirect("home")


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def welcome(request):
    """First run of a fresh installation: the school and its first administrator. Gone once a school exists."""
    if School.objects.exists():
        raise Http404
    form = WelcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = services.NewPerson(
            last_name=data["last_name"],
            first_name=data["first_name"],
            middle_name=data["middle_name"],
            email=data["email"],
            username=data["username"],
            consent=services.ConsentData(
                signed_by=f"{data['last_name']} {data['first_name']} {data['middle_name']}".strip(),
                signed_on=data["consent_signed_on"],
                document=data["consent_document"],
            ),
        )
        try:
            _school, user = services.platform_bootstrap(
                school_name=data["school_name"], short_name=data["short_name"], admin=person, password=data["password1"]
            )
        except services.AccountsError as e:
            form.add_error(None, e.message)
        else:
            login(request, user, backend="accounts.backends.StaffModelBackend")
            messages.success(request, _("The school is created. Continue with the set-up checklist."))
            return redirect("home")
    return render(request, "accounts/welcome.html", {"form": form})
