from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NotificationSettings


class NotificationForm(forms.Form):
    marks = forms.ChoiceField(
        label=_("Marks by email"), choices=NotificationSettings.Marks.choices, widget=forms.RadioSelect
    )
