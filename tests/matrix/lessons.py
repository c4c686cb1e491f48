"""Permission-matrix rows of lesson generation, the lesson page and its changes, substitutions and their log
(R-C04..R-C07, R-C09, R-C12). The builders below are shared with tests/schedule/test_lesson_pages.py and
test_substitutions.py: a maths course of 5А taught by `teacher`, with a timetable lesson on the frozen day."""

import datetime

from schedule.models import Lesson
from schedule.services import lessons as lesson_services
from schedule.services import timetable
from tests.factories import make_course

from . import STAFF_READERS, Case, only

DAY = datetime.date(2026, 11, 17)  # the frozen clock's Tuesday
TUESDAY = 2


def course(w):
    """Maths of 5А, taught by `teacher`, Tuesdays 1st lesson in room 12 from the year's start."""
    if not hasattr(w, "_ls_course"):
        w._ls_course = make_course(w.school_class, w.teacher, "Математика", 4)
        timetable.timetable_entry_add(
            actor=None,
            course=w._ls_course,
            weekday=TUESDAY,
            number=1,
            room="12",
            valid_from=w.school_class.year.start,
        )
    return w._ls_course


def lesson_on(w, day: datetime.date) -> Lesson:
    """The course's timetable lesson on a Tuesday, generated if it is not there yet."""
    c = course(w)
    timetable.lessons_generate(actor=None, year=c.year, start=day, end=day)
    return Lesson.objects.get(course=c, date=day)


def lesson(w) -> Lesson:
    if not hasattr(w, "_ls_lesson"):
        w._ls_lesson = lesson_on(w, DAY)
    return w._ls_lesson


def cancelled_lesson(w) -> Lesson:
    if not hasattr(w, "_ls_cancelled"):
        w._ls_cancelled = lesson_services.lesson_cancel(
            actor=w.admin, lesson=lesson_on(w, DAY + datetime.timedelta(days=7)), reason="Карантин"
        )
    return w._ls_cancelled


def own_lesson(w):
    return {"lesson_id": lesson(w).pk}


def own_course(w):
    return {"course_id": course(w).pk}


OTHER_SCHOOL = {"foreign_teacher": 404}
# Who may see a lesson of 5А: those who read everything, the course's teacher and 5А's class teacher (R-A03..R-A05).
VIEWERS = (*STAFF_READERS, "teacher", "class_teacher")
# Who changes 5А's timetable with the default settings: the admin, the deputy, 5А's class teacher (R-C01).
TIMETABLE_EDITORS = ("admin", "deputy", "class_teacher")
# Who records substitutions with the default settings: the admin and the deputy (R-C04).
SUBSTITUTION_EDITORS = ("admin", "deputy")

ROWS: dict[str, list[Case]] = {
    "schedule:lessons_generate": [
        Case("page", only("admin", "deputy")),
        Case("empty form", only("admin", "deputy", ok=422), method="post"),
    ],
    "schedule:lesson_detail": [
        Case("a lesson of 5А", only(*VIEWERS) | OTHER_SCHOOL, kwargs=own_lesson),
        Case(
            "a cancelled lesson",
            only(*VIEWERS) | OTHER_SCHOOL,
            kwargs=lambda w: {"lesson_id": cancelled_lesson(w).pk},
        ),
    ],
    "schedule:lesson_topic": [
        Case("empty form", only("teacher", ok=422) | OTHER_SCHOOL, kwargs=own_lesson, method="post"),
        Case(
            "a cancelled lesson is filled by nobody (R-C05)",
            only() | OTHER_SCHOOL,
            kwargs=lambda w: {"lesson_id": cancelled_lesson(w).pk},
            method="post",
            data=lambda w: {"topic": "Дроби", "form": "class"},
        ),
    ],
    "schedule:lesson_move": [
        Case("page", only(*TIMETABLE_EDITORS) | OTHER_SCHOOL, kwargs=own_lesson),
        Case("empty form", only(*TIMETABLE_EDITORS, ok=422) | OTHER_SCHOOL, kwargs=own_lesson, method="post"),
    ],
    "schedule:lesson_cancel": [
        Case("no reason", only(*TIMETABLE_EDITORS, ok=422) | OTHER_SCHOOL, kwargs=own_lesson, method="post"),
    ],
    "schedule:lesson_restore": [
        Case("not cancelled", only(*TIMETABLE_EDITORS, ok=422) | OTHER_SCHOOL, kwargs=own_lesson, method="post"),
    ],
    "schedule:lesson_delete": [
        Case(
            "a timetable lesson is cancelled, not deleted",
            only(*TIMETABLE_EDITORS, ok=422) | OTHER_SCHOOL,
            kwargs=own_lesson,
            method="post",
        ),
    ],
    "schedule:lesson_add": [
        Case("page", only(*TIMETABLE_EDITORS) | OTHER_SCHOOL, kwargs=own_course),
        Case("empty form", only(*TIMETABLE_EDITORS, ok=422) | OTHER_SCHOOL, kwargs=own_course, method="post"),
    ],
    "schedule:substitutions": [
        Case("today", only(*STAFF_READERS)),
        Case("a day with lessons", only(*STAFF_READERS), data=lambda w: {"date": str(lesson(w).date)}),
    ],
    "schedule:substitution_log": [Case("the year", only(*STAFF_READERS))],
    "schedule:substitution_set": [
        Case("empty form", only(*SUBSTITUTION_EDITORS, ok=422) | OTHER_SCHOOL, kwargs=own_lesson, method="post"),
    ],
    "schedule:substitution_remove": [
        Case("no substitute", only(*SUBSTITUTION_EDITORS, ok=422) | OTHER_SCHOOL, kwargs=own_lesson, method="post"),
    ],
}
