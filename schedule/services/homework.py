"""Homework of a lesson (R-G01, R-G02): set by whoever fills the lesson, due during the lesson or within the school's
hours after the class's last lesson of the day (later it is accepted and counted as late), changeable within the
lesson's edit window, with files. Every change keeps its history with its author (promise 6)."""

import datetime
import os
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import SchoolSettings, User
from ejournal.clock import now
from ejournal.uploads import upload_max_mb

from ..models import Bell, Homework, HomeworkFile, Lesson
from ..windows import lesson_window
from . import ScheduleError

MAX_FILES = 5
ALLOWED_EXTENSIONS = {
    ".pdf", ".doc", ".docx", ".odt", ".rtf", ".txt", ".xls", ".xlsx", ".ods", ".ppt", ".pptx", ".odp",
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".mp3", ".zip",
}  # fmt: skip


def checked_upload_name(upload) -> str:
    """The file's name as its owner gave it, once its kind and size pass (homework, teaching materials and handed-in
    work accept the same files); the forms check the content against the name before."""
    name = os.path.basename(upload.name or "")[:200]
    extension = os.path.splitext(name)[1].lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise ScheduleError(
            _("Files of this kind are not accepted. Use PDF, Word, Excel, PowerPoint, OpenDocument, pictures or ZIP.")
        )
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ScheduleError(_("The file is larger than %(size)s MB.") % {"size": upload_max_mb()})
    return name


def _d(day: datetime.date) -> str:
    return date_format(day, "d.m.Y")


def _fresh(lesson: Lesson) -> Lesson:
    return Lesson.objects.select_related("course__year", "course__school_class", "school").get(pk=lesson.pk)


def homework_deadline(lesson: Lesson) -> datetime.datetime:
    """When homework set in the lesson is due (R-G02): the school's hours after the end of the class's last lesson of
    that day (seed 004); without bells, the end of the lesson's day (seed 000)."""
    settings = SchoolSettings.objects.get(school_id=lesson.school_id)
    tz = zoneinfo.ZoneInfo(lesson.school.timezone)
    school_class = lesson.course.school_class
    end_of_day = datetime.datetime.combine(lesson.date, datetime.time(23, 59, 59), tzinfo=tz)
    if school_class is None or school_class.bell_schedule_id is None:
        return end_of_day
    same_class = Q(course__school_class=school_class) | Q(course__group__school_class=school_class)
    last = Lesson.objects.in_journal().filter(same_class, date=lesson.date).aggregate(n=Max("number"))["n"]
    bell = Bell.objects.filter(schedule_id=school_class.bell_schedule_id, number=last or lesson.number).first()
    if bell is None:
        return end_of_day
    ends = datetime.datetime.combine(lesson.date, bell.end, tzinfo=tz)
    return max(ends + datetime.timedelta(hours=settings.homework_entry_hours), ends)


def _check_writable(lesson: Lesson) -> None:
    if lesson.course.year.is_archived:
        raise ScheduleError(
            _("The year %(year)s is closed: its lessons no longer change.") % {"year": lesson.course.year}
        )
    if lesson.status == Lesson.Status.CANCELLED:
        raise ScheduleError(_("The lesson is cancelled."))
    settings = SchoolSettings.objects.get(school_id=lesson.school_id)
    window = lesson_window(lesson, settings)
    day = now().astimezone(zoneinfo.ZoneInfo(lesson.school.timezone)).date()
    if not window.is_open(day):
        raise ScheduleError(
            _("The lesson of %(date)s could be changed until %(until)s.")
            % {"date": _d(lesson.date), "until": _d(window.editable_until)}
        )


def _check_due(lesson: Lesson, due_lesson: Lesson | None) -> None:
    if due_lesson is None:
        return
    if due_lesson.course_id != lesson.course_id:
        raise ScheduleError(_("Homework is due by a later lesson of the same course."))
    if (due_lesson.date, due_lesson.number) <= (lesson.date, lesson.number):
        raise ScheduleError(_("Homework is due by a later lesson of the same course."))


def next_lesson(lesson: Lesson) -> Lesson | None:
    """The course's next lesson in the journal: where homework is due unless the teacher says otherwise."""
    later = Q(date__gt=lesson.date) | Q(date=lesson.date, number__gt=lesson.number)
    return Lesson.objects.in_journal().filter(later, course_id=lesson.course_id).order_by("date", "number").first()


class KEEP:
    """The default of an argument whose absence leaves the stored value as it was."""


@transaction.atomic
def homework_set(
    *,
    actor: User,
    lesson: Lesson,
    text: str,
    pages: str = "",
    exercises: str = "",
    due_lesson: Lesson | None = None,
    submission_required: bool | None = None,
    submission_due: datetime.datetime | None = None,
    accept_late: bool | None = None,
    minutes: int | None | type[KEEP] = KEEP,
) -> Homework:
    """Set or change the lesson's homework; an empty one is refused (clear it instead). An electronic task (R-G04)
    asks the pupils to hand their work in through the diary by `submission_due` (by default the start of the lesson
    it is due by); `None` for these leaves them as they were. `minutes` is the time to do it (R-J12): `None` clears
    the estimate, and a caller that does not pass it leaves it as it was."""
    lesson = _fresh(lesson)
    _check_writable(lesson)
    text = (text or "").strip()
    pages, exercises = " ".join((pages or "").split()), " ".join((exercises or "").split())
    if not (text or pages or exercises):
        raise ScheduleError(_("Write the task, the pages or the exercises."))
    if len(text) > 2000 or len(pages) > 100 or len(exercises) > 200:
        raise ScheduleError(_("The homework is too long."))
    if minutes is not KEEP and minutes is not None and not 1 <= minutes <= 240:
        raise ScheduleError(_("The time to do the homework is from 1 to 240 minutes."))
    if due_lesson is None:
        due_lesson = next_lesson(lesson)
    _check_due(lesson, due_lesson)
    late = now() > homework_deadline(lesson)
    homework = Homework.objects.select_for_update().filter(lesson=lesson).first()
    if minutes is KEEP:
        minutes = homework.minutes if homework else None
    task = _task(lesson, homework, due_lesson, submission_required, submission_due, accept_late)
    if homework is None:
        homework = Homework(school_id=lesson.school_id, lesson=lesson, author=actor, entered_late=late)
    elif (
        homework.text,
        homework.pages,
        homework.exercises,
        homework.due_lesson_id,
        homework.submission_required,
        homework.submission_due,
        homework.accept_late,
        homework.minutes,
    ) == (text, pages, exercises, due_lesson.pk if due_lesson else None, *task, minutes):
        return homework
    homework.text, homework.pages, homework.exercises, homework.due_lesson = text, pages, exercises, due_lesson
    homework.minutes = minutes
    homework.submission_required, homework.submission_due, homework.accept_late = task
    homework.author = actor
    homework._history_user = actor
    homework.save()
    return homework


def _task(
    lesson: Lesson,
    homework: Homework | None,
    due_lesson: Lesson | None,
    required: bool | None,
    due: datetime.datetime | None,
    accept_late: bool | None,
) -> tuple[bool, datetime.datetime | None, bool]:
    """The electronic task's fields (R-G04) as they will be: asked for, or kept, or their defaults."""
    from .submissions import default_due

    was_required = homework.submission_required if homework is not None else False
    if required is None:
        required = was_required
        due = due or (homework.submission_due if homework is not None else None)
    if accept_late is None:
        accept_late = homework.accept_late if homework is not None else False
    if not required:
        if was_required and homework.submissions.exists():
            raise ScheduleError(_("Pupils have already handed in work for this task: it stays a task."))
        return False, None, False
    due = due or default_due(lesson, due_lesson)
    if due is None:
        raise ScheduleError(_("Say by when the work is handed in: the homework is due by no lesson."))
    if due.date() < lesson.date:
        raise ScheduleError(_("The work cannot be due before the lesson it is set at."))
    return True, due, bool(accept_late)


@transaction.atomic
def homework_clear(*, actor: User, lesson: Lesson) -> None:
    """Remove the lesson's homework and its files; its history keeps what it was and who removed it."""
    lesson = _fresh(lesson)
    _check_writable(lesson)
    homework = Homework.objects.select_for_update().filter(lesson=lesson).first()
    if homework is None:
        return
    if homework.submissions.exists():
        raise ScheduleError(_("Pupils have handed in work for this homework: it is not removed."))
    for f in homework.files.all():
        f.file.delete(save=False)
    homework.files.all().delete()
    homework._history_user = actor
    homework.delete()


@transaction.atomic
def homework_file_add(*, actor: User, homework: Homework, upload) -> HomeworkFile:
    """A file for the homework (a task sheet, a picture): limited in number, size and kind."""
    lesson = _fresh(homework.lesson)
    _check_writable(lesson)
    name = checked_upload_name(upload)
    if homework.files.count() >= MAX_FILES:
        raise ScheduleError(_("Homework has at most %(count)s files.") % {"count": MAX_FILES})
    record = HomeworkFile(
        school_id=homework.school_id, homework=homework, name=name, size=upload.size, uploaded_by=actor
    )
    # The stored name is ours: the user's name is kept for display and download only.
    record.file.save(f"{homework.pk}-{now():%Y%m%d%H%M%S%f}{os.path.splitext(name)[1].lower()}", upload, save=False)
    record.save()
    return record


@transaction.atomic
def homework_file_remove(*, actor: User, file: HomeworkFile) -> None:
    lesson = _fresh(file.homework.lesson)
    _check_writable(lesson)
    file.file.delete(save=False)
    file.delete()
