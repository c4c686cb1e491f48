"""The profile page's keys (issue 12 item 5): create one (its raw key shown once) and revoke one. Each view asks the
permission layer, validates, calls one service of api/services.py and goes back to the profile."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import school_member_required

from . import services
from .errors import ApiError
from .forms import TokenForm
from .models import ApiToken

# The raw key of the key just made, for the profile page's next rendering only (then dropped from the session).
NEW_KEY_SESSION = "api_new_key"


@require_POST
@school_member_required
def token_create(request):
    if not request.user.has_perm("api.hold_token", request.school):
        raise PermissionDenied
    form = TokenForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("accounts:profile")
    try:
        new = services.token_create(actor=request.user, school=request.school, name=form.cleaned_data["name"])
    except ApiError as e:
        messages.error(request, e.message)
        return redirect("accounts:profile")
    request.session[NEW_KEY_SESSION] = {"id": new.token.pk, "key": new.key}
    messages.success(request, _("The key «%(name)s» is made.") % {"name": new.token.name})
    return redirect("accounts:profile")


@require_POST
@school_member_required
def token_revoke(request, token_id: int):
    # Another person's key, or a key of another school, is not found: nothing tells that it exists.
    token = get_object_or_404(ApiToken.objects.for_school(request.school).filter(user=request.user), pk=token_id)
    if not request.user.has_perm("api.revoke_token", token):
        raise PermissionDenied
    try:
        services.token_revoke(actor=request.user, token=token)
    except ApiError as e:
        messages.error(request, e.message)
        return redirect("accounts:profile")
    messages.success(
        request, _("The key «%(name)s» is revoked: apps using it no longer open the diary.") % {"name": token.name}
    )
    return redirect("accounts:profile")
