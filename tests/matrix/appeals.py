"""Permission-matrix rows of mark appeals (seed 004 §7.1, R-I11; R-A03, R-A05..R-A07): a family reads one of its
marks and reports it (the pupil, a parent; nobody of the staff in their name); the course's teacher answers; those
who read the pupil's journal read the report; another family's pupil and another school's objects are 404.

The builders are shared with tests/gradebook/test_appeals.py and tests/diary/test_mark_page.py. Own objects: the
pupil's «4» in a column of the frozen clock's Tuesday (17 November) of tests/matrix/journal.py's maths of 5А, taught
by `teacher`, and the parent's report of it. Foreign ones: Russian of 5Б taught by `other_teacher` (class teacher of
5Б), with `other_pupil`'s «3» and `other_guardian`'s report of it. Writing cases answer a report left open by the
previous role's try, so that each role finds the cell as the first did."""

from gradebook.appeals import appeal_answer, appeal_file
from gradebook.marks import mark_set, work_add
from gradebook.models import LessonWork, MarkAppeal, WorkType
from schedule.models import Lesson
from schedule.services import timetable
from tests.factories import make_course

from . import REDIRECT, STAFF_READERS, Case, only
from .journal import ANSWER, DAY, journal_course, work_on

OTHER_SCHOOL = {"foreign_teacher": 404}
REPORT = "Мне поставили 5, а не 4"


def appealed_work(w) -> LessonWork:
    """A column of 17 November with the pupil's «4» (entered on the frozen clock: reportable until 20 November)."""
    if not hasattr(w, "_ap_work"):
        w._ap_work = work_on(w, DAY)
        mark_set(actor=w.teacher, work=w._ap_work, pupil_id=w.pupil.pk, value="4", comment="Ответ у доски")
    return w._ap_work


def appeal_of(w) -> MarkAppeal:
    """The parent's report of the pupil's «4»."""
    if not hasattr(w, "_ap_appeal"):
        w._ap_appeal = appeal_file(actor=w.guardian, pupil=w.pupil, work=appealed_work(w), text=REPORT)
    return w._ap_appeal


def unmarked_work(w) -> LessonWork:
    """A column of the same lesson without the pupil's mark."""
    if not hasattr(w, "_ap_unmarked"):
        w._ap_unmarked = work_on(w, DAY)
    return w._ap_unmarked


def other_course(w):
    """Russian of 5Б, taught by `other_teacher`, on Tuesdays' 3rd lesson; its lesson of 17 November generated."""
    if not hasattr(w, "_ap_other_course"):
        journal_course(w)  # the year's periods and work types
        course = make_course(w.other_class, w.other_teacher, "Русский язык", 3)
        timetable.timetable_entry_add(actor=None, course=course, weekday=2, number=3, valid_from=course.year.start)
        timetable.lessons_generate(actor=None, year=course.year, start=DAY, end=DAY, school_class=w.other_class)
        w._ap_other_course = course
    return w._ap_other_course


def other_work(w) -> LessonWork:
    """`other_pupil`'s «3» in a column of 5Б's Russian of 17 November."""
    if not hasattr(w, "_ap_other_work"):
        lesson = Lesson.objects.get(course=other_course(w), date=DAY)
        kind = WorkType.objects.get(school=w.school, name=ANSWER)
        w._ap_other_work = work_add(actor=w.other_teacher, lesson=lesson, work_type=kind)
        mark_set(actor=w.other_teacher, work=w._ap_other_work, pupil_id=w.other_pupil.pk, value="3")
    return w._ap_other_work


def other_appeal(w) -> MarkAppeal:
    if not hasattr(w, "_ap_other_appeal"):
        w._ap_other_appeal = appeal_file(
            actor=w.other_guardian, pupil=w.other_pupil, work=other_work(w), text="Я исправил работу"
        )
    return w._ap_other_appeal


def own_mark(w) -> dict:
    return {"pupil_id": w.pupil.pk, "work_id": appealed_work(w).pk}


def reopened(w) -> dict:
    """A report's text, with the previous role's report (if any) answered first: each role can report again."""
    for waiting in MarkAppeal.objects.filter(work=appealed_work(w), pupil=w.pupil, status=MarkAppeal.Status.OPEN):
        appeal_answer(actor=w.teacher, appeal=waiting, outcome="answered", answer="Отметка верная")
    return {"text": REPORT}


def open_reports(w) -> dict:
    """The list's filter, with the parent's report waiting in it."""
    appeal_of(w)
    return {"status": "open"}


def answer_text(w) -> dict:
    return {"outcome": "answered", "answer": "Ответ был неполным: 4."}


FAMILY = ("pupil", "guardian")
# The diary of a pupil: the pupil, the parent, those who read everything, the class teacher of 5А (R-A03, R-A05).
DIARY_READERS = (*FAMILY, *STAFF_READERS, "class_teacher")
# A report: those who read everything, the course's teacher, the class teacher of the pupil.
REPORT_READERS = (*STAFF_READERS, "teacher", "class_teacher")

ROWS: dict[str, list[Case]] = {
    "diary:mark": [
        Case("the pupil's mark", only(*DIARY_READERS) | OTHER_SCHOOL, kwargs=own_mark),
        Case(
            "the pupil's reported mark",
            only(*DIARY_READERS) | OTHER_SCHOOL,
            kwargs=lambda w: {"pupil_id": w.pupil.pk, "work_id": appeal_of(w).work_id},
        ),
        Case(
            "another family's pupil (R-A07: 404 to a family)",
            only(*STAFF_READERS) | {"pupil": 404, "guardian": 404} | OTHER_SCHOOL,
            kwargs=lambda w: {"pupil_id": w.other_pupil.pk, "work_id": other_work(w).pk},
        ),
        Case(
            "a work without the pupil's mark",
            only(default=404) | {"teacher": 403},
            kwargs=lambda w: {"pupil_id": w.pupil.pk, "work_id": unmarked_work(w).pk},
        ),
        Case(
            "another pupil's work under the pupil's id",
            only(default=404) | {"teacher": 403},
            kwargs=lambda w: {"pupil_id": w.pupil.pk, "work_id": other_work(w).pk},
        ),
    ],
    "diary:appeal_new": [
        Case("empty form", only(*FAMILY, ok=422) | OTHER_SCHOOL, kwargs=own_mark, method="post"),
        Case(
            "a report (only the family reports: R-I11, R-A06, R-A07)",
            only(*FAMILY, ok=REDIRECT) | OTHER_SCHOOL,
            kwargs=own_mark,
            method="post",
            data=reopened,
        ),
        Case(
            "another family's pupil",
            only() | {"pupil": 404, "guardian": 404} | OTHER_SCHOOL,
            kwargs=lambda w: {"pupil_id": w.other_pupil.pk, "work_id": other_work(w).pk},
            method="post",
            data=lambda w: {"text": REPORT},
        ),
        Case(
            "a work without the pupil's mark",
            only(default=404) | {"teacher": 403},
            kwargs=lambda w: {"pupil_id": w.pupil.pk, "work_id": unmarked_work(w).pk},
            method="post",
            data=lambda w: {"text": REPORT},
        ),
    ],
    "gradebook:appeal_list": [
        Case("the default list", only(*STAFF_READERS, "teacher", "class_teacher", "foreign_teacher")),
        Case(
            "reports awaiting an answer",
            only(*STAFF_READERS, "teacher", "class_teacher", "foreign_teacher"),
            data=open_reports,
        ),
    ],
    "gradebook:appeal_detail": [
        Case(
            "a report of the teacher's course",
            only(*REPORT_READERS) | OTHER_SCHOOL,
            kwargs=lambda w: {"appeal_id": appeal_of(w).pk},
        ),
        Case(
            "a report of another course and class",
            only(*STAFF_READERS) | OTHER_SCHOOL,
            kwargs=lambda w: {"appeal_id": other_appeal(w).pk},
        ),
    ],
    "gradebook:appeal_answer": [
        Case(
            "empty form (readers and the class teacher only read)",
            only("teacher", ok=422) | OTHER_SCHOOL,
            kwargs=lambda w: {"appeal_id": appeal_of(w).pk},
            method="post",
        ),
        Case(
            "the mark stands",
            only("teacher", ok=REDIRECT) | OTHER_SCHOOL,
            kwargs=lambda w: {"appeal_id": appeal_of(w).pk},
            method="post",
            data=answer_text,
        ),
        Case(
            "a report of another course (its teacher answers, not ours)",
            only() | OTHER_SCHOOL,
            kwargs=lambda w: {"appeal_id": other_appeal(w).pk},
            method="post",
            data=answer_text,
        ),
    ],
}
