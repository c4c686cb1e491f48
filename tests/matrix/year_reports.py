"""Permission-matrix rows of the period and year sheets, the medal sheet and the journal printout (issue 9, items 5
and 6; R-J13..R-J15): the readers (admin, director, deputy) every class and course; the class teacher (5А) their own
class's sheet and printouts; `teacher` (maths of 5А, tests/matrix/journal.py) their course's printout and the final
marks of 5А cut to their course; pupils and parents none; another school's teacher 404 for our objects."""

from . import REDIRECT, STAFF_READERS, Case, only
from .journal import journal_course

OTHER_SCHOOL = {"foreign_teacher": 404}
OWN_CLASS = (*STAFF_READERS, "class_teacher")


def own_class(w):
    journal_course(w)
    return {"class_id": w.school_class.pk}


def other_class(w):
    journal_course(w)
    return {"class_id": w.other_class.pk}


def own_course(w):
    return {"course_id": journal_course(w).pk}


ROWS: dict[str, list[Case]] = {
    "reports:year_reports": [
        Case("the index", only(*STAFF_READERS, "class_teacher", "teacher", "foreign_teacher")),
    ],
    "reports:final_marks": [
        Case("own class", only(*OWN_CLASS, "teacher") | OTHER_SCHOOL, kwargs=own_class),
        Case("another class", only(*STAFF_READERS) | OTHER_SCHOOL, kwargs=other_class),
        Case(
            "the year", only(*OWN_CLASS, "teacher") | OTHER_SCHOOL, kwargs=own_class, data=lambda w: {"period": "year"}
        ),
        Case("as PDF", only(*OWN_CLASS, "teacher") | OTHER_SCHOOL, kwargs=own_class, data=lambda w: {"format": "pdf"}),
        Case(
            "as XLSX", only(*OWN_CLASS, "teacher") | OTHER_SCHOOL, kwargs=own_class, data=lambda w: {"format": "xlsx"}
        ),
        Case(
            "a period that is no number",
            only(*OWN_CLASS, "teacher", ok=400) | OTHER_SCHOOL,
            kwargs=own_class,
            data=lambda w: {"period": "вторая"},
        ),
        Case(
            "a period that does not exist",
            only(*OWN_CLASS, "teacher", ok=404) | OTHER_SCHOOL,
            kwargs=own_class,
            data=lambda w: {"period": "999999"},
        ),
    ],
    "reports:medal_sheet": [
        Case("the sheet", only(*STAFF_READERS)),
        Case("as PDF", only(*STAFF_READERS), data=lambda w: {"format": "pdf"}),
    ],
    "reports:course_printout": [
        Case("own course, the year", only(*OWN_CLASS, "teacher") | OTHER_SCHOOL, kwargs=own_course),
        Case(
            "a period that is no number",
            only(*OWN_CLASS, "teacher", ok=400) | OTHER_SCHOOL,
            kwargs=own_course,
            data=lambda w: {"period": "x"},
        ),
    ],
    "reports:class_printout": [
        Case("own class: what will be printed", only(*OWN_CLASS) | OTHER_SCHOOL, kwargs=own_class),
        Case("another class", only(*STAFF_READERS) | OTHER_SCHOOL, kwargs=other_class),
        Case(
            "own class: start the job",
            only(*OWN_CLASS, ok=REDIRECT) | OTHER_SCHOOL,
            kwargs=own_class,
            method="post",
            data=lambda w: {"period": "year"},
        ),
    ],
}
