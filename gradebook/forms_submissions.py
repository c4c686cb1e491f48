from django import forms
from django.utils.translation import gettext_lazy as _

from schedule.services.submissions import MAX_COMMENT

from .models import LessonWork, Mark, WorkType

NEW = "new"


class SubmissionCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the pupil and the parents"),
        max_length=MAX_COMMENT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SubmissionMarkForm(forms.Form):
    """A mark for the work: in a column of the homework's lesson or in a new one (the journal's rules apply)."""

    value = forms.ChoiceField(label=_("Mark"), choices=Mark.Value.choices)
    column = forms.ChoiceField(label=_("Column of the journal"))
    work_type = forms.ModelChoiceField(
        label=_("Work type of the new column"), queryset=WorkType.objects.none(), required=False
    )
    title = forms.CharField(label=_("Title of the new column"), max_length=200, required=False)

    def __init__(self, *args, works: list[LessonWork], school, **kwargs):
        super().__init__(*args, **kwargs)
        self.works = {str(w.pk): w for w in works}
        choices = [(str(w.pk), f"{w.work_type.name}: {w.title}" if w.title else w.work_type.name) for w in works]
        self.fields["column"].choices = [*choices, (NEW, _("a new column"))]
        self.fields["work_type"].queryset = WorkType.objects.for_school(school)

    def clean(self):
        data = super().clean()
        if data.get("column") == NEW and not data.get("work_type"):
            self.add_error("work_type", _("Choose the work type of the new column."))
        return data

    @property
    def work(self) -> LessonWork | None:
        return self.works.get(self.cleaned_data["column"])
