"""Mark appeals (seed 004 §7.1, R-I11): a pupil or a parent reports a mark as wrongly entered; its teacher corrects
it through the journal's normal rules or answers why it stands; the family sees the answer.

The correction itself is never made here: the teacher changes the mark in the grid (`marks.mark_set`) or, after the
edit window, through a late-change request; `appeal_answer` then records that it was corrected, and refuses to
while the journal still holds the value reported.
"""

import datetime
import zoneinfo

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import GuardianLink, Membership, Role, SchoolSettings, User
from audit.log import record
from ejournal.clock import now, today
from schedule.models import CourseTeacher

from .models import LessonWork, Mark, MarkAppeal
from .services import GradebookError

Status = MarkAppeal.Status
MAX_TEXT = MarkAppeal._meta.get_field("text").max_length
MAX_ANSWER = MarkAppeal._meta.get_field("answer").max_length
OUTCOMES = (Status.CORRECTED, Status.ANSWERED)


def _tz(tz):
    return zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz


def appeal_deadline(mark: Mark, settings: SchoolSettings, tz) -> datetime.date:
    """The last day (school time) a family may report the mark: the school's days after it appeared, counted from
    its last change (a changed mark is a new mark to the family). `tz` is a tzinfo or the school's zone name."""
    appeared = timezone.localtime(mark.updated_at, _tz(tz)).date()
    return appeared + datetime.timedelta(days=settings.appeal_days)


def can_appeal(
    mark: Mark | None, open_appeal: MarkAppeal | None, settings: SchoolSettings, day: datetime.date, tz
) -> bool:
    """Whether the mark may be reported today: there is a mark, no report of it awaits the teacher, and its days
    have not passed. A pure function (no queries): the diary asks it for every mark of a week."""
    if mark is None or open_appeal is not None:
        return False
    return day <= appeal_deadline(mark, settings, tz)


def _is_family(actor: User, pupil: User, school_id: int) -> bool:
    """The pupil themself (a pupil of the school) or one of their parents there: whoever else asks is refused,
    whatever the page let through."""
    if actor is None or not actor.is_authenticated:
        return False
    if actor.pk == pupil.pk:
        return Membership.objects.filter(school_id=school_id, user=pupil, role=Role.PUPIL).exists()
    return GuardianLink.objects.filter(school_id=school_id, guardian=actor, pupil=pupil).exists()


def _text(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise GradebookError(_("Say what is wrong with the mark."))
    if len(text) > MAX_TEXT:
        raise GradebookError(_("The text is longer than %(count)s characters.") % {"count": MAX_TEXT})
    return text


def _already_open() -> GradebookError:
    return GradebookError(_("A report about this mark already awaits the teacher."))


@transaction.atomic
def appeal_file(*, actor: User, pupil: User, work: LessonWork, text: str) -> MarkAppeal:
    """The pupil or a parent reports the pupil's mark for the work as wrongly entered (R-I11): while a mark is
    there, within the school's days of it appearing, one report awaiting the teacher per mark at a time. The
    report keeps the value it is about; the teacher sees it on "my day"."""
    work = LessonWork.objects.select_related("lesson__course__year", "school").get(pk=work.pk)
    if not _is_family(actor, pupil, work.school_id):
        raise GradebookError(_("Only the pupil or their parent reports a wrongly entered mark."))
    text = _text(text)
    year = work.lesson.course.year
    if year.is_archived:
        raise GradebookError(_("The year %(year)s is closed: its journal no longer changes.") % {"year": year})
    mark = Mark.objects.filter(work=work, pupil=pupil).first()
    if mark is None:
        raise GradebookError(_("There is no mark here to report."))
    if MarkAppeal.objects.filter(work=work, pupil=pupil, status=Status.OPEN).exists():
        raise _already_open()
    settings = SchoolSettings.of(work.school)
    tz = work.school.timezone
    deadline = appeal_deadline(mark, settings, tz)
    if today(tz) > deadline:
        raise GradebookError(
            _("The days to report this mark have passed: it could be reported until %(date)s.")
            % {"date": date_format(deadline, "d.m.Y")}
        )
    appeal = MarkAppeal(
        school_id=work.school_id,
        work=work,
        pupil=pupil,
        value=mark.value,
        text=text,
        author=actor,
        created_at=now(),
    )
    try:
        with transaction.atomic():
            appeal.save()
    except IntegrityError as e:
        # Two parents reported the same mark at once: the partial unique constraint kept one.
        raise _already_open() from e
    record(
        actor=actor,
        school=work.school,
        action="gradebook.appeal.filed",
        obj=appeal,
        data={"work": work.pk, "pupil": pupil.pk, "value": mark.value},
    )
    return appeal


@transaction.atomic
def appeal_answer(*, actor: User, appeal: MarkAppeal, outcome: str, answer: str = "") -> MarkAppeal:
    """The teacher closes a report: «corrected» once the journal no longer holds the value reported (changed or
    removed through the journal's own rules), or «answered» with why the mark stands. Who may answer is the
    permission layer's (`gradebook.answer_appeal`)."""
    if outcome not in OUTCOMES:
        raise GradebookError(_("Choose whether the mark was corrected or stands."))
    answer = (answer or "").strip()
    if len(answer) > MAX_ANSWER:
        raise GradebookError(_("The answer is longer than %(count)s characters.") % {"count": MAX_ANSWER})
    appeal = MarkAppeal.objects.select_for_update(of=("self",)).select_related("school").get(pk=appeal.pk)
    if appeal.status != Status.OPEN:
        raise GradebookError(_("The report is already answered."))
    current = Mark.objects.filter(work_id=appeal.work_id, pupil_id=appeal.pupil_id).values_list("value", flat=True)
    current = current.first()
    if outcome == Status.ANSWERED and not answer:
        raise GradebookError(_("Say why the mark stands: the family reads your answer."))
    if outcome == Status.CORRECTED and current == appeal.value:
        raise GradebookError(
            _(
                "First correct the mark in the journal: it still holds «%(value)s», the mark reported. After the "
                "edit window a correction goes through a late-change request."
            )
            % {"value": appeal.value}
        )
    appeal.status, appeal.answer, appeal.answered_by, appeal.answered_at = outcome, answer, actor, now()
    appeal.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    record(
        actor=actor,
        school=appeal.school,
        action=f"gradebook.appeal.{outcome}",
        obj=appeal,
        data={"reported": appeal.value, "now": current or "", "answer": answer},
    )
    return appeal


# --- Reads --------------------------------------------------------------------------------------------------------


def with_cell(appeals: QuerySet[MarkAppeal]) -> QuerySet[MarkAppeal]:
    """Appeals with what a page shows of each: the pupil, the lesson's course and work, the people, and the mark the
    journal holds now (`mark_value`, `mark_author_id`; None once removed). One query however many."""
    mark = Mark.objects.filter(work_id=OuterRef("work_id"), pupil_id=OuterRef("pupil_id"))
    return appeals.select_related(
        "pupil",
        "author",
        "answered_by",
        "work__work_type",
        "work__lesson__course__subject",
        "work__lesson__course__school_class",
        "work__lesson__course__group__school_class",
        "work__lesson__course__year",
    ).annotate(mark_value=Subquery(mark.values("value")[:1]), mark_author_id=Subquery(mark.values("author_id")[:1]))


def open_appeals_of(*, school, teacher: User, limit: int) -> list[MarkAppeal]:
    """The reports awaiting an answer about the marks of the courses the teacher teaches, oldest first (they wait
    longest): for the panel of "my day". One query."""
    taught = CourseTeacher.objects.filter(course_id=OuterRef("work__lesson__course_id"), teacher=teacher)
    rows = with_cell(MarkAppeal.objects.for_school(school)).filter(Exists(taught), status=Status.OPEN)
    return list(rows.order_by("created_at", "pk")[:limit])
