"""A course's period and year marks (issue 6): each period's weighted average and forecast next to its mark, the year
last; the course's teacher sets them within the windows (R-D06, R-E05), all cells of the page saved at once or none.

After a column's window closed, its cells link to a late-change request (the teacher) or to a retake protocol (the
deputy, R-F05).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import school_member_required
from ejournal.clock import today
from schedule.models import Course

from .period_marks import EntriesRefused, Entry, period_marks_save
from .period_marks_html import table_body
from .selectors_periods import period_sheet


def _course(request, course_id: int, perm: str) -> Course:
    course = get_object_or_404(
        Course.objects.for_school(request.school).select_related(
            "year", "subject", "school", "school_class", "group__school_class"
        ),
        pk=course_id,
    )
    if not request.user.has_perm(perm, course):
        raise PermissionDenied
    return course


def _page(request, course: Course, *, posted=None, errors=None, suggestions=None, status=200):
    day = today(request.school.timezone)
    sheet = period_sheet(course=course, day=day)
    may_set = sheet.attested and request.user.has_perm("gradebook.change_period_marks", course)
    may_retake = sheet.attested and request.user.has_perm("gradebook.enter_retake_protocol", course)
    errors, suggestions, posted = errors or {}, suggestions or {}, posted or {}
    late_url = reverse("gradebook:late_change_new", args=[course.pk]) if may_set else ""
    retake_url = reverse("gradebook:retake_new", args=[course.pk]) if may_retake else ""
    for row in sheet.rows:
        for slot, column in zip(row.slots, sheet.columns, strict=True):
            # R-E11: a pupil learning at home is attested by the commission, not by the course's teacher.
            slot.editable = may_set and column.open and not slot.off and not row.home
            key = (slot.period.pk if slot.period is not None else None, row.pupil.pk)
            slot.error = errors.get(key, "")
            name = f"pm-{slot.key}-{row.pupil.pk}"
            slot.name = name
            slot.shown = suggestions.get(key) or posted.get(name, slot.value)
            query = f"?period={slot.key}&pupil={row.pupil.pk}"
            closed = column.window.editable_until < day and not slot.off and not row.home  # only by a request
            slot.late_url = f"{late_url}{query}" if late_url and closed else ""
            slot.retake_url = f"{retake_url}{query}" if retake_url and closed else ""
    context = {
        "course": course,
        "sheet": sheet,
        "may_set": may_set and any(c.open for c in sheet.columns),
        "today": day,
        "has_errors": bool(errors),
        "table_body": table_body(sheet),
    }
    return render(request, "gradebook/period_marks/page.html", context, status=status)


@require_GET
@school_member_required
def period_marks(request, course_id: int):
    course = _course(request, course_id, "gradebook.view_period_marks")
    return _page(request, course)


@require_POST
@school_member_required
def period_marks_save_view(request, course_id: int):
    """Save the cells whose value changed: all of them, or none with each refusal shown on its cell (promise 5)."""
    course = _course(request, course_id, "gradebook.change_period_marks")
    sheet = period_sheet(course=course, day=today(request.school.timezone))
    periods = {c.key: c.period for c in sheet.columns}
    current = {f"pm-{slot.key}-{row.pupil.pk}": slot.value for row in sheet.rows for slot in row.slots}
    entries, errors = [], {}
    posted = {}
    for name, value in request.POST.items():
        if not name.startswith("pm-"):
            continue
        parts = name.split("-")
        if len(parts) != 3 or parts[1] not in periods or not parts[2].isdigit() or name not in current:
            continue  # not a cell of this page: ignored, as a form ignores unknown fields
        value = value.strip()
        posted[name] = value
        if value == current[name]:
            continue
        period = periods[parts[1]]
        key = (period.pk if period is not None else None, int(parts[2]))
        if not value:
            errors[key] = _("A period mark is not removed: choose another value, or file a late-change request.")
            continue
        entries.append(Entry(period=period, pupil_id=int(parts[2]), value=value))
    suggestions = {}
    status = 422 if errors else 409
    if not errors:
        try:
            saved = period_marks_save(actor=request.user, course=course, entries=entries)
        except EntriesRefused as e:
            errors, suggestions = e.errors, e.suggestions
        else:
            if not entries:
                messages.info(request, _("Nothing changed."))
            else:
                messages.success(request, _("Period marks saved: %(count)s.") % {"count": len(saved)})
            warned = [s for s in saved if s.warning]
            if warned:
                messages.warning(
                    request,
                    _("%(count)s of them were set with fewer marks than an objective period mark needs (seed 003).")
                    % {"count": len(warned)},
                )
            return redirect("gradebook:period_marks", course_id=course.pk)
    return _page(request, course, posted=posted, errors=errors, suggestions=suggestions, status=status)
