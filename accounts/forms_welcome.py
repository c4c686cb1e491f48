from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


class WelcomeForm(forms.Form):
    school_name = forms.CharField(label=_("School's full name"), max_length=500)
    short_name = forms.CharField(label=_("School's short name"), max_length=200)
    last_name = forms.CharField(label=_("Your surname"), max_length=150)
    first_name = forms.CharField(label=_("Your first name"), max_length=150)
    middle_name = forms.CharField(label=_("Your middle name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Your email"), required=False)
    username = forms.RegexField(
        label=_("Your login"),
        regex=r"^[A-Za-z0-9._-]{3,150}$",
        error_messages={"invalid": _("Latin letters, digits, dot, dash and underscore; at least 3.")},
    )
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)
    consent_document = forms.CharField(label=_("Your consent to personal-data processing: document"), max_length=300)
    consent_signed_on = forms.DateField(
        label=_("Consent signed on"), input_formats=DATE_FORMATS, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The passwords differ."))
        elif data.get("password1"):
            try:
                password_validation.validate_password(data["password1"])
            except forms.ValidationError as e:
                self.add_error("password1", e)
        return data
