"""The time rules of DESIGN §5 as plain date arithmetic, shared by the journal's writes (attendance, marks, topics,
homework) and their pages: asked once per page, then compared per cell without a query (STYLE).

A lesson's record is due `entry_days` after the lesson (R-D01, R-D02: later entries are accepted and counted as
late) and editable `window_days` after it (R-D03..R-D05); `window_days=None` ("never") means until the year ends
(seed 000 §12). Nothing of a closed year is editable (R-D08).
"""

import datetime
from dataclasses import dataclass

from .models import Lesson


@dataclass(frozen=True)
class Window:
    """When a record of a lesson is due and until when it may be changed, for one kind of record."""

    due: datetime.date  # the last day to enter it on time
    editable_until: datetime.date  # the last day it may be entered or changed by the teacher

    def is_late(self, day: datetime.date) -> bool:
        return day > self.due

    def is_open(self, day: datetime.date) -> bool:
        return day <= self.editable_until


def window(*, lesson_date: datetime.date, year_end: datetime.date, entry_days: int, window_days: int | None) -> Window:
    due = lesson_date + datetime.timedelta(days=entry_days)
    # "Never" (no window) means until the year ends (seed 000 §12); a window never outlasts the year (R-D08).
    until = year_end if window_days is None else min(lesson_date + datetime.timedelta(days=window_days), year_end)
    return Window(due=min(due, until), editable_until=until)


def lesson_window(lesson: Lesson, settings, *, entry_days: int | None = None, window_days=...) -> Window:
    """The window of a lesson's current marks and attendance by the school's settings; a work type passes its own
    `entry_days` / `window_days` (None there means "the school's rule", so callers resolve it first)."""
    return date_window(lesson.date, lesson.course.year.end, settings, entry_days=entry_days, window_days=window_days)


def date_window(
    lesson_date: datetime.date, year_end: datetime.date, settings, *, entry_days: int | None = None, window_days=...
) -> Window:
    """`lesson_window` for a lesson known by its date and its year's end (pages that read lessons as plain rows)."""
    return window(
        lesson_date=lesson_date,
        year_end=year_end,
        entry_days=settings.mark_entry_days if entry_days is None else entry_days,
        window_days=settings.edit_window_days if window_days is ... else window_days,
    )
