"""Forms of the journal grid: one mark, a new work. They check the input's shape; gradebook/marks.py checks the rules
(the windows, the lesson's list, the lesson's state)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from attendance.models import MAX_LATE_MINUTES, Code

from .marks import MAX_COMMENT
from .models import Mark, WorkType

# What the keyboard sends besides the stored values: «з» for зач, «-» and «нз» for незач («н» is the absence's code).
ALIASES = {"з": Mark.Value.PASS, "-": Mark.Value.FAIL, "нз": Mark.Value.FAIL, "зачёт": Mark.Value.PASS}


class MarkForm(forms.Form):
    """A cell: the pupil and the value; an empty value clears the cell."""

    pupil = forms.IntegerField(min_value=1)
    value = forms.CharField(required=False, max_length=8, strip=True)
    comment = forms.CharField(required=False, max_length=MAX_COMMENT)

    def clean_value(self) -> str:
        value = self.cleaned_data["value"].lower()
        value = ALIASES.get(value, value)
        if value and value not in Mark.Value.values:
            raise forms.ValidationError(_("A mark is 1, 2, 3, 4, 5, «зач» or «незач»."))
        return value


class AttendanceForm(forms.Form):
    """A pupil's attendance on a lesson from the grid: a code (empty: present) and the minutes of a lateness."""

    pupil = forms.IntegerField(min_value=1)
    code = forms.ChoiceField(required=False, choices=[("", "")] + list(Code.choices))
    minutes = forms.IntegerField(required=False, min_value=1, max_value=MAX_LATE_MINUTES)

    def clean(self):
        data = super().clean()
        if data.get("code") == Code.LATE and not data.get("minutes"):
            raise forms.ValidationError(
                _("Give how many minutes late, from 1 to %(most)s.") % {"most": MAX_LATE_MINUTES}
            )
        return data


class WorkForm(forms.Form):
    work_type = forms.ModelChoiceField(label=_("Work type"), queryset=WorkType.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200, required=False)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_type"].queryset = WorkType.objects.for_school(school)
