from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Key name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("What the key is for, e.g. «Приложение на телефоне»."),
        error_messages={"required": _("Name the key, for example after the app or the phone it is for.")},
    )
