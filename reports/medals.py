"""The medal commission's sheet (issue 9, item 5; R-J14): the pupils of the graduating grades (9 and 11) whose year
marks are all «5», or «5» with at most `SchoolSettings.medal_max_fours` «4», and no «3», «2», «1», «н/а», «долг» or
«незач»; «зач» and «осв» do not count against. Before a course's year mark is set, the pupil's latest period mark of
that course stands for it and the sheet says so (a provisional list).

Read in a fixed number of queries whatever the number of classes and pupils: classes, periods, courses, pupils,
group members, period marks, the school's settings, the state exam results."""

import datetime
from dataclasses import dataclass, field

from gradebook.models import ExamResult, PeriodMark
from schedule.models import SchoolClass

from . import class_reports as cr
from .final_marks import course_name

GRADUATING = (9, 11)
BARRING = {"3", "2", "1", PeriodMark.Value.NOT_ATTESTED, PeriodMark.Value.DEBT, PeriodMark.Value.FAIL}


@dataclass
class Candidate:
    name: str
    school_class: str
    fives: int
    fours: list[str]  # the subjects with a «4»
    provisional: bool  # some mark is a period mark standing for a year mark not set yet
    exams: list[str] = field(default_factory=list)  # the state exams' results (R-E12): «ОГЭ, Математика: 5»


@dataclass
class MedalSheet:
    max_fours: int
    candidates: list[Candidate] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    final: bool = True  # every year mark of the graduating classes is set

    @property
    def provisional(self) -> bool:
        return not self.final


def medal_sheet(*, school, year, day: datetime.date) -> MedalSheet:
    settings = cr.school_settings(school.pk)
    sheet = MedalSheet(max_fours=settings.medal_max_fours)
    if year is None:
        return sheet
    classes = list(
        SchoolClass.objects.filter(school=school, year=year, grade__in=GRADUATING)
        .select_related("year")
        .order_by("grade", "letter")
    )
    sheet.classes = [str(c) for c in classes]
    if not classes:
        return sheet
    on = min(max(day, year.start), year.end)
    days = {c.pk: on for c in classes}
    courses_by_class = cr.class_courses(classes)
    courses = [c for cs in courses_by_class.values() for c in cs]
    pupils = cr.enrolled_on(classes, days)
    members = cr.group_members(courses, days)
    periods = cr.year_periods(school_id=school.pk, year_id=year.pk)
    order = {p.pk: (p.start, p.pk) for p in periods}
    # course, pupil → (the year mark, the latest period mark)
    year_marks: dict[tuple[int, int], str] = {}
    latest: dict[tuple[int, int], tuple[tuple, str]] = {}
    if courses:
        for course_id, period_id, pupil_id, value in PeriodMark.objects.filter(
            school_id=school.pk, course_id__in=[c.pk for c in courses]
        ).values_list("course_id", "period_id", "pupil_id", "value"):
            if period_id is None:
                year_marks[(course_id, pupil_id)] = value
            elif period_id in order:
                key = order[period_id]
                if (course_id, pupil_id) not in latest or latest[(course_id, pupil_id)][0] < key:
                    latest[(course_id, pupil_id)] = (key, value)
    # R-E12: the commission reads the candidates' state exam results beside their year marks (one query).
    exams: dict[int, list[str]] = {}
    for result in (
        ExamResult.objects.filter(school_id=school.pk, year=year).select_related("subject").order_by("exam_date", "pk")
    ):
        score = result.mark if result.mark is not None else result.test_score
        exams.setdefault(result.pupil_id, []).append(f"{result.get_kind_display()}, {result.subject.name}: {score}")
    for school_class in classes:
        for pupil in pupils.get(school_class.pk, []):
            fives, fours, barred, provisional = 0, [], False, False
            for course in courses_by_class.get(school_class.pk, []):
                if not cr.takes(course, pupil.pk, members):
                    continue
                value = year_marks.get((course.pk, pupil.pk))
                if value is None:
                    sheet.final = False
                    if (course.pk, pupil.pk) not in latest:
                        continue
                    provisional = True
                    value = latest[(course.pk, pupil.pk)][1]
                if value in BARRING:
                    barred = True
                elif value == "5":
                    fives += 1
                elif value == "4":
                    fours.append(course_name(course))
            if not barred and fives and len(fours) <= sheet.max_fours:
                sheet.candidates.append(
                    Candidate(
                        pupil.get_full_name(), str(school_class), fives, fours, provisional, exams.get(pupil.pk, [])
                    )
                )
    return sheet
