"""The school's time rules (DESIGN §5): one service that changes them, with an audit entry of what changed."""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.log import record

from .models import School, SchoolSettings, User
from .services import AccountsError

# Every field but the school itself.
EDITABLE_FIELDS = tuple(f.name for f in SchoolSettings._meta.concrete_fields if f.name != "school")


def _audit(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal | datetime.time) else value


def _check(s: SchoolSettings) -> None:
    try:
        s.full_clean(exclude=["school"])
    except ValidationError as e:
        field, errors = next(iter(e.message_dict.items()))
        label = SchoolSettings._meta.get_field(field).verbose_name if field in EDITABLE_FIELDS else ""
        raise AccountsError(f"{label}: {errors[0]}" if label else errors[0]) from e
    if s.edit_window_days is not None and s.edit_window_days < s.mark_entry_days:
        raise AccountsError(_("The edit window for marks cannot close before the deadline for entering them."))
    if s.period_mark_edit_days < s.period_mark_entry_days:
        raise AccountsError(_("Period marks cannot stop being editable before the deadline for entering them."))
    if s.min_marks_more_hours < s.min_marks_one_hour:
        raise AccountsError(_("Subjects of 2+ hours a week cannot need fewer marks than those of 1 hour a week."))


@transaction.atomic
def school_settings_update(*, actor: User | None, school: School, values: Mapping[str, Any]) -> SchoolSettings:
    """Change some of the school's rules; `values` maps field names to new values. The audit entry lists each
    changed field as [old, new]."""
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise AccountsError(_("Unknown settings: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    current, _created = SchoolSettings.objects.select_for_update().get_or_create(school=school)
    changes = {}
    for field, value in values.items():
        old = getattr(current, field)
        if old != value:
            changes[field] = [_audit(old), _audit(value)]
            setattr(current, field, value)
    if not changes:
        return current
    _check(current)
    current.save(update_fields=list(changes))
    record(actor=actor, school=school, action="accounts.settings.changed", obj=current, data=changes)
    return current
