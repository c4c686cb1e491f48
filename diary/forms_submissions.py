from django import forms
from django.utils.translation import gettext_lazy as _

from schedule.forms_homework import check_upload
from schedule.services.submissions import MAX_FILES, MAX_TEXT


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's own recipe): a list, each file checked as homework files are."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class SubmissionForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"), max_length=MAX_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    files = MultipleFileField(label=_("Files"), required=False)

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Work has at most %(count)s files.") % {"count": MAX_FILES})
        return [check_upload(f) for f in files]
