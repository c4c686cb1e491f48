"""Marks for handed-in work of electronic tasks (R-G04): the teacher marks a pupil's work in a column of the homework's
lesson, an existing one or a new one, through the journal's own services (`work_add`, `mark_set`) and so under all
their rules: the lesson's windows, the mark values, the pupil's list (R-D01..R-D05). The handed-in work only
remembers the column (schedule/services/submissions.py); the mark lives in the journal alone (R-A06)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from schedule.models import HomeworkSubmission
from schedule.services import ScheduleError
from schedule.services import submissions as submission_services

from . import marks
from .models import LessonWork, Mark, WorkType
from .services import GradebookError


@dataclass(frozen=True)
class Marked:
    work: LessonWork
    mark: Mark
    late: bool


@transaction.atomic
def submission_mark_set(
    *,
    actor: User,
    submission: HomeworkSubmission,
    value: str,
    work: LessonWork | None = None,
    work_type: WorkType | None = None,
    title: str = "",
) -> Marked:
    """Mark the work in `work` (a column of the homework's lesson) or in a new column of `work_type`."""
    lesson = submission.homework.lesson
    if work is None:
        if work_type is None:
            raise GradebookError(_("Choose the column or the work type of a new column."))
        work = marks.work_add(actor=actor, lesson=lesson, work_type=work_type, title=title)
    elif work.lesson_id != lesson.pk:
        raise GradebookError(_("The column is not of the lesson the homework was set at."))
    saved = marks.mark_set(actor=actor, work=work, pupil_id=submission.pupil_id, value=value)
    try:
        submission_services.submission_marked(actor=actor, submission=submission, work_id=work.pk)
    except ScheduleError as e:
        raise GradebookError(e.message) from e
    return Marked(work=work, mark=saved.mark, late=saved.late)
