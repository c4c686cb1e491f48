"""Permission-matrix rows of the portfolios (R-I14; R-A03, R-A06, R-A07). The builders are shared with
tests/portfolio/: `teacher` teaches maths to 5А (so they write in its pupils' portfolios), the class teacher of 5А has
entered one achievement of `pupil` with a scan, `other_teacher` one of `other_pupil` (5Б)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from portfolio import services
from portfolio.models import Achievement
from tests.factories import make_course

from . import REDIRECT, STAFF_READERS, Case, only

OTHER_SCHOOL = {"foreign_teacher": 404}
PDF = b"%PDF-1.4 a diploma"
WON = datetime.date(2026, 10, 20)


def teaching(w):
    """Maths of 5А taught by `teacher`."""
    if not hasattr(w, "_pf_course"):
        w._pf_course = make_course(w.school_class, w.teacher, "Математика", 5)
    return w._pf_course


def scan_file(name: str = "диплом.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def add(w, author, pupil, title="Олимпиада по математике", scan=True, **kwargs) -> Achievement:
    fields = {
        "kind": Achievement.Kind.OLYMPIAD,
        "level": Achievement.Level.MUNICIPAL,
        "result": Achievement.Result.PRIZE_WINNER,
        "date": WON,
        "result_note": "2 место",
    } | kwargs
    return services.achievement_add(
        actor=author, school=w.school, pupil=pupil, title=title, scan=scan_file() if scan else None, **fields
    )


def own_entry(w) -> Achievement:
    if not hasattr(w, "_pf_own"):
        teaching(w)
        w._pf_own = add(w, w.class_teacher, w.pupil)
    return w._pf_own


def other_entry(w) -> Achievement:
    if not hasattr(w, "_pf_other"):
        w._pf_other = add(w, w.other_teacher, w.other_pupil, title="Конкурс чтецов", kind=Achievement.Kind.CONTEST)
    return w._pf_other


def own_pupil(w):
    teaching(w)
    return {"pupil_id": w.pupil.pk}


def other_pupil(w):
    teaching(w)
    return {"pupil_id": w.other_pupil.pk}


def foreign_pupil(w):
    return {"pupil_id": w.foreign_pupil.pk}


def own_scan(w):
    return {"pupil_id": w.pupil.pk, "achievement_id": own_entry(w).pk}


def other_scan(w):
    teaching(w)
    return {"pupil_id": w.other_pupil.pk, "achievement_id": other_entry(w).pk}


def other_scan_under_own_pupil(w):
    """Another pupil's entry asked for under the own child's path."""
    teaching(w)
    return {"pupil_id": w.pupil.pk, "achievement_id": other_entry(w).pk}


def own_achievement(w):
    return {"achievement_id": own_entry(w).pk}


def other_achievement(w):
    teaching(w)
    return {"achievement_id": other_entry(w).pk}


def fresh_own_achievement(w):
    """A new entry on every call: each role that may remove one removes its own."""
    teaching(w)
    return {"achievement_id": add(w, w.class_teacher, w.pupil, title="Удаляемая запись", scan=False).pk}


def fresh_other_achievement(w):
    teaching(w)
    return {"achievement_id": add(w, w.other_teacher, w.other_pupil, title="Удаляемая запись 5Б", scan=False).pk}


def own_class(w):
    teaching(w)
    return {"class_id": w.school_class.pk}


def other_class(w):
    teaching(w)
    return {"class_id": w.other_class.pk}


# Who writes in 5А's pupils' portfolios: the admin and the deputy, 5А's class teacher, a teacher of 5А.
WRITERS = ("admin", "deputy", "class_teacher", "teacher")
READ_OWN = only(*STAFF_READERS, "class_teacher", "teacher", "pupil", "guardian") | OTHER_SCHOOL
READ_OTHER = only(*STAFF_READERS) | {"pupil": 404, "guardian": 404} | OTHER_SCHOOL
# The foreign teacher leads 5А of their own school, where the foreign pupil is: theirs to read and to write.
FOREIGN = only(default=404) | {"foreign_teacher": 200}

ROWS: dict[str, list[Case]] = {
    "portfolio:pupil": [
        Case("own pupil", READ_OWN, kwargs=own_pupil),
        Case("another class's pupil", READ_OTHER, kwargs=other_pupil),
        Case("another school's pupil", FOREIGN, kwargs=foreign_pupil),
    ],
    "portfolio:achievement_new": [
        Case("form", only(*WRITERS) | OTHER_SCHOOL, kwargs=own_pupil),
        Case("empty form", only(*WRITERS, ok=422) | OTHER_SCHOOL, kwargs=own_pupil, method="post"),
        Case(
            "another class's pupil",
            only("admin", "deputy") | {"pupil": 404, "guardian": 404} | OTHER_SCHOOL,
            kwargs=other_pupil,
        ),
        Case("another school's pupil", FOREIGN, kwargs=foreign_pupil),
    ],
    "portfolio:scan": [
        Case("own pupil's scan", READ_OWN, kwargs=own_scan),
        Case("another class's pupil's scan", READ_OTHER, kwargs=other_scan),
        Case(
            "another pupil's entry under the own pupil",
            only(default=404),
            kwargs=other_scan_under_own_pupil,
        ),
    ],
    "portfolio:achievement_edit": [
        Case("own pupil's entry", only(*WRITERS) | OTHER_SCHOOL, kwargs=own_achievement),
        Case("empty form", only(*WRITERS, ok=422) | OTHER_SCHOOL, kwargs=own_achievement, method="post"),
        Case("another class's entry", only("admin", "deputy") | OTHER_SCHOOL, kwargs=other_achievement),
    ],
    "portfolio:achievement_delete": [
        Case(
            "own pupil's entry",
            only(*WRITERS, ok=REDIRECT) | OTHER_SCHOOL,
            kwargs=fresh_own_achievement,
            method="post",
        ),
        Case(
            "another class's entry",
            only("admin", "deputy", ok=REDIRECT) | OTHER_SCHOOL,
            kwargs=fresh_other_achievement,
            method="post",
        ),
    ],
    # The report: the administration's; every teacher opens it for their own classes (the foreign teacher in their
    # own school).
    "portfolio:report": [Case("report", only(*STAFF_READERS, "class_teacher", "teacher", "foreign_teacher"))],
    "portfolio:class": [
        Case("own class", only(*STAFF_READERS, "class_teacher", "teacher") | OTHER_SCHOOL, kwargs=own_class),
        Case("another class", only(*STAFF_READERS) | OTHER_SCHOOL, kwargs=other_class),
    ],
}
