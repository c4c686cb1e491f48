from django import forms
from django.utils.translation import gettext_lazy as _

from .forms_homework import check_upload
from .models import LessonMaterial
from .services.materials import MAX_TEXT


class MaterialForm(forms.Form):
    """A teaching material (R-G03): what it is, its title, and the file, the link (http or https) or the text. The
    service checks what each kind needs; the file's kind and content are checked here, as homework files are."""

    kind = forms.ChoiceField(label=_("What it is"), choices=LessonMaterial.Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    url = forms.URLField(
        label=_("Link"), max_length=500, required=False, assume_scheme="https", help_text=_("https://…")
    )
    text = forms.CharField(
        label=_("Test or exercises"), max_length=MAX_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    file = forms.FileField(label=_("File"), max_length=200, required=False)

    def __init__(self, *args, kind: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if kind is not None:  # editing: the kind stays
            self.fields["kind"].required = False
            self.fields["kind"].disabled = True
            self.fields["kind"].initial = kind

    def clean_url(self):
        url = self.cleaned_data.get("url", "")
        # The browser's field takes any scheme; only web pages are links of a lesson (no javascript:, no file:).
        if url and not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("Give a web address that starts with http:// or https://."), code="scheme")
        return url

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        return check_upload(upload) if upload else None
