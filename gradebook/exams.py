"""The state final attestation's results (ГИА, R-E12): ОГЭ after grade 9, ЕГЭ after grade 11, ГВЭ for either.

- What a result holds depends on the exam: ОГЭ and ГВЭ give a primary score and a 2–5 mark; the profile ЕГЭ a primary
  score and a 0–100 test score, no mark; ЕГЭ in basic mathematics a primary score and a mark, no test score.
- Results are entered within a day of their arrival at the school (seed 003 «Учителя»: «не позже суток после
  получения результатов»): due by the end of the day after `received_on`, in the school's time zone. A later entry
  is accepted and counted late; the deputy's list shows how many.
- Every change keeps its history (simple_history, with its author); a removal is also written to the audit log.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from audit.log import record
from ejournal.clock import local_now, today
from schedule.models import Enrollment, SchoolClass, Subject

from .models import ExamResult
from .services import GradebookError

# Results are due by the end of the day after the day they arrived (R-E12).
DUE_DAYS = 1
# Which exam each graduating grade sits (ГВЭ: either, for pupils with special needs).
KIND_GRADES = {
    ExamResult.Kind.OGE: (9,),
    ExamResult.Kind.EGE: (11,),
    ExamResult.Kind.EGE_BASE: (11,),
    ExamResult.Kind.GVE: (9, 11),
}
MAX_PRIMARY = 200


def _d(day: datetime.date) -> str:
    return date_format(day, "d.m.Y")


def due_date(received_on: datetime.date) -> datetime.date:
    return received_on + datetime.timedelta(days=DUE_DAYS)


def is_late(received_on: datetime.date, entered_on: datetime.date) -> bool:
    """Entered after the day following the results' arrival (R-E12)."""
    return entered_on > due_date(received_on)


def _check_scores(kind: str, primary_score: int | None, test_score: int | None, mark: int | None) -> None:
    if primary_score is not None and not 0 <= primary_score <= MAX_PRIMARY:
        raise GradebookError(_("The primary score is a whole number from 0 to %(max)s.") % {"max": MAX_PRIMARY})
    if kind != ExamResult.Kind.GVE and primary_score is None:
        raise GradebookError(_("Enter the primary score."))
    if kind == ExamResult.Kind.EGE:
        if test_score is None:
            raise GradebookError(_("The EGE result is a test score from 0 to 100: enter it."))
        if not 0 <= test_score <= 100:
            raise GradebookError(_("The test score is a whole number from 0 to 100."))
        if mark is not None:
            raise GradebookError(
                _("The profile EGE gives no mark, only a test score. Basic mathematics is a separate exam.")
            )
        return
    if test_score is not None:
        raise GradebookError(
            _("Only the profile EGE has a test score; %(exam)s gives a mark from 2 to 5.")
            % {"exam": ExamResult.Kind(kind).label}
        )
    if mark is None:
        raise GradebookError(_("%(exam)s gives a mark from 2 to 5: enter it.") % {"exam": ExamResult.Kind(kind).label})
    if not 2 <= mark <= 5:
        raise GradebookError(_("The exam's mark is 2, 3, 4 or 5."))


def _check_dates(exam_date: datetime.date, received_on: datetime.date, day: datetime.date) -> None:
    if received_on < exam_date:
        raise GradebookError(_("The results cannot arrive before the exam."))
    if received_on > day:
        raise GradebookError(
            _("The results' arrival date %(day)s is in the future: enter them once they arrive.")
            % {"day": _d(received_on)}
        )


def _check_pupil(school_class: SchoolClass, pupil: User, kind: str) -> None:
    year = school_class.year
    if year.is_archived:
        raise GradebookError(_("The year %(year)s is closed: its results no longer change.") % {"year": year})
    if school_class.grade not in KIND_GRADES[kind]:
        raise GradebookError(
            _("%(exam)s is not an exam of grade %(grade)s.")
            % {"exam": ExamResult.Kind(kind).label, "grade": school_class.grade}
        )
    if not Enrollment.objects.filter(school_class=school_class, pupil=pupil).exists():
        raise GradebookError(
            _("%(name)s is not a pupil of %(class)s.") % {"name": pupil.get_full_name(), "class": school_class}
        )


@transaction.atomic
def exam_result_set(
    *,
    actor: User,
    school_class: SchoolClass,
    pupil: User,
    subject: Subject,
    kind: str,
    exam_date: datetime.date,
    received_on: datetime.date,
    primary_score: int | None,
    test_score: int | None = None,
    mark: int | None = None,
    retake: bool = False,
) -> ExamResult:
    """Enter a pupil's result of an exam (R-E12). An entry more than a day after the results arrived is accepted
    and marked late."""
    school = school_class.school
    if subject.school_id != school.pk:
        raise GradebookError(_("Choose a subject of the school."))
    _check_pupil(school_class, pupil, kind)
    day = today(school.timezone)
    _check_dates(exam_date, received_on, day)
    _check_scores(kind, primary_score, test_score, mark)
    result = ExamResult(
        school=school,
        year=school_class.year,
        pupil=pupil,
        subject=subject,
        kind=kind,
        exam_date=exam_date,
        received_on=received_on,
        primary_score=primary_score,
        test_score=test_score,
        mark=mark,
        retake=retake,
        entered_by=actor,
        entered_at=local_now(school.timezone),
        late=is_late(received_on, day),
    )
    result._history_user = actor
    try:
        with transaction.atomic():
            result.save()
    except IntegrityError as e:
        raise GradebookError(
            _("%(name)s already has a result of %(exam)s in «%(subject)s» of %(day)s: change it instead.")
            % {
                "name": pupil.get_full_name(),
                "exam": ExamResult.Kind(kind).label,
                "subject": subject,
                "day": _d(exam_date),
            }
        ) from e
    return result


@transaction.atomic
def exam_result_change(
    *,
    actor: User,
    result: ExamResult,
    exam_date: datetime.date,
    received_on: datetime.date,
    primary_score: int | None,
    test_score: int | None = None,
    mark: int | None = None,
    retake: bool = False,
) -> ExamResult:
    """Correct a result; its history keeps what it was and who changed it. Whether it was entered late is judged
    by the day it was first entered (a correction is not an entry)."""
    result = ExamResult.objects.select_for_update().select_related("school", "year").get(pk=result.pk)
    if result.year.is_archived:
        raise GradebookError(_("The year %(year)s is closed: its results no longer change.") % {"year": result.year})
    school = result.school
    _check_dates(exam_date, received_on, today(school.timezone))
    _check_scores(result.kind, primary_score, test_score, mark)
    entered_on = result.entered_at.astimezone(local_now(school.timezone).tzinfo).date()
    result.exam_date, result.received_on = exam_date, received_on
    result.primary_score, result.test_score, result.mark, result.retake = primary_score, test_score, mark, retake
    result.late = is_late(received_on, entered_on)
    result._history_user = actor
    try:
        with transaction.atomic():
            result.save()
    except IntegrityError as e:
        raise GradebookError(_("The pupil already has a result of this exam on that day.")) from e
    return result


@transaction.atomic
def exam_result_delete(*, actor: User, result: ExamResult) -> None:
    """Remove a result entered by mistake: the history keeps it, the audit log names who removed it."""
    result = (
        ExamResult.objects.select_for_update().select_related("school", "year", "subject", "pupil").get(pk=result.pk)
    )
    if result.year.is_archived:
        raise GradebookError(_("The year %(year)s is closed: its results no longer change.") % {"year": result.year})
    record(
        actor=actor,
        school=result.school,
        action="gradebook.exam_result.deleted",
        obj=result,
        data={
            "pupil": result.pupil_id,
            "subject": result.subject.name,
            "kind": result.kind,
            "exam_date": result.exam_date.isoformat(),
            "primary_score": result.primary_score,
            "test_score": result.test_score,
            "mark": result.mark,
        },
    )
    result._history_user = actor
    result.delete()
