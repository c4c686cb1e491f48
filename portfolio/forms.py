"""The achievement form: it parses the input and checks the scan as the service does; the rules live in
portfolio/services.py."""

from django import forms
from django.utils import functional
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ejournal.uploads import upload_max_mb
from schedule.forms_classes import date_field
from schedule.models import Subject

from .models import Achievement
from .services import NOTE_MAX, TITLE_MAX, scan_problem


def _scan_help_now() -> str:
    return gettext("The diploma or certificate: PDF, JPEG or PNG, at most %(size)s MB.") % {"size": upload_max_mb()}


class AchievementForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Achievement.Kind.choices, error_messages={"required": _("Choose the kind.")}
    )
    title = forms.CharField(
        label=_("Olympiad, contest or project"),
        max_length=TITLE_MAX,
        error_messages={"required": _("Name the olympiad, contest or project.")},
        help_text=_("For example: the all-Russian school olympiad in mathematics, the municipal stage."),
    )
    subject = forms.ModelChoiceField(
        label=_("Subject"), queryset=Subject.objects.none(), required=False, empty_label=_("no subject")
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=Achievement.Level.choices, error_messages={"required": _("Choose the level.")}
    )
    result = forms.ChoiceField(
        label=_("Result"), choices=Achievement.Result.choices, error_messages={"required": _("Choose the result.")}
    )
    result_note = forms.CharField(
        label=_("Result details"),
        max_length=NOTE_MAX,
        required=False,
        help_text=_("As the diploma says: «2nd place», «3rd degree diploma»."),
    )
    date = date_field(_("Date"), error_messages={"required": _("Give the date of the achievement.")})
    scan = forms.FileField(
        label=_("Scan of the diploma"),
        required=False,
        max_length=200,
        help_text=functional.lazy(_scan_help_now, str)(),
    )

    def __init__(self, *args, school, has_scan: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = Subject.objects.for_school(school).order_by("name")
        self.fields["scan"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
        if has_scan:
            self.fields["scan"].label = _("Replace the scan")
            self.fields["remove_scan"] = forms.BooleanField(label=_("Remove the scan"), required=False)

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        if scan:
            problem = scan_problem(scan)
            if problem:
                raise forms.ValidationError(problem, code="scan")
        return scan or None
