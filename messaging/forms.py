import re

from django import forms
from django.utils.translation import gettext_lazy as _

from ejournal.widgets import FlatSelect

from .services import MAX_FILES, SUBJECT_MAX, TEXT_MAX, upload_problem

# "u:<user id>" for a person, "g:<kind>[:<class id>]" for a group.
TARGET = re.compile(r"^(?:u:(?P<user>\d{1,12})|g:(?P<kind>guardians|pupils|teachers|staff)(?::(?P<cls>\d{1,12}))?)$")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Up to MAX_FILES files, each of a kind homework accepts and within the size limit (the service checks again)."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("A message has at most %(count)s files.") % {"count": MAX_FILES}, code="count"
            )
        cleaned = [super(FilesField, self).clean(f, initial) for f in files]
        problems = [p for p in (upload_problem(f) for f in cleaned) if p]
        if problems:
            raise forms.ValidationError(problems)
        return cleaned


class GroupedSelect(FlatSelect):
    """A select whose options are set by the view (grouped); the value is checked by the view and the service. Flat:
    the administration's list holds everyone of the school (some 1,500 people, 0.2 s through Django's Select)."""


class NewMessageForm(forms.Form):
    to = forms.CharField(label=_("Whom to"), widget=GroupedSelect)
    subject = forms.CharField(label=_("Topic of the message"), max_length=SUBJECT_MAX)
    text = forms.CharField(label=_("Message"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 8}))
    files = FilesField(label=_("Files"))

    def __init__(self, *args, choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].widget.choices = [("", _("— choose whom to write to —")), *choices]
        self.fields["files"].help_text = _("Up to %(count)s files: PDF, Word, Excel, pictures, ZIP.") % {
            "count": MAX_FILES
        }

    def clean_to(self):
        value = self.cleaned_data["to"].strip()
        match = TARGET.match(value)
        if match is None:
            raise forms.ValidationError(_("Choose whom to write to."), code="to")
        if match["kind"] and (match["kind"] == "staff") != (match["cls"] is None):
            raise forms.ValidationError(_("Choose whom to write to."), code="to")
        return match


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Your answer"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}))
    files = FilesField(label=_("Files"))


class MessagingSettingsForm(forms.Form):
    email_each = forms.BooleanField(label=_("Email me about each new message"), required=False)
