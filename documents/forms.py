"""Forms of the document store: they parse the input and check the file as the services do; the rules live in
documents/services.py."""

from django import forms
from django.utils import functional
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ejournal.uploads import upload_max_mb
from schedule.forms_classes import date_field

from .models import READER_CHOICES, Document
from .services import NAME_MAX, NUMBER_MAX, TITLE_MAX, file_problem


class FolderChoice(forms.ModelChoiceField):
    """«Приказы › 2026/2027»: the folder with its ancestors, from the tree already loaded."""

    def __init__(self, *args, paths: dict[int, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.paths = paths or {}

    def label_from_instance(self, obj):
        return self.paths.get(obj.pk, obj.name)


class FolderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX, error_messages={"required": _("Name the folder.")})
    roles = forms.MultipleChoiceField(
        label=_("Who reads it"),
        choices=READER_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose who reads the folder.")},
        help_text=_("Pupils and parents never see the school's documents."),
    )

    def __init__(self, *args, parents=None, paths=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parents is not None:
            # Only when a folder is created: a folder stays where it was made.
            self.fields["parent"] = FolderChoice(
                label=_("In folder"),
                queryset=parents,
                required=False,
                empty_label=_("at the top of the store"),
                paths=paths,
            )
            self.order_fields(["parent", "name", "roles"])


def _file_help_now() -> str:
    return gettext("PDF, Word, Excel, PowerPoint, OpenDocument, pictures or ZIP, at most %(size)s MB.") % {
        "size": upload_max_mb()
    }


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=TITLE_MAX, error_messages={"required": _("Give the document's title.")}
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Document.Kind.choices, initial=Document.Kind.OTHER)
    number = forms.CharField(
        label=_("Number"), max_length=NUMBER_MAX, required=False, help_text=_("As printed on the document.")
    )
    dated = date_field(_("Document date"), required=False)
    file = forms.FileField(
        label=_("File"),
        max_length=200,
        error_messages={"required": _("Choose the file to upload.")},
        help_text=functional.lazy(_file_help_now, str)(),
    )

    def __init__(self, *args, folders=None, paths=None, replacing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if replacing:
            self.fields["file"].required = False
            self.fields["file"].label = _("Replace the file")
            self.fields["file"].help_text = _("The current file stays in the document's history.")
        if folders is not None:
            self.fields["folder"] = FolderChoice(label=_("Folder"), queryset=folders, empty_label=None, paths=paths)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            problem = file_problem(upload)
            if problem:
                raise forms.ValidationError(problem, code="file")
        return upload or None
