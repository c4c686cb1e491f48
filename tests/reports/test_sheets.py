"""The summary sheet of a pupil and of a class (issue 9 item 2; seed 000 §13, R-I05, R-I06): per subject the lessons
held on the pupil's list, every mark with date and work type, the averages, the lessons missed by reason and the
lateness, with the totals; the same numbers in the PDF; a class's sheets in a fixed number of queries."""

import datetime
import shutil
import subprocess
from decimal import Decimal

import pytest

from attendance.services import absence_set
from gradebook.marks import mark_set, work_add
from gradebook.models import WorkType
from reports.sheets import RangeError, class_periods, class_sheets, parse_range, period_of_range, pupil_sheet
from reports.sheets_pdf import render_sheets
from schedule.models import Lesson
from schedule.services import classes as class_services
from schedule.services import timetable
from schedule.services.lessons import lesson_cancel
from tests.conftest import SCHOOL_DAY
from tests.factories import UserFactory, make_course
from tests.matrix.journal import ANSWER, CONTROL, FIRST, LAST, journal_course

D = datetime.date
START, END = D(2026, 11, 9), D(2026, 11, 21)
INDEPENDENT = "Самостоятельная работа"


def at(clock, day: D) -> None:
    clock.move_to(datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=datetime.UTC))


def lesson(course, day: D) -> Lesson:
    return Lesson.objects.get(course=course, date=day)


def mark(w, clock, course, day: D, kind: str, value: str, pupil=None, teacher=None) -> None:
    at(clock, day)
    teacher = teacher or w.teacher
    work = work_add(
        actor=teacher, lesson=lesson(course, day), work_type=WorkType.objects.get(school=w.school, name=kind)
    )
    mark_set(actor=teacher, work=work, pupil_id=(pupil or w.pupil).pk, value=value)


def absent(w, clock, course, day: D, code: str, minutes=None, pupil=None, teacher=None) -> None:
    at(clock, day)
    absence_set(
        actor=teacher or w.teacher, lesson=lesson(course, day), pupil=pupil or w.pupil, code=code, minutes=minutes
    )


def russian_course(w):
    """Russian of 5А by `other_teacher`, Mondays and Wednesdays, 3rd lesson."""
    course = make_course(w.school_class, w.other_teacher, "Русский язык", 2)
    for weekday in (1, 3):
        timetable.timetable_entry_add(actor=None, course=course, weekday=weekday, number=3, valid_from=FIRST)
    timetable.lessons_generate(actor=None, year=w.school_class.year, start=FIRST, end=LAST)
    return course


@pytest.fixture
def school(world, clock):
    """The hand-built pupil of 5А, 9–21 November 2026, today Tuesday 17 November:

    Maths (Mon–Fri): lessons 9, 10, 11, 12 (cancelled), 13, 16, 17 held → 6 (18–20 are to come).
      Marks: 10.11 «5» answer (weight 1), 11.11 «3» control work (weight 3), 16.11 «4» answer (weight 1):
      average (5 + 3 + 4) / 3 = 4.00, weighted (5 + 9 + 4) / 5 = 3.60.
      Absences: 9.11 Н, 13.11 Б, 16.11 ОП 10 minutes, 17.11 ДО (remote: not missed).
    Russian (Mon, Wed): lessons 9, 11, 16 held → 3.
      Marks: 9.11 «2» answer (1), 16.11 «4» independent work (1.5): average 3.00, weighted (2 + 6) / 2.5 = 3.20.
      Absences: 11.11 УП, 9.11 ОП 5 minutes.
    Totals: 9 held, 5 marks, Н 1, Б 1, УП 1 (3 missed), 2 latenesses (15 minutes), 1 remote.
    """
    maths = journal_course(world)
    russian = russian_course(world)
    at(clock, D(2026, 11, 12))
    lesson_cancel(actor=None, lesson=lesson(maths, D(2026, 11, 12)), reason="Карантин")
    mark(world, clock, maths, D(2026, 11, 10), ANSWER, "5")
    mark(world, clock, maths, D(2026, 11, 11), CONTROL, "3")
    mark(world, clock, maths, D(2026, 11, 16), ANSWER, "4")
    mark(world, clock, russian, D(2026, 11, 9), ANSWER, "2", teacher=world.other_teacher)
    mark(world, clock, russian, D(2026, 11, 16), INDEPENDENT, "4", teacher=world.other_teacher)
    absent(world, clock, maths, D(2026, 11, 9), "absent")
    absent(world, clock, maths, D(2026, 11, 13), "ill")
    absent(world, clock, maths, D(2026, 11, 16), "late", minutes=10)
    absent(world, clock, maths, D(2026, 11, 17), "remote")
    absent(world, clock, russian, D(2026, 11, 11), "excused", teacher=world.other_teacher)
    absent(world, clock, russian, D(2026, 11, 9), "late", minutes=5, teacher=world.other_teacher)
    # The other class's pupil has a mark on their own course: never on 5А's sheets.
    clock.move_to(SCHOOL_DAY)
    world.maths, world.russian = maths, russian
    return world


def test_pupil_sheet_figures_r_i05_r_i06(school):
    """R-I05, R-I06: held lessons, every mark with date and work type, averages, missed by reason, lateness."""
    sheet = pupil_sheet(school=school.school, pupil=school.pupil, start=START, end=END)
    assert (sheet.full_name, sheet.class_name) == (school.pupil.get_full_name(), "5А")
    maths, russian = sheet.lines
    assert (maths.subject, russian.subject) == ("Математика", "Русский язык")
    assert maths.held == 6 and russian.held == 3
    assert [(m.date, m.value, m.work_type, m.weight_text) for m in maths.marks] == [
        (D(2026, 11, 10), "5", ANSWER, "1"),
        (D(2026, 11, 11), "3", CONTROL, "3"),
        (D(2026, 11, 16), "4", ANSWER, "1"),
    ]
    assert [(m.value, m.weight_text) for m in russian.marks] == [("2", "1"), ("4", "1.5")]
    assert (maths.average, maths.weighted) == (Decimal("4.00"), Decimal("3.60"))
    assert (russian.average, russian.weighted) == (Decimal("3.00"), Decimal("3.20"))
    assert maths.missed_row == [1, 1, 0] and maths.missed_total == 2
    assert (maths.late, maths.late_minutes, maths.remote) == (1, 10, 1)
    assert russian.missed_row == [0, 0, 1] and (russian.late, russian.late_minutes) == (1, 5)
    assert (sheet.held, sheet.marks_count, sheet.missed_row, sheet.missed_total) == (9, 5, [1, 1, 1], 3)
    assert (sheet.late, sheet.late_minutes, sheet.remote) == (2, 15, 1)


def test_a_subject_teacher_sees_only_own_courses_r_i05(school):
    sheet = pupil_sheet(school=school.school, pupil=school.pupil, start=START, end=END, course_ids=[school.maths.pk])
    assert [line.subject for line in sheet.lines] == ["Математика"]
    assert (sheet.held, sheet.marks_count, sheet.missed_total, sheet.late) == (6, 3, 2, 1)


def test_a_narrower_range_counts_only_its_days_r_i05(school):
    """16–17 November: maths held 16, 17 (2), one mark «4»; Russian held 16 (1), one mark «4»."""
    sheet = pupil_sheet(school=school.school, pupil=school.pupil, start=D(2026, 11, 16), end=D(2026, 11, 21))
    maths, russian = sheet.lines
    assert (maths.held, [m.value for m in maths.marks], maths.average, maths.weighted) == (
        2,
        ["4"],
        Decimal("4.00"),
        Decimal("4.00"),
    )
    assert (maths.missed_total, maths.late, maths.remote) == (0, 1, 1)
    assert (russian.held, russian.weighted, russian.missed_total, russian.late) == (1, Decimal("4.00"), 0, 0)


def test_the_range_must_lie_in_one_period_r_i05(school):
    """Quarter 2 is 09.11–28.12; quarter 1 ends before it: a range across both is refused, an end before the
    start too; the default is the current week, Monday to Saturday."""
    day = D(2026, 11, 17)
    assert parse_range(None, None, day) == (D(2026, 11, 16), D(2026, 11, 21))
    assert parse_range("10.11.2026", "2026-11-12", day) == (D(2026, 11, 10), D(2026, 11, 12))
    with pytest.raises(RangeError, match="раньше"):
        parse_range("2026-11-12", "2026-11-10", day)
    with pytest.raises(RangeError):
        parse_range("32.13.2026", "", day)
    periods = class_periods(school.school_class)
    period, start, end = period_of_range(periods, D(2026, 11, 9), D(2026, 11, 21))
    assert (start, end) == (D(2026, 11, 9), D(2026, 11, 21)) and period.start == D(2026, 11, 9)
    with pytest.raises(RangeError, match="границ"):
        period_of_range(periods, D(2026, 10, 20), D(2026, 11, 12))


def add_pupils(w, n: int) -> list:
    pupils = [UserFactory(school=w.school, roles=["pupil"]) for _ in range(n)]
    class_services.pupils_enroll(actor=w.admin, school_class=w.school_class, pupils=pupils, since=D(2026, 9, 1))
    return pupils


def test_class_sheets_in_a_fixed_number_of_queries_r_i06(school, clock, django_assert_max_num_queries):
    """The class's sheets, in list order, for 2 and for 12 pupils: the same number of queries."""
    add_pupils(school, 1)
    with django_assert_max_num_queries(7):
        small = class_sheets(school=school.school, school_class=school.school_class, start=START, end=END)
    assert len(small) == 2
    more = add_pupils(school, 10)
    mark(school, clock, school.maths, D(2026, 11, 16), ANSWER, "5", pupil=more[0])
    clock.move_to(SCHOOL_DAY)
    with django_assert_max_num_queries(7):
        big = class_sheets(school=school.school, school_class=school.school_class, start=START, end=END)
    assert len(big) == 12
    names = [s.full_name for s in big]
    assert names == sorted(names, key=lambda n: n.split())  # list order: surname, name
    own = next(s for s in big if s.pupil_id == school.pupil.pk)
    assert (own.held, own.marks_count, own.missed_total) == (9, 5, 3)
    other = next(s for s in big if s.pupil_id == more[0].pk)
    assert (other.held, [m.value for line in other.lines for m in line.marks]) == (9, ["5"])
    assert other.missed_total == 0
    only = class_sheets(
        school=school.school, school_class=school.school_class, start=START, end=END, pupil_ids=[school.pupil.pk]
    )
    assert [s.pupil_id for s in only] == [school.pupil.pk]


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(content)
    assert shutil.which("pdftotext")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout  # noqa: S603, S607


def test_the_pdf_holds_the_figures_r_i05_r_i06(school, tmp_path):
    extra = add_pupils(school, 1)[0]
    sheets = class_sheets(school=school.school, school_class=school.school_class, start=START, end=END)
    whole, parts = render_sheets(school=school.school, sheets=sheets, title="Сводная ведомость", generated=SCHOOL_DAY)
    text = pdf_text(whole, tmp_path)
    assert school.school.name in text and "5А" in text
    assert "09.11.2026–21.11.2026" in text
    for needle in ("Математика", "Русский", "4,00", "3,60", "3,00", "3,20", "10.11.2026", "Контрольная работа"):
        assert needle in text, needle
    assert "стр. 1 из 2" in text and "17.11.2026" in text
    assert set(parts) == {school.pupil.pk, extra.pk}
    own = pdf_text(parts[school.pupil.pk], tmp_path)
    assert school.pupil.get_full_name() in own and extra.get_full_name() not in own
    assert "3,60" in own
    theirs = pdf_text(parts[extra.pk], tmp_path)
    assert extra.get_full_name() in theirs and school.pupil.get_full_name() not in theirs
    assert "3,60" not in theirs


def test_approved_late_changes_are_listed_r_f04(world, tmp_path):
    """R-F04: the teacher's request to change the «3» of 13 October to «5», approved by the deputy on 17 November,
    is listed at the end of the sheet of 12–17 October; a pending one is not."""
    from gradebook.late_changes import late_change_approve
    from tests.matrix.late_changes import absence_lesson, file_request

    approved = late_change_approve(actor=world.deputy, request=file_request(world))
    absence_lesson(world)  # the 14 October absence, no request
    sheet = pupil_sheet(school=world.school, pupil=world.pupil, start=D(2026, 10, 12), end=D(2026, 10, 17))
    assert [(c.date, c.subject, c.target, c.old_value, c.new_value, c.decided, c.number) for c in sheet.changes] == [
        (D(2026, 10, 13), "Математика", "отметка", "3", "5", D(2026, 11, 17), approved.pk)
    ]
    (maths,) = sheet.lines
    assert ([m.value for m in maths.marks], maths.held, maths.missed_row) == (["5"], 5, [1, 0, 0])
    whole, _parts = render_sheets(school=world.school, sheets=[sheet], title="Сводная ведомость", generated=SCHOOL_DAY)
    text = pdf_text(whole, tmp_path)
    assert "Одобренные исправления после срока" in text and f"Заявка № {approved.pk}" in text
    assert pupil_sheet(school=world.school, pupil=world.pupil, start=D(2026, 11, 9), end=END).changes == []
