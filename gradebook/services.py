"""Writes of the gradebook that have rules, one function per action (STYLE: services own the rules)."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import School, User
from audit.log import record

from .models import WorkType


class GradebookError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Work types and their weights (R-D02, R-E01, R-E02) ----------------------------------------------------

MIN_WEIGHT, MAX_WEIGHT = Decimal("0"), Decimal("10")
MAX_ENTRY_DAYS = 60
MAX_EDIT_DAYS = 366


def _name(value: str) -> str:
    return " ".join((value or "").split())


def _weight(value) -> Decimal:
    try:
        weight = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError) as e:
        raise GradebookError(_("The weight must be a number, for example 1.5.")) from e
    if not weight.is_finite() or not MIN_WEIGHT < weight <= MAX_WEIGHT:
        raise GradebookError(_("The weight must be above 0 and at most 10."))
    if weight != weight.quantize(Decimal("0.01")):
        raise GradebookError(_("The weight takes at most two decimal places."))
    return weight.quantize(Decimal("0.01"))


def _check_work_type(
    *,
    school_id: int,
    name: str,
    short_name: str,
    entry_deadline_days: int | None,
    edit_window_days: int | None,
    work_type: WorkType | None = None,
) -> None:
    if not name:
        raise GradebookError(_("Give the work type's name."))
    if len(name) > WorkType._meta.get_field("name").max_length:
        raise GradebookError(_("The name is too long."))
    if len(short_name) > WorkType._meta.get_field("short_name").max_length:
        raise GradebookError(_("The short name is too long."))
    if entry_deadline_days is not None and not 0 <= entry_deadline_days <= MAX_ENTRY_DAYS:
        raise GradebookError(_("Marks are entered within 0 to %(most)s days of the lesson.") % {"most": MAX_ENTRY_DAYS})
    if edit_window_days is not None and not 0 <= edit_window_days <= MAX_EDIT_DAYS:
        raise GradebookError(
            _("Marks can be edited within 0 to %(most)s days of the lesson.") % {"most": MAX_EDIT_DAYS}
        )
    if entry_deadline_days is not None and edit_window_days is not None and edit_window_days < entry_deadline_days:
        raise GradebookError(_("The edit window cannot close before the deadline for entering the marks."))
    others = WorkType.objects.filter(school_id=school_id, name__iexact=name)
    if work_type is not None:
        others = others.exclude(pk=work_type.pk)
    if others.exists():
        raise GradebookError(_("The work type «%(name)s» already exists.") % {"name": name})


def _next_position(school_id: int) -> int:
    last = WorkType.objects.filter(school_id=school_id).aggregate(m=Max("position"))["m"]
    return 0 if last is None else last + 1


@transaction.atomic
def work_type_create(
    *,
    actor: User | None,
    school: School,
    name: str,
    short_name: str = "",
    weight=1,
    entry_deadline_days: int | None = None,
    edit_window_days: int | None = None,
    is_control: bool = False,
    position: int | None = None,
) -> WorkType:
    """A new work type; without a position it goes to the end of the list."""
    name, short_name = _name(name), _name(short_name)
    weight = _weight(weight)
    _check_work_type(
        school_id=school.pk,
        name=name,
        short_name=short_name,
        entry_deadline_days=entry_deadline_days,
        edit_window_days=edit_window_days,
    )
    work_type = WorkType.objects.create(
        school=school,
        name=name,
        short_name=short_name,
        weight=weight,
        entry_deadline_days=entry_deadline_days,
        edit_window_days=edit_window_days,
        is_control=is_control,
        position=_next_position(school.pk) if position is None else position,
    )
    record(
        actor=actor,
        school=school,
        action="gradebook.work_type.created",
        obj=work_type,
        data={"name": name, "weight": str(weight)},
    )
    return work_type


@transaction.atomic
def work_type_update(
    *,
    actor: User | None,
    work_type: WorkType,
    name: str,
    short_name: str,
    weight,
    entry_deadline_days: int | None,
    edit_window_days: int | None,
    is_control: bool,
    position: int | None = None,
) -> WorkType:
    """Change a work type. A new weight changes every weighted average that counts its marks, past ones too:
    the audit entry keeps the old weight."""
    name, short_name = _name(name), _name(short_name)
    weight = _weight(weight)
    _check_work_type(
        school_id=work_type.school_id,
        name=name,
        short_name=short_name,
        entry_deadline_days=entry_deadline_days,
        edit_window_days=edit_window_days,
        work_type=work_type,
    )
    new = {
        "name": name,
        "short_name": short_name,
        "weight": weight,
        "entry_deadline_days": entry_deadline_days,
        "edit_window_days": edit_window_days,
        "is_control": is_control,
        "position": work_type.position if position is None else position,
    }
    changes = {
        field: [_audit(getattr(work_type, field)), _audit(value)]
        for field, value in new.items()
        if getattr(work_type, field) != value
    }
    if changes:
        for field, value in new.items():
            setattr(work_type, field, value)
        work_type.save(update_fields=list(new))
        record(actor=actor, school=work_type.school, action="gradebook.work_type.changed", obj=work_type, data=changes)
    return work_type


def _audit(value):
    return str(value) if isinstance(value, Decimal) else value


@transaction.atomic
def work_type_delete(*, actor: User | None, work_type: WorkType) -> None:
    # No lesson work refers to a work type yet; once one does, its protecting foreign key refuses here.
    data = {"name": work_type.name, "weight": str(work_type.weight)}
    school = work_type.school
    try:
        work_type.delete()
    except ProtectedError as e:
        raise GradebookError(
            _("Marks were given for «%(name)s»: it cannot be deleted.") % {"name": data["name"]}
        ) from e
    record(actor=actor, school=school, action="gradebook.work_type.deleted", data=data)


# The work types most schools start with (seed 003: control works within 3 days, essays within a week).
# Their names are the school's data, stored in the site's language (Russian) whoever clicks the button.
USUAL_WORK_TYPES = [
    {"name": gettext_lazy("Answer in class"), "short_name": gettext_lazy("Ans"), "weight": Decimal("1")},
    {"name": gettext_lazy("Independent work"), "short_name": gettext_lazy("Ind"), "weight": Decimal("1.5")},
    {"name": gettext_lazy("Check-up work"), "short_name": gettext_lazy("Chk"), "weight": Decimal("2")},
    {
        "name": gettext_lazy("Control work"),
        "short_name": gettext_lazy("Ctrl"),
        "weight": Decimal("3"),
        "is_control": True,
        "entry_deadline_days": 3,
    },
    {
        "name": gettext_lazy("Essay"),
        "short_name": gettext_lazy("Ess"),
        "weight": Decimal("3"),
        "entry_deadline_days": 7,
    },
    {"name": gettext_lazy("Work done at home"), "short_name": gettext_lazy("HW"), "weight": Decimal("1")},
]


def usual_work_types() -> list[dict]:
    """The usual work types with their names in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return [
            {**row, "name": str(row["name"]), "short_name": str(row["short_name"]), "position": i}
            for i, row in enumerate(USUAL_WORK_TYPES)
        ]


@transaction.atomic
def work_types_add_usual(*, actor: User | None, school: School) -> list[WorkType]:
    """The usual work types for a school that has none yet."""
    if WorkType.objects.filter(school=school).exists():
        raise GradebookError(_("The school already has work types: add the missing ones one by one."))
    return [work_type_create(actor=actor, school=school, **row) for row in usual_work_types()]
