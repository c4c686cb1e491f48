"""Permission-matrix rows of the class reports and the risk list (issue 9, items 4 and 7): the readers (admin,
director, deputy) every class and the whole school; the class teacher their own class (5А); a subject teacher
the performance and attendance of a class where they teach (`teacher` teaches maths of 5А, tests/matrix/journal.py),
cut to their courses; pupils and parents none; another school's teacher 404 for our classes."""

from . import REDIRECT, STAFF_READERS, Case, only
from .journal import journal_course

OTHER_SCHOOL = {"foreign_teacher": 404}
# Who reads a whole class's reports of 5А, and who reads them cut to their own courses.
OWN_CLASS = (*STAFF_READERS, "class_teacher")


def own_class(w):
    journal_course(w)  # `teacher` teaches maths of 5А
    return {"class_id": w.school_class.pk}


def other_class(w):
    journal_course(w)
    return {"class_id": w.other_class.pk}


def report_rows(extra: dict | None = None) -> list[Case]:
    cases = [
        Case("own class, the current period", only(*OWN_CLASS, "teacher") | OTHER_SCHOOL, kwargs=own_class),
        Case("another class of the school", only(*STAFF_READERS) | OTHER_SCHOOL, kwargs=other_class),
        Case(
            "as PDF",
            only(*OWN_CLASS, "teacher") | OTHER_SCHOOL,
            kwargs=own_class,
            data=lambda w: {"format": "pdf"},
        ),
        Case(
            "as XLSX",
            only(*OWN_CLASS, "teacher") | OTHER_SCHOOL,
            kwargs=own_class,
            data=lambda w: {"format": "xlsx"},
        ),
    ]
    for label, data, ok in (extra or {}).values():
        cases.append(Case(label, only(*OWN_CLASS, "teacher", ok=ok) | OTHER_SCHOOL, kwargs=own_class, data=data))
    return cases


ROWS: dict[str, list[Case]] = {
    "reports:class_reports": [
        Case("the current period", only(*STAFF_READERS, "class_teacher", "teacher", "foreign_teacher")),
        Case(
            "the year",
            only(*STAFF_READERS, "class_teacher", "teacher", "foreign_teacher"),
            data=lambda w: {"period": "year"},
        ),
    ],
    "reports:class_reports_export": [
        Case("every class", only(*STAFF_READERS, ok=REDIRECT), method="post", data=lambda w: {"period": "year"}),
    ],
    "reports:class_performance": report_rows(
        {
            "year": ("the year", lambda w: {"period": "year"}, 200),
            "bad": ("a period that is not a number", lambda w: {"period": "второй"}, 400),
        }
    ),
    "reports:class_attendance": report_rows(
        {
            "range": ("a range of dates", lambda w: {"start": "01.11.2026", "end": "17.11.2026"}, 200),
            "reversed": ("the end before the start", lambda w: {"start": "2026-11-17", "end": "2026-11-01"}, 400),
            "bad": ("a date that is no date", lambda w: {"start": "31.02.2026", "end": "17.11.2026"}, 400),
        }
    ),
    # The class teacher's page is their own class's; another school's class teacher sees their own class.
    "reports:risk": [
        Case("no class chosen", only(*STAFF_READERS, "class_teacher", "foreign_teacher")),
        Case(
            "own class",
            only(*STAFF_READERS, "class_teacher") | OTHER_SCHOOL,
            data=lambda w: {"class": w.school_class.pk},
        ),
        Case("another class", only(*STAFF_READERS) | OTHER_SCHOOL, data=lambda w: {"class": w.other_class.pk}),
        Case(
            "own class as XLSX",
            only(*STAFF_READERS, "class_teacher") | OTHER_SCHOOL,
            data=lambda w: {"class": w.school_class.pk, "format": "xlsx"},
        ),
        Case(
            "own class as PDF",
            only(*STAFF_READERS, "class_teacher") | OTHER_SCHOOL,
            data=lambda w: {"class": w.school_class.pk, "format": "pdf"},
        ),
        Case(
            "parameters out of range",
            only(*STAFF_READERS, "class_teacher", "foreign_teacher", ok=400),
            data=lambda w: {"threshold": "0", "step": "x"},
        ),
    ],
    "reports:risk_export": [
        Case(
            "the whole school's list",
            only(*STAFF_READERS, ok=REDIRECT),
            method="post",
            data=lambda w: {"format": "xlsx"},
        ),
    ],
}
