"""Read-only descriptions of the diary's dataclasses (diary.selectors_week, diary.selectors, api.selectors) for the
JSON answers and the OpenAPI schema. Dates are ISO 8601; a lesson's start and end are moments with the school's
offset (`2026-11-16T09:25:00+03:00`), which the context's `tz` gives."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.DATETIME)
class SchoolMoment(serializers.Field):
    """A lesson's bell time on its date, as a moment in the school's time zone; null without bells."""

    def __init__(self, time_attr: str, **kwargs):
        self.time_attr = time_attr
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, lesson):
        time = getattr(lesson, self.time_attr)
        if time is None:
            return None
        return datetime.datetime.combine(lesson.date, time, tzinfo=self.context["tz"]).isoformat()


class PupilSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", help_text=_("The pupil's id, used in the other addresses."))
    last_name = serializers.CharField()
    first_name = serializers.CharField()
    middle_name = serializers.CharField()
    class_name = serializers.CharField(help_text=_("The class today, e.g. «5А»; empty when not enrolled."))
    class_teacher = serializers.CharField(source="class_teacher_name")


class FileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField(help_text=_("Bytes."))
    url = serializers.SerializerMethodField(help_text=_("Where the file is downloaded, with the same key."))

    def get_url(self, file) -> str:
        return reverse("api:file", kwargs={"pupil_id": self.context["pupil_id"], "file_id": file.id})


class TaskSerializer(serializers.Serializer):
    due = serializers.DateTimeField(allow_null=True, help_text=_("When the work is to be handed in."))
    accept_late = serializers.BooleanField()
    status = serializers.CharField(help_text=_("The handed-in work's state; empty when nothing was handed in."))
    late = serializers.BooleanField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    comment = serializers.CharField(help_text=_("The teacher's comment on the work."))
    mark = serializers.CharField(help_text=_("The mark the teacher put in the journal for it."))


class HomeworkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    pages = serializers.CharField()
    exercises = serializers.CharField()
    set_on = serializers.DateField(help_text=_("The date of the lesson it was set at."))
    due_on = serializers.DateField(allow_null=True, help_text=_("The date of the lesson it is due by."))
    files = FileSerializer(many=True)
    task = TaskSerializer(allow_null=True, help_text=_("An electronic task: the work is handed in online."))


class WeekMarkSerializer(serializers.Serializer):
    work_id = serializers.IntegerField()
    value = serializers.CharField(help_text=_("«5», «4», «3», «2», «1», «зач», «незач»."))
    comment = serializers.CharField()
    title = serializers.CharField()
    work_type = serializers.CharField()
    weight = serializers.CharField(help_text=_("The work type's weight, e.g. «1», «2», «1.5»."))
    appeal = serializers.CharField(help_text=_("The state of the latest report of a wrong mark, if any."))
    answer = serializers.CharField(help_text=_("The teacher's answer to that report."))


class MaterialSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    text = serializers.CharField()
    file_name = serializers.CharField()
    size = serializers.IntegerField(allow_null=True)


class LessonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    number = serializers.IntegerField(help_text=_("The lesson's number in the day."))
    start = SchoolMoment("start")
    end = SchoolMoment("end")
    subject = serializers.CharField()
    room = serializers.CharField()
    teacher = serializers.CharField(help_text=_("Who teaches it: the substitute when substituted."))
    substituted = serializers.BooleanField()
    cancelled = serializers.BooleanField()
    cancel_reason = serializers.CharField()
    topic = serializers.CharField()
    distance = serializers.BooleanField(help_text=_("Held at a distance."))
    attendance = serializers.CharField(help_text=_("«Н», «Б», «УП», «ОП 10», «ДО»; empty when present."))
    attendance_title = serializers.CharField()
    marks = WeekMarkSerializer(many=True)
    homework = HomeworkSerializer(allow_null=True, help_text=_("Set at this lesson."))
    due = HomeworkSerializer(many=True, help_text=_("Set earlier, due by this lesson."))
    materials = MaterialSerializer(many=True)


class DaySerializer(serializers.Serializer):
    date = serializers.DateField()
    is_today = serializers.BooleanField()
    holiday = serializers.CharField(help_text=_("The holidays' name, when the day is in them."))
    lessons = LessonSerializer(many=True)


class WeekSerializer(serializers.Serializer):
    pupil = PupilSerializer()
    monday = serializers.DateField()
    saturday = serializers.DateField()
    previous = serializers.DateField(help_text=_("The Monday of the week before."))
    next = serializers.DateField(help_text=_("The Monday of the week after."))
    days = DaySerializer(many=True)


class PeriodSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="__str__")
    start = serializers.DateField()
    end = serializers.DateField()


class SpanSerializer(serializers.Serializer):
    period = PeriodSerializer(allow_null=True, help_text=_("The period shown; null for the whole year."))
    whole_year = serializers.BooleanField()
    start = serializers.DateField()
    end = serializers.DateField()
    periods = PeriodSerializer(many=True, help_text=_("The periods of the pupil's year, to ask for another one."))


class MarkSerializer(serializers.Serializer):
    work_id = serializers.IntegerField()
    date = serializers.DateField()
    value = serializers.CharField()
    weight = serializers.CharField(source="weight_text")
    work_type = serializers.CharField()
    title = serializers.CharField()
    comment = serializers.CharField()
    appeal = serializers.CharField()


class AttendanceSerializer(serializers.Serializer):
    missed = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=_("Lessons missed by reason: absent, ill, excused (latenesses and remote lessons apart)."),
    )
    missed_total = serializers.IntegerField()
    late = serializers.IntegerField(help_text=_("Times late."))
    late_minutes = serializers.IntegerField()
    remote = serializers.IntegerField(help_text=_("Lessons attended remotely."))


class SubjectMarksSerializer(serializers.Serializer):
    course_id = serializers.IntegerField()
    name = serializers.CharField()
    attested = serializers.BooleanField(help_text=_("False for a subject without period marks."))
    marks = MarkSerializer(many=True)
    count = serializers.IntegerField()
    average = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    weighted_average = serializers.DecimalField(source="weighted", max_digits=4, decimal_places=2, allow_null=True)
    forecast = serializers.CharField(
        help_text=_("The period mark the weighted average rounds to, as the school rounds.")
    )
    period_mark = serializers.CharField(source="value", help_text=_("The mark set for the period (or the year)."))
    year_forecast = serializers.CharField()
    year_mark = serializers.CharField(source="year_value")
    attendance = AttendanceSerializer()


class MarksSerializer(serializers.Serializer):
    pupil = PupilSerializer()
    span = SpanSerializer()
    subjects = SubjectMarksSerializer(many=True)


class SubjectAttendanceSerializer(serializers.Serializer):
    course_id = serializers.IntegerField()
    name = serializers.CharField()
    attendance = AttendanceSerializer()


class AttendanceListSerializer(serializers.Serializer):
    pupil = PupilSerializer()
    span = SpanSerializer()
    subjects = SubjectAttendanceSerializer(many=True)


class SlotSerializer(serializers.Serializer):
    period = PeriodSerializer(allow_null=True, help_text=_("null: the year."))
    count = serializers.IntegerField()
    average = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    weighted_average = serializers.DecimalField(source="weighted", max_digits=4, decimal_places=2, allow_null=True)
    forecast = serializers.CharField()
    mark = serializers.CharField(source="value", help_text=_("The period (or year) mark set; empty until set."))


class SubjectResultSerializer(serializers.Serializer):
    course_id = serializers.IntegerField(source="course.pk")
    name = serializers.SerializerMethodField()
    slots = SlotSerializer(many=True, help_text=_("The periods in order, then the year."))

    def get_name(self, result) -> str:
        return result.course.title or result.course.subject.name


class PeriodMarksSerializer(serializers.Serializer):
    pupil = PupilSerializer()
    periods = PeriodSerializer(many=True)
    subjects = SubjectResultSerializer(many=True, source="results")


class HomeworkItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    subject = serializers.CharField()
    text = serializers.CharField()
    pages = serializers.CharField()
    exercises = serializers.CharField()
    set_on = serializers.DateField()
    due_on = serializers.DateField(help_text=_("The due lesson's date, else the date it was set."))
    due_number = serializers.IntegerField(allow_null=True, help_text=_("The due lesson's number in its day."))
    files = FileSerializer(many=True)


class HomeworkListSerializer(serializers.Serializer):
    pupil = PupilSerializer()
    start = serializers.DateField(help_text=_("From this due date on."))
    end = serializers.DateField(allow_null=True, help_text=_("Up to this due date; null: no end."))
    items = HomeworkItemSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("What is wrong, in Russian."))
