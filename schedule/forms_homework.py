from django import forms
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import Lesson

# How many of the course's next lessons the "due by" list offers.
DUE_CHOICES = 12


class DueLessonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(date)s, lesson %(number)s") % {"date": date_format(obj.date, "D, d.m"), "number": obj.number}


class HomeworkForm(forms.Form):
    text = forms.CharField(label=_("Task"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    pages = forms.CharField(label=_("Pages"), max_length=100, required=False)
    exercises = forms.CharField(label=_("Exercises"), max_length=200, required=False)
    due_lesson = DueLessonChoice(
        label=_("Due by the lesson"),
        queryset=Lesson.objects.none(),
        required=False,
        empty_label=_("the next lesson"),
    )

    def __init__(self, *args, lesson: Lesson, **kwargs):
        super().__init__(*args, **kwargs)
        later = Q(date__gt=lesson.date) | Q(date=lesson.date, number__gt=lesson.number)
        ids = list(
            Lesson.objects.in_journal()
            .filter(later, course_id=lesson.course_id)
            .order_by("date", "number")
            .values_list("pk", flat=True)[:DUE_CHOICES]
        )
        self.fields["due_lesson"].queryset = Lesson.objects.filter(pk__in=ids).order_by("date", "number")


class HomeworkFileForm(forms.Form):
    file = forms.FileField(label=_("File"), max_length=200)
