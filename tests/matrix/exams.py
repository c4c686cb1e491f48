"""Permission-matrix rows of the state exam results (R-E12) and the attestation of pupils in family or
self-education (R-E11). The builders are shared with tests/gradebook/test_exams.py and test_family_education.py: a
9А class of the personas' school whose maths `teacher` teaches, with a pupil who sits the ОГЭ."""

import datetime

from accounts.models import Role
from gradebook import exams as exam_services
from schedule.models import SchoolClass, Subject
from schedule.services import classes as class_services
from tests.factories import UserFactory, make_class, make_course

from . import REDIRECT, STAFF_READERS, Case, only

OTHER_SCHOOL = {"foreign_teacher": 404}
EXAM_DAY = datetime.date(2026, 11, 10)
RECEIVED = datetime.date(2026, 11, 16)


def exam_class(w) -> SchoolClass:
    """9А with one pupil, its maths taught by `teacher`."""
    if not hasattr(w, "_ex_class"):
        school_class = make_class(w.school_class.year, 9, "А")
        w.exam_pupil = UserFactory(
            school=w.school, roles=[Role.PUPIL], username="exam_pupil", last_name="Сидоров", first_name="Иван"
        )
        class_services.pupils_enroll(
            actor=None, school_class=school_class, pupils=[w.exam_pupil], since=datetime.date(2026, 9, 1)
        )
        w.exam_course = make_course(school_class, w.teacher, "Математика", 5)
        w._ex_class = school_class
    return w._ex_class


def maths(w) -> Subject:
    exam_class(w)
    return w.exam_course.subject


def add_result(w, *, actor=None, kind="oge", mark=4, exam_date=EXAM_DAY, received_on=RECEIVED, **kwargs):
    school_class = exam_class(w)
    return exam_services.exam_result_set(
        actor=actor or w.deputy,
        school_class=school_class,
        pupil=w.exam_pupil,
        subject=maths(w),
        kind=kind,
        exam_date=exam_date,
        received_on=received_on,
        primary_score=kwargs.pop("primary_score", 20),
        mark=mark,
        **kwargs,
    )


def own_class(w):
    return {"class_id": exam_class(w).pk}


def own_result(w):
    if not hasattr(w, "_ex_result"):
        w._ex_result = add_result(w)
    return {"result_id": w._ex_result.pk}


_fresh = {"n": 0}


def fresh_result(w):
    """A new result on every call: each role that may remove one removes its own."""
    _fresh["n"] += 1
    return {"result_id": add_result(w, exam_date=EXAM_DAY - datetime.timedelta(days=_fresh["n"])).pk}


def own_pupil(w):
    return {"pupil_id": w.pupil.pk}


def other_pupil(w):
    return {"pupil_id": w.other_pupil.pk}


# A grade-9 class's results: the administration and the class's teachers read them; the deputy, the admin and the
# subject's teacher enter them (R-E12); never a pupil or a parent, nor a colleague who does not teach the class.
CLASS_READERS = (*STAFF_READERS, "teacher")
ENTER = ("admin", "deputy", "teacher")

ROWS: dict[str, list[Case]] = {
    "gradebook:exam_results": [Case("the school's list", only(*STAFF_READERS))],
    "gradebook:class_exams": [Case("a grade 9 class", only(*CLASS_READERS) | OTHER_SCHOOL, kwargs=own_class)],
    "gradebook:exam_result_add": [
        Case(
            "empty form",
            only(*ENTER, ok=422) | OTHER_SCHOOL,
            kwargs=own_class,
            method="post",
        ),
    ],
    "gradebook:exam_result_edit": [
        Case("the form", only(*ENTER) | OTHER_SCHOOL, kwargs=own_result),
        Case("empty form", only(*ENTER, ok=422) | OTHER_SCHOOL, kwargs=own_result, method="post"),
    ],
    "gradebook:exam_result_delete": [
        Case("a result", only(*ENTER, ok=REDIRECT) | OTHER_SCHOOL, kwargs=fresh_result, method="post"),
    ],
    # R-E11: the commission's pages are the administration's; the deputy and the admin record.
    "gradebook:family_classes": [Case("the classes", only(*STAFF_READERS))],
    "gradebook:family_attestation": [
        Case("a class", only(*STAFF_READERS) | OTHER_SCHOOL, kwargs=lambda w: {"class_id": w.school_class.pk})
    ],
    "gradebook:family_attestation_record": [
        Case(
            "empty form",
            only("admin", "deputy", ok=422) | OTHER_SCHOOL,
            kwargs=lambda w: {"class_id": w.school_class.pk},
            method="post",
        ),
    ],
    # The family's tab: the diary's own scope (diary.view_diary): another family's child does not exist (404).
    "diary:exams": [
        Case("own pupil", only(*STAFF_READERS, "class_teacher", "pupil", "guardian") | OTHER_SCHOOL, kwargs=own_pupil),
        Case(
            "another class's pupil",
            only(*STAFF_READERS) | {"pupil": 404, "guardian": 404} | OTHER_SCHOOL,
            kwargs=other_pupil,
        ),
    ],
}

# R-E11: the admin sets a pupil's form of education where the class's enrollments are kept.
ROWS["schedule:pupil_education_form"] = [
    Case(
        "family education",
        only("admin", ok=REDIRECT) | OTHER_SCHOOL,
        kwargs=lambda w: {"class_id": w.school_class.pk},
        method="post",
        data=lambda w: {"pupil": w.pupil.pk, "form": "school"},
    ),
]
