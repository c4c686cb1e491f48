"""The diary API's keys (issue 12 item 5): created and revoked by their owner on the profile page, noted when used.
Every write goes through these functions; each is audited."""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import School, User
from audit.log import record
from ejournal.clock import now

from .errors import ApiError
from .models import ApiToken

__all__ = ["ApiError", "KEY_PREFIX", "MAX_ACTIVE", "NewToken", "key_hash", "token_create", "token_revoke"]

MAX_ACTIVE = 5  # a family's phones and computers; more is a key that was forgotten, not revoked
KEY_PREFIX = "ej_"
PREFIX_SHOWN = 10  # «ej_» and 7 characters: enough to tell one's keys apart, far too few to guess the rest
NAME_MAX = ApiToken._meta.get_field("name").max_length
# last_used_at moves at most this often: the key's row is not written on every request of an app.
TOUCH_EVERY = datetime.timedelta(minutes=1)


def key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    key: str  # shown once; only its hash is kept


@transaction.atomic
def token_create(*, actor: User, school: School, name: str) -> NewToken:
    """A new key of the actor's for the school's diary; the raw key is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ApiError(_("Name the key, for example after the app or the phone it is for."))
    if len(name) > NAME_MAX:
        raise ApiError(_("The name is longer than %(count)s characters.") % {"count": NAME_MAX})
    if not actor.has_perm("api.hold_token", school):
        raise ApiError(_("Diary API keys are for pupils and parents."))
    # Serialise a person's creations: two at once must not both pass the limit.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    if ApiToken.objects.filter(user=actor, school=school).active().count() >= MAX_ACTIVE:
        raise ApiError(
            _("You already have %(count)s active keys: revoke one you no longer use first.") % {"count": MAX_ACTIVE}
        )
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        school=school, user=actor, name=name, key_hash=key_hash(raw), prefix=raw[:PREFIX_SHOWN], created_at=now()
    )
    data = {"name": name, "prefix": token.prefix}
    record(actor=actor, school=school, action="api.token.created", obj=token, data=data)
    return NewToken(token=token, key=raw)


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """The key stops opening the diary at once; it stays listed as revoked."""
    if not actor.has_perm("api.revoke_token", token):
        raise ApiError(_("Only the key's owner revokes it."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ApiError(_("This key is already revoked."))
    token.revoked_at = now()
    token.save(update_fields=["revoked_at"])
    record(actor=actor, school=token.school, action="api.token.revoked", obj=token, data={"prefix": token.prefix})
    return token


def token_touch(*, token: ApiToken) -> bool:
    """Note that the key was used now, at most once a minute; True when the row was written. Not a rule but a
    fact: no audit entry of its own (each request has one)."""
    moment = now()
    if token.last_used_at is not None and moment - token.last_used_at < TOUCH_EVERY:
        return False
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=moment)
    token.last_used_at = moment
    return True
