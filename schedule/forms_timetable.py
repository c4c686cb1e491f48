"""Forms of the timetable editor (R-C01, R-C03). The rules (conflicts, the year's dates, a closed year) are the
services'; the forms offer the class's courses and check the shape of what is typed."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Course, TimetableEntry, Weekday
from .services.timetable import MAX_LESSON_NUMBER


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def course_label(course: Course) -> str:
    """«Английский язык — 5А англ 1 (Петрова А. С.)»: the teachers tell two subgroups' courses apart."""
    name = course.title or course.subject.name
    teachers = ", ".join(t.get_short_name() for t in getattr(course, "teacher_list", None) or course.teachers.all())
    label = f"{name} — {course.audience}"
    return f"{label} ({teachers})" if teachers else label


class CourseChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return course_label(obj)


class EntryFields(forms.Form):
    course = CourseChoice(label=_("Subject and group"), queryset=Course.objects.none())
    weekday = forms.TypedChoiceField(label=_("Day of the week"), choices=Weekday.choices, coerce=int)
    number = forms.IntegerField(label=_("Lesson number"), min_value=0, max_value=MAX_LESSON_NUMBER)
    room = forms.CharField(label=_("Room"), max_length=30, required=False)

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        self.fields["room"].widget.attrs["list"] = "tt-rooms"


class EntryAddForm(EntryFields):
    valid_from = forms.DateField(
        label=_("Valid from"), widget=DateInput(), help_text=_("Earlier weeks stay as they were.")
    )


class EntryChangeForm(EntryFields):
    from_date = forms.DateField(
        label=_("Changes from"), widget=DateInput(), help_text=_("Earlier weeks and their lessons stay as they were.")
    )

    def __init__(self, *args, entry: TimetableEntry, **kwargs):
        kwargs.setdefault("auto_id", "change_%s")
        kwargs.setdefault(
            "initial",
            {"course": entry.course_id, "weekday": entry.weekday, "number": entry.number, "room": entry.room},
        )
        super().__init__(*args, **kwargs)
        self.entry = entry

    def clean(self):
        data = super().clean()
        e = self.entry
        if (
            data.get("course") is not None
            and data["course"].pk == e.course_id
            and data.get("weekday") == e.weekday
            and data.get("number") == e.number
            and " ".join((data.get("room") or "").split()) == e.room
        ):
            raise forms.ValidationError(_("Nothing changes: choose another subject, day, lesson number or room."))
        return data


class EntryEndForm(forms.Form):
    from_date = forms.DateField(
        label=_("Remove from"),
        widget=DateInput(),
        help_text=_("Lessons before this date stay; later lessons with nothing recorded in them are removed."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "end_%s")
        super().__init__(*args, **kwargs)


def parse_date(value: str | None) -> datetime.date | None:
    """A date from a query string, or None for anything that is not one (never an error page)."""
    try:
        day = datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None
    # Far from any school year the week's arithmetic would leave the calendar: treat it as no date.
    return day if 1900 <= day.year <= 2999 else None
