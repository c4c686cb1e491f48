"""The profile page's «Diary API» section (accounts/profile.py): the user's keys of the current school, the form
that makes one, and the raw key of the one just made (shown once)."""

from django.urls import reverse

from .forms import TokenForm
from .models import ApiToken
from .services import MAX_ACTIVE
from .views_tokens import NEW_KEY_SESSION


def section(request) -> dict | None:
    school = getattr(request, "school", None)
    if school is None:
        return None
    tokens = list(ApiToken.objects.for_school(school).filter(user=request.user))
    may_hold = request.user.has_perm("api.hold_token", school)
    if not may_hold and not tokens:
        return None  # staff: the API is the families' diary
    new = request.session.pop(NEW_KEY_SESSION, None)
    active = [t for t in tokens if t.active]
    for t in tokens:
        t.revoke_url = reverse("api:token_revoke", kwargs={"token_id": t.pk}) if t.active else ""
    return {
        "tokens": tokens,
        "new_key": new["key"] if new and any(t.pk == new.get("id") for t in active) else "",
        "new_id": new.get("id") if new else None,
        "can_create": may_hold and len(active) < MAX_ACTIVE,
        "limit_reached": may_hold and len(active) >= MAX_ACTIVE,
        "max_active": MAX_ACTIVE,
        "form": TokenForm(),
        "docs_url": reverse("api:docs"),
        "example_url": request.build_absolute_uri(reverse("api:pupils")),
    }
