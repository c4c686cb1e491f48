"""Period and year marks (R-E03..R-E08, R-D06, R-D07): the rules of setting them and the windows they follow.

- A course "без аттестации" (the subject's setting or the course's) has no period marks (R-E04).
- A «2» is never a year mark, and not a period mark when the school says so: an academic debt is recorded instead
  (R-E08); the refusal names the value to choose (`TwoRefused.suggestion`).
- Period marks are due `period_mark_entry_days` after the period (later ones are accepted and counted late, R-E05)
  and editable `period_mark_edit_days` after it (R-D06); the year mark follows the course's last period. After
  that, a change goes through an approved late-change request (R-F01), which passes `late_change`.
- Setting a period mark with fewer marks than an objective attestation needs warns (R-E06), it does not refuse.
- Once a pupil's period mark is set, the teacher no longer changes that pupil's marks of the period (R-D07, when the
  school keeps the setting on): `marks.mark_set` asks `closed_by_period_mark`. A period mark is therefore changed,
  never removed, by the teacher: removing it would reopen the period.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import SchoolSettings, User
from ejournal.clock import today
from schedule.models import Course, StudyPeriod
from schedule.windows import Window

from .models import LateChangeRequest, Mark, PeriodMark
from .selectors import NUMERIC, course_periods, is_attested, list_rows, marks_needed
from .services import GradebookError


class TwoRefused(GradebookError):
    """A «2» where the rules want an academic debt: the page offers `suggestion` instead."""

    suggestion = PeriodMark.Value.DEBT


def _d(day: datetime.date) -> str:
    return date_format(day, "d.m.Y")


def period_end(course: Course, period: StudyPeriod | None, periods: list[StudyPeriod] | None = None) -> datetime.date:
    """The day a period mark's deadlines count from: the period's last day; for the year mark, the last day of the
    course's last period (the year's end when it has none)."""
    if period is not None:
        return period.end
    periods = course_periods(course) if periods is None else periods
    return periods[-1].end if periods else course.year.end


def period_opens(course: Course, period: StudyPeriod | None, periods: list[StudyPeriod] | None = None) -> datetime.date:
    """The first day a mark for the period can be set: the period's first day; the year mark's, the first day of
    the course's last period (no mark is given for a period that has not begun)."""
    if period is not None:
        return period.start
    periods = course_periods(course) if periods is None else periods
    return periods[-1].start if periods else course.year.start


def period_window(end: datetime.date, year_end: datetime.date, settings: SchoolSettings) -> Window:
    """Due `period_mark_entry_days` after the period, editable `period_mark_edit_days` after it (never past the
    year, R-D08)."""
    until = min(end + datetime.timedelta(days=settings.period_mark_edit_days), year_end)
    due = min(end + datetime.timedelta(days=settings.period_mark_entry_days), until)
    return Window(due=due, editable_until=until)


def two_refused(settings: SchoolSettings, *, is_year: bool) -> bool:
    return settings.forbid_two_as_year_mark if is_year else settings.forbid_two_as_period_mark


def _on_list(course: Course, pupil_id: int, start: datetime.date, end: datetime.date) -> bool:
    """The pupil was on the course's list on some day of [start, end]."""
    return list_rows(course, start, end).filter(pupil_id=pupil_id).exists()


def _count_marks(course: Course, pupil_id: int, period: StudyPeriod) -> int:
    return (
        Mark.objects.filter(
            school_id=course.school_id,
            pupil_id=pupil_id,
            work__lesson__course=course,
            work__lesson__date__range=(period.start, period.end),
            value__in=NUMERIC,
        )
        .exclude(work__lesson__status="cancelled")
        .count()
    )


def too_few_marks_warning(count: int, needed: int) -> str:
    if count >= needed:
        return ""
    return _("The pupil has %(count)s marks in the period; an objective period mark needs at least %(needed)s.") % {
        "count": count,
        "needed": needed,
    }


@dataclass(frozen=True)
class PeriodSaved:
    mark: PeriodMark | None
    late: bool
    warning: str = ""


def _check_value(value: str, settings: SchoolSettings, *, is_year: bool) -> str:
    value = (value or "").strip().lower()
    aliases = {"з": "зач", "нз": "незач", "на": "н/а", "н\\а": "н/а", "ад": "долг"}
    value = aliases.get(value, value)
    if value not in PeriodMark.Value.values:
        raise GradebookError(
            _("A period mark is 1–5, «зач», «незач», «н/а» (not attested), «осв» (exempt) or «долг» (academic debt).")
        )
    if value == PeriodMark.Value.TWO and two_refused(settings, is_year=is_year):
        what = _("a year mark") if is_year else _("a period mark")
        raise TwoRefused(
            _(
                "«2» cannot be %(what)s (seed 002 §2.2): record an academic debt («долг») instead, and the measures "
                "to clear it."
            )
            % {"what": what}
        )
    return value


def _check_course(course: Course, period: StudyPeriod | None, periods: list[StudyPeriod]) -> None:
    if course.year.is_archived:
        raise GradebookError(_("The year %(year)s is closed: its journal no longer changes.") % {"year": course.year})
    if not is_attested(course):
        raise GradebookError(
            _("«%(subject)s» is taught without attestation: it has no period marks.") % {"subject": course.subject}
        )
    if period is not None and period.pk not in {p.pk for p in periods}:
        raise GradebookError(_("The period is not one of this course's study periods."))


def _what(period: StudyPeriod | None) -> str:
    return str(period) if period is not None else _("the year")


@transaction.atomic
def period_mark_set(
    *,
    actor: User,
    course: Course,
    period: StudyPeriod | None,
    pupil_id: int,
    value: str,
    late_change: LateChangeRequest | None = None,
) -> PeriodSaved:
    """Set or change a pupil's mark for a period (or the year when `period` is None). After the edit window only an
    approved late-change request (`late_change`) changes it, and its history row names the request (R-F01)."""
    periods = course_periods(course)
    _check_course(course, period, periods)
    settings = SchoolSettings.of(course.school)
    is_year = period is None
    value = _check_value(value, settings, is_year=is_year)
    end = period_end(course, period, periods)
    window = period_window(end, course.year.end, settings)
    day = today(course.school.timezone)
    if late_change is None and not window.is_open(day):
        raise GradebookError(
            _(
                "Marks for %(what)s could be set or changed until %(until)s. A change now needs a late-change request "
                "approved by the director."
            )
            % {"what": _what(period), "until": _d(window.editable_until)}
        )
    opens = period_opens(course, period, periods)
    if late_change is None and day < opens:
        raise GradebookError(
            _("Marks for %(what)s can be set from %(day)s.") % {"what": _what(period), "day": _d(opens)}
        )
    start = period.start if period is not None else (periods[0].start if periods else course.year.start)
    if not _on_list(course, pupil_id, start, end):
        raise GradebookError(_("The pupil is not on the course's list in %(what)s.") % {"what": _what(period)})
    warning = ""
    if period is not None and value in NUMERIC:
        warning = too_few_marks_warning(_count_marks(course, pupil_id, period), marks_needed(course, settings))
    late = window.is_late(day)
    author = late_change.author if late_change is not None else actor
    mark = PeriodMark.objects.select_for_update().filter(course=course, period=period, pupil_id=pupil_id).first()
    if mark is None:
        mark = PeriodMark(
            school_id=course.school_id,
            course=course,
            period=period,
            pupil_id=pupil_id,
            value=value,
            author=author,
            entered_late=late,
            late_change=late_change,
        )
        mark._history_user = author
        try:
            with transaction.atomic():
                mark.save()
            return PeriodSaved(mark=mark, late=late, warning=warning)
        except IntegrityError:
            mark = PeriodMark.objects.select_for_update().get(course=course, period=period, pupil_id=pupil_id)
    if mark.value == value and late_change is None:
        return PeriodSaved(mark=mark, late=mark.entered_late, warning=warning)
    mark.value, mark.author, mark.late_change = value, author, late_change
    mark.entered_late = mark.entered_late or late
    mark._history_user = author
    mark.save(update_fields=["value", "author", "late_change", "entered_late", "updated_at"])
    return PeriodSaved(mark=mark, late=late, warning=warning)


@transaction.atomic
def period_mark_remove(*, course: Course, period: StudyPeriod | None, pupil_id: int, late_change: LateChangeRequest):
    """Remove a period mark: only through an approved request (the teacher's removing it would reopen the period's
    journal, R-D07). Its history row keeps what it was and names the request."""
    _check_course(course, period, course_periods(course))
    mark = PeriodMark.objects.select_for_update().filter(course=course, period=period, pupil_id=pupil_id).first()
    if mark is not None:
        mark.late_change = late_change
        mark._history_user = late_change.author
        mark.delete()


@dataclass(frozen=True)
class Entry:
    period: StudyPeriod | None
    pupil_id: int
    value: str


class EntriesRefused(GradebookError):
    """Some entries of a bulk save were refused: nothing was saved. `errors` maps (period id or None, pupil id) to
    the reason; `suggestions` to the value the page offers instead (an academic debt for a «2»)."""

    def __init__(self, errors: dict, suggestions: dict):
        super().__init__(_("Nothing is saved: correct the marked cells."))
        self.errors = errors
        self.suggestions = suggestions


@transaction.atomic
def period_marks_save(*, actor: User, course: Course, entries: list[Entry]) -> list[PeriodSaved]:
    """Several period and year marks of a course at once (the period-marks page): all of them, or none when any is
    refused. Each goes through `period_mark_set` with all its rules."""
    saved, errors, suggestions = [], {}, {}
    for entry in entries:
        key = (entry.period.pk if entry.period is not None else None, entry.pupil_id)
        try:
            with transaction.atomic():
                saved.append(
                    period_mark_set(
                        actor=actor, course=course, period=entry.period, pupil_id=entry.pupil_id, value=entry.value
                    )
                )
        except TwoRefused as e:
            errors[key], suggestions[key] = e.message, e.suggestion
        except GradebookError as e:
            errors[key] = e.message
    if errors:
        raise EntriesRefused(errors, suggestions)
    return saved


def closed_by_period_mark(course_id: int, pupil_id: int, day: datetime.date) -> StudyPeriod | None:
    """The period whose mark the pupil has for the course, if it contains `day` (R-D07): its journal is closed to the
    teacher for that pupil. One query."""
    mark = (
        PeriodMark.objects.filter(course_id=course_id, pupil_id=pupil_id, period__start__lte=day, period__end__gte=day)
        .select_related("period")
        .first()
    )
    return mark.period if mark is not None else None
