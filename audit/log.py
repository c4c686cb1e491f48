"""The one way to write an audit entry (DESIGN §3): `record(actor=, school=, action=, obj=, data=)`."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry

SECRET_KEYS = ("password", "secret", "token")


def _mask(data: dict[str, Any]) -> dict[str, Any]:
    return {k: ("***" if any(s in k.lower() for s in SECRET_KEYS) else v) for k, v in data.items()}


def record(
    *, actor, school, action: str, obj: models.Model | None = None, data: dict[str, Any] | None = None
) -> AuditEntry:
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        school=school,
        actor_id=actor_id,
        action=action,
        object_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        data=_mask(data or {}),
    )
