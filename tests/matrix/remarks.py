"""Permission-matrix rows of the remarks of journal control (R-J02): readers (admin, director, deputy) leave and
reopen remarks on a course's journal; the course's teacher sees them and marks them done; the class teacher of the
course's class, pupils and parents see none; another school's teacher gets 404 for every object URL.

The course is tests/matrix/journal.py's (maths of 5А taught by `teacher`). The builders make a new remark for each
role's request, so that one role's "done" or "reopen" does not change what the next one finds."""

import datetime

from reports.models import Remark
from reports.services import remark_create, remark_done

from . import REDIRECT, STAFF_READERS, Case, only
from .journal import DAY, journal_course, lesson_of

DUE = DAY + datetime.timedelta(days=7)
OTHER_SCHOOL = {"foreign_teacher": 404}


def open_remark(w) -> Remark:
    return remark_create(
        actor=w.deputy, course=journal_course(w), lesson=lesson_of(w), text="Не заполнена тема урока.", due=DUE
    )


def done_remark(w) -> Remark:
    return remark_done(actor=w.teacher, remark=open_remark(w), answer="Тема заполнена.")


def own_course(w):
    return {"course_id": journal_course(w).pk}


def new_open(w):
    return {"remark_id": open_remark(w).pk}


def new_done(w):
    return {"remark_id": done_remark(w).pk}


def a_remark(w):
    if not hasattr(w, "_rm_remark"):
        w._rm_remark = open_remark(w)
    return {"remark_id": w._rm_remark.pk}


def with_a_remark(w):
    """The list's query string: none, but a remark in the school to list."""
    a_remark(w)
    return {}


# Who reads remarks: the readers (all of the school's) and the course's teacher (those on their courses).
SEE = (*STAFF_READERS, "teacher")

ROWS: dict[str, list[Case]] = {
    "reports:remark_add": [
        Case("the form", only(*STAFF_READERS) | OTHER_SCHOOL, kwargs=own_course),
        Case(
            "the form with a lesson chosen",
            only(*STAFF_READERS) | OTHER_SCHOOL,
            kwargs=own_course,
            data=lambda w: {"lesson": lesson_of(w).pk},
        ),
        Case("empty form", only(*STAFF_READERS, ok=422) | OTHER_SCHOOL, kwargs=own_course, method="post"),
        Case(
            "a remark",
            only(*STAFF_READERS, ok=REDIRECT) | OTHER_SCHOOL,
            kwargs=own_course,
            method="post",
            data=lambda w: {"text": "Нет домашнего задания.", "due": DUE.isoformat()},
        ),
        Case(
            "a deadline in the past",
            only(*STAFF_READERS, ok=422) | OTHER_SCHOOL,
            kwargs=own_course,
            method="post",
            data=lambda w: {"text": "Нет домашнего задания.", "due": "2026-11-16"},
        ),
    ],
    # Every teacher has the list (of the remarks on their own courses); another school's teacher sees their own
    # school's, which is not ours.
    "reports:remark_list": [
        Case("all", only(*SEE, "class_teacher", "foreign_teacher"), data=with_a_remark),
        Case("open ones", only(*SEE, "class_teacher", "foreign_teacher"), data=lambda w: {"status": "open"}),
        Case(
            "one course's",
            only(*SEE, "class_teacher", "foreign_teacher"),
            data=lambda w: {"status": "all", "course": journal_course(w).pk},
        ),
    ],
    "reports:remark_detail": [Case("an open remark", only(*SEE) | OTHER_SCHOOL, kwargs=a_remark)],
    "reports:remark_done": [
        Case(
            "an open remark, no answer",
            only("teacher", ok=REDIRECT) | OTHER_SCHOOL,
            kwargs=new_open,
            method="post",
        ),
        Case(
            "an open remark, with an answer",
            only("teacher", ok=REDIRECT) | OTHER_SCHOOL,
            kwargs=new_open,
            method="post",
            data=lambda w: {"answer": "Исправлено."},
        ),
        Case(
            "an answer too long",
            only("teacher", ok=422) | OTHER_SCHOOL,
            kwargs=new_open,
            method="post",
            data=lambda w: {"answer": "x" * 501},
        ),
        Case("a remark done already", only("teacher", ok=409) | OTHER_SCHOOL, kwargs=new_done, method="post"),
    ],
    "reports:remark_reopen": [
        Case(
            "a done remark",
            only(*STAFF_READERS, ok=REDIRECT) | OTHER_SCHOOL,
            kwargs=new_done,
            method="post",
            data=lambda w: {"note": "Тема так и не заполнена."},
        ),
        Case("an open remark", only(*STAFF_READERS, ok=409) | OTHER_SCHOOL, kwargs=new_open, method="post"),
        Case(
            "a new deadline in the past",
            only(*STAFF_READERS, ok=422) | OTHER_SCHOOL,
            kwargs=new_done,
            method="post",
            data=lambda w: {"due": "2026-11-01"},
        ),
    ],
}
