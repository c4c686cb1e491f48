"""Thematic plans (КТП): the year's plans at a glance (R-C08), a course's plan against its lessons (R-J07), upload
with a preview, posting, applying the topics to the lessons, the sample file and the export."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import school_member_required, school_permission_required
from ejournal.clock import today

from .forms_plans import PlanConfirmForm, PlanUploadForm
from .models import Course, CourseTeacher, Lesson, PlanItem
from .selectors import current_year, taught_courses
from .services import ScheduleError
from .services import plans as services

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    add_never_cache_headers(response)
    return response


def _teachers():
    return Prefetch(
        "course_teachers", queryset=CourseTeacher.objects.select_related("teacher").order_by("teacher__last_name")
    )


@require_GET
@school_permission_required("schedule.view_timetable")
def plan_list(request):
    """Every course of the year for those who read everything; a teacher's own courses and their class's."""
    school = request.school
    day = today(school.timezone)
    year = current_year(school=school, day=day)
    rows = []
    reads_all = request.user.has_perm("schedule.view_plan")  # without a course: every course of the school
    if year is not None:
        courses = (
            Course.objects.for_school(school)
            .filter(year=year)
            .select_related("subject", "school_class", "group")
            .prefetch_related(_teachers())
            .order_by("school_class__grade", "school_class__letter", "group__name", "subject__name", "title", "pk")
        )
        if not reads_all:
            # The same rule as schedule.view_plan, in SQL: taught courses and the courses of a class one leads.
            courses = courses.filter(
                Q(pk__in=taught_courses(request.user)) | Q(school_class__class_teacher_id=request.user.pk)
            )
        rows = services.plan_overview(school=school, year=year, courses=list(courses), day=day)
    return render(
        request,
        "schedule/plans/list.html",
        {"year": year, "rows": rows, "reads_all": reads_all, "day": day},
    )


def _course(request, course_id: int, perm: str) -> Course:
    course = get_object_or_404(
        Course.objects.for_school(request.school).select_related("subject", "school_class", "group", "year", "school"),
        pk=course_id,
    )
    if not request.user.has_perm(perm, course):
        raise PermissionDenied
    return course


def _page(request, course: Course, *, status: int = 200, **extra):
    day = today(request.school.timezone)
    entries, coverage = services.plan_detail(course=course, day=day)
    can_change = request.user.has_perm("schedule.change_plan", course)
    context = {
        "course": course,
        "entries": entries,
        "coverage": coverage,
        "can_change": can_change,
        "form": PlanUploadForm() if can_change else None,
        "day": day,
        **extra,
    }
    return render(request, "schedule/plans/plan.html", context, status=status)


@require_GET
@school_member_required
def plan(request, course_id: int):
    course = _course(request, course_id, "schedule.view_plan")
    return _page(request, course)


@require_POST
@school_member_required
def plan_upload(request, course_id: int):
    """Read the file and show what it holds; nothing is written until the teacher confirms."""
    course = _course(request, course_id, "schedule.change_plan")
    form = PlanUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, course, status=422, form=form)
    preview = services.plan_read(form.content)
    if preview.errors:
        name = form.cleaned_data["file"].name
        return _page(request, course, status=422, form=form, problems=preview.errors, filename=name)
    return render(
        request,
        "schedule/plans/preview.html",
        {
            "course": course,
            "preview": preview,
            "lines": list(zip(preview.rows, preview.items, strict=True)),
            "filename": form.cleaned_data["file"].name,
            "confirm": PlanConfirmForm(initial={"plan": services.plan_sign(course=course, items=preview.items)}),
            "replaces": PlanItem.objects.filter(course=course).count(),
        },
    )


@require_POST
@school_member_required
def plan_confirm(request, course_id: int):
    course = _course(request, course_id, "schedule.change_plan")
    form = PlanConfirmForm(request.POST)
    try:
        if not form.is_valid():
            raise ScheduleError(_("The preview is out of date or damaged. Upload the file again."))
        items = services.plan_unsign(course=course, token=form.cleaned_data["plan"])
        services.plan_replace(actor=request.user, course=course, items=items)
    except ScheduleError as e:
        return _page(request, course, status=422, problems=[services.PlanProblem(None, e.message)])
    hours = sum(i.hours for i in items)
    messages.success(
        request,
        ngettext("The plan is posted: %(n)s topic", "The plan is posted: %(n)s topics", len(items)) % {"n": len(items)}
        + ", "
        + ngettext("%(h)s hour.", "%(h)s hours.", hours) % {"h": hours}
        + " "
        + _("Apply it to the lessons to fill their topics."),
    )
    return redirect("schedule:plan", course_id=course.pk)


@require_POST
@school_member_required
def plan_apply(request, course_id: int):
    course = _course(request, course_id, "schedule.change_plan")
    try:
        result = services.plan_apply(actor=request.user, course=course)
    except ScheduleError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, services.applied_message(result))
    return redirect("schedule:plan", course_id=course.pk)


@require_GET
@school_permission_required("schedule.view_timetable")
def plan_sample(request):
    content = services.plan_xlsx(title="Календарно-тематическое планирование", rows=[], sample=True)
    return _xlsx(content, "КТП_образец.xlsx")


@require_GET
@school_member_required
def plan_export(request, course_id: int):
    """The plan in the sample's format with the dates of its lessons: uploaded again, it gives the same plan."""
    course = _course(request, course_id, "schedule.view_plan")
    items = list(PlanItem.objects.filter(course=course).order_by("position"))
    dates: dict[int, list] = {}
    for item_id, day in (
        Lesson.objects.filter(course=course, plan_item__isnull=False)
        .in_journal()
        .order_by("date", "number")
        .values_list("plan_item_id", "date")
    ):
        dates.setdefault(item_id, []).append(day)
    name = course.title or course.subject.name
    title = f"Календарно-тематическое планирование: {name}, {course.audience}, {course.year}"
    content = services.plan_xlsx(title=title, rows=services.plan_rows(items=items, dates=dates))
    return _xlsx(content, f"КТП_{name}_{course.audience}.xlsx".replace(" ", "_"))
