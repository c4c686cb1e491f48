"""The year archive's background build (issue 10 item 3): a report job of kind `year_archive` (reports/jobs.py), so
that the page shows its progress and the task stores the file like any other report. Registered on import
(audit/tasks.py for the worker, audit/views_archive.py for the pages)."""

import os
import tempfile

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.access import access
from reports.jobs import Built, JobRefused, job_builder
from schedule.models import AcademicYear

from .archive import CONTENT_TYPE, KIND, archive_filename, archive_write


@job_builder(KIND)
def build_year_archive(job, progress) -> Built:
    """Re-authorises the person who asked (a role may have been taken away since), then writes the ZIP into a
    temporary file that the job stores and deletes."""
    user, school = job.requested_by, job.school
    access(user).active_school_id = school.pk
    year = AcademicYear.objects.filter(school=school, pk=job.params.get("year_id")).select_related("school").first()
    if not user.is_active or not user.has_perm("audit.build_archive", year or school):
        raise JobRefused(_("You may no longer build the year's archive."))
    if year is None or not year.is_archived:
        raise JobRefused(_("The year's archive is built only for a closed year."))
    handle, path = tempfile.mkstemp(prefix="year-archive-", suffix=".zip")
    try:
        # The archive is the school's record in its own language, whoever's browser asked for it.
        with os.fdopen(handle, "wb") as stream, translation.override(settings.LANGUAGE_CODE):
            archive_write(year=year, user=user, stream=stream, progress=progress)
    except BaseException:
        os.unlink(path)
        raise
    return Built(content=b"", filename=archive_filename(year), content_type=CONTENT_TYPE, path=path)
