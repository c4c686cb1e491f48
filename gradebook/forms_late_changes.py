"""Forms of late-change requests and retake protocols (R-F01..R-F05). They check the input's shape and the scan's
kind; gradebook/late_changes.py checks the rules (the cell is locked, the reason, the document, no duplicate)."""

import os

from django import forms
from django.conf import settings
from django.utils import functional
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from attendance.models import LONG, MAX_LATE_MINUTES, Code
from ejournal.uploads import upload_max_mb
from schedule.forms_classes import date_field

from .late_changes import MAX_TEXT
from .models import LateChangeRequest, Mark, PeriodMark

Target = LateChangeRequest.Target

# What a scan's first bytes are for each allowed name ending: a renamed file of another kind is refused.
SCAN_MAGIC = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


def _labelled(choices) -> list[tuple[str, str]]:
    """«зач — pass» where the label says more than the value; «5» alone."""
    return [(value, value if str(label) == value else f"{value} — {label}") for value, label in choices]


def value_choices(target: str, *, removable: bool = True) -> list[tuple[str, str]]:
    """The values a cell of the target may take; "" removes what is there."""
    if target == Target.MARK:
        values = _labelled(Mark.Value.choices)
        empty = _("no mark (remove it)")
    elif target == Target.ABSENCE:
        values = [(code, f"{label} — {LONG[code]}") for code, label in Code.choices]
        empty = _("present (no attendance mark)")
    else:
        values = _labelled(PeriodMark.Value.choices)
        empty = _("no mark (remove it)")
    return ([("", empty)] if removable else [("", "—")]) + values


def _scan_help_now() -> str:
    return gettext("PDF, JPEG or PNG, at most %(size)s MB.") % {"size": upload_max_mb()}


_scan_help = functional.lazy(_scan_help_now, str)  # formatted when the form is rendered, in the request's language


class ScanField(forms.FileField):
    """The document's scan: PDF, JPEG or PNG, at most UPLOAD_MAX_MB (R-F03)."""

    default_error_messages = {
        "required": _("Attach the scan of the document."),
        "kind": _("The scan is a PDF, JPEG or PNG file."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Scan of the document"))
        kwargs.setdefault("help_text", _scan_help())
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"

    def clean(self, data, initial=None):
        scan = super().clean(data, initial)
        if not scan:
            return scan
        extension = os.path.splitext(scan.name or "")[1].lower()
        if extension not in SCAN_MAGIC:
            raise forms.ValidationError(self.error_messages["kind"], code="kind")
        if scan.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The scan is larger than %(size)s MB."), code="size", params={"size": upload_max_mb()}
            )
        scan.seek(0)
        head = scan.read(8)
        scan.seek(0)
        if not head.startswith(SCAN_MAGIC[extension]):
            raise forms.ValidationError(self.error_messages["kind"], code="kind")
        return scan


class _DocumentForm(forms.Form):
    """The document every late change cites: its registration number and date, its scan, an explanation."""

    document_number = forms.CharField(
        label=_("Document number"),
        max_length=100,
        error_messages={"required": _("Give the document's registration number.")},
    )
    document_date = date_field(_("Document date"), error_messages={"required": _("Give the document's date.")})
    scan = ScanField()
    explanation = forms.CharField(
        label=_("Explanation"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LateChangeForm(_DocumentForm):
    """A teacher's request (R-F01..R-F03): the new value, the reason of seed 001 and the document."""

    new_value = forms.ChoiceField(label=_("New value"), required=False)
    minutes = forms.IntegerField(
        label=_("Minutes late"),
        required=False,
        min_value=1,
        max_value=MAX_LATE_MINUTES,
        help_text=_("Only for «ОП» (late)."),
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", "—"), *LateChangeRequest.Reason.choices],
        error_messages={"required": _("Choose the reason of the change (seed 001 lists them).")},
    )

    field_order = ["new_value", "minutes", "reason", "document_number", "document_date", "scan", "explanation"]

    def __init__(self, *args, target: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        self.fields["new_value"].choices = value_choices(target)
        if target != Target.ABSENCE:
            del self.fields["minutes"]

    def clean(self):
        data = super().clean()
        if self.target == Target.ABSENCE:
            if data.get("new_value") == Code.LATE and not data.get("minutes"):
                self.add_error(
                    "minutes", _("Give how many minutes late, from 1 to %(most)s.") % {"most": MAX_LATE_MINUTES}
                )
            elif data.get("new_value") != Code.LATE:
                data["minutes"] = None
        return data


class RetakeForm(_DocumentForm):
    """The deputy's retake protocol (R-F05): the retake's mark, the protocol's number, date and scan."""

    new_value = forms.ChoiceField(
        label=_("Mark of the retake"), error_messages={"required": _("Give the mark of the retake.")}
    )

    field_order = ["new_value", "document_number", "document_date", "scan", "explanation"]

    def __init__(self, *args, target: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_value"].choices = value_choices(target, removable=False)
        self.fields["document_number"].label = _("Protocol number")
        self.fields["document_number"].error_messages["required"] = _("Give the retake protocol's number.")
        self.fields["document_date"].label = _("Protocol date")
        self.fields["document_date"].error_messages["required"] = _("Give the retake protocol's date.")
        self.fields["scan"].label = _("Scan of the protocol")


class ApproveForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=MAX_TEXT, required=False)


class RejectForm(forms.Form):
    comment = forms.CharField(
        label=_("Why it is rejected"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the request is rejected.")},
    )
