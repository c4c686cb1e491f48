"""The medal commission's sheet (issue 9, item 5; R-J14) against a hand-built 9А whose expected lists are written by
hand. Courses of 9А: «Алгебра», «История», «Физическая культура».

    year marks   Алгебра  История  Физическая культура
    Алексеев     5        5        зач        → a candidate whatever the setting
    Белова       5        4        осв        → a candidate with `medal_max_fours` 1, not with 0
    Воронин      4        4        5          → never (two «4»)
    Гусева       5        3        5          → never («3»)
    Дмитриев     5        5        долг       → never («долг»)

5А (grade 5, not graduating) never appears, whatever its marks."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role, SchoolSettings
from gradebook.period_marks import period_mark_set
from reports import medals as md
from schedule.models import StudyPeriod
from schedule.services import classes as class_services
from tests.factories import UserFactory, make_class, make_course
from tests.matrix.journal import journal_course

pytestmark = pytest.mark.django_db

SINCE = datetime.date(2026, 9, 1)
MARKS = {
    ("Алексеев", "Артём"): ("5", "5", "зач"),
    ("Белова", "Бэлла"): ("5", "4", "осв"),
    ("Воронин", "Виктор"): ("4", "4", "5"),
    ("Гусева", "Галина"): ("5", "3", "5"),
    ("Дмитриев", "Денис"): ("5", "5", "долг"),
}
SUBJECTS = ("Алгебра", "История", "Физическая культура")


class Ninth:
    def __init__(self, w):
        self.w = w
        journal_course(w)  # the year's periods and work types
        self.year = w.school_class.year
        self.klass = make_class(self.year, 9, "А")
        self.courses = [make_course(self.klass, w.teacher, name, 3) for name in SUBJECTS]
        self.pupils = {}
        for n, (last, first) in enumerate(MARKS):
            pupil = UserFactory(
                school=w.school,
                username=f"md_{n}",
                roles=[Role.PUPIL],
                last_name=last,
                first_name=first,
                middle_name="",
            )
            class_services.pupils_enroll(actor=w.admin, school_class=self.klass, pupils=[pupil], since=SINCE)
            self.pupils[(last, first)] = pupil
        periods = list(StudyPeriod.objects.filter(year=self.year).order_by("start"))
        self.first, self.last = periods[0], periods[-1]

    def year_marks(self, keys=None):
        """Every year mark of the table (on the last quarter's last day, when they are set)."""
        moment = datetime.datetime.combine(self.last.end, datetime.time(7, 0), tzinfo=datetime.UTC)
        with time_machine.travel(moment, tick=False):
            for key, values in MARKS.items():
                if keys is not None and key not in keys:
                    continue
                for course, value in zip(self.courses, values, strict=True):
                    period_mark_set(
                        actor=self.w.teacher, course=course, period=None, pupil_id=self.pupils[key].pk, value=value
                    )

    def sheet(self, max_fours: int) -> md.MedalSheet:
        SchoolSettings.objects.filter(school=self.w.school).update(medal_max_fours=max_fours)
        return md.medal_sheet(school=self.w.school, year=self.year, day=datetime.date(2026, 11, 17))


def names(sheet):
    return [(c.name, c.school_class, c.fives, c.fours, c.provisional) for c in sheet.candidates]


def test_rj14_medal_rule_with_no_four_allowed(world):
    """R-J14, `medal_max_fours` 0: only Алексеев (two «5», «зач» does not count against)."""
    n = Ninth(world)
    n.year_marks()
    sheet = n.sheet(0)
    assert sheet.final and not sheet.provisional
    assert names(sheet) == [("Алексеев Артём", "9А", 2, [], False)]


def test_rj14_medal_rule_with_one_four_allowed(world):
    """R-J14, `medal_max_fours` 1: Алексеев and Белова (one «4» in История; «осв» does not count against); Воронин
    (two «4»), Гусева («3») and Дмитриев («долг») are not."""
    n = Ninth(world)
    n.year_marks()
    sheet = n.sheet(1)
    assert names(sheet) == [("Алексеев Артём", "9А", 2, [], False), ("Белова Бэлла", "9А", 1, ["История"], False)]


def test_rj14_before_the_year_marks_the_period_marks_stand_and_the_sheet_says_so(world, client):
    """R-J14: no year mark yet; the 1st quarter's marks set so far stand for them: Алексеев 5, 5 → a provisional
    candidate; Воронин 4, 4 → not (max 1)."""
    n = Ninth(world)
    moment = datetime.datetime.combine(n.first.end, datetime.time(7, 0), tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        for key, values in ((("Алексеев", "Артём"), ("5", "5")), (("Воронин", "Виктор"), ("4", "4"))):
            for course, value in zip(n.courses, values, strict=False):
                period_mark_set(
                    actor=world.teacher, course=course, period=n.first, pupil_id=n.pupils[key].pk, value=value
                )
    sheet = n.sheet(1)
    assert sheet.provisional
    assert names(sheet) == [("Алексеев Артём", "9А", 2, [], True)]
    client.force_login(world.deputy)
    page = client.get(reverse("reports:medal_sheet")).content.decode()
    assert "Предварительный список" in page and "Алексеев Артём *" in page
    pdf = client.get(reverse("reports:medal_sheet"), {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"


def test_rj14_queries_do_not_grow_with_the_pupils(world):
    n = Ninth(world)
    n.year_marks()
    with CaptureQueriesContext(connection) as ctx:
        n.sheet(1)
    # the settings update of the test itself, then: settings, classes, courses, pupils, periods, period marks, and
    # the state exam results (R-E12)
    assert len(ctx.captured_queries) <= 8


def test_re12_the_medal_sheet_shows_the_candidates_state_exam_results(world, client):
    """R-E12: the commission reads a candidate's ОГЭ results beside their year marks, on the page and in the PDF."""
    from gradebook.exams import exam_result_set
    from gradebook.models import ExamResult

    n = Ninth(world)
    n.year_marks()
    algebra = n.courses[0].subject
    exam_result_set(
        actor=world.deputy,
        school_class=n.klass,
        pupil=n.pupils[("Алексеев", "Артём")],
        subject=algebra,
        kind=ExamResult.Kind.OGE,
        exam_date=datetime.date(2026, 11, 10),
        received_on=datetime.date(2026, 11, 16),
        primary_score=27,
        mark=5,
    )
    sheet = n.sheet(0)
    assert [c.exams for c in sheet.candidates] == [["ОГЭ, Алгебра: 5"]]
    client.force_login(world.deputy)
    page = client.get(reverse("reports:medal_sheet")).content.decode()
    assert "ОГЭ, Алгебра: 5" in page
