from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from accounts.models import ImportJob

from .imports import MAX_BYTES, FileProblem, read_table


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("The file lists"),
        choices=[(ImportJob.Kind.PUPILS, _("pupils with their parents")), (ImportJob.Kind.STAFF, _("staff"))],
        widget=forms.RadioSelect,
        initial=ImportJob.Kind.PUPILS,
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("Excel (.xlsx) or CSV in UTF-8 or Windows-1251, separated by «;» or «,»; up to 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is 5 MB. Split it into several files."),
                params={"size": filesizeformat(upload.size)},
            )
        content = upload.read()
        try:
            read_table(content)
        except FileProblem as e:
            raise forms.ValidationError(e.message) from None
        self.content = content
        return upload
