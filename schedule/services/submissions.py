"""Electronic tasks (R-G04, seed 002 §1.2): homework that asks the pupils to hand their work in through the diary.

A pupil of the lesson's class or group on the lesson's date hands in a text and files, and may replace them until
the due time; after it the work is refused, unless the teacher chose to accept late work (then it is flagged late).
The teacher reads it and comments; a mark, if any, goes into the journal through the journal's own service
(gradebook/submissions.py), never from here: a submission is never a write to the journal (R-A06)."""

import datetime
import os
import zoneinfo

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from ejournal.clock import now

from ..models import Bell, Homework, HomeworkSubmission, Lesson, SubmissionFile
from ..selectors_lessons import on_lesson_list
from . import ScheduleError
from .homework import checked_upload_name

MAX_FILES = 5
MAX_TEXT = 5000
MAX_COMMENT = 2000


def _when(moment: datetime.datetime, tz_name: str) -> str:
    return date_format(moment.astimezone(zoneinfo.ZoneInfo(tz_name)), "d.m.Y H:i")


def default_due(lesson: Lesson, due_lesson: Lesson | None) -> datetime.datetime | None:
    """When work for a task is due unless the teacher says otherwise: the start of the lesson it is due by (by the
    class's bells), or the end of the day before that lesson when the class has no bells; None without a due
    lesson (then the teacher sets the time)."""
    if due_lesson is None:
        return None
    tz = zoneinfo.ZoneInfo(lesson.school.timezone)
    course = due_lesson.course
    school_class = course.school_class or (course.group.school_class if course.group_id else None)
    bells_id = school_class.bell_schedule_id if school_class is not None else None
    bell = Bell.objects.filter(schedule_id=bells_id, number=due_lesson.number).first() if bells_id else None
    if bell is not None:
        return datetime.datetime.combine(due_lesson.date, bell.start, tzinfo=tz)
    day_before = due_lesson.date - datetime.timedelta(days=1)
    return datetime.datetime.combine(day_before, datetime.time(23, 59, 59), tzinfo=tz)


def _homework(homework: Homework) -> Homework:
    return Homework.objects.select_related("lesson__course__year", "lesson__course__group", "school").get(
        pk=homework.pk
    )


def _check_open(homework: Homework) -> None:
    lesson = homework.lesson
    if lesson.course.year.is_archived:
        raise ScheduleError(
            _("The year %(year)s is closed: its lessons no longer change.") % {"year": lesson.course.year}
        )
    if not homework.submission_required:
        raise ScheduleError(_("This homework is not handed in through the diary."))


def is_open(homework: Homework, moment: datetime.datetime | None = None) -> bool:
    """Whether work is still taken in at `moment` (now by default): before the due time, or later when the teacher
    accepts late work."""
    moment = moment or now()
    return homework.submission_due is None or moment <= homework.submission_due or homework.accept_late


def _check_pupil(homework: Homework, pupil: User) -> None:
    if not on_lesson_list(homework.lesson, pupil.pk):
        raise ScheduleError(_("Only the pupils of the lesson hand in work for its homework."))


def _check_time(homework: Homework) -> bool:
    """Whether the work comes late; refused after the due time unless the teacher accepts late work."""
    moment = now()
    late = homework.submission_due is not None and moment > homework.submission_due
    if late and not homework.accept_late:
        raise ScheduleError(
            _("The work had to be handed in by %(when)s; it is no longer accepted.")
            % {"when": _when(homework.submission_due, homework.school.timezone)}
        )
    return late


@transaction.atomic
def submission_save(*, actor: User, homework: Homework, text: str = "", uploads=()) -> HomeworkSubmission:
    """The pupil (`actor`) hands in their work, or replaces its text and adds files, until the due time. A checked
    work handed in again waits for the teacher again."""
    homework = _homework(homework)
    _check_open(homework)
    _check_pupil(homework, actor)
    late = _check_time(homework)
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise ScheduleError(_("The answer is longer than %(count)s characters.") % {"count": MAX_TEXT})
    names = [checked_upload_name(upload) for upload in uploads]
    submission = HomeworkSubmission.objects.select_for_update().filter(homework=homework, pupil=actor).first()
    kept = submission.files.count() if submission is not None else 0
    if kept + len(names) > MAX_FILES:
        raise ScheduleError(_("Work has at most %(count)s files.") % {"count": MAX_FILES})
    if not text and not names and not kept:
        raise ScheduleError(_("Write the answer or attach a file."))
    moment = now()
    if submission is None:
        submission = HomeworkSubmission(school_id=homework.school_id, homework=homework, pupil=actor)
    elif submission.text == text and not names:
        return submission
    submission.text, submission.submitted_at, submission.late = text, moment, late
    submission.status = HomeworkSubmission.Status.SUBMITTED
    submission._history_user = actor
    submission.save()
    for upload, name in zip(uploads, names, strict=True):
        record = SubmissionFile(
            school_id=homework.school_id, submission=submission, name=name, size=upload.size, uploaded_at=moment
        )
        extension = os.path.splitext(name)[1].lower()
        record.file.save(f"{actor.pk}-{moment:%Y%m%d%H%M%S%f}{extension}", upload, save=False)
        record.save()
    return submission


@transaction.atomic
def submission_file_remove(*, actor: User, file: SubmissionFile) -> None:
    """The pupil takes a file back from their work, until the due time; the work keeps a text or another file."""
    submission = HomeworkSubmission.objects.select_for_update().get(pk=file.submission_id)
    if submission.pupil_id != actor.pk:
        raise ScheduleError(_("Only the pupil who handed the work in changes it."))
    homework = _homework(submission.homework)
    _check_open(homework)
    late = _check_time(homework)
    if not submission.text and submission.files.count() <= 1:
        raise ScheduleError(_("The work needs an answer or a file: write the answer before removing the last file."))
    file.file.delete(save=False)
    file.delete()
    submission.submitted_at, submission.late = now(), late
    submission.status = HomeworkSubmission.Status.SUBMITTED
    submission._history_user = actor
    submission.save(update_fields=["submitted_at", "late", "status"])


@transaction.atomic
def submission_comment(*, actor: User, submission: HomeworkSubmission, comment: str) -> HomeworkSubmission:
    """The teacher's comment on the work; the work counts as checked (an empty comment: checked without one)."""
    submission = HomeworkSubmission.objects.select_for_update().get(pk=submission.pk)
    homework = _homework(submission.homework)
    if homework.lesson.course.year.is_archived:
        raise ScheduleError(
            _("The year %(year)s is closed: its lessons no longer change.") % {"year": homework.lesson.course.year}
        )
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ScheduleError(_("The comment is longer than %(count)s characters.") % {"count": MAX_COMMENT})
    submission.comment = comment
    submission.commented_by, submission.commented_at = actor, now()
    submission.status = HomeworkSubmission.Status.CHECKED
    submission._history_user = actor
    submission.save(update_fields=["comment", "commented_by", "commented_at", "status"])
    return submission


@transaction.atomic
def submission_marked(*, actor: User, submission: HomeworkSubmission, work_id: int) -> HomeworkSubmission:
    """Remember the journal column the work was marked in (the mark itself is the journal's: called by the
    gradebook's service after it set the mark); the work counts as checked."""
    submission = HomeworkSubmission.objects.select_for_update().get(pk=submission.pk)
    if submission.mark_work_id == work_id and submission.status == HomeworkSubmission.Status.CHECKED:
        return submission
    submission.mark_work_id = work_id
    submission.status = HomeworkSubmission.Status.CHECKED
    if submission.commented_by_id is None:
        submission.commented_by, submission.commented_at = actor, now()
    submission._history_user = actor
    submission.save(update_fields=["mark_work_id", "status", "commented_by", "commented_at"])
    return submission
