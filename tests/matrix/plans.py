"""Permission-matrix rows of thematic plans (R-C08, R-J07): a course of 5А taught by `teacher`, whose class teacher
is `class_teacher`; the teacher of another school gets 404 for it."""

from tests.factories import make_course

from . import REDIRECT, STAFF_READERS, Case, only

STAFF = (*STAFF_READERS, "class_teacher", "teacher", "foreign_teacher")
OTHER_SCHOOL = {"foreign_teacher": 404}
VIEWERS = (*STAFF_READERS, "class_teacher", "teacher")
CHANGERS = ("admin", "deputy", "teacher")


def course(w):
    if not hasattr(w, "_plan_course"):
        w._plan_course = make_course(w.school_class, w.teacher, "Математика", hours=4)
    return {"course_id": w._plan_course.pk}


ROWS: dict[str, list[Case]] = {
    "schedule:plan_list": [Case("the year's plans", only(*STAFF))],
    "schedule:plan_sample": [Case("the sample file", only(*STAFF))],
    "schedule:plan": [Case("a course of 5А", only(*VIEWERS) | OTHER_SCHOOL, kwargs=course)],
    "schedule:plan_export": [Case("a course of 5А", only(*VIEWERS) | OTHER_SCHOOL, kwargs=course)],
    "schedule:plan_upload": [
        Case("no file", only(*CHANGERS, ok=422) | OTHER_SCHOOL, kwargs=course, method="post"),
    ],
    "schedule:plan_confirm": [
        Case("no preview", only(*CHANGERS, ok=422) | OTHER_SCHOOL, kwargs=course, method="post"),
    ],
    "schedule:plan_apply": [
        Case("no plan yet", only(*CHANGERS, ok=REDIRECT) | OTHER_SCHOOL, kwargs=course, method="post"),
    ],
}
