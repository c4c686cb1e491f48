from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User

from .models import BellSchedule, Enrollment, SchoolClass, Subject
from .services.classes import LEAVE, PROMOTE, REPEAT

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, input_formats=DATE_FORMATS, widget=DateInput(), **kwargs)


class TeacherChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


def teachers(school):
    return User.objects.filter(memberships__school=school, memberships__role=Role.TEACHER).order_by(
        "last_name", "first_name"
    )


class SchoolClassForm(forms.Form):
    grade = forms.IntegerField(label=_("Grade"), min_value=1, max_value=11)
    letter = forms.CharField(label=_("Letter"), max_length=8)
    class_teacher = TeacherChoice(label=_("Class teacher"), queryset=User.objects.none(), required=False)
    bell_schedule = forms.ModelChoiceField(label=_("Bells"), queryset=BellSchedule.objects.none(), required=False)

    def __init__(self, *args, school, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["class_teacher"].queryset = teachers(school)
        self.fields["bell_schedule"].queryset = BellSchedule.objects.for_school(school)
        if editing:
            del self.fields["grade"]


class PupilChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


class EnrollForm(forms.Form):
    pupil = PupilChoice(label=_("Pupil"), queryset=User.objects.none())
    since = date_field(_("From"))

    def __init__(self, *args, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils


class MoveForm(forms.Form):
    pupil = PupilChoice(label=_("Pupil"), queryset=User.objects.none())
    to_class = forms.ModelChoiceField(label=_("To class"), queryset=SchoolClass.objects.none())
    since = date_field(_("From"))

    def __init__(self, *args, pupils, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils
        self.fields["to_class"].queryset = classes


class LeaveForm(forms.Form):
    pupil = PupilChoice(label=_("Pupil"), queryset=User.objects.none())
    last_day = date_field(_("Last day"))

    def __init__(self, *args, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils


class EducationForm(forms.Form):
    """R-E11: the form of education of a pupil's enrollment."""

    pupil = PupilChoice(label=_("Pupil"), queryset=User.objects.none())
    form = forms.ChoiceField(label=_("Form of education"), choices=Enrollment.Form.choices)

    def __init__(self, *args, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("For example, «5А English 1»"))
    subject = forms.ModelChoiceField(label=_("Subject"), queryset=Subject.objects.none(), required=False)
    since = date_field(_("Members from"))
    pupils = forms.ModelMultipleChoiceField(
        label=_("Members"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, school, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = Subject.objects.for_school(school)
        self.fields["pupils"].queryset = pupils
        self.fields["pupils"].label_from_instance = lambda u: u.get_full_name()


class CrossGroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("For example, «10 profile maths»"))
    subject = forms.ModelChoiceField(label=_("Subject"), queryset=Subject.objects.none(), required=False)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = Subject.objects.for_school(school)


class GroupMembersForm(forms.Form):
    since = date_field(_("From"))
    pupils = forms.ModelMultipleChoiceField(
        label=_("Members"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupils"].queryset = pupils
        self.fields["pupils"].label_from_instance = lambda u: u.get_full_name()


DECISIONS = [(PROMOTE, _("promote")), (REPEAT, _("repeat the grade")), (LEAVE, _("leaves (graduates)"))]


class YearCloseForm(forms.Form):
    order = forms.CharField(
        label=_("Director's order"), max_length=300, help_text=_("For example, № 123 of 31.08.2027")
    )
    new_name = forms.CharField(label=_("New year"), max_length=20)
    new_start = date_field(_("First day of the new year"))
    new_end = date_field(_("Last day of the new year"))

    def __init__(self, *args, enrollments, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrollments = enrollments
        for e in enrollments:
            self.fields[f"d{e.pupil_id}"] = forms.ChoiceField(
                label=e.pupil.get_full_name(), choices=DECISIONS, initial=e.default_decision
            )

    def decisions(self) -> dict[int, str]:
        return {e.pupil_id: self.cleaned_data[f"d{e.pupil_id}"] for e in self.enrollments}

    def rows(self):
        for e in self.enrollments:
            yield e, self[f"d{e.pupil_id}"]

    def clean(self):
        data = super().clean()
        if data.get("new_start") and data.get("new_end") and data["new_end"] <= data["new_start"]:
            self.add_error("new_end", _("The year must end after it starts."))
        return data
