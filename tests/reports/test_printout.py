"""The journal printout for the paper archive (issue 9, item 6; R-J15) against a hand-built maths course of 5А
(`teacher`, every weekday's 2nd lesson, lessons 9 November – 11 December 2026: 25 lessons, so printed on 11.12 the
year's grid is two pages of 16 and 9 dates; only the lessons held up to the day of printing are printed).
Андреев (the world's pupil) and Борисова:

    16.11  topic «Десятичные дроби», homework «№ 245, 247»; Андреев «4», Борисова «3»
    17.11  Андреев «5»; Борисова absent («Н»)
    2nd quarter: Андреев 5, Борисова 4

The deputy Смирнова Ольга Петровна signs «Журнал проверен»."""

import datetime
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role, User
from attendance.services import absence_set
from gradebook.marks import mark_set
from gradebook.period_marks import period_mark_set
from reports import printout as pr
from reports.jobs import job_run
from reports.models import ReportJob
from schedule.models import Lesson, StudyPeriod
from schedule.services import classes as class_services
from schedule.services import timetable
from schedule.services.homework import homework_set
from schedule.services.lessons import lesson_topic_set
from tests.factories import UserFactory, make_course
from tests.matrix.journal import journal_course, work_on

pytestmark = pytest.mark.django_db

SINCE = datetime.date(2026, 9, 1)
A, B = "Андреев Антон Игоревич", "Борисова Вера Олеговна"
SIGN = "Журнал проверен: ________ (подпись) ____________ (дата)"


def d(day: int, month: int = 11) -> datetime.date:
    return datetime.date(2026, month, day)


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


class Journal:
    def __init__(self, w):
        self.w = w
        self.course = journal_course(w)
        year = w.school_class.year
        timetable.lessons_generate(actor=None, year=year, start=d(21), end=d(11, 12))
        User.objects.filter(pk=w.pupil.pk).update(last_name="Андреев", first_name="Антон", middle_name="Игоревич")
        User.objects.filter(pk=w.deputy.pk).update(last_name="Смирнова", first_name="Ольга", middle_name="Петровна")
        w.pupil.refresh_from_db()
        w.deputy.refresh_from_db()
        self.b = self.add_pupil("pr_b", "Борисова", "Вера", "Олеговна")
        self.q2 = StudyPeriod.objects.get(year=year, start=d(9))

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

    def fill(self):
        w, t = self.w, self.w.teacher
        lesson = Lesson.objects.get(course=self.course, date=d(16))
        lesson_topic_set(actor=t, lesson=lesson, topic="Десятичные дроби")
        homework_set(actor=t, lesson=lesson, text="№ 245, 247")
        work = work_on(w, d(16))
        mark_set(actor=t, work=work, pupil_id=w.pupil.pk, value="4")
        mark_set(actor=t, work=work, pupil_id=self.b.pk, value="3")
        work = work_on(w, d(17))
        mark_set(actor=t, work=work, pupil_id=w.pupil.pk, value="5")
        absence_set(actor=t, lesson=Lesson.objects.get(course=self.course, date=d(17)), pupil=self.b, code="absent")
        for pupil, value in ((w.pupil, "5"), (self.b, "4")):
            period_mark_set(actor=t, course=self.course, period=self.q2, pupil_id=pupil.pk, value=value)


def test_rj15_course_printout_figures_by_hand(world):
    """R-J15: the class list, the grid split into pages of 16 dates (25 lessons: 16 + 9), the marks and the codes in
    their date's cell, topics and homework by date, the 2nd quarter's and the year's marks."""
    j = Journal(world)
    j.fill()
    p = pr.course_printout(course=pr.load_course(j.course.pk, world.school.pk), period=None, day=d(11, 12))
    assert p.pupils == [A, B]
    assert [len(page.dates) for page in p.pages] == [16, 9]
    first = p.pages[0]
    at16, at17 = first.dates.index("16.11"), first.dates.index("17.11")
    rows = {name: cells for _n, name, cells in first.rows}
    assert (rows[A][at16], rows[A][at17]) == ("4", "5")
    assert (rows[B][at16], rows[B][at17]) == ("3", "Н")
    assert ("16.11.2026", "Десятичные дроби", "№ 245, 247") in p.topics
    # On 17.11 only the seven lessons held so far are printed.
    assert [len(page.dates) for page in pr.course_printout(course=j.course, period=None, day=d(17)).pages] == [7]
    assert p.mark_columns == ["1 четверть", "2 четверть", "3 четверть", "4 четверть", "Год"]
    assert {name: cells for _n, name, cells in p.mark_rows} == {A: ["", "5", "", "", ""], B: ["", "4", "", "", ""]}


def test_rj15_course_printout_pdf_text(world, client):
    """R-J15: the PDF holds the marks, topics, homework, period marks, the page numbers and the signature line with
    the deputy's name."""
    j = Journal(world)
    j.fill()
    client.force_login(world.deputy)
    response = client.get(reverse("reports:course_printout", args=[j.course.pk]), {"period": j.q2.pk})
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for needle in (A, B, "Десятичные дроби", "№ 245, 247", "16.11", "2 четверть", SIGN, "Смирнова Ольга Петровна"):
        assert needle in text, needle
    assert "стр. 1 из" in text
    grid_line = next(line for line in text.splitlines() if B in line and " Н" in line)
    assert "3" in grid_line


def test_rj15_printout_queries_do_not_grow_with_the_class(world):
    j = Journal(world)
    j.fill()
    course = pr.load_course(j.course.pk, world.school.pk)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            pr.course_printout(course=course, period=None, day=d(17))
        return len(ctx.captured_queries)

    small = count()
    for n in range(4):
        j.add_pupil(f"pr_x{n}", f"Яковлев{n}", "Ян", "Янович")
    assert count() == small <= 12


def test_rj15_class_printout_runs_in_the_background(world, client):
    """R-J15: the class teacher asks for the whole journal of 5А; the job builds one PDF with every course."""
    j = Journal(world)
    j.fill()
    make_course(world.school_class, world.other_teacher, "Русский язык", 1)
    client.force_login(world.class_teacher)
    url = reverse("reports:class_printout", args=[world.school_class.pk])
    page = client.get(url).content.decode()
    assert "Математика" in page and "Русский язык" in page
    response = client.post(url, {"period": "year"})
    job = ReportJob.objects.get(kind="journal_printout_class")
    assert response.status_code == 302 and response["Location"] == reverse("reports:job_detail", args=[job.pk])
    job_run(job.pk)
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE
    text = pdf_text(job.file.read())
    assert "Математика, 5А" in text and "Русский язык, 5А" in text and "Десятичные дроби" in text and SIGN in text


def test_rj15_class_printout_refused_after_the_class_is_taken_away(world):
    j = Journal(world)
    job = ReportJob.objects.create(
        school=world.school,
        kind="journal_printout_class",
        params={"class_id": world.school_class.pk, "period_id": None},
        title="x",
        requested_by=world.teacher,
        created_at=datetime.datetime(2026, 11, 17, 9, tzinfo=datetime.UTC),
    )
    job_run(job.pk)
    job.refresh_from_db()
    assert job.state == ReportJob.State.FAILED and "больше не можете" in job.error
    assert j.course.pk
