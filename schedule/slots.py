"""Where a lesson sits in a day: (bell schedule, lesson number). Two places clash when their bells overlap in time
(two shifts share teachers and rooms); without bells, or on the same bells, the lesson numbers decide. Shared by
the timetable's conflict checks and the pages that show who is busy."""

import datetime

from .models import Bell, Course

Slot = tuple[int | None, int]
Times = dict[tuple[int, int], tuple[datetime.time, datetime.time]]


def slot_of(course: Course, number: int) -> Slot:
    school_class = course.school_class
    return (school_class.bell_schedule_id if school_class is not None else None, number)


def bell_times(schedule_ids) -> Times:
    """(schedule, number) → (start, end) of the given bell schedules, in one query."""
    ids = set(schedule_ids) - {None}
    if not ids:
        return {}
    return {(b.schedule_id, b.number): (b.start, b.end) for b in Bell.objects.filter(schedule_id__in=ids)}


def same_time(a: Slot, b: Slot, times: Times) -> bool:
    ta = times.get(a) if a[0] else None  # type: ignore[arg-type]
    tb = times.get(b) if b[0] else None  # type: ignore[arg-type]
    if ta is None or tb is None or a[0] == b[0]:
        return a[1] == b[1]
    return ta[0] < tb[1] and tb[0] < ta[1]
