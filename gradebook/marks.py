"""The journal's writes of marks: the works of a lesson (the grid's columns) and the marks in them, with the time
rules of DESIGN §5 (R-D01..R-D05, R-D08) and history with the author of every change (promise 6).

Who may write (the course's teacher, a substitute) is the permission layer's answer (`gradebook.change_marks`);
the services enforce what holds whoever writes: the lesson's state, the pupil's list, the windows.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import SchoolSettings, User
from ejournal.clock import today
from schedule.models import Lesson
from schedule.selectors_lessons import on_lesson_list
from schedule.windows import Window, date_window

from .models import LateChangeRequest, LessonWork, Mark, MarkAppeal, PeriodMark, WorkType
from .services import GradebookError

MAX_WORKS_PER_LESSON = 5
MAX_COMMENT = 300


def _d(day: datetime.date) -> str:
    return date_format(day, "d.m.Y")


def _settings(lesson: Lesson) -> SchoolSettings:
    return SchoolSettings.of(lesson.school)


def work_window(lesson: Lesson, work_type: WorkType, settings: SchoolSettings) -> Window:
    """A work's marks are due by its type's deadline (R-D02) and editable within its type's window (R-D04, R-D05),
    each defaulting to the school's rule for current marks (R-D01, R-D03)."""
    return kind_window(lesson.date, lesson.course.year.end, work_type, settings)


def kind_window(lesson_date: datetime.date, year_end: datetime.date, work_type: WorkType, settings) -> Window:
    """`work_window` for a lesson known by its date and its year's end (the grid reads lessons as plain rows)."""
    return date_window(
        lesson_date,
        year_end,
        settings,
        entry_days=work_type.entry_deadline_days,
        window_days=work_type.edit_window_days if work_type.edit_window_days is not None else ...,
    )


def _check_lesson(lesson: Lesson) -> None:
    if lesson.course.year.is_archived:
        year = lesson.course.year
        raise GradebookError(_("The year %(year)s is closed: its journal no longer changes.") % {"year": year})
    if lesson.status == Lesson.Status.CANCELLED:
        raise GradebookError(_("The lesson is cancelled: it has no marks."))


def _check_open(window: Window, lesson: Lesson, day: datetime.date) -> None:
    if not window.is_open(day):
        raise GradebookError(
            _(
                "Marks of the lesson of %(date)s could be changed until %(until)s. A change now needs a late-change "
                "request approved by the director."
            )
            % {"date": _d(lesson.date), "until": _d(window.editable_until)}
        )


def _closed_for(pupil_id: int):
    """A period mark of the pupil for the lesson's course, in a period containing the lesson's date (R-D07)."""
    return Exists(
        PeriodMark.objects.filter(
            course_id=OuterRef("course_id"),
            pupil_id=pupil_id,
            period__start__lte=OuterRef("date"),
            period__end__gte=OuterRef("date"),
        )
    )


def _current(lesson: Lesson, pupil_id: int) -> tuple[Lesson, bool]:
    """The state of the caller's lesson now (another editor may have cancelled it, the year may have closed) and
    whether the pupil's period mark closed its period (R-D07): in one small query, on the object the caller loaded
    with its course, year and school. The marks' hot path: the grid's view loads them with the work."""
    status, archived, closed = (
        Lesson.objects.filter(pk=lesson.pk)
        .values_list("status", "course__year__is_archived", _closed_for(pupil_id))
        .get()
    )
    lesson.status = status
    lesson.course.year.is_archived = archived
    return lesson, closed


def _check_not_closed(closed: bool, settings: SchoolSettings, lesson: Lesson) -> None:
    if closed and settings.lock_journal_after_period_mark:
        raise GradebookError(
            _(
                "The pupil's mark for the period of %(date)s is set: the period's journal is closed to the teacher "
                "(seed 004 §5.2). A change now needs a late-change request."
            )
            % {"date": _d(lesson.date)}
        )


def _check_correction(mark: Mark | None, value: str | None, settings: SchoolSettings) -> None:
    """R-F07: where the school says so, a mark already entered is corrected only through an approved request."""
    if settings.corrections_need_approval and mark is not None and mark.value != value:
        raise GradebookError(
            _("In this school a mark already entered is corrected only through a request approved by the director.")
        )


def _fresh_lesson(lesson: Lesson) -> Lesson:
    """The lesson as it is now (another editor may have cancelled it), with its year and school."""
    return Lesson.objects.select_related("course__year", "school").get(pk=lesson.pk)


# --- Works (the grid's columns) --------------------------------------------------------------------------------


@transaction.atomic
def work_add(*, actor: User | None, lesson: Lesson, work_type: WorkType, title: str = "") -> LessonWork:
    """A work done in the lesson, of a kind (R-E01): a column of marks."""
    lesson = _fresh_lesson(lesson)
    _check_lesson(lesson)
    if work_type.school_id != lesson.school_id:
        raise GradebookError(_("The work type belongs to another school."))
    settings = _settings(lesson)
    _check_open(work_window(lesson, work_type, settings), lesson, today(lesson.school.timezone))
    works = LessonWork.objects.select_for_update().filter(lesson=lesson)
    count = works.count()
    if count >= MAX_WORKS_PER_LESSON:
        raise GradebookError(
            _("A lesson has at most %(count)s works: add the marks to one of them.") % {"count": MAX_WORKS_PER_LESSON}
        )
    return LessonWork.objects.create(
        school_id=lesson.school_id,
        lesson=lesson,
        work_type=work_type,
        title=" ".join(title.split())[:200],
        position=count,
    )


@transaction.atomic
def work_update(*, actor: User | None, work: LessonWork, work_type: WorkType, title: str = "") -> LessonWork:
    """Another kind or title of a work; its marks keep their values but follow the new kind's windows."""
    lesson = _fresh_lesson(work.lesson)
    _check_lesson(lesson)
    if work_type.school_id != lesson.school_id:
        raise GradebookError(_("The work type belongs to another school."))
    settings = _settings(lesson)
    day = today(lesson.school.timezone)
    _check_open(work_window(lesson, work.work_type, settings), lesson, day)
    _check_open(work_window(lesson, work_type, settings), lesson, day)
    if work_type.pk != work.work_type_id and settings.lock_journal_after_period_mark:
        closed = PeriodMark.objects.filter(
            course_id=lesson.course_id,
            pupil_id=OuterRef("pupil_id"),
            period__start__lte=lesson.date,
            period__end__gte=lesson.date,
        )
        if Mark.objects.filter(work=work).filter(Exists(closed)).exists():
            raise GradebookError(
                _("Some pupils' period marks are set: the kind of this work (and its weight) no longer changes.")
            )
    work.work_type, work.title = work_type, " ".join(title.split())[:200]
    work.save(update_fields=["work_type", "title"])
    return work


@transaction.atomic
def work_remove(*, actor: User | None, work: LessonWork) -> None:
    """Only a work without marks and without reports of its marks is removed: neither is lost with its column."""
    lesson = _fresh_lesson(work.lesson)
    _check_lesson(lesson)
    if Mark.objects.filter(work=work).exists():
        raise GradebookError(_("The work has marks: clear them first."))
    # A family's report of a wrong mark names the work (R-I11) and stays with it, answered or not.
    if MarkAppeal.objects.filter(work=work).exists():
        raise GradebookError(_("Pupils or parents reported a mark of this work as wrong: the work stays."))
    work.delete()


# --- Marks --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Saved:
    mark: Mark | None
    late: bool


def _value(value: str) -> str:
    value = (value or "").strip().lower()
    aliases = {"з": Mark.Value.PASS, "зачёт": Mark.Value.PASS, "зачет": Mark.Value.PASS, "нз": Mark.Value.FAIL}
    value = aliases.get(value, value)
    if value not in Mark.Value.values:
        raise GradebookError(_("A mark is 1, 2, 3, 4, 5, «зач» or «незач»."))
    return value


@transaction.atomic
def mark_set(*, actor: User, work: LessonWork, pupil_id: int, value: str, comment: str | None = None) -> Saved:
    """Set (or change) a pupil's mark for a work. Entered after the deadline it is accepted and counted as late
    (R-D01, R-D02); after the edit window it is refused (R-D03..R-D05); nothing of a closed year changes (R-D08).
    Two teachers saving one cell at once both end in one mark and two history rows (promise 6)."""
    lesson, closed = _current(work.lesson, pupil_id)
    _check_lesson(lesson)
    value = _value(value)
    comment = None if comment is None else " ".join(comment.split())
    if comment is not None and len(comment) > MAX_COMMENT:
        raise GradebookError(_("The comment is longer than %(count)s characters.") % {"count": MAX_COMMENT})
    day = today(lesson.school.timezone)
    settings = _settings(lesson)
    window = work_window(lesson, work.work_type, settings)
    _check_open(window, lesson, day)
    _check_not_closed(closed, settings, lesson)
    if not on_lesson_list(lesson, pupil_id):
        raise GradebookError(_("The pupil is not on the list of this lesson on its date."))
    late = window.is_late(day)
    mark = Mark.objects.select_for_update().filter(work=work, pupil_id=pupil_id).first()
    _check_correction(mark, value, settings)
    if mark is None:
        mark = Mark(
            school_id=lesson.school_id,
            work=work,
            pupil_id=pupil_id,
            value=value,
            comment=comment or "",
            author=actor,
            entered_late=late,
        )
        mark._history_user = actor
        try:
            with transaction.atomic():
                mark.save()
            return Saved(mark=mark, late=late)
        except IntegrityError:
            # Another writer created the cell a moment ago: change theirs, so that both changes are in history.
            mark = Mark.objects.select_for_update().get(work=work, pupil_id=pupil_id)
    if mark.value == value and (comment is None or mark.comment == comment):
        return Saved(mark=mark, late=mark.entered_late)
    mark.value, mark.author, mark.entered_late = value, actor, mark.entered_late or late
    mark.late_change = None
    fields = ["value", "author", "entered_late", "late_change", "updated_at"]
    if comment is not None:
        mark.comment = comment
        fields.append("comment")
    mark._history_user = actor
    mark.save(update_fields=fields)
    return Saved(mark=mark, late=late)


@transaction.atomic
def mark_clear(*, actor: User, work: LessonWork, pupil_id: int) -> None:
    """Remove a mark (within the window); its history keeps what it was and who removed it."""
    lesson, closed = _current(work.lesson, pupil_id)
    _check_lesson(lesson)
    settings = _settings(lesson)
    _check_open(work_window(lesson, work.work_type, settings), lesson, today(lesson.school.timezone))
    _check_not_closed(closed, settings, lesson)
    mark = Mark.objects.select_for_update().filter(work=work, pupil_id=pupil_id).first()
    if mark is not None:
        _check_correction(mark, None, settings)
        mark._history_user = actor
        mark.late_change = None
        mark.delete()


@transaction.atomic
def mark_apply_late(*, work: LessonWork, pupil_id: int, value: str, request: LateChangeRequest) -> Mark | None:
    """An approved late change of a mark (R-F01) or a retake protocol's mark (R-F05): past the windows and the
    period's closing, never past a closed year or a cancelled lesson. `value` "" removes the mark. The change is the
    requester's (its author and history user); its history row names the request. Called by `late_changes` only."""
    lesson = _fresh_lesson(work.lesson)
    _check_lesson(lesson)
    author = request.author
    mark = Mark.objects.select_for_update().filter(work=work, pupil_id=pupil_id).first()
    if not value:
        if mark is not None:
            mark.late_change = request
            mark._history_user = author
            mark.delete()
        return None
    value = _value(value)
    if not on_lesson_list(lesson, pupil_id):
        raise GradebookError(_("The pupil is not on the list of this lesson on its date."))
    if mark is None:
        mark = Mark(school_id=lesson.school_id, work=work, pupil_id=pupil_id, entered_late=True)
    mark.value, mark.author, mark.late_change = value, author, request
    mark._history_user = author
    mark.save()
    return mark
