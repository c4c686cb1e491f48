from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NotificationSettings


class NotificationForm(forms.Form):
    marks = forms.ChoiceField(
        label=_("Marks by email"), choices=NotificationSettings.Marks.choices, widget=forms.RadioSelect
    )
    sms_marks = forms.BooleanField(label=_("an SMS for each new mark"), required=False)
    sms_absences = forms.BooleanField(label=_("an SMS when the child misses a lesson or is late"), required=False)
