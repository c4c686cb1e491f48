"""Permission-matrix rows of the year archive (issue 10 item 3; R-K04, R-K05): the admin, the director and the deputy
see the school's years with their archives and download them; the admin and the director start a build (a
background job: a redirect to its page); teachers, class teachers, pupils and parents get 403; another school's
year is 404 to everybody of this school, and this school's year is 404 to another school's teacher."""

import datetime

from django.core.files.base import ContentFile

from accounts.models import School
from ejournal.clock import now
from reports.models import ReportJob
from schedule.models import AcademicYear
from schedule.services import years as year_services

from . import REDIRECT, STAFF_READERS, Case, only

BUILDERS = ("admin", "director")


def closed_year_of(school: School) -> AcademicYear:
    """The school's previous year, 2025/2026, closed."""
    year = AcademicYear.objects.filter(school=school, name="2025/2026").first()
    if year is None:
        year = year_services.academic_year_create(
            actor=None,
            school=school,
            name="2025/2026",
            start=datetime.date(2025, 9, 1),
            end=datetime.date(2026, 8, 31),
        )
        # Closed by the director's order (year_close opens the next year, which the world already has).
        closed = {"is_archived": True, "closing_order": "№ 1 от 31.08.2026", "closed_at": now()}
        AcademicYear.objects.filter(pk=year.pk).update(**closed)
        year.refresh_from_db()
    return year


def closed_year(w) -> dict:
    return {"year_id": closed_year_of(w.school).pk}


def foreign_closed_year(w) -> dict:
    return {"year_id": closed_year_of(w.other_school).pk}


def built_archive(w) -> dict:
    year = closed_year_of(w.school)
    if not ReportJob.objects.filter(school=w.school, kind="year_archive", params__year_id=year.pk).exists():
        job = ReportJob.objects.create(
            school=w.school,
            kind="year_archive",
            params={"year_id": year.pk},
            title="Архив 2025/2026 учебного года",
            requested_by=w.admin,
            created_at=now(),
            state=ReportJob.State.DONE,
            filename="archive-2025-2026.zip",
            content_type="application/zip",
            finished_at=now(),
        )
        job.file.save("archive-2025-2026.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=True)
    return {"year_id": year.pk}


OTHER_SCHOOL = {"foreign_teacher": 404}
NOT_OURS = only(default=404) | {"foreign_teacher": 403}

ROWS: dict[str, list[Case]] = {
    "audit:archive": [Case("the school's years", only(*STAFF_READERS))],
    "audit:archive_build": [
        Case("a closed year", only(*BUILDERS, ok=REDIRECT) | OTHER_SCHOOL, method="post", kwargs=closed_year),
        Case("another school's closed year", NOT_OURS, method="post", kwargs=foreign_closed_year),
    ],
    "audit:archive_download": [
        Case("a built archive", only(*STAFF_READERS) | OTHER_SCHOOL, kwargs=built_archive),
    ],
}
