"""Forms of the teaching-load pages (R-B05). The rules (one school, one year, a group of the chosen class) are the
services'; the forms only offer the school's and the year's choices."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .forms_classes import teachers
from .models import AcademicYear, Course, SchoolClass, StudyGroup, Subject


class HoursField(forms.DecimalField):
    """Hours a week: «1,5» and «1.5» both mean one and a half, whatever the page's language."""

    def __init__(self, **kwargs):
        super().__init__(
            max_digits=3, decimal_places=1, min_value=Decimal(0), max_value=Decimal(20), localize=True, **kwargs
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace(",", ".")
        return super().to_python(value)


class TeachersChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


# The add form's "attested": empty follows the subject (a subject without attestation gives none).
ATTESTED_CHOICES = [("", _("as the subject says")), ("1", _("yes")), ("0", _("no"))]


def _attested(value: str) -> bool:
    return value == "1"


class CourseFieldsMixin(forms.Form):
    teachers = TeachersChoice(label=_("Teachers"), queryset=User.objects.none())
    hours_per_week = HoursField(label=_("Hours a week"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Course.Kind.choices, initial=Course.Kind.LESSON)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("The name of a club or an elective, if it has its own"),
    )


class CourseForm(CourseFieldsMixin):
    subject = forms.ModelChoiceField(label=_("Subject"), queryset=Subject.objects.none())
    school_class = forms.ModelChoiceField(
        label=_("Class"), queryset=SchoolClass.objects.none(), required=False, help_text=_("Empty for a group")
    )
    group = forms.ModelChoiceField(
        label=_("Group"),
        queryset=StudyGroup.objects.none(),
        required=False,
        help_text=_("A subgroup of the class or a group across classes"),
    )
    attested = forms.TypedChoiceField(
        label=_("Period and year marks"),
        choices=ATTESTED_CHOICES,
        coerce=_attested,
        empty_value=None,
        required=False,
    )

    field_order = ["subject", "school_class", "group", "teachers", "hours_per_week", "kind", "attested", "title"]

    def __init__(self, *args, school, year: AcademicYear | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = Subject.objects.for_school(school).order_by("name")
        self.fields["teachers"].queryset = teachers(school)
        self.fields["school_class"].queryset = SchoolClass.objects.for_school(school).filter(year=year)
        self.fields["group"].queryset = (
            StudyGroup.objects.for_school(school)
            .filter(year=year)
            .order_by("school_class__grade", "school_class__letter", "name")
        )


class CourseEditForm(CourseFieldsMixin):
    attested = forms.BooleanField(label=_("With period and year marks"), required=False)

    field_order = ["teachers", "hours_per_week", "kind", "attested", "title"]

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teachers"].queryset = teachers(school)
