import os
import zoneinfo

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ejournal.uploads import KIND_REFUSED, content_matches, upload_max_mb

from .models import Homework, Lesson
from .services.homework import ALLOWED_EXTENSIONS

# How many of the course's next lessons the "due by" list offers.
DUE_CHOICES = 12


class DueLessonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(date)s, lesson %(number)s") % {"date": date_format(obj.date, "D, d.m"), "number": obj.number}


class HomeworkForm(forms.Form):
    text = forms.CharField(label=_("Task"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    pages = forms.CharField(label=_("Pages"), max_length=100, required=False)
    exercises = forms.CharField(label=_("Exercises"), max_length=200, required=False)
    # R-J12: the pupils' workload report sums these per class and day.
    minutes = forms.IntegerField(
        label=_("Time to do, minutes"),
        required=False,
        min_value=1,
        max_value=240,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 4}),
    )
    due_lesson = DueLessonChoice(
        label=_("Due by the lesson"),
        queryset=Lesson.objects.none(),
        required=False,
        empty_label=_("the next lesson"),
    )
    # Electronic tasks (R-G04).
    submission_required = forms.BooleanField(label=_("Pupils hand the work in through the diary"), required=False)
    submission_due = forms.DateTimeField(
        label=_("Hand in by"),
        required=False,
        help_text=_("Empty: by the start of the lesson the homework is due by."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    accept_late = forms.BooleanField(label=_("Accept late work (it is marked as late)"), required=False)

    def __init__(self, *args, lesson: Lesson, **kwargs):
        super().__init__(*args, **kwargs)
        self.tz = zoneinfo.ZoneInfo(lesson.school.timezone)
        if not self.is_bound and "submission_required" not in self.initial:
            task = (
                Homework.objects.filter(lesson_id=lesson.pk)
                .values("submission_required", "submission_due", "accept_late")
                .first()
            )
            if task:
                due = task["submission_due"]
                # Shown as the school's wall clock, whatever the server's zone.
                task["submission_due"] = due.astimezone(self.tz).replace(tzinfo=None) if due else None
                self.initial.update(task)
        later = Q(date__gt=lesson.date) | Q(date=lesson.date, number__gt=lesson.number)
        ids = list(
            Lesson.objects.in_journal()
            .filter(later, course_id=lesson.course_id)
            .order_by("date", "number")
            .values_list("pk", flat=True)[:DUE_CHOICES]
        )
        self.fields["due_lesson"].queryset = Lesson.objects.filter(pk__in=ids).order_by("date", "number")

    def clean_submission_due(self):
        due = self.cleaned_data.get("submission_due")
        if due is None:
            return None
        # The field read the time in the server's zone; the teacher meant the school's.
        return timezone.make_naive(due).replace(tzinfo=self.tz)


class HomeworkFileForm(forms.Form):
    """A homework file (issue 10 item 5): of an accepted kind by its name and by its content, and not too large. The
    service stores it under a name of ours; only views that ask the permission layer serve it, as an attachment."""

    file = forms.FileField(label=_("File"), max_length=200)

    def clean_file(self):
        return check_upload(self.cleaned_data["file"])


def check_upload(upload):
    """An uploaded file of an accepted kind by its name and by its content, and not too large (homework files,
    teaching materials, handed-in work); a ValidationError otherwise."""
    extension = os.path.splitext(os.path.basename(upload.name or ""))[1].lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise forms.ValidationError(KIND_REFUSED, code="kind")
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise forms.ValidationError(
            _("The file is larger than %(size)s MB.") % {"size": upload_max_mb()},
            code="size",
        )
    if not content_matches(upload, extension):
        raise forms.ValidationError(
            _("The file's content is not what its name says (%(ext)s). Save it again in that format.")
            % {"ext": extension},
            code="content",
        )
    return upload
