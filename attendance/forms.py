"""Forms of the attendance pages. They check the input's shape; the services check the rules."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from schedule.forms_classes import date_field
from schedule.models import SchoolClass

from .models import LONG, MAX_LATE_MINUTES, NOTICE_CODES, Code


class PupilChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


def code_choices(codes) -> list[tuple[str, str]]:
    return [(c.value, format_lazy("{} — {}", c.label, LONG[c])) for c in codes]


def school_pupils(school_id: int):
    return User.objects.filter(memberships__school_id=school_id, memberships__role=Role.PUPIL).distinct()


class AbsenceForm(forms.Form):
    pupil = PupilChoice(label=_("Pupil"), queryset=User.objects.none())
    code = forms.ChoiceField(label=_("Code"), choices=code_choices(Code))
    minutes = forms.IntegerField(label=_("Minutes late"), required=False, min_value=1, max_value=MAX_LATE_MINUTES)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, school_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = school_pupils(school_id)

    def clean(self):
        data = super().clean()
        if data.get("code") == Code.LATE and not data.get("minutes") and "minutes" not in self.errors:
            self.add_error("minutes", _("Give how many minutes late, from 1 to %(most)s.") % {"most": MAX_LATE_MINUTES})
        return data


class AbsenceClearForm(forms.Form):
    pupil = PupilChoice(label=_("Pupil"), queryset=User.objects.none())

    def __init__(self, *args, school_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = school_pupils(school_id)


class NoticeForm(forms.Form):
    """An absence of one or several days with its reason and document (R-H03, R-H05)."""

    pupil = PupilChoice(label=_("Pupil"), queryset=User.objects.none())
    start = date_field(_("First day"))
    end = date_field(_("Last day"))
    code = forms.ChoiceField(label=_("Code"), choices=code_choices(NOTICE_CODES))
    reason = forms.CharField(label=_("Reason"), max_length=300)
    document = forms.CharField(
        label=_("Document"),
        max_length=200,
        required=False,
        help_text=_("For example, medical certificate No. 123 of 12.11.2026"),
    )

    def __init__(self, *args, school_class: SchoolClass, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = (
            User.objects.filter(enrollments__school_class=school_class)
            .distinct()
            .order_by("last_name", "first_name", "middle_name")
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise ValidationError(_("The last day cannot be before the first day."))
        return data
