"""Reads of attendance shared by pages and reports, each in a fixed number of queries (STYLE)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from accounts.models import SchoolSettings, User
from schedule.models import GroupMembership, Lesson, SchoolClass, StudyPeriod
from schedule.selectors import HOME_FORMS, class_pupils
from schedule.windows import Window, lesson_window

from .models import Absence, AbsenceNotice
from .services import lock_reason


@dataclass
class Column:
    """One lesson of the day: its window, and why it is locked ("" when open)."""

    lesson: Lesson
    window: Window
    lock: str
    can_edit: bool = False  # the viewer's right, set by the view (asked once per lesson, not per cell)


@dataclass
class Cell:
    column: Column
    pupil: User
    on_list: bool  # a group's lesson lists only the group's members
    absence: Absence | None

    @property
    def editable(self) -> bool:
        return self.on_list and self.column.can_edit and not self.column.lock


@dataclass
class Row:
    pupil: User
    cells: list[Cell] = field(default_factory=list)

    @property
    def missed(self) -> int:
        return sum(1 for c in self.cells if c.absence is not None and c.absence.code != Absence.Code.REMOTE)


@dataclass
class ClassDay:
    school_class: SchoolClass
    day: datetime.date
    columns: list[Column]
    rows: list[Row]
    period: tuple[datetime.date, datetime.date]
    notices: list[AbsenceNotice]


def _notice_period(school_class: SchoolClass, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The study period of the day for the class's grade; a month either side when the day is in none."""
    period = (
        StudyPeriod.objects.filter(
            year_id=school_class.year_id,
            start__lte=day,
            end__gte=day,
            grade_from__lte=school_class.grade,
            grade_to__gte=school_class.grade,
        )
        .order_by("start")
        .first()
    )
    if period is not None:
        return period.start, period.end
    return day - datetime.timedelta(days=31), day + datetime.timedelta(days=31)


def class_day_lessons(school_class: SchoolClass, day: datetime.date, group_ids) -> list[Lesson]:
    """The day's in-journal lessons of the class: its own courses, its subgroups' and the groups its pupils are in."""
    return list(
        Lesson.objects.for_school(school_class.school_id)
        .in_journal()
        .filter(date=day)
        .filter(
            Q(course__school_class=school_class, course__group__isnull=True)
            | Q(course__group__school_class=school_class)
            | Q(course__group_id__in=group_ids)
        )
        .select_related(
            "course__subject", "course__year", "course__school_class", "course__group", "substitution", "school"
        )
        .order_by("number", "course__subject__name", "pk")
    )


def class_day(
    *, school_class: SchoolClass, day: datetime.date, settings: SchoolSettings, today: datetime.date
) -> ClassDay:
    """The class's pupils on the day × the day's lessons, with each pupil's absences, and the class's notices of the
    period around the day. Five queries, however many pupils and lessons."""
    # R-E11: a pupil in family or self-education has no lessons, so no attendance.
    pupils = [e.pupil for e in class_pupils(school_class=school_class, day=day) if e.form not in HOME_FORMS]
    pupil_ids = [p.pk for p in pupils]
    memberships = list(
        GroupMembership.objects.on(day)
        .filter(pupil_id__in=pupil_ids, group__year_id=school_class.year_id)
        .values_list("group_id", "pupil_id")
    )
    members = set(memberships)
    lessons = class_day_lessons(school_class, day, {g for g, _p in memberships})
    columns = []
    for lesson in lessons:
        window = lesson_window(lesson, settings)
        columns.append(Column(lesson=lesson, window=window, lock=lock_reason(lesson, window, today)))
    absences = {
        (a.lesson_id, a.pupil_id): a
        for a in Absence.objects.filter(lesson_id__in=[x.pk for x in lessons], pupil_id__in=pupil_ids).only(
            "lesson_id", "pupil_id", "code", "minutes", "note", "notice_id", "entered_late"
        )
    }
    rows = []
    for pupil in pupils:
        row = Row(pupil=pupil)
        for column in columns:
            group_id = column.lesson.course.group_id
            row.cells.append(
                Cell(
                    column=column,
                    pupil=pupil,
                    on_list=group_id is None or (group_id, pupil.pk) in members,
                    absence=absences.get((column.lesson.pk, pupil.pk)),
                )
            )
        rows.append(row)
    start, end = _notice_period(school_class, day)
    notices = list(
        AbsenceNotice.objects.filter(school_class=school_class, start__lte=end, end__gte=start)
        .select_related("author", "pupil")
        .order_by("-start", "pk")
    )
    return ClassDay(
        school_class=school_class, day=day, columns=columns, rows=rows, period=(start, end), notices=notices
    )
