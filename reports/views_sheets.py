"""The summary sheet of a pupil and the sheets of a class (issue 9 item 2; seed 000 §13, R-I05, R-I06): HTML for the
screen, PDF for print. Each view fetches through the school's scope (another school's pupil or class: 404), asks
the permission layer, and narrows a subject teacher's view to their own courses. A family asking for somebody
else's child gets 404, never a hint that the child exists."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.access import access
from accounts.decorators import school_member_required
from accounts.models import STAFF_ROLES, Role, User
from diary.selectors import pupils_with_class
from ejournal.clock import local_now, today
from schedule.models import Course, SchoolClass
from schedule.selectors import taught_courses

from .pdf import pdf_response
from .sheets import RangeError, class_periods, class_sheets, missed_headers, parse_range, period_of_range, pupil_sheet
from .sheets_pdf import render_sheets


def _range(request, school_class: SchoolClass | None):
    """(start, end, period name, error): the range asked for, cut to its study period; or the error to show."""
    day = today(request.school.timezone)
    try:
        start, end = parse_range(request.GET.get("start"), request.GET.get("end"), day)
        periods = class_periods(school_class) if school_class is not None else []
        period, start, end = period_of_range(periods, start, end)
    except RangeError as error:
        return None, None, "", str(error)
    return start, end, (str(period) if period is not None else ""), ""


def _class_courses(user, school_class: SchoolClass) -> list[int]:
    """A subject teacher's own courses of the class (its whole-class courses and its groups')."""
    from django.db.models import Q

    return list(
        Course.objects.filter(pk__in=taught_courses(user))
        .filter(Q(school_class_id=school_class.pk) | Q(group__school_class_id=school_class.pk))
        .values_list("pk", flat=True)
    )


def _pupil(request, pupil_id: int) -> tuple[User, SchoolClass | None, list[int] | None]:
    """The pupil (of this school), their class today, and the courses the user may see (None: all)."""
    pupil = get_object_or_404(
        User.objects.filter(memberships__school=request.school, memberships__role=Role.PUPIL).distinct(), pk=pupil_id
    )
    if not request.user.has_perm("reports.view_pupil_sheet", pupil):
        if not access(request.user).roles_in(request.school.pk) & STAFF_ROLES:
            raise Http404  # a family never learns whether another child exists (R-A07)
        raise PermissionDenied
    course_ids = None
    if not request.user.has_perm("reports.view_whole_pupil_sheet", pupil):
        course_ids = sorted(taught_courses(request.user))
    found = pupils_with_class(school=request.school, ids=[pupil.pk], day=today(request.school.timezone))
    class_id = found[0].class_id if found else None
    school_class = SchoolClass.objects.filter(school_id=request.school.pk, pk=class_id).first() if class_id else None
    return pupil, school_class, course_ids


def _title(start: datetime.date, end: datetime.date) -> str:
    return _("Summary sheet for %(start)s–%(end)s") % {"start": f"{start:%d.%m.%Y}", "end": f"{end:%d.%m.%Y}"}


def _filename(name: str, start: datetime.date, end: datetime.date) -> str:
    return f"{name} {start:%d.%m.%Y}-{end:%d.%m.%Y}"


@require_GET
@school_member_required
def pupil_sheet_view(request, pupil_id: int):
    pupil, school_class, course_ids = _pupil(request, pupil_id)
    start, end, period_name, error = _range(request, school_class)
    context = {"pupil": pupil, "school_class": school_class, "error": error, "missed_headers": missed_headers()}
    context["start_value"] = request.GET.get("start", "")
    context["end_value"] = request.GET.get("end", "")
    if error:
        return render(request, "reports/sheets/pupil.html", context, status=400)
    sheet = pupil_sheet(school=request.school, pupil=pupil, start=start, end=end, course_ids=course_ids)
    sheet.period_name = period_name
    context |= {"sheet": sheet, "start": start, "end": end, "own_courses_only": course_ids is not None}
    context["start_value"], context["end_value"] = start.isoformat(), end.isoformat()
    return render(request, "reports/sheets/pupil.html", context)


@require_GET
@school_member_required
def pupil_sheet_pdf(request, pupil_id: int):
    pupil, school_class, course_ids = _pupil(request, pupil_id)
    start, end, period_name, error = _range(request, school_class)
    if error:
        context = {"pupil": pupil, "school_class": school_class, "error": error, "missed_headers": missed_headers()}
        context |= {"start_value": request.GET.get("start", ""), "end_value": request.GET.get("end", "")}
        return render(request, "reports/sheets/pupil.html", context, status=400)
    sheet = pupil_sheet(school=request.school, pupil=pupil, start=start, end=end, course_ids=course_ids)
    sheet.period_name = period_name
    content, _parts = render_sheets(
        school=request.school, sheets=[sheet], title=_title(start, end), generated=local_now(request.school.timezone)
    )
    return pdf_response(content, _filename(pupil.get_full_name(), start, end))


def _class(request, class_id: int) -> tuple[SchoolClass, list[int] | None]:
    school_class = get_object_or_404(SchoolClass.objects.for_school(request.school), pk=class_id)
    if not request.user.has_perm("reports.view_class_sheets", school_class):
        raise PermissionDenied
    course_ids = None
    if not request.user.has_perm("reports.view_whole_class_sheets", school_class):
        course_ids = _class_courses(request.user, school_class)
    return school_class, course_ids


@require_GET
@school_member_required
def class_sheets_view(request, class_id: int):
    school_class, course_ids = _class(request, class_id)
    start, end, period_name, error = _range(request, school_class)
    context = {"school_class": school_class, "error": error, "missed_headers": missed_headers()}
    context |= {"start_value": request.GET.get("start", ""), "end_value": request.GET.get("end", "")}
    if error:
        return render(request, "reports/sheets/class.html", context, status=400)
    sheets = class_sheets(school=request.school, school_class=school_class, start=start, end=end, course_ids=course_ids)
    context |= {
        "sheets": sheets,
        "start": start,
        "end": end,
        "period_name": period_name,
        "own_courses_only": course_ids is not None,
        "start_value": start.isoformat(),
        "end_value": end.isoformat(),
    }
    return render(request, "reports/sheets/class.html", context)


@require_GET
@school_member_required
def class_sheets_pdf(request, class_id: int):
    school_class, course_ids = _class(request, class_id)
    start, end, period_name, error = _range(request, school_class)
    if error:
        context = {"school_class": school_class, "error": error, "missed_headers": missed_headers()}
        context |= {"start_value": request.GET.get("start", ""), "end_value": request.GET.get("end", "")}
        return render(request, "reports/sheets/class.html", context, status=400)
    sheets = class_sheets(school=request.school, school_class=school_class, start=start, end=end, course_ids=course_ids)
    for sheet in sheets:
        sheet.period_name = period_name
    content, _parts = render_sheets(
        school=request.school, sheets=sheets, title=_title(start, end), generated=local_now(request.school.timezone)
    )
    return pdf_response(content, _filename(str(school_class), start, end))
