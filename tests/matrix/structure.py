"""Permission-matrix rows of the year's structure: years, periods, holidays, bells, subjects, work types and the
school's time rules (R-A02: the admin writes; the director and the deputy read)."""

import datetime
import itertools

from gradebook import services as gradebook_services
from schedule.models import AcademicYear
from schedule.services import years as year_services

from . import REDIRECT, STAFF_READERS, Case, only

D = datetime.date
OTHER_SCHOOL = {"foreign_teacher": 404}
# Another school's object: 404 for everyone here; its own teacher is no reader of the set-up (403).
FOREIGN = only(default=404) | {"foreign_teacher": 403}
_n = itertools.count(1)


def year(w):
    return {"year_id": w.school_class.year_id}


def foreign_year(w):
    return {"year_id": w.foreign_class.year_id}


def _period(y: AcademicYear, grade: int):
    return year_services.period_create(
        actor=None, year=y, kind="quarter", number=1, start=D(2026, 9, 1), end=D(2026, 10, 30), grade_from=grade,
        grade_to=grade,
    )  # fmt: skip


def period(w):
    """A fresh period on each call: a delete by one role must not change what the next role sees."""
    return {"period_id": _period(w.school_class.year, next(_n) % 11 + 1).pk}


def foreign_period(w):
    return {"period_id": _period(w.foreign_class.year, next(_n) % 11 + 1).pk}


def _holiday(y: AcademicYear):
    day = D(2027, 6, 1) + datetime.timedelta(days=next(_n) % 80)
    return year_services.holiday_create(actor=None, year=y, name="Каникулы", start=day, end=day)


def holiday(w):
    return {"holiday_id": _holiday(w.school_class.year).pk}


def foreign_holiday(w):
    return {"holiday_id": _holiday(w.foreign_class.year).pk}


def bells(w):
    return {"schedule_id": year_services.bell_schedule_create(actor=None, school=w.school, name=f"Смена {next(_n)}").pk}


def foreign_bells(w):
    s = year_services.bell_schedule_create(actor=None, school=w.other_school, name=f"Смена {next(_n)}")
    return {"schedule_id": s.pk}


def subject(w):
    return {"subject_id": year_services.subject_create(actor=None, school=w.school, name=f"Предмет {next(_n)}").pk}


def foreign_subject(w):
    return {
        "subject_id": year_services.subject_create(actor=None, school=w.other_school, name=f"Предмет {next(_n)}").pk
    }


def work_type(w):
    wt = gradebook_services.work_type_create(actor=None, school=w.school, name=f"Работа {next(_n)}")
    return {"work_type_id": wt.pk}


def foreign_work_type(w):
    wt = gradebook_services.work_type_create(actor=None, school=w.other_school, name=f"Работа {next(_n)}")
    return {"work_type_id": wt.pk}


ADMIN_FORM = only("admin")
ADMIN_FORM_HERE = only("admin") | OTHER_SCHOOL
ADMIN_POST = only("admin", ok=REDIRECT)
ADMIN_POST_HERE = only("admin", ok=REDIRECT) | OTHER_SCHOOL

ROWS: dict[str, list[Case]] = {
    "schedule:structure": [Case("index", only(*STAFF_READERS))],
    "schedule:year_list": [Case("list", only(*STAFF_READERS))],
    "schedule:year_add": [Case("form", ADMIN_FORM), Case("empty form", only("admin", ok=422), method="post")],
    "schedule:year_detail": [
        Case("own year", only(*STAFF_READERS) | OTHER_SCHOOL, kwargs=year),
        Case("another school's year", FOREIGN, kwargs=foreign_year),
    ],
    "schedule:year_edit": [
        Case("own year", ADMIN_FORM_HERE, kwargs=year),
        Case("empty form", only("admin", ok=422) | OTHER_SCHOOL, kwargs=year, method="post"),
        Case("another school's year", FOREIGN, kwargs=foreign_year),
    ],
    # The world's year has classes: the admin's delete is refused with a message and a redirect.
    "schedule:year_delete": [
        Case("own year", ADMIN_POST_HERE, kwargs=year, method="post"),
        Case("another school's year", FOREIGN, kwargs=foreign_year, method="post"),
    ],
    "schedule:year_fill_usual": [
        Case("own year", ADMIN_POST_HERE, kwargs=year, method="post"),
        Case("another school's year", FOREIGN, kwargs=foreign_year, method="post"),
    ],
    "schedule:period_add": [
        Case("own year", ADMIN_FORM_HERE, kwargs=year),
        Case("another school's year", FOREIGN, kwargs=foreign_year),
    ],
    "schedule:period_edit": [
        Case("own period", ADMIN_FORM_HERE, kwargs=period),
        Case("another school's period", FOREIGN, kwargs=foreign_period),
    ],
    "schedule:period_delete": [
        Case("own period", ADMIN_POST_HERE, kwargs=period, method="post"),
        Case("another school's period", FOREIGN, kwargs=foreign_period, method="post"),
    ],
    "schedule:holiday_add": [
        Case("own year", ADMIN_FORM_HERE, kwargs=year),
        Case("another school's year", FOREIGN, kwargs=foreign_year),
    ],
    "schedule:holiday_edit": [
        Case("own holidays", ADMIN_FORM_HERE, kwargs=holiday),
        Case("another school's holidays", FOREIGN, kwargs=foreign_holiday),
    ],
    "schedule:holiday_delete": [
        Case("own holidays", ADMIN_POST_HERE, kwargs=holiday, method="post"),
        Case("another school's holidays", FOREIGN, kwargs=foreign_holiday, method="post"),
    ],
    "schedule:bell_list": [Case("list", only(*STAFF_READERS))],
    "schedule:bell_schedule_add": [
        Case("form", ADMIN_FORM),
        Case("empty form", only("admin", ok=422), method="post"),
    ],
    "schedule:bells_edit": [
        Case("own schedule", ADMIN_FORM_HERE, kwargs=bells),
        Case("another school's schedule", FOREIGN, kwargs=foreign_bells),
    ],
    "schedule:bell_schedule_rename": [
        Case("own schedule", ADMIN_FORM_HERE, kwargs=bells),
        Case("another school's schedule", FOREIGN, kwargs=foreign_bells),
    ],
    "schedule:bell_schedule_delete": [
        Case("own schedule", ADMIN_POST_HERE, kwargs=bells, method="post"),
        Case("another school's schedule", FOREIGN, kwargs=foreign_bells, method="post"),
    ],
    "schedule:subject_list": [Case("list", only(*STAFF_READERS))],
    "schedule:subject_add": [Case("form", ADMIN_FORM), Case("empty form", only("admin", ok=422), method="post")],
    "schedule:subject_edit": [
        Case("own subject", ADMIN_FORM_HERE, kwargs=subject),
        Case("another school's subject", FOREIGN, kwargs=foreign_subject),
    ],
    "schedule:subject_delete": [
        Case("own subject", ADMIN_POST_HERE, kwargs=subject, method="post"),
        Case("another school's subject", FOREIGN, kwargs=foreign_subject, method="post"),
    ],
    "gradebook:worktype_list": [Case("list", only(*STAFF_READERS))],
    "gradebook:worktype_add": [Case("form", ADMIN_FORM), Case("empty form", only("admin", ok=422), method="post")],
    "gradebook:worktype_add_usual": [Case("one click", ADMIN_POST, method="post")],
    "gradebook:worktype_edit": [
        Case("own work type", ADMIN_FORM_HERE, kwargs=work_type),
        Case("another school's work type", FOREIGN, kwargs=foreign_work_type),
    ],
    "gradebook:worktype_delete": [
        Case("own work type", ADMIN_POST_HERE, kwargs=work_type, method="post"),
        Case("another school's work type", FOREIGN, kwargs=foreign_work_type, method="post"),
    ],
    "accounts:rules": [
        Case("read or edit", only(*STAFF_READERS)),
        Case("change", only("admin", ok=REDIRECT), method="post", data=lambda w: _rules_data()),
    ],
}


def _rules_data() -> dict:
    """The defaults, as the form posts them."""
    return {
        "mark_entry_days": 2, "edit_window_days": 14, "homework_entry_hours": 4, "period_mark_entry_days": 3,
        "period_mark_edit_days": 14, "lock_journal_after_period_mark": "on", "forbid_two_as_year_mark": "on",
        "min_marks_one_hour": 3, "min_marks_more_hours": 5, "rounding_threshold": "0,50", "appeal_days": 3,
        "diary_silence_days": 14, "mark_digest_hour": 18, "weekly_sheets_hour": 7, "preliminary_report_days": 14,
        "medal_max_fours": 0,
        "class_teacher_splits_groups": "on", "deputy_splits_groups": "on",
        "deputy_edits_timetable": "on", "class_teacher_edits_timetable": "on",
        "session_idle_minutes": 30, "audit_retention_days": 1095,
    }  # fmt: skip
