from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .imports.reading import MAX_BYTES


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Thematic plan file"),
        help_text=_("Excel (.xlsx) or CSV in UTF-8 or Windows-1251; up to 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is 5 MB."), params={"size": filesizeformat(upload.size)}
            )
        self.content = upload.read()
        return upload


class PlanConfirmForm(forms.Form):
    # The previewed items, signed (services.plans.plan_sign): what the teacher saw is what is written.
    plan = forms.CharField(widget=forms.HiddenInput, max_length=2_000_000)
