"""Forms of mark appeals (R-I11): the family's report and the teacher's answer. They check the input's shape;
gradebook/appeals.py checks the rules (the days to report, one report at a time, a correction really made)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .appeals import MAX_ANSWER, MAX_TEXT
from .models import MarkAppeal

Status = MarkAppeal.Status


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("What is wrong with the mark"),
        max_length=MAX_TEXT,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_TEXT}),
        help_text=_("For example: «I got 5 for this answer, not 4». The teacher reads it and answers here."),
        error_messages={"required": _("Say what is wrong with the mark.")},
    )


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (Status.CORRECTED, _("I corrected the mark in the journal")),
            (Status.ANSWERED, _("The mark stands: I explain why")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the mark was corrected or stands.")},
    )
    answer = forms.CharField(
        label=_("Answer to the family"),
        required=False,
        max_length=MAX_ANSWER,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_ANSWER}),
        help_text=_("Needed when the mark stands; optional after a correction."),
    )
