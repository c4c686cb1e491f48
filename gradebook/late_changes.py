"""Late-change requests (seed 001 "Запрещено" and what follows; R-F01..R-F05, R-F07): after a window closed, a mark,
an absence or a period mark changes only this way.

The teacher files a request (`late_change_file`) with one of the reasons of seed 001, the document's number and date
and its scan; the director or a deputy approves it (`late_change_approve`: the change is applied at once, by the
same services the journal uses, and its history row names the request) or rejects it with a comment. The deputy
enters a retake's mark from the retake protocol (`retake_protocol_enter`, R-F05): a request made and approved in one
step. Who may do each is the permission layer's answer; the rules of what may be asked are here.
"""

import datetime
import os
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import SchoolSettings, User
from attendance.models import MAX_LATE_MINUTES, Absence, Code
from attendance.services import AttendanceError, absence_clear, absence_set
from audit.log import record
from ejournal.clock import now, today
from ejournal.uploads import upload_max_mb
from schedule.models import Course, Lesson, StudyPeriod
from schedule.selectors_lessons import on_lesson_list
from schedule.windows import lesson_window

from . import marks, period_marks
from .models import LateChangeRequest, LessonWork, Mark, PeriodMark
from .selectors import course_periods
from .services import GradebookError

Target = LateChangeRequest.Target
Status = LateChangeRequest.Status

SCAN_TYPES = {".pdf", ".jpg", ".jpeg", ".png"}
MAX_TEXT = 1000


@dataclass(frozen=True)
class Cell:
    """What a request changes: one pupil's mark of a work, attendance on a lesson, or period (year) mark."""

    target: str
    course: Course
    pupil: User
    lesson: Lesson | None = None
    work: LessonWork | None = None
    period: StudyPeriod | None = None  # a period mark's period; None for the year mark

    @classmethod
    def of(cls, request: LateChangeRequest) -> "Cell":
        return cls(
            target=request.target,
            course=request.course,
            pupil=request.pupil,
            lesson=request.lesson,
            work=request.work,
            period=request.period,
        )


def current_value(cell: Cell) -> tuple[str, int | None]:
    """What the cell holds now (and a lateness's minutes): "" when empty."""
    if cell.target == Target.MARK:
        value = Mark.objects.filter(work=cell.work, pupil=cell.pupil).values_list("value", flat=True).first()
        return value or "", None
    if cell.target == Target.ABSENCE:
        row = Absence.objects.filter(lesson=cell.lesson, pupil=cell.pupil).values_list("code", "minutes").first()
        return (row[0], row[1]) if row else ("", None)
    value = (
        PeriodMark.objects.filter(course=cell.course, period=cell.period, pupil=cell.pupil)
        .values_list("value", flat=True)
        .first()
    )
    return value or "", None


def _settings(course: Course) -> SchoolSettings:
    return SchoolSettings.of(course.school)


def lock_of(cell: Cell, day: datetime.date) -> str:
    """Why the teacher cannot change the cell now (the window closed, the period's mark closed the journal, a
    correction needs approval); "" when the teacher can change it in the journal."""
    settings = _settings(cell.course)
    if cell.target == Target.MARK:
        lesson = cell.lesson
        if not marks.work_window(lesson, cell.work.work_type, settings).is_open(day):
            return "window"
        if settings.lock_journal_after_period_mark and period_marks.closed_by_period_mark(
            lesson.course_id, cell.pupil.pk, lesson.date
        ):
            return "period"
        if settings.corrections_need_approval and current_value(cell)[0]:
            return "correction"
        return ""
    if cell.target == Target.ABSENCE:
        return "" if lesson_window(cell.lesson, settings).is_open(day) else "window"
    end = period_marks.period_end(cell.course, cell.period)
    return "" if period_marks.period_window(end, cell.course.year.end, settings).is_open(day) else "window"


def _check_cell(cell: Cell) -> None:
    course = cell.course
    if course.year.is_archived:
        raise GradebookError(_("The year %(year)s is closed: its journal no longer changes.") % {"year": course.year})
    if cell.target not in Target.values:
        raise GradebookError(_("Choose what is to be changed."))
    if cell.target in (Target.MARK, Target.ABSENCE):
        if cell.lesson is None or cell.lesson.course_id != course.pk:
            raise GradebookError(_("The lesson is not one of this course's."))
        if cell.lesson.status == Lesson.Status.CANCELLED:
            raise GradebookError(_("The lesson is cancelled: it has no marks or attendance."))
        if cell.target == Target.MARK and (cell.work is None or cell.work.lesson_id != cell.lesson.pk):
            raise GradebookError(_("The work is not one of this lesson's."))
        if not on_lesson_list(cell.lesson, cell.pupil.pk):
            raise GradebookError(_("The pupil is not on the list of this lesson on its date."))
    else:
        if not period_marks.is_attested(course):
            raise GradebookError(
                _("«%(subject)s» is taught without attestation: it has no period marks.") % {"subject": course.subject}
            )
        if cell.period is not None and cell.period.pk not in {p.pk for p in course_periods(course)}:
            raise GradebookError(_("The period is not one of this course's study periods."))


def _check_new_value(cell: Cell, value: str, minutes) -> tuple[str, int | None]:
    value = (value or "").strip()
    if cell.target == Target.MARK:
        if value and value not in Mark.Value.values:
            raise GradebookError(_("A mark is 1, 2, 3, 4, 5, «зач» or «незач»."))
        return value, None
    if cell.target == Target.ABSENCE:
        if value and value not in Code.values:
            raise GradebookError(_("Choose an attendance code."))
        if value == Code.LATE:
            try:
                minutes = int(minutes)
            except (TypeError, ValueError):
                minutes = 0
            if not 1 <= minutes <= MAX_LATE_MINUTES:
                raise GradebookError(_("Give how many minutes late, from 1 to %(most)s.") % {"most": MAX_LATE_MINUTES})
            return value, minutes
        return value, None
    if value and value not in PeriodMark.Value.values:
        raise GradebookError(_("Choose the period mark."))
    if value == PeriodMark.Value.TWO and period_marks.two_refused(_settings(cell.course), is_year=cell.period is None):
        raise period_marks.TwoRefused(
            _("«2» cannot be an attestation mark here (seed 002 §2.2): ask for an academic debt («долг») instead.")
        )
    return value, None


def _check_document(reason: str, number: str, date, scan, explanation: str, day: datetime.date) -> tuple[str, str]:
    if reason not in LateChangeRequest.Reason.values:
        raise GradebookError(_("Choose the reason of the change (seed 001 lists them)."))
    number = " ".join((number or "").split())
    if not number:
        raise GradebookError(_("Give the document's registration number."))
    if len(number) > 100:
        raise GradebookError(_("The document's number is too long."))
    if not isinstance(date, datetime.date):
        raise GradebookError(_("Give the document's date."))
    if date > day:
        raise GradebookError(_("The document's date cannot be in the future."))
    if scan is None:
        raise GradebookError(_("Attach the scan of the document."))
    if os.path.splitext(scan.name or "")[1].lower() not in SCAN_TYPES:
        raise GradebookError(_("The scan is a PDF, JPEG or PNG file."))
    if scan.size > settings.UPLOAD_MAX_BYTES:
        raise GradebookError(_("The scan is larger than %(size)s MB.") % {"size": upload_max_mb()})
    explanation = (explanation or "").strip()
    if len(explanation) > MAX_TEXT:
        raise GradebookError(_("The explanation is longer than %(count)s characters.") % {"count": MAX_TEXT})
    return number, explanation


def _new_request(
    *, actor, cell, value, minutes, reason, document_number, document_date, scan, explanation, source, day
) -> LateChangeRequest:
    number, explanation = _check_document(reason, document_number, document_date, scan, explanation, day)
    old, old_minutes = current_value(cell)
    if (old, old_minutes) == (value, minutes):
        raise GradebookError(_("The new value is the one the journal already holds."))
    request = LateChangeRequest(
        school_id=cell.course.school_id,
        target=cell.target,
        source=source,
        course=cell.course,
        lesson=cell.lesson,
        work=cell.work,
        period=cell.period,
        pupil=cell.pupil,
        old_value=old if old_minutes is None else f"{old} {old_minutes}",
        new_value=value,
        minutes=minutes,
        reason=reason,
        document_number=number,
        document_date=document_date,
        scan_name=os.path.basename(scan.name)[:200],
        explanation=explanation,
        author=actor,
        created_at=now(),
    )
    extension = os.path.splitext(scan.name)[1].lower()
    request.scan.save(f"{now():%Y%m%d%H%M%S%f}{extension}", scan, save=False)
    request.save()
    return request


@transaction.atomic
def late_change_file(
    *,
    actor: User,
    cell: Cell,
    new_value: str,
    minutes=None,
    reason: str,
    document_number: str,
    document_date,
    scan,
    explanation: str = "",
) -> LateChangeRequest:
    """A teacher's written request to change a cell after its window closed (R-F01..R-F03). Refused while the
    teacher can change it in the journal, and while another request for the same cell awaits a decision."""
    _check_cell(cell)
    day = today(cell.course.school.timezone)
    if not lock_of(cell, day):
        raise GradebookError(_("This can still be changed in the journal: no request is needed."))
    value, minutes = _check_new_value(cell, new_value, minutes)
    pending = LateChangeRequest.objects.filter(
        course=cell.course,
        target=cell.target,
        pupil=cell.pupil,
        lesson=cell.lesson,
        work=cell.work,
        period=cell.period,
        status=Status.PENDING,
    )
    if pending.exists():
        raise GradebookError(_("A request for this change already awaits a decision."))
    request = _new_request(
        actor=actor,
        cell=cell,
        value=value,
        minutes=minutes,
        reason=reason,
        document_number=document_number,
        document_date=document_date,
        scan=scan,
        explanation=explanation,
        source=LateChangeRequest.Source.REQUEST,
        day=day,
    )
    record(
        actor=actor,
        school=cell.course.school,
        action="gradebook.late_change.filed",
        obj=request,
        data={"target": cell.target, "old": request.old_value, "new": value, "reason": reason},
    )
    return request


def _apply(request: LateChangeRequest) -> None:
    """The change itself, by the journal's services, past the windows; its history row names the request."""
    cell = Cell.of(request)
    _check_cell(cell)
    if request.target == Target.MARK:
        marks.mark_apply_late(work=request.work, pupil_id=request.pupil_id, value=request.new_value, request=request)
    elif request.target == Target.ABSENCE:
        try:
            if request.new_value:
                absence_set(
                    actor=request.author,
                    lesson=request.lesson,
                    pupil=request.pupil,
                    code=request.new_value,
                    minutes=request.minutes,
                    late_change_id=request.pk,
                )
            else:
                absence_clear(
                    actor=request.author, lesson=request.lesson, pupil=request.pupil, late_change_id=request.pk
                )
        except AttendanceError as e:
            raise GradebookError(e.message) from e
    elif request.new_value:
        period_marks.period_mark_set(
            actor=request.author,
            course=request.course,
            period=request.period,
            pupil_id=request.pupil_id,
            value=request.new_value,
            late_change=request,
        )
    else:
        period_marks.period_mark_remove(
            course=request.course, period=request.period, pupil_id=request.pupil_id, late_change=request
        )


def _locked(request: LateChangeRequest) -> LateChangeRequest:
    return (
        LateChangeRequest.objects.select_for_update(of=("self",))
        .select_related(
            "course__year", "course__subject", "course__school", "lesson__course__year", "work__work_type", "period"
        )
        .get(pk=request.pk)
    )


def _comment(comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) > MAX_TEXT:
        raise GradebookError(_("The comment is longer than %(count)s characters.") % {"count": MAX_TEXT})
    return comment


@transaction.atomic
def late_change_approve(*, actor: User, request: LateChangeRequest, comment: str = "") -> LateChangeRequest:
    """Approve a pending request (R-F01): the change is applied now, or nothing happens when it cannot be."""
    comment = _comment(comment)
    request = _locked(request)
    if not request.is_pending:
        raise GradebookError(_("The request is already decided."))
    request.status, request.decided_by, request.decided_at = Status.APPROVED, actor, now()
    request.decision_comment = comment
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    _apply(request)
    record(
        actor=actor,
        school=request.course.school,
        action="gradebook.late_change.approved",
        obj=request,
        data={"target": request.target, "old": request.old_value, "new": request.new_value},
    )
    return request


@transaction.atomic
def late_change_reject(*, actor: User, request: LateChangeRequest, comment: str) -> LateChangeRequest:
    """Reject a pending request; the teacher sees why."""
    comment = _comment(comment)
    if not comment:
        raise GradebookError(_("Say why the request is rejected."))
    request = _locked(request)
    if not request.is_pending:
        raise GradebookError(_("The request is already decided."))
    request.status, request.decided_by, request.decided_at = Status.REJECTED, actor, now()
    request.decision_comment = comment
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    record(
        actor=actor,
        school=request.course.school,
        action="gradebook.late_change.rejected",
        obj=request,
        data={"comment": comment},
    )
    return request


@transaction.atomic
def late_change_withdraw(*, actor: User, request: LateChangeRequest) -> LateChangeRequest:
    """The teacher takes back a request that awaits a decision."""
    request = _locked(request)
    if not request.is_pending:
        raise GradebookError(_("The request is already decided."))
    request.status = Status.WITHDRAWN
    request.save(update_fields=["status"])
    record(actor=actor, school=request.course.school, action="gradebook.late_change.withdrawn", obj=request)
    return request


@transaction.atomic
def retake_protocol_enter(
    *,
    actor: User,
    cell: Cell,
    new_value: str,
    document_number: str,
    document_date,
    scan,
    explanation: str = "",
) -> LateChangeRequest:
    """The deputy enters a retake's mark from its protocol after the window closed (R-F05): recorded as an approved
    request with the protocol as its document, and applied at once."""
    if cell.target not in (Target.MARK, Target.PERIOD_MARK):
        raise GradebookError(_("A retake protocol changes a mark or a period mark."))
    _check_cell(cell)
    day = today(cell.course.school.timezone)
    if not lock_of(cell, day):
        raise GradebookError(_("The teacher can still change this in the journal (seed 000 §12): no protocol needed."))
    value, _minutes = _check_new_value(cell, new_value, None)
    if not value:
        raise GradebookError(_("Give the mark of the retake."))
    request = _new_request(
        actor=actor,
        cell=cell,
        value=value,
        minutes=None,
        reason=LateChangeRequest.Reason.RETAKE,
        document_number=document_number,
        document_date=document_date,
        scan=scan,
        explanation=explanation,
        source=LateChangeRequest.Source.PROTOCOL,
        day=day,
    )
    request.status, request.decided_by, request.decided_at = Status.APPROVED, actor, now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    _apply(request)
    record(
        actor=actor,
        school=cell.course.school,
        action="gradebook.late_change.retake_entered",
        obj=request,
        data={"target": cell.target, "old": request.old_value, "new": value},
    )
    return request
