from django import forms
from django.utils.translation import gettext_lazy as _


class PeopleChoiceForm(forms.Form):
    """The people ticked on a credentials page: only those the page offered are valid (R-B11, R-B12)."""

    people = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={
            "required": _("Choose at least one person."),
            "invalid_choice": _(
                "Some of the chosen people cannot get credentials on this page, so nothing was done. "
                "Reload the page and choose again."
            ),
        },
    )

    def __init__(self, *args, allowed: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = [(pk, pk) for pk in allowed]
