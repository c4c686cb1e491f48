"""Late-change requests and retake protocols (issue 6; seed 001 "Запрещено" and what follows; R-F01..R-F05, R-F07).

A teacher asks from a locked cell of the journal (`late_change_new`); the director or a deputy decides on the
request's page; the deputy enters a retake's mark from its protocol (`retake_new`). Every object is fetched through
the school's scope and checked against the course (another school's or another course's object is 404); each view
asks the permission layer once: the cell's own write permission for a request, `gradebook.decide_late_change`,
`gradebook.withdraw_late_change`, `gradebook.enter_retake_protocol`. The rules are gradebook/late_changes.py's.
"""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import school_member_required, school_permission_required
from accounts.models import SchoolSettings, User
from accounts.predicates import is_school_reader
from attendance.models import Code
from audit.models import AuditEntry
from ejournal.clock import today
from schedule.models import Course, Enrollment, GroupMembership, Lesson
from schedule.windows import lesson_window

from . import late_changes as services
from . import marks, period_marks
from .forms_late_changes import ApproveForm, LateChangeForm, RejectForm, RetakeForm
from .late_changes import Cell
from .models import LateChangeRequest, LessonWork
from .selectors import attendance_label, course_periods, period_on
from .services import GradebookError
from .status_lists import status_list

Target = LateChangeRequest.Target
Status = LateChangeRequest.Status
PER_PAGE = 50
STATUSES = ("pending", "approved", "rejected", "withdrawn", "all")
# The cell's own write permission: whoever could change it in the journal asks for it after the window (R-F01).
FILE_PERMS = {
    Target.MARK: "gradebook.change_marks",
    Target.ABSENCE: "attendance.change_attendance",
    Target.PERIOD_MARK: "gradebook.change_period_marks",
}


# --- Values as the journal shows them ---------------------------------------------------------------------------


def value_label(target: str, value: str, minutes: int | None = None) -> str:
    """A stored value as the journal shows it: «5», «Б», «ОП (late, 10 min)»; "—" for nothing (present, for
    attendance)."""
    if not value:
        return _("present") if target == Target.ABSENCE else "—"
    if target == Target.ABSENCE and value in Code.values:
        short, title = attendance_label(value, minutes)
        return f"{short} ({title})"
    return value


def _old_label(request: LateChangeRequest) -> str:
    # A lateness is stored with its minutes: "late 10".
    code, _sep, minutes = request.old_value.partition(" ")
    return value_label(request.target, code, int(minutes) if minutes.isdigit() else None)


def _label(request: LateChangeRequest) -> None:
    request.was = _old_label(request)
    request.becomes = value_label(request.target, request.new_value, request.minutes)


def _what(target: str, *, lesson: Lesson | None, work: LessonWork | None, period) -> str:
    """What the cell is: «16.11.2026, lesson 2 · Answer in class», «16.11.2026, lesson 2 · attendance», «2 quarter»."""
    if target == Target.PERIOD_MARK:
        return str(period) if period is not None else _("year mark")
    when = _("%(date)s, lesson %(number)s") % {"date": date_format(lesson.date, "d.m.Y"), "number": lesson.number}
    if target == Target.ABSENCE:
        attendance = _("attendance")
        return f"{when} · {attendance}"
    kind = work.work_type.name
    return f"{when} · {kind}: {work.title}" if work.title else f"{when} · {kind}"


# --- Fetching through the school's scope --------------------------------------------------------------------------


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 10 else None


def _course(request, course_id: int) -> Course:
    course = get_object_or_404(
        Course.objects.for_school(request.school).select_related(
            "year", "subject", "school_class", "group__school_class"
        ),
        pk=course_id,
    )
    course.school = request.school  # the same school (for_school), loaded with its settings by the middleware
    return course


def _pupil(request, course: Course, pupil_id: int | None) -> User:
    """A pupil who is (or was) on the course's list: a class's enrollment or a group's membership."""
    if course.group_id is not None:
        rows = GroupMembership.objects.filter(school=request.school, group_id=course.group_id)
    else:
        rows = Enrollment.objects.filter(school=request.school, school_class_id=course.school_class_id)
    pupil = (
        User.objects.filter(pk=pupil_id).filter(Exists(rows.filter(pupil_id=OuterRef("pk")))).first()
        if pupil_id
        else None
    )
    if pupil is None:
        raise Http404
    return pupil


def _cell(request, course: Course, *, attendance: bool = True) -> Cell:
    """The cell the query string names: `work` (a mark), `lesson` (attendance), `period` (an id, or `year`), each
    with `pupil`; 404 unless each object is the course's (and the school's). The form posts to its own URL with the
    query string; a POST may name the cell in its fields instead."""
    names = ("work", "lesson", "period", "pupil")
    query = {n: request.GET.get(n) or request.POST.get(n, "") for n in names if n in request.GET or n in request.POST}
    lesson = work = period = None
    if "work" in query:
        target = Target.MARK
        work = get_object_or_404(
            LessonWork.objects.for_school(request.school).select_related("work_type", "lesson__substitution"),
            pk=_int(query["work"]) or 0,
            lesson__course=course,
        )
        lesson = work.lesson
    elif "lesson" in query and attendance:
        target = Target.ABSENCE
        lesson = get_object_or_404(
            Lesson.objects.for_school(request.school).select_related("substitution"),
            pk=_int(query["lesson"]) or 0,
            course=course,
        )
    elif "period" in query:
        target = Target.PERIOD_MARK
        if query["period"] != "year":
            wanted = _int(query["period"])
            period = next((p for p in course_periods(course) if p.pk == wanted), None)
            if period is None:
                raise Http404
    else:
        raise Http404
    if lesson is not None:
        lesson.course = course
        lesson.school = request.school
    return Cell(
        target=target, course=course, pupil=_pupil(request, course, _int(query.get("pupil"))), lesson=lesson,
        work=work, period=period,
    )  # fmt: skip


def _perm_object(cell: Cell):
    return cell.course if cell.target == Target.PERIOD_MARK else cell.lesson


def _journal_url(cell: Cell) -> str:
    url = reverse("gradebook:journal", args=[cell.course.pk])
    if cell.lesson is None:
        return url
    period = period_on(course_periods(cell.course), cell.lesson.date)
    return f"{url}?period={period.pk}#lesson-{cell.lesson.pk}" if period else f"{url}#lesson-{cell.lesson.pk}"


def _lock_text(cell: Cell, lock: str) -> str:
    """Why the teacher cannot change the cell in the journal any more (the lock of `late_changes.lock_of`)."""
    settings = SchoolSettings.of(cell.course.school)
    if lock == "period":
        return _(
            "The pupil's mark for the period is set: the period's journal is closed to the teacher (seed 004 §5.2)."
        )
    if lock == "correction":
        return _("In this school a mark already entered is corrected only through a request approved by the director.")
    if cell.target == Target.MARK:
        until = marks.work_window(cell.lesson, cell.work.work_type, settings).editable_until
    elif cell.target == Target.ABSENCE:
        until = lesson_window(cell.lesson, settings).editable_until
    else:
        end = period_marks.period_end(cell.course, cell.period)
        until = period_marks.period_window(end, cell.course.year.end, settings).editable_until
    return _("It could be changed in the journal until %(until)s.") % {"until": date_format(until, "d.m.Y")}


def _cell_context(request, cell: Cell) -> dict:
    value, minutes = services.current_value(cell)
    lock = services.lock_of(cell, today(request.school.timezone))
    return {
        "course": cell.course,
        "cell": cell,
        "pupil": cell.pupil,
        "what": _what(cell.target, lesson=cell.lesson, work=cell.work, period=cell.period),
        "target_label": Target(cell.target).label,
        "current": value_label(cell.target, value, minutes),
        "current_value": value,
        "lock": lock,
        "lock_text": _lock_text(cell, lock) if lock else "",
        "journal_url": _journal_url(cell),
        "waiting": LateChangeRequest.objects.filter(
            school=request.school, course=cell.course, target=cell.target, pupil=cell.pupil, lesson=cell.lesson,
            work=cell.work, period=cell.period, status=Status.PENDING,
        ).first(),
    }  # fmt: skip


# --- A teacher's request -----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@school_member_required
def late_change_new(request, course_id: int):
    """The request form for one cell (R-F01..R-F03). While the teacher can still change the cell, the page says so
    and sends them back to the journal."""
    course = _course(request, course_id)
    cell = _cell(request, course)
    if not request.user.has_perm(FILE_PERMS[cell.target], _perm_object(cell)):
        raise PermissionDenied
    context = _cell_context(request, cell)
    form = LateChangeForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        target=cell.target,
        initial={"new_value": context["current_value"]},
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                filed = services.late_change_file(
                    actor=request.user,
                    cell=cell,
                    new_value=data["new_value"],
                    minutes=data.get("minutes"),
                    reason=data["reason"],
                    document_number=data["document_number"],
                    document_date=data["document_date"],
                    scan=data["scan"],
                    explanation=data["explanation"],
                )
            except GradebookError as e:
                form.add_error(None, e.message)
                status = 409
            else:
                messages.success(
                    request, _("The request is filed: the director or a deputy will decide on it. It is No. %(n)s.")
                    % {"n": filed.pk},
                )  # fmt: skip
                return redirect("gradebook:late_change_detail", request_id=filed.pk)
    context["form"] = form
    return render(request, "gradebook/late_changes/new.html", context, status=status)


# --- The deputy's retake protocol (R-F05) ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@school_member_required
def retake_new(request, course_id: int):
    """The deputy enters a retake's mark from its protocol after the window closed: applied at once and recorded as
    an approved request with the protocol as its document."""
    course = _course(request, course_id)
    cell = _cell(request, course, attendance=False)
    if not request.user.has_perm("gradebook.enter_retake_protocol", course):
        raise PermissionDenied
    context = _cell_context(request, cell)
    form = RetakeForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        target=cell.target,
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                entered = services.retake_protocol_enter(
                    actor=request.user,
                    cell=cell,
                    new_value=data["new_value"],
                    document_number=data["document_number"],
                    document_date=data["document_date"],
                    scan=data["scan"],
                    explanation=data["explanation"],
                )
            except GradebookError as e:
                form.add_error(None, e.message)
                status = 409
            else:
                messages.success(request, _("The retake's mark is entered in the journal from the protocol."))
                return redirect("gradebook:late_change_detail", request_id=entered.pk)
    context["form"] = form
    return render(request, "gradebook/late_changes/retake.html", context, status=status)


# --- The list ----------------------------------------------------------------------------------------------------


def _requests(school):
    return LateChangeRequest.objects.for_school(school).select_related(
        "course__subject",
        "course__school_class",
        "course__group",
        "lesson",
        "work__work_type",
        "period",
        "pupil",
        "author",
        "decided_by",
    )


@require_GET
@school_permission_required("gradebook.view_late_changes")
def late_change_list(request):
    """A teacher's own requests with their states; the school's for those who read everything (R-A03), awaiting a
    decision first by default for those who decide."""
    reader = is_school_reader.test(request.user)
    decides = request.user.has_perm("gradebook.decide_late_change")
    scope = LateChangeRequest.objects.for_school(request.school)
    if not reader:
        scope = scope.filter(author=request.user)
    rows = _requests(request.school)
    if not reader:
        rows = rows.filter(author=request.user)
    status, tabs, rows = status_list(
        scope=scope,
        rows=rows,
        choices=Status,
        order=STATUSES,
        requested=request.GET.get("status", ""),
        default="pending" if decides else "all",
        all_label=_("all requests"),
        waiting=Status.PENDING,
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    for row in page.object_list:
        _label(row)
        row.what = _what(row.target, lesson=row.lesson, work=row.work, period=row.period)
    context = {"page": page, "requests": page.object_list, "status": status, "reader": reader, "statuses": tabs}
    return render(request, "gradebook/late_changes/list.html", context)


# --- One request ---------------------------------------------------------------------------------------------------


def _request(request, request_id: int, perm: str) -> LateChangeRequest:
    found = get_object_or_404(_requests(request.school).select_related("course__year"), pk=request_id)
    if not request.user.has_perm(perm, found):
        raise PermissionDenied
    found.course.school = request.school
    found.school = request.school
    return found


ACTIONS = {
    "gradebook.late_change.filed": gettext_lazy("filed the request"),
    "gradebook.late_change.approved": gettext_lazy("approved it: the journal is changed"),
    "gradebook.late_change.rejected": gettext_lazy("rejected it"),
    "gradebook.late_change.withdrawn": gettext_lazy("withdrew it"),
    "gradebook.late_change.retake_entered": gettext_lazy("entered the retake's mark from the protocol"),
}


def _history(found: LateChangeRequest) -> list[AuditEntry]:
    """The request's audit entries, oldest first: who filed, decided or withdrew it, and when."""
    entries = list(
        AuditEntry.objects.filter(
            school=found.school,
            object_type=ContentType.objects.get_for_model(LateChangeRequest),
            object_id=str(found.pk),
            action__startswith="gradebook.late_change.",
        )
        .select_related("actor")
        .order_by("created_at", "pk")
    )
    for entry in entries:
        entry.label = ACTIONS.get(entry.action, entry.action)
        entry.comment = entry.data.get("comment", "") if isinstance(entry.data, dict) else ""
    return entries


def _detail(request, found: LateChangeRequest, *, status=200, approve_form=None, reject_form=None, error=""):
    _label(found)
    pending = found.status == Status.PENDING
    can_decide = pending and request.user.has_perm("gradebook.decide_late_change", found)
    can_withdraw = pending and request.user.has_perm("gradebook.withdraw_late_change", found)
    value, minutes = services.current_value(Cell.of(found))
    context = {
        "req": found,
        "course": found.course,
        "what": _what(found.target, lesson=found.lesson, work=found.work, period=found.period),
        "now_value": value_label(found.target, value, minutes),
        "history": _history(found),
        "can_decide": can_decide,
        "can_withdraw": can_withdraw,
        "approve_form": approve_form or (ApproveForm() if can_decide else None),
        "reject_form": reject_form or (RejectForm() if can_decide else None),
        "error": error,
        "journal_url": reverse("gradebook:journal", args=[found.course_id]),
    }
    return render(request, "gradebook/late_changes/detail.html", context, status=status)


@require_GET
@school_member_required
def late_change_detail(request, request_id: int):
    return _detail(request, _request(request, request_id, "gradebook.view_late_change"))


@require_GET
@school_member_required
def late_change_scan(request, request_id: int):
    """The document's scan, to those who read the request, under the name it was uploaded with."""
    found = _request(request, request_id, "gradebook.view_late_change")
    try:
        handle = found.scan.open("rb")
    except (FileNotFoundError, ValueError) as e:
        raise Http404 from e
    return FileResponse(handle, as_attachment=True, filename=found.scan_name or found.scan.name.rsplit("/", 1)[-1])


def _refused(request, found: LateChangeRequest, e: GradebookError):
    """A stale page (somebody decided meanwhile) or a change that can no longer be applied: nothing happened."""
    found.refresh_from_db(fields=["status", "decided_by", "decided_at", "decision_comment"])
    return _detail(request, found, status=409, error=e.message)


@require_POST
@school_member_required
def late_change_approve(request, request_id: int):
    found = _request(request, request_id, "gradebook.decide_late_change")
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _detail(request, found, status=422, approve_form=form)
    try:
        services.late_change_approve(actor=request.user, request=found, comment=form.cleaned_data["comment"])
    except GradebookError as e:
        return _refused(request, found, e)
    messages.success(request, _("The request is approved: the change is made in the journal."))
    return redirect("gradebook:late_change_detail", request_id=found.pk)


@require_POST
@school_member_required
def late_change_reject(request, request_id: int):
    found = _request(request, request_id, "gradebook.decide_late_change")
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _detail(request, found, status=422, reject_form=form)
    try:
        services.late_change_reject(actor=request.user, request=found, comment=form.cleaned_data["comment"])
    except GradebookError as e:
        return _refused(request, found, e)
    messages.success(request, _("The request is rejected: the teacher sees why."))
    return redirect("gradebook:late_change_detail", request_id=found.pk)


@require_POST
@school_member_required
def late_change_withdraw(request, request_id: int):
    found = _request(request, request_id, "gradebook.withdraw_late_change")
    try:
        services.late_change_withdraw(actor=request.user, request=found)
    except GradebookError as e:
        return _refused(request, found, e)
    messages.success(request, _("The request is withdrawn."))
    return redirect("gradebook:late_change_detail", request_id=found.pk)
