"""The summary sheet of a class's final marks (issue 9, item 5; R-J13, R-J14, R-F04) against a hand-built 5А whose
expected values are written out by hand.

5А: Андреев (the world's pupil), Борисова, Волков. Courses: «Английский язык» of the subgroup «5А английский 1»
(Андреев and Борисова only, `other_teacher`), «Математика» (`teacher`), «Русский язык» (`other_teacher`).
2nd quarter (09.11–28.12, the clock on 17.11.2026):
    Английский язык  Андреев 5, Борисова 4, Волков — (not in the group)
    Математика       Андреев 5, Борисова 4, Волков долг
    Русский язык     Андреев 5, Борисова 3, Волков н/а
1st quarter: Андреев's «4» in maths, changed to «5» by the deputy's retake protocol «П-4» of 10.11.2026 (an approved
late change, R-F04)."""

import datetime
import io
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role, User
from gradebook.late_changes import Cell, retake_protocol_enter
from gradebook.models import LateChangeRequest
from gradebook.period_marks import period_mark_set
from reports import class_reports as cr
from reports import final_marks as fm
from schedule.models import StudyPeriod
from schedule.services import classes as class_services
from tests.factories import UserFactory, make_course
from tests.matrix.journal import journal_course
from tests.matrix.late_changes import DOCUMENT_DAY, first_quarter, scan

pytestmark = pytest.mark.django_db

SINCE = datetime.date(2026, 9, 1)
DAY = datetime.date(2026, 11, 17)
A, B, C = "Андреев Антон Игоревич", "Борисова Вера Олеговна", "Волков Глеб Денисович"


class Klass:
    def __init__(self, w):
        self.w = w
        self.maths = journal_course(w)
        year = w.school_class.year
        User.objects.filter(pk=w.pupil.pk).update(last_name="Андреев", first_name="Антон", middle_name="Игоревич")
        w.pupil.refresh_from_db()
        self.pupils = {"a": w.pupil, "b": self.add_pupil("fm_b", "Борисова", "Вера", "Олеговна")}
        self.pupils["c"] = self.add_pupil("fm_c", "Волков", "Глеб", "Денисович")
        self.russian = make_course(w.school_class, w.other_teacher, "Русский язык", 3)
        group = class_services.group_create(actor=None, year=year, name="5А английский 1", school_class=w.school_class)
        class_services.group_members_set(
            actor=None, group=group, pupils=[self.pupils["a"], self.pupils["b"]], since=SINCE
        )
        self.english = make_course(None, w.other_teacher, "Английский язык", 3, group=group)
        self.periods = cr.class_periods(cr.year_periods(school_id=w.school.pk, year_id=year.pk), w.school_class.grade)
        self.q2 = StudyPeriod.objects.get(year=year, start=datetime.date(2026, 11, 9))

    def add_pupil(self, login, last, first, middle) -> User:
        pupil = UserFactory(
            school=self.w.school,
            username=login,
            roles=[Role.PUPIL],
            last_name=last,
            first_name=first,
            middle_name=middle,
        )
        class_services.pupils_enroll(actor=self.w.admin, school_class=self.w.school_class, pupils=[pupil], since=SINCE)
        return pupil

    def q2_mark(self, course, key, value):
        teacher = self.w.teacher if course == self.maths else self.w.other_teacher
        period_mark_set(actor=teacher, course=course, period=self.q2, pupil_id=self.pupils[key].pk, value=value)

    def fill(self):
        for course, values in (
            (self.english, {"a": "5", "b": "4"}),
            (self.maths, {"a": "5", "b": "4", "c": "долг"}),
            (self.russian, {"a": "5", "b": "3", "c": "н/а"}),
        ):
            for key, value in values.items():
                self.q2_mark(course, key, value)
        q1 = first_quarter(self.w)  # Андреев's «4» in maths
        retake_protocol_enter(
            actor=self.w.deputy,
            cell=Cell(target=LateChangeRequest.Target.PERIOD_MARK, course=self.maths, pupil=self.w.pupil, period=q1),
            new_value="5",
            document_number="П-4",
            document_date=DOCUMENT_DAY,
            scan=scan("протокол.pdf"),
        )
        return q1

    def sheet(self, chosen, course_ids=None) -> fm.FinalSheet:
        return fm.final_marks(
            school_class=self.w.school_class, periods=self.periods, chosen=chosen, day=DAY, course_ids=course_ids
        )


def by_name(sheet):
    return {line.name: line for line in sheet.lines}


def test_rj13_sheet_of_the_second_quarter_by_hand(world):
    """R-J13: pupils × subjects × (four quarters and the year), the marks as set now; the counts of the 2nd quarter:
    Андреев three «5»; Борисова two «4» and one «3»; Волков two debts («долг», «н/а»); Волков is outside the English
    subgroup («—»)."""
    k = Klass(world)
    k.fill()
    sheet = k.sheet(k.q2)
    assert [s.name for s in sheet.subjects] == ["Английский язык (5А английский 1)", "Математика", "Русский язык"]
    assert sheet.columns == ["1 четверть", "2 четверть", "3 четверть", "4 четверть", "Год"]
    lines = by_name(sheet)
    assert [line.name for line in sheet.lines] == [A, B, C]
    assert lines[A].cells == ["", "5", "", "", ""] + ["5", "5", "", "", ""] + ["", "5", "", "", ""]
    assert lines[B].cells == ["", "4", "", "", ""] + ["", "4", "", "", ""] + ["", "3", "", "", ""]
    assert lines[C].cells == ["—"] * 5 + ["", "долг", "", "", ""] + ["", "н/а", "", "", ""]
    counts = {name: (x.fives, x.fours, x.threes, x.debts) for name, x in lines.items()}
    assert counts == {A: (3, 0, 0, 0), B: (0, 2, 1, 0), C: (0, 0, 0, 2)}
    assert sheet.changes == []  # none approved in the 2nd quarter
    # The PDF cuts the subjects into tables of a readable width; the last carries the counts.
    parts = sheet.parts(2)
    assert [([s.name for s in subjects], last) for subjects, _rows, last in parts] == [
        (["Английский язык (5А английский 1)", "Математика"], False),
        (["Русский язык"], True),
    ]
    assert [cells for line, cells in parts[1][1] if line.name == C] == [["", "н/а", "", "", ""]]


def test_rf04_rj13_first_quarter_lists_the_approved_late_change(world):
    """R-F04: the 1st quarter's sheet lists the retake protocol «П-4» of 10.11.2026 (Андреев, Математика, 4 → 5);
    its counts: Андреев one «5», nobody else a mark."""
    k = Klass(world)
    q1 = k.fill()
    sheet = k.sheet(q1)
    counts = {x.name: (x.fives, x.fours, x.threes, x.debts) for x in sheet.lines}
    assert counts == {A: (1, 0, 0, 0), B: (0, 0, 0, 0), C: (0, 0, 0, 0)}
    assert [(c.number, c.date, c.pupil, c.subject, c.what, c.was, c.becomes) for c in sheet.changes] == [
        ("П-4", DOCUMENT_DAY, A, "Математика", "1 четверть", "4", "5")
    ]
    # The year's sheet lists every approved change of the year; nothing is counted before the year marks are set.
    year = k.sheet(None)
    assert len(year.changes) == 1
    assert {(x.fives, x.fours, x.threes, x.debts) for x in year.lines} == {(0, 0, 0, 0)}


def test_rj13_subject_teacher_sheet_is_cut_to_own_courses(world):
    k = Klass(world)
    k.fill()
    sheet = k.sheet(k.q2, course_ids=[k.maths.pk])
    assert [s.name for s in sheet.subjects] == ["Математика"]
    assert {x.name: (x.fives, x.fours, x.debts) for x in sheet.lines} == {A: (1, 0, 0), B: (0, 1, 0), C: (0, 0, 1)}


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_rj13_queries_do_not_grow_with_the_class(world, client):
    """Five queries for the sheet (courses, pupils, group members, period marks, late changes) whatever the size;
    the page's count is the same with three pupils and with six."""
    k = Klass(world)
    k.fill()
    assert _queries(lambda: k.sheet(k.q2)) <= 5
    client.force_login(world.deputy)
    url = reverse("reports:final_marks", args=[world.school_class.pk])
    client.get(url)
    small = _queries(lambda: client.get(url))
    for n in range(3):
        pupil = k.add_pupil(f"fm_x{n}", f"Яковлев{n}", "Ян", "Янович")
        k.pupils[f"x{n}"] = pupil
        k.q2_mark(k.maths, f"x{n}", "5")
    assert _queries(lambda: client.get(url)) == small
    assert small <= 16


def test_rj13_page_pdf_and_xlsx(world, client):
    from openpyxl import load_workbook

    k = Klass(world)
    q1 = k.fill()
    client.force_login(world.class_teacher)
    url = reverse("reports:final_marks", args=[world.school_class.pk])
    page = client.get(url, {"period": q1.pk}).content.decode()
    assert "Сводная ведомость итоговых отметок 5А" in page
    assert "П-4" in page and "Одобренные исправления после срока (1 четверть)" in page
    pdf = client.get(url, {"period": k.q2.pk, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf.content, capture_output=True).stdout.decode()
    assert A in text and "н/а" in text and "Английский язык" in text
    book = load_workbook(io.BytesIO(client.get(url, {"period": k.q2.pk, "format": "xlsx"}).content))
    rows = list(book.worksheets[0].values)
    assert rows[0][0] == "Сводная ведомость итоговых отметок 5А"
    vol = next(r for r in rows if r[1] == C)
    assert vol[-4:] == (0, 0, 0, 2)


def test_rj13_bad_period_is_a_russian_message(world, client):
    Klass(world)
    client.force_login(world.deputy)
    response = client.get(reverse("reports:final_marks", args=[world.school_class.pk]), {"period": "вторая"})
    assert response.status_code == 400
    assert "Выберите учебный период из списка." in response.content.decode()
