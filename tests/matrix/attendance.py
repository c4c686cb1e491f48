"""Permission-matrix rows of attendance: the class's day (R-H04), one pupil's mark on a lesson (R-H01), notices of
several days (R-H03, R-H05). Pupils and guardians never write (R-A06)."""

import datetime

from attendance.models import Absence, AbsenceNotice
from ejournal.clock import now

from . import STAFF_READERS, Case, only
from .lessons import OTHER_SCHOOL, cancelled_lesson, lesson, lesson_on, own_lesson

OLD_DAY = datetime.date(2026, 10, 13)  # a Tuesday whose edit window (14 days) closed before the frozen day


def own_class(w):
    return {"class_id": w.school_class.pk}


def old_notice(w):
    """A notice of 5А's pupil with its absence on a lesson closed for changes: deleting it is refused (R-D03)."""
    if not hasattr(w, "_at_old_notice"):
        old = lesson_on(w, OLD_DAY)
        notice = AbsenceNotice.objects.create(
            school=w.school,
            pupil=w.pupil,
            school_class=w.school_class,
            start=OLD_DAY,
            end=OLD_DAY,
            code="ill",
            reason="ОРВИ",
            document="справка № 1",
            author=w.class_teacher,
            created_at=now(),
        )
        Absence.objects.create(
            school=w.school,
            lesson=old,
            pupil=w.pupil,
            code="ill",
            notice=notice,
            author=w.class_teacher,
            created_at=now(),
            updated_at=now(),
        )
        w._at_old_notice = notice
    return {"notice_id": w._at_old_notice.pk}


# A lesson's attendance: its teacher (R-H01), 5А's class teacher (R-H04), the admin.
MARKERS = ("admin", "teacher", "class_teacher")
# Notices: 5А's class teacher and the admin (R-H03).
NOTICE_KEEPERS = ("admin", "class_teacher")

ROWS: dict[str, list[Case]] = {
    "attendance:class_day": [
        Case("5А today", only(*STAFF_READERS, "class_teacher") | OTHER_SCHOOL, kwargs=own_class),
        Case(
            "5А on a day with lessons",
            only(*STAFF_READERS, "class_teacher") | OTHER_SCHOOL,
            kwargs=own_class,
            data=lambda w: {"date": str(lesson(w).date)},
        ),
        Case(
            "5Б is not the class teacher's",
            only(*STAFF_READERS) | OTHER_SCHOOL,
            kwargs=lambda w: {"class_id": w.other_class.pk},
        ),
    ],
    "attendance:absence_set": [
        Case("empty form", only(*MARKERS, ok=422) | OTHER_SCHOOL, kwargs=own_lesson, method="post"),
        Case(
            "a cancelled lesson takes no attendance (R-C05)",
            only() | OTHER_SCHOOL,
            kwargs=lambda w: {"lesson_id": cancelled_lesson(w).pk},
            method="post",
            data=lambda w: {"pupil": w.pupil.pk, "code": "absent"},
        ),
    ],
    "attendance:absence_clear": [
        Case("empty form", only(*MARKERS, ok=422) | OTHER_SCHOOL, kwargs=own_lesson, method="post"),
    ],
    "attendance:notice_add": [
        Case("empty form", only(*NOTICE_KEEPERS, ok=422) | OTHER_SCHOOL, kwargs=own_class, method="post"),
    ],
    "attendance:notice_delete": [
        Case(
            "a notice closed for changes (R-D03)",
            only(*NOTICE_KEEPERS, ok=422) | OTHER_SCHOOL,
            kwargs=old_notice,
            method="post",
        ),
    ],
}
