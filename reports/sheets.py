"""The summary sheet (сводная ведомость, seed 000 §13, R-I05, R-I06) of a pupil for a range of dates inside one study
period: per subject, the lessons held on the pupil's list, every mark with its date and work type (weight), the
average and the weighted average (the gradebook's own `period_totals`), the lessons missed by reason (Н, Б, УП),
the lateness (ОП, with minutes) and the lessons attended remotely (ДО: not missed); totals at the bottom.

A class's sheets are read together, in a fixed number of queries whatever the class's size (never a query per
pupil): the pupils, the lessons held per pupil and course, the marks, their totals, the absences, the courses.
"""

import datetime
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from accounts.models import User
from attendance.models import Absence, Code
from diary.selectors import pupils_with_class, weight_text
from ejournal.clock import today
from gradebook.models import ExamResult, LateChangeRequest, Mark
from gradebook.rules_exams import EXAM_GRADES
from gradebook.selectors_periods import period_totals
from schedule.models import Course, Enrollment, GroupMembership, Lesson, SchoolClass, StudyPeriod

# The reasons of a missed lesson, in the order of the sheet's columns (ОП is lateness, ДО is not missed).
MISSED_CODES = (Code.ABSENT, Code.ILL, Code.EXCUSED)
MAX_DAYS = 190  # a range longer than a half-year is refused before any period is read


@dataclass(slots=True)
class SheetMark:
    date: datetime.date
    value: str
    work_type: str
    weight: Decimal

    @property
    def weight_text(self) -> str:
        return weight_text(self.weight)


@dataclass
class SheetLine:
    """One subject (course) of the sheet."""

    course_id: int
    subject: str
    held: int = 0
    marks: list[SheetMark] = field(default_factory=list)
    average: Decimal | None = None
    weighted: Decimal | None = None
    missed: dict[str, int] = field(default_factory=dict)  # code → lessons missed (Н, Б, УП)
    late: int = 0
    late_minutes: int = 0
    remote: int = 0

    @property
    def missed_total(self) -> int:
        return sum(self.missed.values())

    @property
    def missed_row(self) -> list[int]:
        return [self.missed.get(code, 0) for code in MISSED_CODES]

    @property
    def missed_text(self) -> str:
        return missed_text(self.missed, self.late, self.late_minutes)


@dataclass(slots=True)
class SheetChange:
    """An approved late change of the range (R-F04): a mark or an attendance code changed after its window."""

    date: datetime.date
    subject: str
    target: str  # «отметка», «посещаемость»
    old_value: str
    new_value: str
    decided: datetime.date | None
    number: int


@dataclass
class PupilSheet:
    pupil_id: int
    full_name: str
    class_name: str
    start: datetime.date
    end: datetime.date
    lines: list[SheetLine] = field(default_factory=list)
    period_name: str = ""
    changes: list[SheetChange] = field(default_factory=list)
    exams: list[ExamResult] = field(default_factory=list)  # ГИА results of the range (R-E12)

    @property
    def held(self) -> int:
        return sum(line.held for line in self.lines)

    @property
    def marks_count(self) -> int:
        return sum(len(line.marks) for line in self.lines)

    @property
    def missed_row(self) -> list[int]:
        return [sum(line.missed.get(code, 0) for line in self.lines) for code in MISSED_CODES]

    @property
    def missed_total(self) -> int:
        return sum(line.missed_total for line in self.lines)

    @property
    def late(self) -> int:
        return sum(line.late for line in self.lines)

    @property
    def late_minutes(self) -> int:
        return sum(line.late_minutes for line in self.lines)

    @property
    def remote(self) -> int:
        return sum(line.remote for line in self.lines)

    @property
    def missed_text(self) -> str:
        missed = {code: n for code, n in zip(MISSED_CODES, self.missed_row, strict=True) if n}
        return missed_text(missed, self.late, self.late_minutes)

    @property
    def anchor(self) -> str:
        return f"pupil-{self.pupil_id}"


def missed_text(missed: dict[str, int], late: int, late_minutes: int) -> str:
    """The printed sheet's one cell for attendance: «3 (Н 1, Б 2); опозданий 1 (5 мин)». One cell, not a column per
    code: WeasyPrint lays out a table cell by cell, and a class's bundle is laid out on every Monday."""
    total = sum(missed.values())
    text = str(total)
    if total:
        parts = [f"{Code(code).label} {missed[code]}" for code in MISSED_CODES if missed.get(code)]
        text += " (" + ", ".join(parts) + ")"
    if late:
        text += "; " + _("late %(count)s") % {"count": late}
        if late_minutes:
            text += " " + _("(%(minutes)s min)") % {"minutes": late_minutes}
    return text


def missed_headers() -> list[str]:
    return [Code(code).label for code in MISSED_CODES]


# --- The range ----------------------------------------------------------------------------------------------


class RangeError(ValueError):
    """A range of dates the sheet refuses: its message is shown to the user."""


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday–Saturday of the day's week (a Sunday: the week that ends the day before)."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=5)


def parse_range(
    start_text: str | None, end_text: str | None, day: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The range asked for by `?start=&end=` (ISO or d.m.Y dates); the current week by default."""
    default_start, default_end = week_of(day)

    def parse(text, default):
        text = (text or "").strip()
        if not text:
            return default
        for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, not a moment
            except ValueError:
                continue
        raise RangeError(_("Enter the dates as DD.MM.YYYY."))

    start, end = parse(start_text, default_start), parse(end_text, default_end)
    if end < start:
        raise RangeError(_("The end of the range is before its start."))
    if (end - start).days > MAX_DAYS:
        raise RangeError(_("The range is too long: choose dates inside one study period."))
    return start, end


def class_periods(school_class: SchoolClass) -> list[StudyPeriod]:
    return list(
        StudyPeriod.objects.filter(
            school_id=school_class.school_id,
            year_id=school_class.year_id,
            grade_from__lte=school_class.grade,
            grade_to__gte=school_class.grade,
        ).order_by("start")
    )


def period_of_range(
    periods: list[StudyPeriod], start: datetime.date, end: datetime.date
) -> tuple[StudyPeriod | None, datetime.date, datetime.date]:
    """The period that holds [start, end] (R-I05: a sheet covers dates inside one study period). A range that
    reaches beyond a period's end into the holidays is cut to the period; a range across two periods is refused."""
    touched = [p for p in periods if p.start <= end and p.end >= start]
    if len(touched) > 1:
        raise RangeError(_("The range crosses the border of a study period: choose dates inside one period."))
    if not touched:
        if periods:
            raise RangeError(_("No study period holds these dates."))
        return None, start, end
    period = touched[0]
    return period, max(start, period.start), min(end, period.end)


# --- Reads ---------------------------------------------------------------------------------------------------


def _held(*, school_id, pupil_ids, course_ids, start, end) -> dict[tuple[int, int], int]:
    """Per pupil and course: the lessons held (not cancelled) in [start, end] while the course was the pupil's
    (enrolled in the class for a whole-class course, a member of the group for a group's course): one query."""
    q = connection.ops.quote_name
    lesson, course, enrollment, membership = (
        q(m._meta.db_table) for m in (Lesson, Course, Enrollment, GroupMembership)
    )
    ids = ", ".join(["%s"] * len(pupil_ids))
    only = f" AND l.course_id IN ({', '.join(['%s'] * len(course_ids))})" if course_ids is not None else ""
    base = " WHERE l.school_id = %s AND l.status <> %s AND l.date >= %s AND l.date <= %s" + only
    whole_class = (
        f"SELECT e.pupil_id, l.course_id, l.id AS lesson_id FROM {lesson} l"  # noqa: S608 - names from the models
        f" JOIN {course} c ON c.id = l.course_id AND c.group_id IS NULL"
        f" JOIN {enrollment} e ON e.school_class_id = c.school_class_id AND e.since <= l.date"
        f" AND (e.until IS NULL OR e.until >= l.date) AND e.pupil_id IN ({ids}){base}"
    )
    groups = (
        f"SELECT g.pupil_id, l.course_id, l.id AS lesson_id FROM {lesson} l"  # noqa: S608 - names from the models
        f" JOIN {course} c ON c.id = l.course_id"
        f" JOIN {membership} g ON g.group_id = c.group_id AND g.since <= l.date"
        f" AND (g.until IS NULL OR g.until >= l.date) AND g.pupil_id IN ({ids}){base}"
    )
    sql = f"SELECT x.pupil_id, x.course_id, COUNT(DISTINCT x.lesson_id) FROM ({whole_class} UNION ALL {groups}) x"  # noqa: S608
    sql += " GROUP BY x.pupil_id, x.course_id"
    params: list = []
    for _part in range(2):
        params += [*pupil_ids, school_id, Lesson.Status.CANCELLED, start, end, *(course_ids or [])]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(pupil, course_id): n for pupil, course_id, n in cursor.fetchall()}


def _build(
    *,
    school,
    people: list[tuple[int, str, str]],
    start: datetime.date,
    end: datetime.date,
    course_ids: list[int] | None,
    period_name: str = "",
    exams: bool = True,
) -> list[PupilSheet]:
    """The sheets of `people` ((id, full name, class name), in that order): six queries whatever their number
    (held lessons, marks, absences, late changes, courses, averages), and the state exam results when `exams` (the
    graduating grades' sheets)."""
    if not people:
        return []
    if course_ids is not None and not course_ids:
        return [
            PupilSheet(pid, name, class_name, start, end, period_name=period_name) for pid, name, class_name in people
        ]
    pupil_ids = [p[0] for p in people]
    held_until = min(end, today(school.timezone))
    held = (
        _held(school_id=school.pk, pupil_ids=pupil_ids, course_ids=course_ids, start=start, end=held_until)
        if start <= held_until
        else {}
    )

    marks = Mark.objects.filter(
        school_id=school.pk, pupil_id__in=pupil_ids, work__lesson__date__range=(start, end)
    ).exclude(work__lesson__status=Lesson.Status.CANCELLED)
    absences = Absence.objects.filter(
        school_id=school.pk, pupil_id__in=pupil_ids, lesson__date__range=(start, end)
    ).exclude(lesson__status=Lesson.Status.CANCELLED)
    if course_ids is not None:
        marks = marks.filter(work__lesson__course_id__in=course_ids)
        absences = absences.filter(lesson__course_id__in=course_ids)
    mark_rows = list(
        marks.order_by(
            "pupil_id", "work__lesson__date", "work__lesson__number", "work__position", "work_id"
        ).values_list(
            "pupil_id",
            "work__lesson__course_id",
            "work__lesson__date",
            "value",
            "work__work_type__name",
            "work__work_type__weight",
        )
    )
    absence_rows = list(
        absences.values("pupil_id", "lesson__course_id", "code")
        .annotate(n=Count("id"), minutes=Sum("minutes"))
        .order_by()
        .values_list("pupil_id", "lesson__course_id", "code", "n", "minutes")
    )

    changes = LateChangeRequest.objects.filter(
        school_id=school.pk,
        pupil_id__in=pupil_ids,
        status=LateChangeRequest.Status.APPROVED,
        target__in=(LateChangeRequest.Target.MARK, LateChangeRequest.Target.ABSENCE),
        lesson__date__range=(start, end),
    )
    if course_ids is not None:
        changes = changes.filter(course_id__in=course_ids)
    change_rows = list(
        changes.order_by("lesson__date", "lesson__number", "pk").values_list(
            "pupil_id",
            "pk",
            "lesson__date",
            "course__subject__name",
            "target",
            "old_value",
            "new_value",
            "minutes",
            "decided_at",
        )
    )

    lines: dict[tuple[int, int], SheetLine] = {}
    all_courses = {c for _p, c in held} | {row[1] for row in mark_rows} | {row[1] for row in absence_rows}
    subjects = dict(Course.objects.filter(school_id=school.pk, pk__in=all_courses).values_list("pk", "subject__name"))

    def line(pupil_id: int, course_id: int) -> SheetLine:
        key = (pupil_id, course_id)
        if key not in lines:
            lines[key] = SheetLine(course_id=course_id, subject=subjects.get(course_id, ""))
        return lines[key]

    for (pupil_id, course_id), n in held.items():
        line(pupil_id, course_id).held = n
    for pupil_id, course_id, date, value, kind, weight in mark_rows:
        line(pupil_id, course_id).marks.append(SheetMark(date, value, kind, weight))
    for pupil_id, course_id, code, n, minutes in absence_rows:
        target = line(pupil_id, course_id)
        if code == Code.LATE:
            target.late += n
            target.late_minutes += minutes or 0
        elif code == Code.REMOTE:
            target.remote += n
        else:
            target.missed[code] = target.missed.get(code, 0) + n

    marked_courses = sorted({row[1] for row in mark_rows})
    if marked_courses:
        totals = period_totals(
            school_id=school.pk,
            course_ids=marked_courses,
            spans={"sheet": (start, end)},
            by="pupil_course",
            pupil_id=pupil_ids[0] if len(pupil_ids) == 1 else None,
        )
        for ((pupil_id, course_id), _key), got in totals.items():
            if (pupil_id, course_id) in lines:
                lines[(pupil_id, course_id)].average = got.average
                lines[(pupil_id, course_id)].weighted = got.weighted

    targets = dict(LateChangeRequest.Target.choices)
    codes = dict(Code.choices)
    tz = zoneinfo.ZoneInfo(school.timezone) if school.timezone else None
    by_pupil_changes: dict[int, list[SheetChange]] = defaultdict(list)
    for pupil_id, pk, date, subject, target, old, new, minutes, decided in change_rows:
        if target == LateChangeRequest.Target.ABSENCE:
            old, new = _code_text(old, codes), _code_text(new, codes, minutes)
        by_pupil_changes[pupil_id].append(
            SheetChange(
                date=date,
                subject=subject,
                target=str(targets[target]),
                old_value=old or "—",
                new_value=new or "—",
                decided=decided.astimezone(tz).date() if decided is not None else None,
                number=pk,
            )
        )

    by_pupil: dict[int, list[SheetLine]] = defaultdict(list)
    for (pupil_id, _course), value in lines.items():
        by_pupil[pupil_id].append(value)
    # R-E12: the state exams sat or reported in the range (one query, for the graduating grades only).
    exam_rows: dict[int, list[ExamResult]] = defaultdict(list)
    if exams:
        for result in (
            ExamResult.objects.filter(school_id=school.pk, pupil_id__in=pupil_ids)
            .filter(Q(exam_date__range=(start, end)) | Q(received_on__range=(start, end)))
            .select_related("subject")
            .order_by("exam_date", "subject__name", "pk")
        ):
            exam_rows[result.pupil_id].append(result)
    sheets = []
    for pid, name, class_name in people:
        own = sorted(by_pupil.get(pid, []), key=lambda x: (x.subject, x.course_id))
        changes, exam_results = by_pupil_changes.get(pid, []), exam_rows.get(pid, [])
        sheets.append(PupilSheet(pid, name, class_name, start, end, own, period_name, changes, exam_results))
    return sheets


def _code_text(value: str, codes: dict, minutes=None) -> str:
    """An attendance code as the journal shows it (ОП with its minutes; a request keeps the old one as «late 10»);
    empty: present."""
    if not value:
        return ""
    code, _sep, rest = value.partition(" ")
    minutes = rest or minutes
    text = str(codes.get(code, code))
    return f"{text} {minutes}" if code == Code.LATE and minutes else text


def _full_name(last: str, first: str, middle: str) -> str:
    return " ".join(p for p in (last, first, middle) if p)


def class_sheets(
    *,
    school,
    school_class,
    start,
    end,
    pupil_ids: list[int] | None = None,
    course_ids: list[int] | None = None,
) -> list[PupilSheet]:
    """The sheets of the class's pupils enrolled in [start, end] (only `pupil_ids` when given), in list order, in a
    fixed number of queries whatever the class size. `course_ids` (optional) keeps only those courses (a subject
    teacher's own)."""
    enrolled = Enrollment.objects.filter(school_id=school.pk, school_class_id=school_class.pk, since__lte=end).filter(
        Q(until__isnull=True) | Q(until__gte=start)
    )
    if pupil_ids is not None:
        enrolled = enrolled.filter(pupil_id__in=pupil_ids)
    rows = (
        User.objects.filter(pk__in=enrolled.values("pupil_id"))
        .order_by("last_name", "first_name", "middle_name", "pk")
        .values_list("pk", "last_name", "first_name", "middle_name")
    )
    class_name = str(school_class)
    people = [(pk, _full_name(last, first, middle), class_name) for pk, last, first, middle in rows]
    exams = school_class.grade in EXAM_GRADES
    return _build(school=school, people=people, start=start, end=end, course_ids=course_ids, exams=exams)


def pupil_sheet(*, school, pupil, start, end, course_ids: list[int] | None = None) -> PupilSheet:
    """One pupil's sheet; their class is the one they were in at the range's end (at its start if they left)."""
    found = pupils_with_class(school=school, ids=[pupil.pk], day=end)
    class_name = found[0].class_name if found else ""
    people = [(pupil.pk, pupil.get_full_name(), class_name)]
    exams = not found or found[0].class_grade in EXAM_GRADES
    return _build(school=school, people=people, start=start, end=end, course_ids=course_ids, exams=exams)[0]
