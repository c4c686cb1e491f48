"""The read-only diary API (issue 12 item 5): the diary's own selectors behind the diary's own permission.

Each endpoint about a pupil looks for them among those the user may look for, as the diary's pages do (diary/views.py
`_open`: another family's child answers 404), then asks `diary.view_diary` (403). A key is a family's: with a key
only the user themself and their children are looked for; the site's session (the documentation's links) reaches
what the diary's pages reach. Every request made with a key leaves an audit entry."""

import datetime
import zoneinfo
from types import SimpleNamespace

from django.http import FileResponse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from diary.selectors import diary_pupil, family_pupils, pupil_homework_file
from diary.selectors_week import diary_week, pupil_homework, week_start
from diary.visits import visit_record
from ejournal.clock import today

from . import serializers as s
from .audit import request_record
from .exceptions import BadParameter, not_found
from .models import ApiToken
from .selectors import BadPeriod, pupil_attendance, pupil_marks, pupil_period_marks

TAG = "diary"
ERRORS = {
    400: OpenApiResponse(s.ErrorSerializer, description=gettext_lazy("A parameter cannot be read.")),
    401: OpenApiResponse(s.ErrorSerializer, description=gettext_lazy("No key, an unknown key or a revoked key.")),
    403: OpenApiResponse(s.ErrorSerializer, description=gettext_lazy("The diary is not yours to read.")),
    404: OpenApiResponse(s.ErrorSerializer, description=gettext_lazy("No such pupil among those you may see.")),
    429: OpenApiResponse(
        s.ErrorSerializer, description=gettext_lazy("Too many requests; the Retry-After header says when to retry.")
    ),
}
PERIOD = OpenApiParameter(
    "period",
    str,
    description=gettext_lazy("A study period's id (see `span.periods`) or «year»; by default the current period."),
)
HOMEWORK_SPAN = 366  # days one request may ask for


def _errors(*codes: int) -> dict:
    return {code: ERRORS[code] for code in codes}


def _date(request, name: str) -> datetime.date | None:
    """The ISO date of a query parameter (None when absent); a date that cannot be read is a 400."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = parse_date(raw)
    except ValueError:  # well formed but no such date («2026-02-30»)
        value = None
    if value is None or not 1900 < value.year < 2200:
        raise BadParameter(_("«%(value)s» is not a date: write it as YYYY-MM-DD.") % {"value": raw[:20]})
    return value


class DiaryApiView(APIView):
    """GET only; the audit entry of a key's request is written with the answer's status."""

    http_method_names = ["get", "head", "options"]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        token = getattr(request, "_auth", None)
        if isinstance(token, ApiToken):
            request_record(request, token, response.status_code)
        return response

    # --- shared by the endpoints

    def school(self, request):
        school = getattr(request._request, "school", None)
        if school is None:
            raise exceptions.PermissionDenied
        return school

    def by_token(self, request) -> bool:
        return isinstance(request.auth, ApiToken)

    def pupil(self, request, pupil_id: int, day: datetime.date):
        """The pupil asked for, if the user may look for them (404 otherwise) and read their diary (403)."""
        school = self.school(request)
        if self.by_token(request):
            family = family_pupils(user=request.user, school=school, day=day)
            pupil = next((p for p in family if p.pk == pupil_id), None)
        else:
            pupil, _family = diary_pupil(user=request.user, school=school, pupil_id=pupil_id, day=day)
        if pupil is None:
            raise not_found()
        if not request.user.has_perm("diary.view_diary", pupil):
            raise exceptions.PermissionDenied
        if not self.by_token(request):
            visit_record(request._request, pupil)  # a key's visit is noted when the key is used (api/audit.py)
        return school, pupil

    def by_subject(self, request, pupil_id: int, read, serializer_class) -> Response:
        """A period's (or the year's) figures by subject: `read` is api.selectors' `pupil_marks` or
        `pupil_attendance`; an unknown period is a 400."""
        school = self.school(request)
        day = today(school.timezone)
        school, pupil = self.pupil(request, pupil_id, day)
        try:
            found = read(school=school, pupil=pupil, day=day, asked=request.query_params.get("period"))
        except BadPeriod as e:
            raise _bad_period(e) from e
        data = SimpleNamespace(pupil=pupil, span=found.span, subjects=found.subjects)
        return Response(serializer_class(data, context=self.context(school, pupil)).data)

    def context(self, school, pupil) -> dict:
        return {"tz": zoneinfo.ZoneInfo(school.timezone), "pupil_id": pupil.pk}


class PupilsView(DiaryApiView):
    @extend_schema(
        tags=[TAG],
        operation_id="pupils_list",
        summary=gettext_lazy("The pupils whose diary you read"),
        description=gettext_lazy(
            "A pupil gets themself; a parent gets their children in this school. Their ids go into the other addresses."
        ),
        responses={200: s.PupilSerializer(many=True), **_errors(401, 403, 429)},
    )
    def get(self, request):
        school = self.school(request)
        pupils = family_pupils(user=request.user, school=school)
        return Response(s.PupilSerializer(pupils, many=True).data)


class WeekView(DiaryApiView):
    @extend_schema(
        tags=[TAG],
        operation_id="pupil_week",
        summary=gettext_lazy("The diary's week"),
        description=gettext_lazy(
            "Monday to Saturday: each lesson with its time, room, teacher (the substitute when substituted), "
            "cancellation, topic, the homework set at it and due by it with files, the pupil's marks with work type, "
            "weight and comment, and attendance; the holidays."
        ),
        parameters=[
            OpenApiParameter(
                "date",
                datetime.date,
                description=gettext_lazy(
                    "Any date of the week (YYYY-MM-DD); by default this week, on a Sunday the next."
                ),
            )
        ],
        responses={200: s.WeekSerializer, **_errors(400, 401, 403, 404, 429)},
    )
    def get(self, request, pupil_id: int):
        school = self.school(request)
        day = today(school.timezone)
        # The pupil is looked for first, as everywhere: a wrong date tells nothing to who may not read the diary.
        try:
            asked, wrong = _date(request, "date"), None
        except BadParameter as e:
            asked, wrong = None, e
        monday = week_start(day) if asked is None else asked - datetime.timedelta(days=asked.weekday())
        # The class of the pupil as the diary's week page takes it: of today, or of the week looked at.
        school, pupil = self.pupil(request, pupil_id, min(max(day, monday), monday + datetime.timedelta(days=5)))
        if wrong is not None:
            raise wrong
        week = diary_week(pupil=pupil, school=school, week_start=monday, today=day)
        data = SimpleNamespace(
            pupil=pupil,
            monday=week.monday,
            saturday=week.saturday,
            previous=week.previous,
            next=week.next,
            days=week.days,
        )
        return Response(s.WeekSerializer(data, context=self.context(school, pupil)).data)


class MarksView(DiaryApiView):
    @extend_schema(
        tags=[TAG],
        operation_id="pupil_marks",
        summary=gettext_lazy("Marks by subject"),
        description=gettext_lazy(
            "The marks of a study period or of the year by subject, each with its date, work type and weight; the "
            "average and the weighted average, the forecast, the period and year marks, the attendance: what the "
            "diary's marks page shows."
        ),
        parameters=[PERIOD],
        responses={200: s.MarksSerializer, **_errors(400, 401, 403, 404, 429)},
    )
    def get(self, request, pupil_id: int):
        return self.by_subject(request, pupil_id, pupil_marks, s.MarksSerializer)


class AttendanceView(DiaryApiView):
    @extend_schema(
        tags=[TAG],
        operation_id="pupil_attendance",
        summary=gettext_lazy("Attendance by subject"),
        description=gettext_lazy(
            "Lessons missed in a study period or the year by subject and reason, latenesses with their minutes, "
            "lessons attended remotely. Each lesson's mark of attendance is in the week."
        ),
        parameters=[PERIOD],
        responses={200: s.AttendanceListSerializer, **_errors(400, 401, 403, 404, 429)},
    )
    def get(self, request, pupil_id: int):
        return self.by_subject(request, pupil_id, pupil_attendance, s.AttendanceListSerializer)


class HomeworkView(DiaryApiView):
    @extend_schema(
        tags=[TAG],
        operation_id="pupil_homework",
        summary=gettext_lazy("Homework by due date"),
        description=gettext_lazy(
            "The homework due in the dates asked for (the due lesson's date, else the date it was set), across "
            "subjects, with files; the lessons cancelled left out."
        ),
        parameters=[
            OpenApiParameter("from", datetime.date, description=gettext_lazy("From this due date (default: today).")),
            OpenApiParameter(
                "to", datetime.date, description=gettext_lazy("Up to this due date (default: no end; at most a year).")
            ),
        ],
        responses={200: s.HomeworkListSerializer, **_errors(400, 401, 403, 404, 429)},
    )
    def get(self, request, pupil_id: int):
        school = self.school(request)
        day = today(school.timezone)
        school, pupil = self.pupil(request, pupil_id, day)
        start = _date(request, "from") or day
        end = _date(request, "to")
        if end is not None and end < start:
            raise BadParameter(_("«to» is before «from»."))
        if end is not None and (end - start).days > HOMEWORK_SPAN:
            raise BadParameter(_("Ask for at most %(days)s days at a time.") % {"days": HOMEWORK_SPAN})
        items = pupil_homework(school=school, pupil=pupil, start=start)
        if end is not None:
            items = [item for item in items if item.due_on <= end]
        data = SimpleNamespace(pupil=pupil, start=start, end=end, items=items)
        return Response(s.HomeworkListSerializer(data, context=self.context(school, pupil)).data)


class PeriodMarksView(DiaryApiView):
    @extend_schema(
        tags=[TAG],
        operation_id="pupil_period_marks",
        summary=gettext_lazy("Period and year marks"),
        description=gettext_lazy(
            "For each subject with attestation, every study period of the pupil's year and then the year: the "
            "number of marks, the averages, the forecast and the mark set."
        ),
        responses={200: s.PeriodMarksSerializer, **_errors(401, 403, 404, 429)},
    )
    def get(self, request, pupil_id: int):
        school = self.school(request)
        day = today(school.timezone)
        school, pupil = self.pupil(request, pupil_id, day)
        result = pupil_period_marks(school=school, pupil=pupil, day=day)
        data = SimpleNamespace(pupil=pupil, periods=result.periods, results=result.results)
        return Response(s.PeriodMarksSerializer(data, context=self.context(school, pupil)).data)


class FileView(DiaryApiView):
    def perform_content_negotiation(self, request, force=False):
        # An app asking for the file's own type (Accept: application/pdf) gets it; errors are still JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        tags=[TAG],
        operation_id="pupil_file",
        summary=gettext_lazy("A homework file"),
        description=gettext_lazy(
            "A file of the homework of one of the pupil's lessons, as the diary downloads it (the `url` of a file in "
            "the week and the homework lists). A file of another class's or group's lesson answers 404."
        ),
        parameters=[
            OpenApiParameter(
                "file_id",
                int,
                OpenApiParameter.PATH,
                description=gettext_lazy("The file's id: `files[].id` in the week and the homework lists."),
            )
        ],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description=gettext_lazy("The file, as an attachment with its name.")
            ),
            **_errors(401, 403, 429),
            404: OpenApiResponse(
                s.ErrorSerializer,
                description=gettext_lazy("No such pupil among those you may see, or no such file of their lessons."),
            ),
        },
    )
    def get(self, request, pupil_id: int, file_id: int):
        school = self.school(request)
        school, pupil = self.pupil(request, pupil_id, today(school.timezone))
        file = pupil_homework_file(school=school, pupil=pupil, file_id=file_id)
        if file is None:
            raise not_found()
        try:
            handle = file.file.open("rb")
        except FileNotFoundError as e:
            raise not_found() from e
        return FileResponse(handle, as_attachment=True, filename=file.name)


def _bad_period(e: BadPeriod) -> BadParameter:
    return BadParameter(
        _("«%(value)s» is none of the pupil's study periods: give a period's id or «year».") % {"value": str(e)[:20]}
    )
