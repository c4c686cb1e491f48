"""Permission-matrix rows of issue 12's reports: user activity (R-J10), pupils' workload (R-J12), the files for the
school's website (R-J16) and the report for the governing council (R-J17). The readers (admin, director, deputy) open
every page; the deputy and the director publish (the admin reads only); teachers, class teachers, pupils and parents
get 403; another school's objects answer 404."""

import datetime

from reports.models import PublishedReport
from reports.publish import report_publish

from . import REDIRECT, STAFF_READERS, Case, only

RANGE = {"start": "2026-11-01", "end": "2026-11-30"}
PUBLISHERS = ("deputy", "director")


def own_published(w) -> dict:
    if not hasattr(w, "_i12_published"):
        w._i12_published = report_publish(
            actor=w.deputy,
            school=w.school,
            kind=PublishedReport.Kind.WORKLOAD,
            year=w.school_class.year,
            start=datetime.date(2026, 11, 16),
            end=datetime.date(2026, 11, 21),
            fmt=PublishedReport.Format.XLSX,
        )
    return {"report_id": w._i12_published.pk}


def foreign_published(w) -> dict:
    if not hasattr(w, "_i12_foreign"):
        w._i12_foreign = report_publish(
            actor=w.foreign_teacher,
            school=w.other_school,
            kind=PublishedReport.Kind.WORKLOAD,
            year=w.foreign_class.year,
            start=datetime.date(2026, 11, 16),
            end=datetime.date(2026, 11, 21),
            fmt=PublishedReport.Format.XLSX,
        )
    return {"report_id": w._i12_foreign.pk}


def foreign_year(w) -> dict:
    return {"year": w.foreign_class.year_id}


ROWS: dict[str, list[Case]] = {
    "reports:activity": [
        Case("this month", only(*STAFF_READERS)),
        Case("a range", only(*STAFF_READERS), data=lambda w: RANGE),
        Case("as XLSX", only(*STAFF_READERS), data=lambda w: RANGE | {"format": "xlsx"}),
        Case(
            "end before start",
            only(*STAFF_READERS, ok=422),
            data=lambda w: {"start": "2026-11-30", "end": "2026-11-01"},
        ),
    ],
    "reports:activity_staff": [
        Case("this month", only(*STAFF_READERS)),
        Case("as XLSX", only(*STAFF_READERS), data=lambda w: RANGE | {"format": "xlsx"}),
        Case("a date that is no date", only(*STAFF_READERS, ok=422), data=lambda w: {"start": "вчера", "end": "x"}),
    ],
    "reports:workload": [
        Case("this week", only(*STAFF_READERS)),
        Case("a chosen week as XLSX", only(*STAFF_READERS), data=lambda w: {"week": "2026-11-18", "format": "xlsx"}),
        Case("a date that is no date", only(*STAFF_READERS, ok=422), data=lambda w: {"week": "среда"}),
        Case("a week of no year", only(*STAFF_READERS, ok=422), data=lambda w: {"week": "2030-01-10"}),
    ],
    "reports:council_report": [
        Case("the current year", only(*STAFF_READERS)),
        Case("as PDF", only(*STAFF_READERS), data=lambda w: {"format": "pdf"}),
        Case("another school's year", only(*STAFF_READERS, ok=404), data=foreign_year),
        Case("a year that is no number", only(*STAFF_READERS, ok=404), data=lambda w: {"year": "2026/27"}),
    ],
    "reports:published": [Case("the list", only(*STAFF_READERS))],
    "reports:publish": [
        Case(
            "the activity as XLSX",
            only(*PUBLISHERS, ok=REDIRECT),
            method="post",
            data=lambda w: RANGE | {"kind": "activity", "fmt": "xlsx"},
        ),
        Case("empty form", only(*PUBLISHERS, ok=422), method="post"),
        Case("refuses GET", only(*PUBLISHERS, ok=405, default=405, anonymous=405)),
    ],
    "reports:published_download": [
        Case("own school's file", only(*STAFF_READERS), kwargs=own_published),
        Case("another school's file", only(*STAFF_READERS, ok=404), kwargs=foreign_published),
    ],
}
