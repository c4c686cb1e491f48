"""Forms of the state exam results (R-E12) and of the attestation of pupils learning at home (R-E11). They check the
shape of the input; the rules (which exam gives what, the dates, who is in which class) are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from schedule.forms_timetable import DateInput

from .exams import KIND_GRADES
from .models import ExamResult, PeriodMark


class PupilChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name()


class _ScoresForm(forms.Form):
    exam_date = forms.DateField(label=_("Exam date"), widget=DateInput())
    received_on = forms.DateField(
        label=_("Results received on"),
        widget=DateInput(),
        help_text=_("Results are entered no later than the day after they arrive."),
    )
    primary_score = forms.IntegerField(label=_("Primary score"), min_value=0, max_value=200, required=False)
    test_score = forms.IntegerField(
        label=_("Test score"), min_value=0, max_value=100, required=False, help_text=_("Profile EGE only")
    )
    mark = forms.TypedChoiceField(
        label=_("Mark"),
        choices=[("", "—"), *((str(v), str(v)) for v in (5, 4, 3, 2))],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("OGE, GVE and basic-mathematics EGE"),
    )
    retake = forms.BooleanField(label=_("Retake (a reserve day)"), required=False)


class ExamResultForm(_ScoresForm):
    """A new result for a pupil of the class, in a subject the user may enter."""

    field_order = ["pupil", "subject", "kind", "exam_date", "received_on"]

    pupil = PupilChoice(label=_("Pupil"), queryset=None, empty_label="—")
    subject = forms.ModelChoiceField(label=_("Subject"), queryset=None, empty_label="—")
    kind = forms.ChoiceField(label=_("Exam"))

    def __init__(self, *args, pupils, subjects, grade: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils
        self.fields["subject"].queryset = subjects
        self.fields["kind"].choices = [(k.value, k.label) for k in ExamResult.Kind if grade in KIND_GRADES[k]]


class ExamResultChangeForm(_ScoresForm):
    pass


class ExamFilterForm(forms.Form):
    """The school list's filters; an unknown value is ignored, never an error page."""

    kind = forms.ChoiceField(label=_("Exam"), required=False)
    subject = forms.ModelChoiceField(label=_("Subject"), queryset=None, required=False, empty_label=_("all"))
    late = forms.ChoiceField(
        label=_("Entered"),
        required=False,
        choices=[("", _("any time")), ("1", _("late")), ("0", _("on time"))],
    )

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("all")), *ExamResult.Kind.choices]
        self.fields["subject"].queryset = subjects


class FamilyAttestationForm(forms.Form):
    """A commission's mark for a pupil learning at home (R-E11): the course, the period (or the year), the protocol."""

    pupil = PupilChoice(label=_("Pupil"), queryset=None, empty_label="—")
    course = forms.ChoiceField(label=_("Subject"))
    period = forms.ChoiceField(label=_("Period"))
    value = forms.ChoiceField(label=_("Mark"), choices=[("", "—"), *PeriodMark.Value.choices])
    protocol = forms.CharField(label=_("Protocol number"), max_length=100)
    protocol_date = forms.DateField(label=_("Protocol date"), widget=DateInput())

    def __init__(self, *args, pupils, courses, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.courses = {str(c.pk): c for c in courses}
        self.periods = {str(p.pk): p for p in periods}
        self.fields["pupil"].queryset = pupils
        self.fields["course"].choices = [("", "—"), *((str(c.pk), c.subject.name) for c in courses)]
        self.fields["period"].choices = [*((str(p.pk), str(p)) for p in periods), ("year", _("Year"))]

    def clean_course(self):
        return self.courses[self.cleaned_data["course"]]

    def clean_period(self):
        key = self.cleaned_data["period"]
        return None if key == "year" else self.periods[key]
