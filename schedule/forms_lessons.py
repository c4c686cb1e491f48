"""Forms of the lesson pages: generating lessons, a lesson's topic and form, moves, cancellations, extra lessons and
substitutions. They check the input's shape; the services check the rules."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .forms_classes import DATE_FORMATS, TeacherChoice, date_field
from .models import Lesson, SchoolClass, StudyPeriod
from .services.timetable import MAX_LESSON_NUMBER


class PeriodChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: StudyPeriod) -> str:
        dates = f"{date_format(obj.start, 'd.m.Y')}–{date_format(obj.end, 'd.m.Y')}"
        return str(
            _("%(period)s, %(dates)s, grades %(from)s–%(to)s")
            % {"period": obj, "dates": dates, "from": obj.grade_from, "to": obj.grade_to}
        )


class GenerateForm(forms.Form):
    """A study period, or a range of dates; optionally one class."""

    period = PeriodChoice(
        label=_("Study period"), queryset=StudyPeriod.objects.none(), required=False, empty_label=_("— dates below —")
    )
    start = date_field(_("First day"), required=False)
    end = date_field(_("Last day"), required=False)
    school_class = forms.ModelChoiceField(
        label=_("Class"), queryset=SchoolClass.objects.none(), required=False, empty_label=_("all classes")
    )

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = StudyPeriod.objects.filter(year=year).order_by("start", "grade_from")
        self.fields["school_class"].queryset = SchoolClass.objects.filter(year=year).order_by("grade", "letter")

    def clean(self):
        data = super().clean()
        period, start, end = data.get("period"), data.get("start"), data.get("end")
        if self.errors:
            return data
        if period is not None and (start or end):
            raise ValidationError(_("Choose a study period or dates, not both."))
        if period is None and not (start and end):
            raise ValidationError(_("Choose a study period, or give the first and the last day."))
        school_class = data.get("school_class")
        outside = period is not None and not period.grade_from <= getattr(school_class, "grade", 0) <= period.grade_to
        if school_class is not None and outside:
            raise ValidationError(
                _("Class %(name)s does not study by this period: choose a period of its grade.")
                % {"name": school_class}
            )
        return data


class TopicForm(forms.Form):
    topic = forms.CharField(
        label=_("Lesson topic"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    form = forms.ChoiceField(label=_("Form of the lesson"), choices=Lesson.Form.choices, widget=forms.RadioSelect)


class MoveForm(forms.Form):
    date = date_field(_("Date"))
    number = forms.IntegerField(label=_("Lesson number"), min_value=0, max_value=MAX_LESSON_NUMBER)
    room = forms.CharField(label=_("Room"), max_length=30, required=False)


class ExtraLessonForm(MoveForm):
    topic = forms.CharField(label=_("Lesson topic"), max_length=500, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=300,
        error_messages={"required": _("Give the reason for cancelling the lesson.")},
    )


class SubstitutionForm(forms.Form):
    substitute = TeacherChoice(label=_("Substitute"), queryset=User.objects.none())
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        help_text=_("For example, the teacher is ill"),
    )

    def __init__(self, *args, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = teachers


def parse_day(value: str | None) -> datetime.date | None:
    """A date from a query string (YYYY-MM-DD or DD.MM.YYYY); None when it is not one."""
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime((value or "").strip(), fmt).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None
