"""Writing a checked file: all or nothing, through the services, in a number of queries that does not grow with the
rows (one bulk creation of people with their consents, one enrollment per class, one bulk of links)."""

from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import services as accounts_services
from accounts.models import ImportJob, School, User
from accounts.services import AccountsError
from audit.log import record
from ejournal.clock import now

from ..services import classes as class_services
from .checking import Report, check


@transaction.atomic
def import_upload(*, actor: User, school: School, kind: str, filename: str, content: bytes) -> tuple[ImportJob, Report]:
    """Keep an uploaded file with its check; nothing of its people is written yet."""
    if kind not in ImportJob.Kind.values:
        raise AccountsError(_("Unknown kind of import."))
    report = check(school=school, kind=kind, content=content)
    job = ImportJob.objects.create(
        school=school,
        kind=kind,
        filename=filename[-300:],
        content=content,
        status=ImportJob.Status.REFUSED if report.errors else ImportJob.Status.PREVIEW,
        result=report.counts(),
        created_by=actor,
    )
    record(actor=actor, school=school, action="accounts.import.uploaded", obj=job, data={"kind": kind, **job.result})
    return job, report


@transaction.atomic
def import_apply(*, actor: User, school: School, job: ImportJob) -> Report:
    """Check the stored file again and write it, or write nothing: a file with any error is refused whole.

    The returned report says which; a file already applied cannot be applied again (a new upload of the same file
    finds everyone already there and writes nothing)."""
    # Two imports of one school run one after the other: each checks what the other may just have written.
    # FOR NO KEY UPDATE does not hold up the school's other writes (their foreign keys take KEY SHARE).
    list(School.objects.select_for_update(no_key=True).filter(pk=school.pk).values_list("pk", flat=True))
    job = ImportJob.objects.select_for_update().get(pk=job.pk, school=school)
    if job.status == ImportJob.Status.APPLIED:
        raise AccountsError(_("This import is already applied."))
    report = check(school=school, kind=job.kind, content=bytes(job.content))
    if report.errors:
        job.status, job.result = ImportJob.Status.REFUSED, report.counts()
        job.save(update_fields=["status", "result"])
        return report

    new = [p for p in report.people if p.is_new]
    if new:
        users = accounts_services.people_create(actor=actor, school=school, people=[p.new_person() for p in new])
        for person, user in zip(new, users, strict=True):
            person.user = user
    for person, role in report.grants:
        accounts_services.role_grant(actor=actor, school=school, user=person.user, role=role)
    by_class = defaultdict(list)
    for pupil, school_class in report.enrollments:
        by_class[school_class].append(pupil.user)
    for school_class, pupils in by_class.items():
        class_services.pupils_enroll(actor=actor, school_class=school_class, pupils=pupils, since=report.since)
    if report.links:
        accounts_services.guardian_links_bulk_create(
            actor=actor,
            school=school,
            links=[(guardian.user, pupil.user, relation) for guardian, pupil, relation in report.links],
        )
    counts = report.counts()
    record(
        actor=actor,
        school=school,
        action="accounts.import.applied",
        obj=job,
        data={"kind": job.kind, "file": job.filename, **counts},
    )
    job.status, job.result, job.applied_at = ImportJob.Status.APPLIED, counts, now()
    job.save(update_fields=["status", "result", "applied_at"])
    return report
