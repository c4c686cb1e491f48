"""The summary sheet of a class's final marks (сводная ведомость итоговых отметок, seed 002 §2.1; issue 9, item 5;
R-J13, R-J14, R-F04): pupils × the class's attested courses (its whole-class courses and its subgroups'; a subgroup's
course counts for its members only), each course's marks of the class's study periods and its year mark as they are
set now, each pupil's count of «5», «4», «3» and debts in the chosen column (a period or the year), and under the
sheet the late changes approved in that period (document number and date, pupil, subject, was → becomes).

Read in a fixed number of queries whatever the class's size: courses, pupils, group members, period marks, the
late changes (the periods are read by the caller)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from gradebook.models import LateChangeRequest, PeriodMark
from schedule.models import Enrollment, SchoolClass, StudyPeriod
from schedule.selectors import HOME_FORMS

from . import class_reports as cr

DEBTS = cr.DEBTS  # «2», «1», «н/а», «долг», «незач» (R-E09)
COUNTED = ("5", "4", "3")
OUTSIDE = "—"  # the pupil is not in the subgroup of this course
PDF_SUBJECTS = 6  # subjects in one table of the PDF (five columns each: a readable width on landscape A4)


@dataclass
class Subject:
    course_id: int
    name: str  # «Английский язык (5А английский 1)» for a subgroup's course


@dataclass
class PupilLine:
    number: int
    name: str
    cells: list[str]  # per subject, per column (the periods, then the year): «5», «н/а», «» (not set), «—»
    fives: int = 0
    fours: int = 0
    threes: int = 0
    debts: int = 0
    home: str = ""  # «семейное образование» / «самообразование» (R-E11): attested by the commission


@dataclass
class LateChange:
    number: str
    date: datetime.date
    pupil: str
    subject: str
    what: str  # «2 четверть», «год», or the lesson's date
    was: str
    becomes: str


@dataclass
class FinalSheet:
    school_class: SchoolClass
    periods: list[StudyPeriod]
    chosen: StudyPeriod | None  # the column counted (None: the year)
    subjects: list[Subject]
    columns: list[str]  # «1 четверть», …, «Год»
    lines: list[PupilLine] = field(default_factory=list)
    changes: list[LateChange] = field(default_factory=list)

    def parts(self, size: int = PDF_SUBJECTS) -> list[tuple[list[Subject], list[tuple[PupilLine, list[str]]], bool]]:
        """The sheet cut into tables of `size` subjects for a landscape page (a school's dozen subjects with five
        columns each do not fit one): each part's subjects, its lines with their cells, and whether it is the last
        (which carries the counts)."""
        width = len(self.columns)
        result = []
        for first in range(0, max(len(self.subjects), 1), size):
            subjects = self.subjects[first : first + size]
            cells = slice(first * width, (first + len(subjects)) * width)
            result.append((subjects, [(line, line.cells[cells]) for line in self.lines], False))
        if result:
            result[-1] = (*result[-1][:2], True)
        return result


def course_name(course) -> str:
    name = course.title or course.subject.name
    return f"{name} ({course.group.name})" if course.group_id else name


def final_marks(
    *,
    school_class: SchoolClass,
    periods: list[StudyPeriod],
    chosen: StudyPeriod | None,
    day: datetime.date,
    course_ids=None,
) -> FinalSheet:
    """`periods` are the class's (its grade's) periods in order; `course_ids` limits the sheet (a subject teacher's
    own courses). The pupils are the class's on `day` (kept within the year)."""
    courses = cr.class_courses([school_class], course_ids).get(school_class.pk, [])
    year = school_class.year
    on = min(max(day, year.start), year.end)
    pupils = cr.enrolled_on([school_class], {school_class.pk: on}).get(school_class.pk, [])
    members = cr.group_members(courses, {school_class.pk: on})
    sheet = FinalSheet(
        school_class=school_class,
        periods=periods,
        chosen=chosen,
        subjects=[Subject(c.pk, course_name(c)) for c in courses],
        columns=[str(p) for p in periods] + [_("Year")],
    )
    if not courses:
        return sheet
    period_ids = [p.pk for p in periods]
    marks: dict[tuple[int, int, int | None], str] = {}
    if pupils:
        for course_id, period_id, pupil_id, value in PeriodMark.objects.filter(
            Q(period_id__in=period_ids) | Q(period__isnull=True),
            school_id=school_class.school_id,
            course_id__in=[c.pk for c in courses],
            pupil_id__in=[p.pk for p in pupils],
        ).values_list("course_id", "period_id", "pupil_id", "value"):
            marks[(course_id, period_id, pupil_id)] = value
    keys: list[int | None] = [*period_ids, None]
    counted_key = chosen.pk if chosen is not None else None
    # R-E11: pupils learning outside the school, marked on the sheet; the commission's marks count as any other.
    home = {p.pk: p.form for p in pupils if p.form in HOME_FORMS}
    for number, pupil in enumerate(pupils, start=1):
        line = PupilLine(number=number, name=pupil.get_full_name(), cells=[])
        if pupil.pk in home:
            line.home = str(Enrollment.Form(home[pupil.pk]).label)
        for course in courses:
            attested_here = pupil.pk in home and any((course.pk, k, pupil.pk) in marks for k in keys)
            if not cr.takes(course, pupil.pk, members) and not attested_here:
                line.cells.extend(OUTSIDE for _k in keys)
                continue
            for key in keys:
                line.cells.append(marks.get((course.pk, key, pupil.pk), ""))
            value = marks.get((course.pk, counted_key, pupil.pk), "")
            if value == "5":
                line.fives += 1
            elif value == "4":
                line.fours += 1
            elif value == "3":
                line.threes += 1
            elif value in DEBTS:
                line.debts += 1
        sheet.lines.append(line)
    sheet.changes = late_changes(school_class=school_class, courses=courses, chosen=chosen, periods=periods)
    return sheet


def late_changes(*, school_class, courses, chosen: StudyPeriod | None, periods) -> list[LateChange]:
    """The approved late changes (R-F04) of the class's courses in the chosen period: its period marks' changes and
    the changes of marks and attendance of its lessons; for the year, every one of the year (one query)."""
    rows = LateChangeRequest.objects.filter(
        school_id=school_class.school_id,
        course_id__in=[c.pk for c in courses],
        status=LateChangeRequest.Status.APPROVED,
    )
    if chosen is not None:
        rows = rows.filter(
            Q(target=LateChangeRequest.Target.PERIOD_MARK, period_id=chosen.pk)
            | Q(lesson__date__range=(chosen.start, chosen.end))
        )
    names = {c.pk: course_name(c) for c in courses}
    period_names = {p.pk: str(p) for p in periods}
    result = []
    for row in rows.order_by("document_date", "pk").values_list(
        "document_number",
        "document_date",
        "course_id",
        "target",
        "period_id",
        "lesson__date",
        "old_value",
        "new_value",
        "pupil__last_name",
        "pupil__first_name",
        "pupil__middle_name",
        "pupil__username",
    ):
        number, date, course_id, target, period_id, lesson_date, old, new, *name = row
        if target == LateChangeRequest.Target.PERIOD_MARK:
            what = period_names.get(period_id, str(period_id)) if period_id is not None else _("Year")
        else:
            what = lesson_date.strftime("%d.%m.%Y") if lesson_date else ""
        pupil = " ".join(n for n in name[:3] if n) or name[3]
        result.append(LateChange(number, date, pupil, names[course_id], what, old, new))
    return result
