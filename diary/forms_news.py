"""Forms of news and events: they parse input; the rules live in diary/news.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from schedule.forms_classes import date_field
from schedule.forms_years import TIME_FORMATS, TimeInput
from schedule.models import SchoolClass

from .news import DESCRIPTION_MAX, PLACE_MAX, TEXT_MAX, TITLE_MAX


class ClassChoice(forms.ModelChoiceField):
    """«5А»; with the year when classes of two open years are offered (next year's may already exist)."""

    with_year = False

    def label_from_instance(self, obj):
        return f"{obj} ({obj.year})" if self.with_year else str(obj)


class _WhereForm(forms.Form):
    """`classes`: the classes the user may post for (with their years); `school_wide`: whether they may post for
    the whole school too (the administration)."""

    school_class = ClassChoice(label=_("For"), queryset=SchoolClass.objects.none())

    def __init__(self, *args, classes, school_wide: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["school_class"]
        field.queryset = classes
        field.with_year = len({c.year_id for c in classes}) > 1
        field.required = not school_wide
        field.empty_label = _("The whole school") if school_wide else None
        field.error_messages["required"] = _("Choose the class.")


class NewsForm(_WhereForm):
    title = forms.CharField(
        label=_("Title"), max_length=TITLE_MAX, error_messages={"required": _("Give the news a title.")}
    )
    text = forms.CharField(
        label=_("Text"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write the news text.")},
        help_text=_("Pupils and parents of the class (or of the whole school) read it in the diary."),
    )


class EventForm(_WhereForm):
    date = date_field(_("Date"), error_messages={"required": _("Give the event's date.")})
    start = forms.TimeField(label=_("Starts"), input_formats=TIME_FORMATS, required=False, widget=TimeInput())
    end = forms.TimeField(label=_("Ends"), input_formats=TIME_FORMATS, required=False, widget=TimeInput())
    title = forms.CharField(
        label=_("Event"), max_length=TITLE_MAX, error_messages={"required": _("Give the event a title.")}
    )
    place = forms.CharField(label=_("Place"), max_length=PLACE_MAX, required=False)
    description = forms.CharField(
        label=_("Details"),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What to bring, who takes part, when and where to meet."),
    )

    def clean(self):
        # Shown beside the other mistakes of the form at once; diary/news.py checks it again.
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and end <= start:
            self.add_error("end", _("The event must end after it starts."))
        return data
