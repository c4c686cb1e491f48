"""Forms of the year's structure: years, periods, holidays, bells and subjects. They parse input; the rules live
in schedule/services/years.py."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms_classes import date_field
from .models import StudyPeriod
from .services.years import MAX_LESSON_NUMBER, BellTimes

TIME_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]


class YearForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=20, help_text=_("For example, 2026/2027"))
    start = date_field(_("First day"))
    end = date_field(_("Last day"), help_text=_("Usually 31 August: the year includes the summer."))


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=StudyPeriod.Kind.choices)
    number = forms.IntegerField(
        label=_("Number"), min_value=1, max_value=4, help_text=_("Quarters 1–4, trimesters 1–3, halves 1–2")
    )
    start = date_field(_("First day"))
    end = date_field(_("Last day"))
    grade_from = forms.IntegerField(label=_("From grade"), min_value=1, max_value=11, initial=1)
    grade_to = forms.IntegerField(label=_("To grade"), min_value=1, max_value=11, initial=11)

    def clean(self):
        data = super().clean()
        if data.get("grade_from") and data.get("grade_to") and data["grade_from"] > data["grade_to"]:
            self.add_error("grade_to", _("The last grade cannot be below the first one."))
        return data


class HolidayForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("For example, autumn holidays"))
    start = date_field(_("First day"))
    end = date_field(_("Last day"))


class BellScheduleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("For example, first shift"))


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class BellForm(forms.Form):
    """One lesson's times. A row left empty is no lesson; a half-filled row is an error."""

    number = forms.IntegerField(
        label=_("Lesson"),
        min_value=0,
        max_value=MAX_LESSON_NUMBER,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "bell-number"}),
    )
    start = forms.TimeField(label=_("Starts"), input_formats=TIME_FORMATS, required=False, widget=TimeInput())
    end = forms.TimeField(label=_("Ends"), input_formats=TIME_FORMATS, required=False, widget=TimeInput())

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        given = [data.get(f) is not None for f in ("number", "start", "end")]
        if any(given) and not all(given):
            raise forms.ValidationError(_("Give the lesson's number, start and end, or leave the row empty."))
        return data

    def bell(self) -> BellTimes | None:
        data = getattr(self, "cleaned_data", None) or {}
        if data.get("DELETE") or data.get("number") is None:
            return None
        return BellTimes(number=data["number"], start=data["start"], end=data["end"])


BellFormSet = forms.formset_factory(BellForm, extra=3, can_delete=True, can_delete_extra=False, max_num=20)


def _t(hours: int, minutes: int) -> datetime.time:
    return datetime.time(hours, minutes)


# What a new bell schedule's form suggests: 45-minute lessons from 8:00 with 10-minute breaks and two 20-minute
# breaks for meals (SanPiN: lessons start no earlier than 8:00). The admin corrects them before saving.
USUAL_BELLS = [
    BellTimes(1, _t(8, 0), _t(8, 45)),
    BellTimes(2, _t(8, 55), _t(9, 40)),
    BellTimes(3, _t(10, 0), _t(10, 45)),
    BellTimes(4, _t(11, 5), _t(11, 50)),
    BellTimes(5, _t(12, 0), _t(12, 45)),
    BellTimes(6, _t(12, 55), _t(13, 40)),
    BellTimes(7, _t(13, 50), _t(14, 35)),
]


def bell_formset(data=None, *, bells) -> forms.BaseFormSet:
    """The bells as one form: the saved ones, or the usual times for a new schedule, and empty rows to add more."""
    if data is not None:
        # What was posted is the whole answer: compared with no initial values, a row the admin left as it was is
        # still a lesson, even if the saved bells changed in between.
        return BellFormSet(data, prefix="bells")
    initial = [{"number": b.number, "start": b.start, "end": b.end} for b in bells or USUAL_BELLS]
    return BellFormSet(initial=initial, prefix="bells")


class SubjectForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("For example, Russian language"))
    short_name = forms.CharField(
        label=_("Short name"),
        max_length=50,
        required=False,
        help_text=_("Shown where space is short, for example «Maths»"),
    )
    no_attestation = forms.BooleanField(
        label=_("Without attestation"),
        required=False,
        help_text=_("No period or year marks, for example for an optional course."),
    )
