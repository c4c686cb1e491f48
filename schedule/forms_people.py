from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import GuardianLink, GuardianProfile, Role

from .forms_classes import date_field
from .models import SchoolClass

STAFF_ROLES = [
    (Role.TEACHER, _("Teacher")),
    (Role.DEPUTY, _("Deputy head")),
    (Role.DIRECTOR, _("Director")),
    (Role.ADMIN, _("Administrator")),
]


class PersonForm(forms.Form):
    last_name = forms.CharField(label=_("Surname"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    middle_name = forms.CharField(label=_("Middle name"), max_length=150, required=False)
    birth_date = date_field(_("Date of birth"), required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)


class ConsentForm(forms.Form):
    """R-B09: the consent comes first; without it nothing of the person is saved."""

    consent_document = forms.CharField(
        label=_("Consent to personal-data processing: document"),
        max_length=300,
        help_text=_("Number or description of the signed paper"),
    )
    consent_signed_on = date_field(_("Consent signed on"))
    consent_signed_by = forms.CharField(
        label=_("Consent signed by"), max_length=300, help_text=_("The person, or the parent of a minor pupil")
    )


class StaffCreateForm(ConsentForm, PersonForm):
    roles = forms.MultipleChoiceField(label=_("Roles"), choices=STAFF_ROLES, widget=forms.CheckboxSelectMultiple)


class PupilCreateForm(ConsentForm, PersonForm):
    school_class = forms.ModelChoiceField(label=_("Class"), queryset=SchoolClass.objects.none())
    since = date_field(_("Enrolled from"))

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = classes


class GuardianCreateForm(ConsentForm, PersonForm):
    relation = forms.ChoiceField(label=_("Relation"), choices=GuardianLink.Relation.choices)


class GuardianLinkForm(forms.Form):
    login = forms.CharField(label=_("Login of a parent already in the school"), max_length=150)
    relation = forms.ChoiceField(label=_("Relation"), choices=GuardianLink.Relation.choices)


class ConsentAddForm(forms.Form):
    document = forms.CharField(label=_("Document"), max_length=300)
    signed_on = date_field(_("Signed on"))
    signed_by = forms.CharField(label=_("Signed by"), max_length=300)


class DiaryChoiceForm(forms.Form):
    diary_opt_out = forms.BooleanField(label=_("Opted out of the electronic diary"), required=False)
    paper_channel = forms.ChoiceField(label=_("Paper summary sheets"), choices=GuardianProfile.PaperChannel.choices)
    postal_address = forms.CharField(label=_("Postal address"), max_length=500, required=False)
    # Only read with an opt-out (issue 7): without the login the account is closed and the sheets are all they get.
    keeps_account = forms.BooleanField(label=_("Keep the login to the portal"), required=False)


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or login"), required=False)
    school_class = forms.ModelChoiceField(label=_("Class"), queryset=SchoolClass.objects.none(), required=False)

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = classes
