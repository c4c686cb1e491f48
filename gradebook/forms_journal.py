"""Forms of the journal grid: one mark, a new work. They check the input's shape; gradebook/marks.py checks the rules
(the windows, the lesson's list, the lesson's state)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .marks import MAX_COMMENT
from .models import Mark, WorkType

# What the keyboard sends besides the stored values: «з» and «н» for зач/незач (the services know the rest).
ALIASES = {"з": Mark.Value.PASS, "н": Mark.Value.FAIL, "нз": Mark.Value.FAIL, "зачёт": Mark.Value.PASS}


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


class WorkForm(forms.Form):
    work_type = forms.ModelChoiceField(label=_("Work type"), queryset=WorkType.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200, required=False)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_type"].queryset = WorkType.objects.for_school(school)
