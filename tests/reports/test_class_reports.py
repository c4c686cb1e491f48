"""Class reports (issue 9, item 4): performance per period (R-J03, R-J05, R-J06, R-I13, R-E13 preliminary, R-E09
debts) and attendance (R-J03, R-J05), against a hand-built 5А whose expected figures are written out by hand.

5А: four pupils (Андреев — the world's pupil, Борисова, Волков, Григорьева); maths (5 hours a week, `teacher`,
every weekday's 2nd lesson, 9–20 November) and Russian (1 hour, `other_teacher`, Mondays 9 and 16 November).
Quarter 2 is 09.11–28.12; the clock stands on 17.11.2026; the preliminary report is due 14 days before the end,
from 14.12."""

import datetime
import io

import pytest
from django.urls import reverse

from accounts.models import Role, User
from attendance.services import absence_set
from gradebook.marks import mark_set, work_add
from gradebook.models import WorkType
from gradebook.period_marks import period_mark_set
from reports import class_reports as cr
from schedule.models import Lesson, StudyPeriod
from schedule.services import classes as class_services
from schedule.services import timetable
from tests.factories import UserFactory, make_course
from tests.matrix.journal import ANSWER, FIRST, LAST, journal_course

pytestmark = pytest.mark.django_db

SINCE = datetime.date(2026, 9, 1)
NAMES = {
    "a": ("Андреев", "Антон", "Игоревич"),
    "b": ("Борисова", "Вера", "Олеговна"),
    "c": ("Волков", "Глеб", "Денисович"),
    "d": ("Григорьева", "Дарья", "Ильинична"),
}


def d(day: int, month: int = 11) -> datetime.date:
    return datetime.date(2026, month, day)


class Klass:
    """The hand-built 5А: `maths`, `russian`, `pupils` by key, `q2` the 2nd quarter."""

    def __init__(self, w):
        self.w = w
        self.maths = journal_course(w)
        year = w.school_class.year
        self.russian = make_course(w.school_class, w.other_teacher, "Русский язык", 1)
        timetable.timetable_entry_add(actor=None, course=self.russian, weekday=1, number=3, valid_from=year.start)
        timetable.lessons_generate(actor=None, year=year, start=FIRST, end=LAST)
        last, first, middle = NAMES["a"]
        User.objects.filter(pk=w.pupil.pk).update(last_name=last, first_name=first, middle_name=middle)
        w.pupil.refresh_from_db()
        self.pupils = {"a": w.pupil}
        for key in "bcd":
            self.pupils[key] = self.add_pupil(key, *NAMES[key])
        self.q2 = StudyPeriod.objects.get(year=year, start=d(9))
        self.answer = WorkType.objects.get(school=w.school, name=ANSWER)

    def add_pupil(self, login, last, first, middle) -> User:
        pupil = UserFactory(
            school=self.w.school,
            username=f"cr_{login}",
            roles=[Role.PUPIL],
            last_name=last,
            first_name=first,
            middle_name=middle,
        )
        class_services.pupils_enroll(actor=self.w.admin, school_class=self.w.school_class, pupils=[pupil], since=SINCE)
        return pupil

    def teacher_of(self, course):
        return self.w.teacher if course == self.maths else self.w.other_teacher

    def mark(self, course, day: datetime.date, key: str, value: str) -> None:
        lesson = Lesson.objects.get(course=course, date=day)
        work = work_add(actor=self.teacher_of(course), lesson=lesson, work_type=self.answer)
        mark_set(actor=self.teacher_of(course), work=work, pupil_id=self.pupils[key].pk, value=value)

    def period_mark(self, course, key: str, value: str) -> None:
        period_mark_set(
            actor=self.teacher_of(course), course=course, period=self.q2, pupil_id=self.pupils[key].pk, value=value
        )

    def absent(self, course, day: datetime.date, key: str, code: str, minutes=None) -> None:
        lesson = Lesson.objects.get(course=course, date=day)
        absence_set(actor=self.teacher_of(course), lesson=lesson, pupil=self.pupils[key], code=code, minutes=minutes)

    def span(self) -> cr.Span:
        return cr.Span(self.q2, self.q2.start, self.q2.end)

    def report(self, day: datetime.date, course_ids=None) -> cr.Performance:
        periods = cr.year_periods(school_id=self.w.school.pk, year_id=self.w.school_class.year_id)
        return cr.class_performance(
            school_class=self.w.school_class, span=self.span(), periods=periods, day=day, course_ids=course_ids
        )


def line(perf: cr.Performance, name: str) -> cr.Line:
    return next(x for x in perf.lines if x.name == name)


def counts(x: cr.Line) -> dict[str, int]:
    return {v: n for v, n in zip(cr.MARK_COLUMNS, x.count_list, strict=True) if n}


A, B, C, D = (" ".join(NAMES[k]) for k in "abcd")


# --- Performance: the final version (every period mark set) -----------------------------------------------------


def set_final_marks(k: Klass) -> None:
    for key, maths, russian in (("a", "5", "5"), ("b", "4", "5"), ("c", "3", "4"), ("d", "долг", "н/а")):
        k.period_mark(k.maths, key, maths)
        k.period_mark(k.russian, key, russian)


def test_rj03_rj05_final_performance_figures_by_hand(world):
    """R-J03, R-J05, R-E09: every period mark of the 2nd quarter set.
    Математика 5, 4, 3, долг: base 4, quality 2/4 = 50,0 %, success 3/4 = 75,0 %, average (5+4+3)/3 = 4,00.
    Русский язык 5, 5, 4, н/а: 3 attested, quality 3/4 = 75,0 %, success 3/4 = 75,0 %, average 14/3 = 4,67.
    The class by pupils: Андреев and Борисова of quality (2/4 = 50,0 %), Григорьева with debts (success 3/4 =
    75,0 %), every mark's average 26/6 = 4,33."""
    k = Klass(world)
    set_final_marks(k)
    perf = k.report(d(17))
    assert perf.version == cr.FINAL and perf.is_final and not perf.mixed
    assert (perf.set_count, perf.forecast_count, perf.missing_count) == (8, 0, 0)
    maths, russian = line(perf, "Математика"), line(perf, "Русский язык")
    assert (maths.attested, maths.base, str(maths.quality), str(maths.success), str(maths.average)) == (
        3,
        4,
        "50.0",
        "75.0",
        "4.00",
    )
    assert counts(maths) == {"5": 1, "4": 1, "3": 1, "долг": 1}
    assert (russian.attested, str(russian.quality), str(russian.success), str(russian.average)) == (
        3,
        "75.0",
        "75.0",
        "4.67",
    )
    assert counts(russian) == {"5": 2, "4": 1, "н/а": 1}
    assert (perf.total.base, str(perf.total.quality), str(perf.total.success)) == (4, "50.0", "75.0")
    assert str(perf.marks_total.average) == "4.33"
    assert perf.excellent == [A]
    assert perf.one_four == [(B, "Математика")]
    assert perf.one_three == [(C, "Математика")]
    assert [(name, [(x.subject, x.value, x.forecast) for x in debts]) for name, debts in perf.debtors] == [
        (D, [("Математика", "долг", False), ("Русский язык", "н/а", False)])
    ]


# --- Performance: the preliminary version from the forecasts (R-E13) -------------------------------------------


def enter_current_marks(k: Klass) -> None:
    """Маths: Андреев 5, 5; Борисова 4, 5 (4,50 → «5» by the school's rounding); Волков 3, 4 (3,50 → «4»);
    Григорьева 2, 2. Russian: Андреев 5, Борисова 4, Волков 3, Григорьева none."""
    for key, first, second in (("a", "5", "5"), ("b", "4", "5"), ("c", "3", "4"), ("d", "2", "2")):
        k.mark(k.maths, d(10), key, first)
        k.mark(k.maths, d(11), key, second)
    for key, value in (("a", "5"), ("b", "4"), ("c", "3")):
        k.mark(k.russian, d(16), key, value)


def test_re13_current_then_preliminary_then_mixed_by_moving_the_clock(world, clock):
    """R-E13: with no period mark set the report counts the forecasts. On 17.11 it is the current progress (the
    preliminary report is due from 14.12); on 15.12 it is the preliminary report; a period mark set then makes it
    mixed (1 mark set, 6 forecasts; Григорьева has neither in Russian).
    Математика 5, 5, 4, 2 (forecasts): quality 3/4 = 75,0 %, success 3/4 = 75,0 %, average 16/4 = 4,00.
    Русский язык 5, 4, 3: quality 2/3 = 66,7 %, success 100,0 %, average 4,00.
    Pupils: Андреев excellent, Борисова one «4» (Russian), Волков one «3» (Russian), Григорьева a debt (forecast «2»);
    quality 2/4 = 50,0 %, success 3/4 = 75,0 %."""
    k = Klass(world)
    enter_current_marks(k)
    perf = k.report(d(17))
    assert perf.version == cr.CURRENT and perf.due == d(14, 12)
    assert (perf.set_count, perf.forecast_count, perf.missing_count) == (0, 7, 1)
    maths, russian = line(perf, "Математика"), line(perf, "Русский язык")
    assert counts(maths) == {"5": 2, "4": 1, "2": 1}
    assert (str(maths.quality), str(maths.success), str(maths.average), maths.forecasts) == ("75.0", "75.0", "4.00", 4)
    assert (str(russian.quality), str(russian.success), str(russian.average)) == ("66.7", "100.0", "4.00")
    assert (str(perf.total.quality), str(perf.total.success)) == ("50.0", "75.0")
    assert perf.excellent == [A]
    assert perf.one_four == [(B, "Русский язык")]
    assert perf.one_three == [(C, "Русский язык")]
    assert [(n, [(x.subject, x.value, x.forecast) for x in debts]) for n, debts in perf.debtors] == [
        (D, [("Математика", "2", True)])
    ]

    clock.move_to(datetime.datetime(2026, 12, 13, 9, 0, tzinfo=datetime.UTC))
    assert k.report(d(13, 12)).version == cr.CURRENT
    clock.move_to(datetime.datetime(2026, 12, 15, 9, 0, tzinfo=datetime.UTC))
    assert k.report(d(15, 12)).version == cr.PRELIMINARY
    k.period_mark(k.maths, "a", "5")
    perf = k.report(d(15, 12))
    assert perf.version == cr.PRELIMINARY and perf.mixed
    assert (perf.set_count, perf.forecast_count, perf.missing_count) == (1, 6, 1)


def test_re13_the_page_says_which_version_it_is(client, world, clock):
    """R-E13 on the page: the current progress on 17.11, the preliminary report on 15.12 with a mixed note, the
    final report once every mark is set."""
    k = Klass(world)
    enter_current_marks(k)
    client.force_login(world.class_teacher)
    url = reverse("reports:class_performance", args=[world.school_class.pk])
    page = client.get(url).content.decode()
    assert "Текущая успеваемость" in page and "14.12.2026" in page
    assert "Григорьева Дарья Ильинична" in page and "Андреев Антон Игоревич" in page
    clock.move_to(datetime.datetime(2026, 12, 15, 9, 0, tzinfo=datetime.UTC))
    client.force_login(world.class_teacher)  # weeks later: a new session (sessions end when idle, issue 10 item 5)
    k.period_mark(k.maths, "a", "5")
    page = client.get(url).content.decode()
    assert "Предварительный отчёт" in page
    assert "выставлено отметок: 1, прогнозов: 6" in page


def test_rj05_final_page_pdf_and_xlsx(client, world):
    """R-J05: the final report as a page, a PDF and a spreadsheet with the figures above."""
    from openpyxl import load_workbook

    k = Klass(world)
    set_final_marks(k)
    client.force_login(world.deputy)
    url = reverse("reports:class_performance", args=[world.school_class.pk])
    page = client.get(url).content.decode()
    assert "Итоговый отчёт" in page
    assert "50,0" in page and "75,0" in page and "4,67" in page
    pdf = client.get(url, {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert ["Математика", 3, "50,0", "75,0", "4,00", 1, 1, 1, 0, 0, 0, 1, 0, 0, 0] in rows
    assert ["Класс", 3, "50,0", "75,0", "4,33", 3, 2, 1, 0, 0, 1, 1, 0, 0, 0] in rows


def test_rj03_subject_teacher_sees_only_own_courses(client, world):
    """A subject teacher's report of a class is cut to their own courses (maths, not Russian)."""
    k = Klass(world)
    set_final_marks(k)
    client.force_login(world.teacher)
    page = client.get(reverse("reports:class_performance", args=[world.school_class.pk])).content.decode()
    assert "Математика" in page and "Русский язык" not in page


def test_rj05_year_report_uses_year_marks_or_the_mean_of_period_marks(world):
    """The year's report: no year mark set, so the forecast is the rounded mean of the period marks set (Q2 only)
    — the same values as the quarter's."""
    k = Klass(world)
    set_final_marks(k)
    periods = cr.year_periods(school_id=world.school.pk, year_id=world.school_class.year_id)
    perf = cr.class_performance(
        school_class=world.school_class, span=cr.year_span(periods, world.school_class), periods=periods, day=d(17)
    )
    assert perf.span.period is None
    assert counts(line(perf, "Математика")) == {"5": 1, "4": 1, "3": 1}
    assert perf.version == cr.CURRENT


def test_performance_queries_do_not_grow_with_the_class(world, django_assert_max_num_queries):
    """A class's performance in six queries, for four pupils and for seven."""
    k = Klass(world)
    enter_current_marks(k)
    with django_assert_max_num_queries(6):
        k.report(d(17))
    for n, key in enumerate("efg"):
        k.pupils[key] = k.add_pupil(key, f"Дмитриев{n}", "Ян", "")
        k.mark(k.maths, d(12), key, "4")
    with django_assert_max_num_queries(6):
        perf = k.report(d(17))
    assert len(perf.rows) == 7


def test_index_lists_every_class_in_fixed_queries(client, world, django_assert_max_num_queries):
    """The index: every class of the year with quality % and success % of the period; its queries do not grow with
    the classes."""
    k = Klass(world)
    set_final_marks(k)
    client.force_login(world.deputy)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("reports:class_reports")).content.decode()
    assert "5А" in page and "5Б" in page and "50,0" in page


# --- Attendance ------------------------------------------------------------------------------------------------


def mark_absences(k: Klass, clock) -> None:
    """Андреев Н maths 10.11, Б maths 11.11, Б Russian 9.11; Борисова УП maths 12.11, ОП maths 13.11 (10 min),
    ОП Russian 16.11 (5 min); Волков ДО maths 16.11 (not missed); Григорьева Н maths 21.10 (a lesson of the 1st
    quarter, marked that day)."""
    timetable.lessons_generate(actor=None, year=k.w.school_class.year, start=d(19, 10), end=d(23, 10))
    clock.move_to(datetime.datetime(2026, 10, 21, 9, 0, tzinfo=datetime.UTC))
    k.absent(k.maths, d(21, 10), "d", "absent")
    clock.move_to(datetime.datetime(2026, 11, 17, 9, 0, tzinfo=datetime.UTC))
    k.absent(k.maths, d(10), "a", "absent")
    k.absent(k.maths, d(11), "a", "ill")
    k.absent(k.russian, d(9), "a", "ill")
    k.absent(k.maths, d(12), "b", "excused")
    k.absent(k.maths, d(13), "b", "late", minutes=10)
    k.absent(k.russian, d(16), "b", "late", minutes=5)
    k.absent(k.maths, d(16), "c", "remote")


def test_rj03_attendance_by_pupil_subject_month(world, clock, django_assert_max_num_queries):
    """R-J03, R-J05: figures are Н, Б, УП, missed, ОП, minutes late.
    Pupils: Андреев 1, 2, 0, 3, 0, 0; Борисова 0, 0, 1, 1, 2, 15; Волков nothing (ДО is not missed);
    Григорьева 1, 0, 0, 1, 0, 0. Subjects: Математика 2, 1, 1, 4, 1, 10; Русский язык 0, 1, 0, 1, 1, 5.
    Months: октябрь 1, 0, 0, 1, 0, 0; ноябрь 1, 2, 1, 4, 2, 15. Total 2, 2, 1, 5, 2, 15."""
    k = Klass(world)
    mark_absences(k, clock)
    with django_assert_max_num_queries(5):
        report = cr.class_attendance(school_class=world.school_class, start=d(1, 10), end=d(30))
    assert [(m.name, m.figures) for m in report.pupils] == [
        (A, [1, 2, 0, 3, 0, 0]),
        (B, [0, 0, 1, 1, 2, 15]),
        (C, [0, 0, 0, 0, 0, 0]),
        (D, [1, 0, 0, 1, 0, 0]),
    ]
    assert [(m.name, m.figures) for m in report.subjects] == [
        ("Математика", [2, 1, 1, 4, 1, 10]),
        ("Русский язык", [0, 1, 0, 1, 1, 5]),
    ]
    assert [m.figures for m in report.months] == [[1, 0, 0, 1, 0, 0], [1, 2, 1, 4, 2, 15]]
    assert report.total.figures == [2, 2, 1, 5, 2, 15]
    # The 2nd quarter only: Григорьева's October absence is out.
    quarter = cr.class_attendance(school_class=world.school_class, start=d(9), end=d(28, 12))
    assert quarter.total.figures == [1, 2, 1, 4, 2, 15]


def test_rj03_attendance_page_range_and_bad_input(client, world, clock):
    """The page by a range of dates, its months by name; bad dates, a reversed or too long range answer 400 with a
    Russian message."""
    k = Klass(world)
    mark_absences(k, clock)
    client.force_login(world.class_teacher)
    url = reverse("reports:class_attendance", args=[world.school_class.pk])
    response = client.get(url, {"start": "01.10.2026", "end": "30.11.2026"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Октябрь 2026" in page and "Ноябрь 2026" in page
    assert "Андреев Антон Игоревич" in page
    bad = client.get(url, {"start": "2026-11-17", "end": "2026-11-01"})
    assert bad.status_code == 400 and "Конец периода раньше его начала" in bad.content.decode()
    long = client.get(url, {"start": "01.09.2026", "end": "01.10.2027"})
    assert long.status_code == 400 and "дольше года" in long.content.decode()
    junk = client.get(url, {"start": "когда-то", "end": "30.11.2026"})
    assert junk.status_code == 400 and "дд.мм.гггг" in junk.content.decode()
    pdf = client.get(url, {"start": "01.10.2026", "end": "30.11.2026", "format": "pdf"})
    assert pdf.content.startswith(b"%PDF")


def test_rj05_whole_school_export_builder(world):
    """The background export of every class (R-J05): the class's figures and its subjects' in one workbook; a
    teacher who is no reader is refused."""
    from openpyxl import load_workbook

    from reports.jobs import JobRefused
    from reports.models import ReportJob

    k = Klass(world)
    set_final_marks(k)
    job = ReportJob.objects.create(
        school=world.school,
        kind="class_performance_school",
        params={"period": str(k.q2.pk)},
        title="Отчёты по классам",
        requested_by=world.deputy,
        created_at=datetime.datetime(2026, 11, 17, 9, 0, tzinfo=datetime.UTC),
    )
    built = cr.build_school_performance(job, lambda done, total: None)
    book = load_workbook(io.BytesIO(built.content))
    classes = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert ["5А", "2 четверть", "итоговый", 4, "50,0", "75,0", "4,33", 3, 2, 1, 0, 0, 1, 1, 0, 0, 0] in classes
    subjects = [list(r) for r in book.worksheets[1].iter_rows(values_only=True)]
    assert ["5А", "Русский язык", 3, "75,0", "75,0", "4,67", 2, 1, 0, 0, 0, 1, 0, 0, 0, 0] in subjects
    job.requested_by = world.teacher
    with pytest.raises(JobRefused):
        cr.build_school_performance(job, lambda done, total: None)
