"""The audit log's filter (issue 10 item 2): a date range, a group of actions, a person."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .log import ACTION_GROUPS, OTHER_GROUP

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


class LogFilterForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), input_formats=DATE_FORMATS, required=False)
    end = forms.DateField(label=gettext_lazy("To"), input_formats=DATE_FORMATS, required=False)
    group = forms.ChoiceField(label=gettext_lazy("What"), required=False)
    person = forms.CharField(
        label=gettext_lazy("Who"),
        required=False,
        max_length=150,
        help_text=gettext_lazy("A login or the beginning of a surname."),
    )
    after = forms.RegexField(regex=r"^\d{8}T\d{6}\.\d{6}_\d+$", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [
            ("", _("all actions")),
            *((key, label) for key, label, _actions in ACTION_GROUPS),
            (OTHER_GROUP, _("journal, timetable and other data")),
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end of the range is before its start."))
        return data
