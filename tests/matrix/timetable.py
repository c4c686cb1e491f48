"""Permission-matrix rows of the timetable: the class editor and its writes (R-C01), the weeks of a class, a teacher
and a room, and their PDFs. The staff read every timetable; the admin edits, the deputy and the class teacher (own
class) where the school's settings allow (on by default)."""

import datetime

from schedule.services import timetable
from tests.factories import make_course

from . import STAFF_READERS, Case, only

OTHER_SCHOOL = {"foreign_teacher": 404}
STAFF = (*STAFF_READERS, "class_teacher", "teacher")
EDITORS = ("admin", "deputy", "class_teacher")


def own_class(w):
    return {"class_id": w.school_class.pk}


def other_class(w):
    return {"class_id": w.other_class.pk}


def entry(w):
    """An entry of 5А's maths on Monday, lesson 1."""
    if not hasattr(w, "_entry"):
        course = make_course(w.school_class, w.teacher, "Математика", hours=4)
        w._entry = timetable.timetable_entry_add(
            actor=None, course=course, weekday=1, number=1, valid_from=datetime.date(2026, 9, 1)
        )
    return {"entry_id": w._entry.pk}


def person(name):
    return lambda w: {"user_id": getattr(w, name).pk}


def a_room(w):
    return {"room": "12"}


# A staff member opens any timetable of their own school; the foreign teacher's own school has no such class.
READ_OWN = only(*STAFF) | OTHER_SCHOOL
# Pages without an object: every staff member, the foreign teacher included (their own school's, empty).
READ_ANY = only(*STAFF, "foreign_teacher")

ROWS: dict[str, list[Case]] = {
    "schedule:timetable_index": [Case("every class, teacher and room", READ_ANY)],
    "schedule:timetable_class": [
        Case("5А's editor", READ_OWN, kwargs=own_class),
        Case("5Б's editor", READ_OWN, kwargs=other_class),
    ],
    "schedule:timetable_entry_add": [
        Case("empty form for 5А", only(*EDITORS, ok=422) | OTHER_SCHOOL, kwargs=own_class, method="post"),
        Case("empty form for 5Б", only("admin", "deputy", ok=422) | OTHER_SCHOOL, kwargs=other_class, method="post"),
    ],
    "schedule:timetable_entry_change": [
        Case("empty form for 5А's entry", only(*EDITORS, ok=422) | OTHER_SCHOOL, kwargs=entry, method="post")
    ],
    "schedule:timetable_entry_end": [
        Case("empty form for 5А's entry", only(*EDITORS, ok=422) | OTHER_SCHOOL, kwargs=entry, method="post")
    ],
    "schedule:week_class": [Case("5А's week", READ_OWN, kwargs=own_class)],
    "schedule:week_class_pdf": [Case("5А's week", READ_OWN, kwargs=own_class)],
    "schedule:week_teacher": [
        Case("a teacher's week", READ_OWN, kwargs=person("teacher")),
        Case("not a teacher", only(default=404) | {"pupil": 403, "guardian": 403}, kwargs=person("pupil")),
    ],
    "schedule:week_teacher_pdf": [Case("a teacher's week", READ_OWN, kwargs=person("teacher"))],
    "schedule:week_room": [
        Case("the room picker", READ_ANY),
        Case("room 12", READ_ANY, data=a_room),
    ],
    "schedule:week_room_pdf": [Case("room 12", READ_ANY, data=a_room)],
}
