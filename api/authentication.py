"""How an app shows its key: `Authorization: Bearer <key>` (or `Token <key>`, as many clients send it).

A key opens the diary of its school only, as its owner sees it there; a revoked key, or one whose owner is no longer
a pupil or parent of the school (a pupil who left, a parent whose login was closed), answers 401."""

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from accounts.access import access
from accounts.models import FAMILY_ROLES

from .models import ApiToken
from .services import key_hash, token_touch

KEYWORDS = ("bearer", "token")
REALM = "diary"


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in KEYWORDS:
            return None  # not ours: the session (or nobody)
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the key as «Authorization: Bearer <key>»."))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError as e:
            raise exceptions.AuthenticationFailed(_("The key is not valid.")) from e
        token = ApiToken.objects.select_related("user", "school").filter(key_hash=key_hash(raw)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("The key is not valid."))
        if token.revoked_at is not None:
            from .audit import token_refused

            token_refused(request, token)
            raise exceptions.AuthenticationFailed(_("The key has been revoked."))
        user = token.user
        a = access(user)
        if not user.is_active or not (a.roles_in(token.school_id) & FAMILY_ROLES):
            raise exceptions.AuthenticationFailed(_("The key's owner no longer reads this school's diary."))
        # The key decides the school for this request, whatever the owner last chose on the site.
        a.active_school_id = token.school_id
        request._request.school = a.active_school
        if token_touch(token=token):
            from .audit import family_visit

            family_visit(token)
        return user, token

    def authenticate_header(self, request) -> str:
        return f'Bearer realm="{REALM}"'
