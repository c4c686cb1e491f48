"""Permission-matrix rows of late-change requests and retake protocols (seed 001; R-F01..R-F05): whoever would write
a cell asks after its window (the course's teacher for a mark or a period mark; also the class teacher and the admin
for attendance), the director and the deputy decide, the author withdraws, the deputy enters a retake's mark from
its protocol; a request is read by its author and those who read everything (R-A03); another school's teacher gets
404 for every object URL.

The builders are shared with tests/gradebook/test_late_changes.py. The course is tests/matrix/journal.py's (maths of
5А taught by `teacher`); its lessons of 12–16 October (the 1st quarter) were filled while their windows were open
(the clock taken back), so that on the frozen clock's 17 November they are locked: a mark «3» of 13 October, an
absence of 14 October, the 1st quarter's mark «4». Writing cases make a new pending request for each role's try, so
that one role's decision does not change what the next one finds."""

import datetime

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from attendance.services import absence_set
from ejournal.demo_late_changes import minimal_pdf
from gradebook import late_changes
from gradebook.late_changes import Cell
from gradebook.marks import mark_set, work_add
from gradebook.models import LateChangeRequest, LessonWork, WorkType
from gradebook.period_marks import period_mark_set
from schedule.models import Lesson, StudyPeriod
from schedule.services import timetable

from . import REDIRECT, STAFF_READERS, Case, only
from .journal import ANSWER, journal_course

Target = LateChangeRequest.Target
MARK_DAY, ABSENCE_DAY = datetime.date(2026, 10, 13), datetime.date(2026, 10, 14)
DOCUMENT_DAY = datetime.date(2026, 11, 10)
OTHER_SCHOOL = {"foreign_teacher": 404}


def pdf_bytes() -> bytes:
    return minimal_pdf()


def scan(name: str = "справка.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def _at(day: datetime.date):
    """The clock taken back to a school day (09:00 in Moscow) for the set-up of what is locked now."""
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(6, 0), tzinfo=datetime.UTC), tick=False)


def october_lessons(w):
    """The course's lessons of 12–16 October (the 1st quarter)."""
    if not hasattr(w, "_lc_october"):
        course = journal_course(w)
        timetable.lessons_generate(
            actor=None, year=course.year, start=datetime.date(2026, 10, 12), end=datetime.date(2026, 10, 16)
        )
        w._lc_october = True
    return Lesson.objects.filter(course=journal_course(w), date__range=(MARK_DAY, ABSENCE_DAY))


def past_lesson(w, day: datetime.date = MARK_DAY) -> Lesson:
    october_lessons(w)
    return Lesson.objects.get(course=journal_course(w), date=day)


def closed_work(w) -> LessonWork:
    """A column of 13 October with the pupil's «3» (its window closed on 27 October)."""
    if not hasattr(w, "_lc_work"):
        lesson = past_lesson(w)
        with _at(MARK_DAY):
            work = work_add(
                actor=w.teacher, lesson=lesson, work_type=WorkType.objects.get(school=w.school, name=ANSWER)
            )
            mark_set(actor=w.teacher, work=work, pupil_id=w.pupil.pk, value="3")
        w._lc_work = work
    return w._lc_work


def absence_lesson(w) -> Lesson:
    """The lesson of 14 October, where the pupil is marked absent (its window closed on 28 October)."""
    if not hasattr(w, "_lc_absence"):
        lesson = past_lesson(w, ABSENCE_DAY)
        with _at(ABSENCE_DAY):
            absence_set(actor=w.teacher, lesson=lesson, pupil=w.pupil, code="absent")
        w._lc_absence = lesson
    return w._lc_absence


def first_quarter(w) -> StudyPeriod:
    """The 1st quarter, with the pupil's «4» set on its last day (editable until 14 days after it)."""
    if not hasattr(w, "_lc_quarter"):
        course = journal_course(w)
        quarter = StudyPeriod.objects.filter(year=course.year).order_by("start").first()
        with _at(quarter.end):
            period_mark_set(actor=w.teacher, course=course, period=quarter, pupil_id=w.pupil.pk, value="4")
        w._lc_quarter = quarter
    return w._lc_quarter


def mark_cell(w) -> Cell:
    work = closed_work(w)
    return Cell(target=Target.MARK, course=journal_course(w), pupil=w.pupil, lesson=work.lesson, work=work)


def file_request(w, cell: Cell | None = None, *, value: str | None = None, **fields) -> LateChangeRequest:
    """The teacher's pending request for the cell (the mark of 13 October unless told): one awaiting a decision for
    the same cell is withdrawn first; the new value differs from what the journal holds."""
    cell = cell or mark_cell(w)
    for waiting in LateChangeRequest.objects.filter(
        course=cell.course, target=cell.target, pupil=cell.pupil, lesson=cell.lesson, work=cell.work,
        period=cell.period, status=LateChangeRequest.Status.PENDING,
    ):  # fmt: skip
        late_changes.late_change_withdraw(actor=waiting.author, request=waiting)
    if value is None:
        value = "4" if late_changes.current_value(cell)[0] == "5" else "5"
    data = {
        "reason": LateChangeRequest.Reason.PUPIL_ILLNESS,
        "document_number": "17-у",
        "document_date": DOCUMENT_DAY,
        "scan": scan(),
        "explanation": "Ученик болел, работу написал после выздоровления.",
    } | fields
    return late_changes.late_change_file(actor=w.teacher, cell=cell, new_value=value, **data)


def a_request(w):
    """One pending request, the same for every role (the pages that only read it)."""
    if not hasattr(w, "_lc_request"):
        w._lc_request = file_request(w)
    return {"request_id": w._lc_request.pk}


def new_pending(w):
    return {"request_id": file_request(w).pk}


def new_rejected(w):
    request = file_request(w)
    late_changes.late_change_reject(actor=w.director, request=request, comment="Нет подписи врача.")
    return {"request_id": request.pk}


def own_course(w):
    return {"course_id": journal_course(w).pk}


def mark_query(w):
    return {"work": closed_work(w).pk, "pupil": w.pupil.pk}


def absence_query(w):
    return {"lesson": absence_lesson(w).pk, "pupil": w.pupil.pk}


def period_query(w):
    return {"period": first_quarter(w).pk, "pupil": w.pupil.pk}


def with_a_request(w):
    a_request(w)
    return {}


# The matrix reverses kwargs only: a POST names its cell in the form (the page itself posts to its URL with the query
# string; the view reads either).
def _filed(w):
    return mark_query(w) | {
        "new_value": "5",
        "reason": "pupil_illness",
        "document_number": "17-у",
        "document_date": DOCUMENT_DAY.isoformat(),
        "scan": scan(),
    }


def _protocol(w):
    return mark_query(w) | {
        "new_value": "5",
        "document_number": "3-п",
        "document_date": DOCUMENT_DAY.isoformat(),
        "scan": scan("протокол.pdf"),
    }


# Who asks for a mark's or a period mark's change: the course's teacher (R-A04); for attendance also the class teacher
# of the class (R-H04) and the admin, who may record it.
ATTENDANCE_WRITERS = ("teacher", "class_teacher", "admin")
DECIDERS = ("director", "deputy")
READ_REQUEST = (*STAFF_READERS, "teacher")
TEACHERS = (*STAFF_READERS, "teacher", "class_teacher", "foreign_teacher")

ROWS: dict[str, list[Case]] = {
    # Every teacher has the list (their own requests), those who read everything the school's; another school's
    # teacher sees their own school's, which is not ours. Pupils and parents have none (R-A06, R-A07).
    "gradebook:late_change_list": [
        Case("the default", only(*TEACHERS), data=with_a_request),
        Case("all states", only(*TEACHERS), data=lambda w: {"status": "all"}),
        Case("approved ones", only(*TEACHERS), data=lambda w: {"status": "approved"}),
        Case("an unknown state", only(*TEACHERS), data=lambda w: {"status": "nonsense", "page": "x"}),
    ],
    "gradebook:late_change_new": [
        Case("a mark past its window", only("teacher") | OTHER_SCHOOL, kwargs=own_course, data=mark_query),
        Case(
            "attendance past its window",
            only(*ATTENDANCE_WRITERS) | OTHER_SCHOOL,
            kwargs=own_course,
            data=absence_query,
        ),
        Case("a period mark past its window", only("teacher") | OTHER_SCHOOL, kwargs=own_course, data=period_query),
        Case(
            "the year mark (still open: the page says so)",
            only("teacher") | OTHER_SCHOOL,
            kwargs=own_course,
            data=lambda w: {"period": "year", "pupil": w.pupil.pk},
        ),
        Case(
            "a pupil not on the course's list",
            only(default=404),
            kwargs=own_course,
            data=lambda w: {"work": closed_work(w).pk, "pupil": w.other_pupil.pk},
        ),
        Case("no cell named", only(default=404), kwargs=own_course, data=lambda w: {"pupil": w.pupil.pk}),
        Case(
            "a work that is not the school's",
            only(default=404),
            kwargs=own_course,
            data=lambda w: {"work": "999999", "pupil": w.pupil.pk},
        ),
        Case("empty form", only("teacher", ok=422) | OTHER_SCHOOL, kwargs=own_course, method="post", data=mark_query),
        Case("a request", only("teacher", ok=REDIRECT) | OTHER_SCHOOL, kwargs=own_course, method="post", data=_filed),
    ],
    "gradebook:retake_new": [
        Case("a mark past its window", only("deputy") | OTHER_SCHOOL, kwargs=own_course, data=mark_query),
        Case("a period mark past its window", only("deputy") | OTHER_SCHOOL, kwargs=own_course, data=period_query),
        Case("attendance has no retake", only(default=404), kwargs=own_course, data=absence_query),
        Case("empty form", only("deputy", ok=422) | OTHER_SCHOOL, kwargs=own_course, method="post", data=mark_query),
        Case(
            "a protocol",
            only("deputy", ok=REDIRECT) | OTHER_SCHOOL,
            kwargs=own_course,
            method="post",
            data=_protocol,
        ),
    ],
    "gradebook:late_change_detail": [Case("a pending request", only(*READ_REQUEST) | OTHER_SCHOOL, kwargs=a_request)],
    "gradebook:late_change_scan": [Case("its scan", only(*READ_REQUEST) | OTHER_SCHOOL, kwargs=a_request)],
    "gradebook:late_change_approve": [
        Case("a pending request", only(*DECIDERS, ok=REDIRECT) | OTHER_SCHOOL, kwargs=new_pending, method="post"),
        Case(
            "a comment too long",
            only(*DECIDERS, ok=422) | OTHER_SCHOOL,
            kwargs=new_pending,
            method="post",
            data=lambda w: {"comment": "x" * 1001},
        ),
        Case("a rejected request", only(*DECIDERS, ok=409) | OTHER_SCHOOL, kwargs=new_rejected, method="post"),
    ],
    "gradebook:late_change_reject": [
        Case("no comment", only(*DECIDERS, ok=422) | OTHER_SCHOOL, kwargs=new_pending, method="post"),
        Case(
            "with a comment",
            only(*DECIDERS, ok=REDIRECT) | OTHER_SCHOOL,
            kwargs=new_pending,
            method="post",
            data=lambda w: {"comment": "Документ не относится к этому уроку."},
        ),
    ],
    "gradebook:late_change_withdraw": [
        Case("a pending request", only("teacher", ok=REDIRECT) | OTHER_SCHOOL, kwargs=new_pending, method="post"),
        Case("a decided request", only("teacher", ok=409) | OTHER_SCHOOL, kwargs=new_rejected, method="post"),
    ],
}
