"""Permission-matrix rows of journal control (fill rate, issue 9 item 1): the deputy, the director and the admin (read)
see every level, its drill-down lists and exports; teachers, class teachers, pupils and parents get 403; another
school's teacher gets 404 for this school's class or course. The school level is reports:control (tests/matrix/
foundation.py). The course is tests/matrix/journal.py's (maths of 5А taught by `teacher`)."""

from . import REDIRECT, STAFF_READERS, Case, only
from .journal import journal_course

OTHER_SCHOOL = {"foreign_teacher": 404}
RANGE = {"start": "2026-11-09", "end": "2026-11-17"}


def own_class(w):
    return {"class_id": w.school_class.pk}


def own_course(w):
    return {"course_id": journal_course(w).pk}


def course_query(what):
    return lambda w: RANGE | {"course": journal_course(w).pk, "what": what}


ROWS: dict[str, list[Case]] = {
    "reports:fill_rate_class": [
        Case("a class", only(*STAFF_READERS) | OTHER_SCHOOL, kwargs=own_class, data=lambda w: RANGE),
        Case(
            "end before start",
            only(*STAFF_READERS, ok=422) | OTHER_SCHOOL,
            kwargs=own_class,
            data=lambda w: {"start": "2026-11-17", "end": "2026-11-09"},
        ),
    ],
    "reports:fill_rate_course": [
        Case("a course", only(*STAFF_READERS) | OTHER_SCHOOL, kwargs=own_course, data=lambda w: RANGE),
    ],
    "reports:fill_rate_lessons": [
        Case("the school's lessons without a topic", only(*STAFF_READERS), data=lambda w: RANGE | {"what": "no_topic"}),
        Case("a course's lessons", only(*STAFF_READERS) | OTHER_SCHOOL, data=course_query("no_homework")),
    ],
    "reports:fill_rate_pupils": [
        Case("the school's pupils with no mark", only(*STAFF_READERS), data=lambda w: RANGE | {"what": "no_mark"}),
        Case(
            "a class's parents who did not open the diary",
            only(*STAFF_READERS) | OTHER_SCHOOL,
            data=lambda w: RANGE | {"class": w.school_class.pk, "what": "diary_guardians"},
        ),
        Case("a course's pupils", only(*STAFF_READERS) | OTHER_SCHOOL, data=course_query("one_mark")),
    ],
    "reports:fill_rate_export": [
        Case(
            "a class as XLSX",
            only(*STAFF_READERS) | OTHER_SCHOOL,
            data=lambda w: RANGE | {"class": w.school_class.pk, "format": "xlsx"},
        ),
        Case("the whole school is not direct", only(*STAFF_READERS, ok=400), data=lambda w: RANGE),
    ],
    "reports:fill_rate_export_start": [
        Case(
            "the whole school as XLSX, in the background",
            only(*STAFF_READERS, ok=REDIRECT),
            method="post",
            data=lambda w: RANGE | {"format": "xlsx"},
        ),
        Case("refuses GET", only(*STAFF_READERS, ok=405, default=405, anonymous=405)),
    ],
}
