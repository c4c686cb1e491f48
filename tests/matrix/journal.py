"""Permission-matrix rows of the course's journal grid and the writes of its cells and columns (issue 5; R-A03..R-A07,
R-D03). The builders are shared with tests/gradebook/test_journal_grid.py and tests/browser/test_journal_grid.py:
maths of 5А taught by `teacher`, 2nd lesson every weekday, lessons generated for 9–20 November 2026 (the 2nd quarter;
the frozen clock's Tuesday is 17 November)."""

import datetime

from gradebook.marks import mark_set, work_add
from gradebook.models import LessonWork, WorkType
from gradebook.services import work_types_add_usual
from schedule.models import Lesson, StudyPeriod
from schedule.services import timetable
from schedule.services import years as year_services
from tests.factories import make_course

from . import REDIRECT, STAFF_READERS, Case, only

DAY = datetime.date(2026, 11, 17)
FIRST, LAST = datetime.date(2026, 11, 9), datetime.date(2026, 11, 20)
ANSWER, CONTROL = "Ответ на уроке", "Контрольная работа"


def journal_course(w):
    """Maths of 5А, taught by `teacher`, every weekday's 2nd lesson; the year's usual periods and work types."""
    if not hasattr(w, "_jg_course"):
        year = w.school_class.year
        if not StudyPeriod.objects.filter(year=year).exists():
            year_services.year_fill_usual(actor=None, year=year)
        if not WorkType.objects.filter(school=w.school).exists():
            work_types_add_usual(actor=None, school=w.school)
        course = make_course(w.school_class, w.teacher, "Математика", 5)
        for weekday in range(1, 6):
            timetable.timetable_entry_add(actor=None, course=course, weekday=weekday, number=2, valid_from=year.start)
        timetable.lessons_generate(actor=None, year=year, start=FIRST, end=LAST)
        w._jg_course = course
    return w._jg_course


def lesson_of(w, day: datetime.date = DAY) -> Lesson:
    return Lesson.objects.get(course=journal_course(w), date=day)


def work_on(w, day: datetime.date = DAY, kind: str = ANSWER) -> LessonWork:
    """A new column on the course's lesson of that day (made while its window is open)."""
    lesson = lesson_of(w, day)
    return work_add(actor=w.teacher, lesson=lesson, work_type=WorkType.objects.get(school=w.school, name=kind))


def journal_work(w) -> LessonWork:
    if not hasattr(w, "_jg_work"):
        w._jg_work = work_on(w)
    return w._jg_work


def marked_work(w) -> LessonWork:
    """A column with the pupil's mark in it: it is not removed."""
    if not hasattr(w, "_jg_marked"):
        w._jg_marked = work_on(w, DAY - datetime.timedelta(days=1))
        mark_set(actor=w.teacher, work=w._jg_marked, pupil_id=w.pupil.pk, value="4")
    return w._jg_marked


def own_course(w):
    return {"course_id": journal_course(w).pk}


def own_work(w):
    return {"work_id": journal_work(w).pk}


OTHER_SCHOOL = {"foreign_teacher": 404}
# Who reads a course's journal: those who read everything (R-A03), its teacher (R-A04), the class teacher of its
# class (R-A05); never a pupil or a parent (R-A06, R-A07).
READERS = (*STAFF_READERS, "teacher", "class_teacher")

ROWS: dict[str, list[Case]] = {
    "gradebook:journal": [
        Case("the current period", only(*READERS) | OTHER_SCHOOL, kwargs=own_course),
        Case(
            "a chosen period",
            only(*READERS) | OTHER_SCHOOL,
            kwargs=own_course,
            data=lambda w: {"period": StudyPeriod.objects.filter(year=journal_course(w).year).first().pk},
        ),
    ],
    "gradebook:journal_print": [Case("the current period", only(*READERS) | OTHER_SCHOOL, kwargs=own_course)],
    "gradebook:mark_set": [
        Case("empty form", only("teacher", ok=422) | OTHER_SCHOOL, kwargs=own_work, method="post"),
        Case(
            "a mark (only the course's teacher writes: R-A04, R-A05)",
            only("teacher") | OTHER_SCHOOL,
            kwargs=own_work,
            method="post",
            data=lambda w: {"pupil": w.pupil.pk, "value": "5"},
        ),
    ],
    "gradebook:work_add": [
        Case(
            "empty form",
            only("teacher", ok=422) | OTHER_SCHOOL,
            kwargs=lambda w: {"lesson_id": lesson_of(w).pk},
            method="post",
        ),
    ],
    "gradebook:work_edit": [
        Case("the form", only("teacher") | OTHER_SCHOOL, kwargs=own_work),
        Case("empty form", only("teacher", ok=422) | OTHER_SCHOOL, kwargs=own_work, method="post"),
    ],
    "gradebook:work_remove": [
        Case(
            "a column with marks stays",
            only("teacher", ok=409) | OTHER_SCHOOL,
            kwargs=lambda w: {"work_id": marked_work(w).pk},
            method="post",
        ),
    ],
    # A lesson's attendance from the grid: whoever fills the lesson, the class teacher of its class (R-H04) and the
    # admin; never a pupil, a parent, another teacher or a reader (R-A06).
    "gradebook:attendance_set": [
        Case(
            "empty form",
            only("teacher", "class_teacher", "admin", ok=422) | OTHER_SCHOOL,
            kwargs=lambda w: {"lesson_id": lesson_of(w).pk},
            method="post",
        ),
        Case(
            "absent",
            only("teacher", "class_teacher", "admin") | OTHER_SCHOOL,
            kwargs=lambda w: {"lesson_id": lesson_of(w).pk},
            method="post",
            data=lambda w: {"pupil": w.pupil.pk, "code": "absent"},
        ),
    ],
    "gradebook:attendance_taken": [
        Case(
            "all present",
            only("teacher", "class_teacher", "admin", ok=REDIRECT) | OTHER_SCHOOL,
            kwargs=lambda w: {"lesson_id": lesson_of(w).pk},
            method="post",
        ),
    ],
}
