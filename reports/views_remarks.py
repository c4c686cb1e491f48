"""Remarks of journal control (R-J02): a reader leaves one on a course's journal, the course's teacher marks it done,
the reader may reopen it. Each view fetches through the school's scope (another school's object is 404) and asks the
permission layer once; the services keep the data right."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import school_member_required, school_permission_required
from accounts.predicates import is_school_reader
from ejournal.clock import today
from ejournal.http import next_url
from schedule.forms_classes import date_field
from schedule.models import Course, Lesson
from schedule.selectors import taught_courses

from . import services
from .models import ANSWER_MAX, TEXT_MAX, Remark
from .services import RemarkStateError, ReportsError

DEFAULT_DUE_DAYS = 7  # R-J02: fixed by the deadline; a week unless the author says otherwise (seed 001: weekly)
PER_PAGE = 50
STATUSES = ("open", "done", "all")


class LessonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        when = _("lesson of %(day)s, No. %(number)s") % {"day": date_format(obj.date, "d.m.Y"), "number": obj.number}
        return f"{when} — {obj.topic}" if obj.topic else when


class RemarkForm(forms.Form):
    lesson = LessonChoice(
        label=gettext_lazy("Lesson"),
        queryset=Lesson.objects.none(),
        required=False,
        empty_label=gettext_lazy("— the whole journal —"),
    )
    text = forms.CharField(
        label=gettext_lazy("Remark"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Write the remark.")},
    )
    due = date_field(gettext_lazy("Fix by"), error_messages={"required": gettext_lazy("Give the date to fix it by.")})

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lesson"].queryset = Lesson.objects.filter(school_id=course.school_id, course=course).order_by(
            "-date", "-number"
        )


class DoneForm(forms.Form):
    answer = forms.CharField(label=gettext_lazy("What was fixed"), max_length=ANSWER_MAX, required=False, strip=True)


class ReopenForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("What is still wrong"), max_length=ANSWER_MAX, required=False, strip=True)
    due = date_field(gettext_lazy("New date to fix it by"), required=False)


def _remarks(school):
    return Remark.objects.for_school(school).select_related(
        "course__subject", "course__school_class", "course__group", "lesson", "author", "done_by", "reopened_by"
    )


def _remark(request, remark_id: int, perm: str) -> Remark:
    remark = get_object_or_404(_remarks(request.school), pk=remark_id)
    if not request.user.has_perm(perm, remark):
        raise PermissionDenied
    remark.school = request.school  # the same school (for_school), already loaded by the middleware
    return remark


def _mark_overdue(remarks, day: datetime.date) -> None:
    for remark in remarks:
        remark.overdue = remark.is_overdue(day)


# --- Leave a remark --------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@school_member_required
def remark_add(request, course_id: int):
    course = get_object_or_404(
        Course.objects.for_school(request.school).select_related("year", "subject", "school_class", "group"),
        pk=course_id,
    )
    if not request.user.has_perm("reports.add_remark", course):
        raise PermissionDenied
    course.school = request.school
    day = today(request.school.timezone)
    journal = reverse("gradebook:journal", args=[course.pk])
    initial = {"due": day + datetime.timedelta(days=DEFAULT_DUE_DAYS)}
    wanted = request.GET.get("lesson", "")
    if wanted.isdigit():
        initial["lesson"] = int(wanted)
    form = RemarkForm(request.POST if request.method == "POST" else None, course=course, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.remark_create(
                    actor=request.user, course=course, lesson=data["lesson"], text=data["text"], due=data["due"]
                )
            except ReportsError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, _("The remark is sent to the course's teacher."))
                return redirect(next_url(request, journal))
    context = {"course": course, "form": form, "back": next_url(request, journal), "today": day}
    return render(request, "reports/remarks/add.html", context, status=status)


# --- The list --------------------------------------------------------------------------------------------------


@require_GET
@school_permission_required("reports.view_remarks")
def remark_list(request):
    """Readers see all of the school's remarks, teachers those on their own courses; open ones first, the nearest
    deadline first; overdue ones are marked."""
    school = request.school
    day = today(school.timezone)
    reader = is_school_reader.test(request.user)
    scope = Remark.objects.for_school(school)
    if not reader:
        scope = scope.filter(course_id__in=taught_courses(request.user))
    course = None
    wanted = request.GET.get("course", "")
    if wanted.isdigit():
        course = (
            Course.objects.for_school(school)
            .select_related("subject", "school_class", "group")
            .filter(pk=int(wanted))
            .first()
        )
        scope = scope.filter(course_id=course.pk if course else None)
    counts = scope.aggregate(
        open=Count("pk", filter=Q(status=Remark.Status.OPEN)),
        overdue=Count("pk", filter=Q(status=Remark.Status.OPEN, due__lt=day)),
        done=Count("pk", filter=Q(status=Remark.Status.DONE)),
    )
    status = request.GET.get("status", "all")
    if status not in STATUSES:
        status = "all"
    rows = scope.select_related(
        "course__subject", "course__school_class", "course__group", "lesson", "author", "done_by"
    )
    if status != "all":
        rows = rows.filter(status=status)
    rows = rows.annotate(
        done_first=Case(When(status=Remark.Status.DONE, then=Value(1)), default=Value(0), output_field=IntegerField())
    ).order_by("done_first", "due", "-pk")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    _mark_overdue(page.object_list, day)
    context = {
        "page": page,
        "remarks": page.object_list,
        "status": status,
        "counts": counts,
        "course": course,
        "reader": reader,
        "today": day,
        "statuses": [("open", _("Open")), ("done", _("Done")), ("all", _("All"))],
    }
    return render(request, "reports/remarks/list.html", context)


# --- One remark and its changes --------------------------------------------------------------------------------


def _detail(request, remark: Remark, *, status: int = 200, done_form=None, reopen_form=None, error: str = ""):
    day = today(request.school.timezone)
    remark.overdue = remark.is_overdue(day)
    can_close = remark.status == Remark.Status.OPEN and request.user.has_perm("reports.close_remark", remark)
    can_reopen = remark.status == Remark.Status.DONE and request.user.has_perm("reports.reopen_remark", remark)
    context = {
        "remark": remark,
        "course": remark.course,
        "today": day,
        "can_close": can_close,
        "can_reopen": can_reopen,
        "done_form": done_form or (DoneForm() if can_close else None),
        "reopen_form": reopen_form or (ReopenForm() if can_reopen else None),
        "error": error,
    }
    return render(request, "reports/remarks/detail.html", context, status=status)


@require_GET
@school_member_required
def remark_detail(request, remark_id: int):
    return _detail(request, _remark(request, remark_id, "reports.view_remark"))


@require_POST
@school_member_required
def remark_done(request, remark_id: int):
    remark = _remark(request, remark_id, "reports.close_remark")
    form = DoneForm(request.POST)
    if not form.is_valid():
        return _detail(request, remark, status=422, done_form=form)
    try:
        services.remark_done(actor=request.user, remark=remark, answer=form.cleaned_data["answer"])
    except RemarkStateError as e:  # a stale page: somebody marked it done meanwhile
        remark.refresh_from_db()
        return _detail(request, remark, status=409, error=e.message)
    except ReportsError as e:
        form.add_error("answer", e.message)
        return _detail(request, remark, status=422, done_form=form)
    messages.success(request, _("The remark is marked done."))
    return redirect(next_url(request, reverse("reports:remark_detail", args=[remark.pk])))


@require_POST
@school_member_required
def remark_reopen(request, remark_id: int):
    remark = _remark(request, remark_id, "reports.reopen_remark")
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return _detail(request, remark, status=422, reopen_form=form)
    data = form.cleaned_data
    try:
        services.remark_reopen(actor=request.user, remark=remark, note=data["note"], due=data["due"])
    except RemarkStateError as e:  # a stale page: somebody reopened it meanwhile
        remark.refresh_from_db()
        return _detail(request, remark, status=409, error=e.message)
    except ReportsError as e:
        form.add_error("due", e.message)
        return _detail(request, remark, status=422, reopen_form=form)
    messages.success(request, _("The remark is open again."))
    return redirect(next_url(request, reverse("reports:remark_detail", args=[remark.pk])))
