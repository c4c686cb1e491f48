"""Writes of journal control that have rules, one function per action (STYLE: services own the rules).

Remarks (R-J02): a reader of the school leaves one on a course's journal, the course's teacher marks it done, the
reader may reopen it. Who may do each is the permission layer's (reports/rules.py); the services keep the data right.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit.log import record
from ejournal import clock
from schedule.models import Course, Lesson

from .models import ANSWER_MAX, TEXT_MAX, Remark

# How far ahead a deadline may be set: a remark is about keeping the journal now, not next year.
MAX_DUE_DAYS = 366


class ReportsError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RemarkStateError(ReportsError):
    """The remark is no longer in the state the action expects (a stale page): a conflict, not bad input."""


def _clean(value: str | None) -> str:
    return (value or "").strip()


def _today(school) -> datetime.date:
    return clock.today(school.timezone)


def _check_due(school, due: datetime.date) -> None:
    today = _today(school)
    if due < today:
        raise ReportsError(_("The date to fix it by cannot be in the past."))
    if due > today + datetime.timedelta(days=MAX_DUE_DAYS):
        raise ReportsError(_("The date to fix it by is too far ahead."))


def _locked(remark: Remark) -> Remark:
    """The row as it is now, locked: two people pressing at once do not both change it."""
    return Remark.objects.select_for_update().get(pk=remark.pk)


@transaction.atomic
def remark_create(
    *, actor: User, course: Course, lesson: Lesson | None = None, text: str, due: datetime.date
) -> Remark:
    text = _clean(text)
    if not text:
        raise ReportsError(_("Write the remark."))
    if len(text) > TEXT_MAX:
        raise ReportsError(_("The remark is too long: at most %(max)d characters.") % {"max": TEXT_MAX})
    if lesson is not None and (lesson.course_id != course.pk or lesson.school_id != course.school_id):
        raise ReportsError(_("The lesson is not one of this course's lessons."))
    if course.year.is_archived:
        raise ReportsError(_("The year is closed: its journals are no longer changed."))
    school = course.school
    if due is None:
        raise ReportsError(_("Give the date to fix it by."))
    _check_due(school, due)
    remark = Remark.objects.create(
        school_id=course.school_id,
        course=course,
        lesson=lesson,
        text=text,
        due=due,
        author=actor,
        created_at=clock.now(),
    )
    record(
        actor=actor,
        school=school,
        action="reports.remark.created",
        obj=remark,
        data={"course": course.pk, "lesson": lesson.pk if lesson else None, "due": due.isoformat()},
    )
    return remark


@transaction.atomic
def remark_done(*, actor: User, remark: Remark, answer: str = "") -> Remark:
    """The teacher has fixed the journal (R-J02); the answer says how, if it needs saying."""
    answer = _clean(answer)
    if len(answer) > ANSWER_MAX:
        raise ReportsError(_("The answer is too long: at most %(max)d characters.") % {"max": ANSWER_MAX})
    current = _locked(remark)
    if current.status == Remark.Status.DONE:
        raise RemarkStateError(_("The remark is already marked done."))
    now = clock.now()
    remark.status, remark.done_by, remark.done_at, remark.answer = Remark.Status.DONE, actor, now, answer
    remark.save(update_fields=["status", "done_by", "done_at", "answer"])
    record(
        actor=actor,
        school=remark.school,
        action="reports.remark.done",
        obj=remark,
        data={"answer": answer, "late": remark.due < _today(remark.school)},
    )
    return remark


@transaction.atomic
def remark_reopen(*, actor: User, remark: Remark, note: str = "", due: datetime.date | None = None) -> Remark:
    """The reader finds the journal still not right: the remark is open again (the note says what is missing),
    with a new deadline when one is given, else with its own (then overdue if it has passed)."""
    note = _clean(note)
    if len(note) > ANSWER_MAX:
        raise ReportsError(_("The note is too long: at most %(max)d characters.") % {"max": ANSWER_MAX})
    if due is not None:
        _check_due(remark.school, due)
    current = _locked(remark)
    if current.status == Remark.Status.OPEN:
        raise RemarkStateError(_("The remark is open already."))
    remark.status = Remark.Status.OPEN
    remark.due = due or current.due
    remark.reopened_count = current.reopened_count + 1
    remark.reopened_by, remark.reopened_at, remark.reopen_note = actor, clock.now(), note
    remark.save(update_fields=["status", "due", "reopened_count", "reopened_by", "reopened_at", "reopen_note"])
    record(
        actor=actor,
        school=remark.school,
        action="reports.remark.reopened",
        obj=remark,
        data={"note": note, "due": remark.due.isoformat()},
    )
    return remark
