"""Permission-matrix rows of the teaching-load pages (R-B05). `world` has no subjects or courses: the kwargs
callables make them."""

from tests.factories import make_course

from . import REDIRECT, STAFF_READERS, Case, only

OTHER_SCHOOL = {"foreign_teacher": 404}
EDITORS = ("admin", "deputy")


def course(w):
    if not hasattr(w, "_course"):
        w._course = make_course(w.school_class, w.teacher, "Математика", hours=4)
    return {"course_id": w._course.pk}


def fresh_course(w):
    """A new course on every call: each role that may delete one deletes its own."""
    return {"course_id": make_course(w.school_class, w.teacher, "Музыка", hours=1).pk}


def person(name):
    return lambda w: {"user_id": getattr(w, name).pk}


ROWS: dict[str, list[Case]] = {
    "schedule:course_list": [Case("the year's load", only(*STAFF_READERS))],
    "schedule:course_add": [Case("empty form", only(*EDITORS, ok=422), method="post")],
    "schedule:course_edit": [
        Case("a course of 5А", only(*EDITORS) | OTHER_SCHOOL, kwargs=course),
        Case("empty form", only(*EDITORS, ok=422) | OTHER_SCHOOL, kwargs=course, method="post"),
    ],
    "schedule:course_delete": [
        Case("a course without lessons", only(*EDITORS, ok=REDIRECT) | OTHER_SCHOOL, kwargs=fresh_course, method="post")
    ],
    "schedule:class_load": [
        Case(
            "own class",
            only(*STAFF_READERS, "class_teacher") | OTHER_SCHOOL,
            kwargs=lambda w: {"class_id": w.school_class.pk},
        ),
        Case("another class", only(*STAFF_READERS) | OTHER_SCHOOL, kwargs=lambda w: {"class_id": w.other_class.pk}),
    ],
    "schedule:teacher_load": [
        Case("the teacher's", only(*STAFF_READERS, "teacher") | OTHER_SCHOOL, kwargs=person("teacher")),
        Case(
            "the class teacher's", only(*STAFF_READERS, "class_teacher") | OTHER_SCHOOL, kwargs=person("class_teacher")
        ),
        Case("a teacher of another school", only("foreign_teacher", default=404), kwargs=person("foreign_teacher")),
        Case("not a teacher", only(default=404), kwargs=person("pupil")),
    ],
    "schedule:teacher_loads": [Case("every teacher", only(*STAFF_READERS))],
    "schedule:my_load": [Case("own load", only("class_teacher", "teacher", "foreign_teacher", ok=REDIRECT))],
}
