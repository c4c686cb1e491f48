from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_EDIT_DAYS, MAX_ENTRY_DAYS, MAX_WEIGHT


class WorkTypeForm(forms.Form):
    """Parses a work type; the rules (weight above 0, unique name, deadlines) live in gradebook/services.py."""

    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("For example, control work"))
    short_name = forms.CharField(
        label=_("Short name"), max_length=20, required=False, help_text=_("Shown above the journal's columns")
    )
    weight = forms.DecimalField(
        label=_("Weight"),
        min_value=0,
        max_value=MAX_WEIGHT,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("How much its marks count in the weighted average: above 0, at most 10; a usual answer is 1."),
    )
    entry_deadline_days = forms.IntegerField(
        label=_("Enter marks within (days after the lesson)"),
        min_value=0,
        max_value=MAX_ENTRY_DAYS,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_(
            "For works that take long to check: 3 days for control works, 7 for essays. "
            "Empty: the school's rule for current marks."
        ),
    )
    edit_window_days = forms.IntegerField(
        label=_("Marks can be corrected within (days after the lesson)"),
        min_value=0,
        max_value=MAX_EDIT_DAYS,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Empty: the school's edit window."),
    )
    is_control = forms.BooleanField(
        label=_("Control work"),
        required=False,
        help_text=_("Counted among the written control works when a period mark is set."),
    )
    position = forms.IntegerField(
        label=_("Place in the list"),
        min_value=0,
        max_value=999,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Smaller numbers come first; a new work type without one goes to the end."),
    )
