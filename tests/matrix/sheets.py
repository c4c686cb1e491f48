"""Permission-matrix rows of the summary sheets (issue 9 item 2; R-I05, R-I06): a pupil's sheet for the pupil, their
guardian, the class teacher of 5А, the readers and `teacher` (who teaches maths of 5А: tests/matrix/journal.py); a
family asking for another child's sheet gets 404; another school's teacher gets 404 for every object. A class's
sheets and bundle for its class teacher, the readers and a subject teacher of the class. A bad range is a 400."""

from . import STAFF_READERS, Case, only
from .journal import journal_course

OTHER_SCHOOL = {"foreign_teacher": 404}
FAMILY_404 = {"pupil": 404, "guardian": 404}
BAD_RANGE = {"start": "2026-11-20", "end": "2026-11-10"}
ACROSS_PERIODS = {"start": "2026-10-20", "end": "2026-11-12"}


def own_pupil(w):
    journal_course(w)  # `teacher` teaches the pupil maths
    return {"pupil_id": w.pupil.pk}


def other_pupil(w):
    journal_course(w)
    return {"pupil_id": w.other_pupil.pk}


def own_class(w):
    journal_course(w)
    return {"class_id": w.school_class.pk}


def other_class(w):
    journal_course(w)
    return {"class_id": w.other_class.pk}


PUPIL_SEE = (*STAFF_READERS, "class_teacher", "teacher", "pupil", "guardian")
CLASS_SEE = (*STAFF_READERS, "class_teacher", "teacher")


def pupil_rows() -> list[Case]:
    return [
        Case("own pupil's sheet", only(*PUPIL_SEE) | OTHER_SCHOOL, kwargs=own_pupil),
        Case(
            "another class's pupil",
            only(*STAFF_READERS) | FAMILY_404 | OTHER_SCHOOL,
            kwargs=other_pupil,
        ),
        Case("end before start", only(*PUPIL_SEE, ok=400) | OTHER_SCHOOL, kwargs=own_pupil, data=lambda w: BAD_RANGE),
        Case(
            "a range across two periods",
            only(*PUPIL_SEE, ok=400) | OTHER_SCHOOL,
            kwargs=own_pupil,
            data=lambda w: ACROSS_PERIODS,
        ),
        Case(
            "not a pupil's id",
            only(ok=404, default=404) | {"foreign_teacher": 404},
            kwargs=lambda w: {"pupil_id": w.teacher.pk},
        ),
    ]


def class_rows() -> list[Case]:
    return [
        Case("own class", only(*CLASS_SEE) | OTHER_SCHOOL, kwargs=own_class),
        Case("another class", only(*STAFF_READERS) | OTHER_SCHOOL, kwargs=other_class),
        Case("end before start", only(*CLASS_SEE, ok=400) | OTHER_SCHOOL, kwargs=own_class, data=lambda w: BAD_RANGE),
        Case(
            "another school's class",
            only(default=404) | {"foreign_teacher": 200},
            kwargs=lambda w: {"class_id": w.foreign_class.pk},
        ),
    ]


ROWS: dict[str, list[Case]] = {
    "reports:pupil_sheet": pupil_rows(),
    "reports:pupil_sheet_pdf": pupil_rows(),
    "reports:class_sheets": class_rows(),
    "reports:class_sheets_pdf": class_rows(),
}
