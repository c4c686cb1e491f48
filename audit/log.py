"""The one way to write an audit entry (DESIGN §3): `record(actor=, school=, action=, obj=, data=)`.

Also here, because every app's pages and the log's own page share them: the readable names of the actions, their
groups for the page's filter, the request's client IP as django-axes reads it, the record of a file that leaves the
system (DownloadLogMiddleware) and the retention purge (audit_purge), the only deleter of entries.
"""

import contextvars
import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from ejournal.clock import now

from .models import AuditEntry

SECRET_KEYS = ("password", "secret", "token")


def _mask(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: ("***" if any(s in str(k).lower() for s in SECRET_KEYS) else _mask(v)) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_mask(v) for v in data]
    return data


# The actions recorded during the current request (DownloadLogMiddleware sets it): a view that writes its own
# download entry is not recorded twice.
_written: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("audit_written", default=None)


def record(
    *, actor, school, action: str, obj: models.Model | None = None, data: dict[str, Any] | None = None
) -> AuditEntry:
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry.objects.create(
        school=school,
        actor_id=actor_id,
        action=action,
        object_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        data=_mask(data or {}),
    )
    written = _written.get()
    if written is not None:
        written.append(action)
    return entry


def client_ip(request) -> str | None:
    """The client's address as django-axes sees it (behind PROXY_COUNT proxies: the forwarded one)."""
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    try:
        return get_client_ip_address(request)
    except (AttributeError, KeyError, ValueError):
        return request.META.get("REMOTE_ADDR")


# --- Readable names ---------------------------------------------------------------------------------------------

ACTION_LABELS: dict[str, Any] = {
    # Logins and passwords.
    "accounts.login": _("Logged in"),
    "accounts.login_failed": _("Failed login"),
    "accounts.lockout": _("Login locked after repeated failures"),
    "accounts.logout": _("Logged out"),
    "accounts.password.changed": _("Changed own password"),
    "accounts.password.set": _("Password set by the administrator"),
    "accounts.credentials.issued": _("Temporary passwords issued"),
    # Roles and rights.
    "accounts.role.granted": _("Role granted"),
    "accounts.role.revoked": _("Role revoked"),
    "accounts.guardian.linked": _("Parent linked to a pupil"),
    "accounts.guardian.bulk_linked": _("Parents linked to pupils"),
    "accounts.guardian.unlinked": _("Parent unlinked from a pupil"),
    "accounts.permission.granted": _("Access to an object granted"),
    "accounts.permission.revoked": _("Access to an object revoked"),
    "schedule.substitution.set": _("Substitution recorded"),
    "schedule.substitution.removed": _("Substitution removed"),
    # Settings.
    "accounts.settings.changed": _("School settings changed"),
    "accounts.school.created": _("School created"),
    "accounts.platform.bootstrapped": _("Portal set up"),
    # Files leaving the system.
    "audit.download": _("File downloaded"),
    "accounts.export.downloaded": _("List of people exported"),
    "reports.export.built": _("Report built in the background"),
    "reports.export.downloaded": _("Report downloaded"),
    "reports.report.published": _("Report published for the school's website"),
    "accounts.import.uploaded": _("Import file uploaded"),
    "accounts.import.applied": _("Import applied"),
    # People and personal data.
    "accounts.people.created": _("People added"),
    "accounts.person.changed": _("Personal data corrected"),
    "accounts.consent.recorded": _("Consent to personal-data processing recorded"),
    "accounts.consent.withdrawn": _("Consent to personal-data processing withdrawn"),
    "accounts.guardian.diary_choice": _("Parent's choice of the diary recorded"),
    "accounts.guardian.login_closed": _("Parent's login closed"),
    "accounts.guardian.login_reopened": _("Parent's login reopened"),
    # The school's structure and timetable.
    "schedule.year.created": _("Academic year created"),
    "schedule.year.changed": _("Academic year changed"),
    "schedule.year.deleted": _("Academic year deleted"),
    "schedule.year.filled": _("Academic year filled in"),
    "schedule.year.closed": _("Academic year closed"),
    "schedule.period.created": _("Study period created"),
    "schedule.period.changed": _("Study period changed"),
    "schedule.period.deleted": _("Study period deleted"),
    "schedule.holiday.created": _("Holidays added"),
    "schedule.holiday.changed": _("Holidays changed"),
    "schedule.holiday.deleted": _("Holidays deleted"),
    "schedule.bells.created": _("Bell schedule created"),
    "schedule.bells.renamed": _("Bell schedule renamed"),
    "schedule.bells.changed": _("Bell schedule changed"),
    "schedule.bells.deleted": _("Bell schedule deleted"),
    "schedule.subject.created": _("Subject added"),
    "schedule.subject.changed": _("Subject changed"),
    "schedule.subject.deleted": _("Subject deleted"),
    "schedule.class.created": _("Class created"),
    "schedule.class.changed": _("Class changed"),
    "schedule.class.enrolled": _("Pupils enrolled in a class"),
    "schedule.pupil.moved": _("Pupil moved to another class"),
    "schedule.pupil.left": _("Pupil left the school"),
    "schedule.group.created": _("Study group created"),
    "schedule.group.members": _("Study group's members changed"),
    "schedule.course.created": _("Course created"),
    "schedule.course.updated": _("Course changed"),
    "schedule.course.deleted": _("Course deleted"),
    "schedule.timetable.added": _("Timetable entry added"),
    "schedule.timetable.removed": _("Timetable entry removed"),
    "schedule.timetable.ended": _("Timetable entry ended"),
    "schedule.lessons.generated": _("Lessons generated from the timetable"),
    "schedule.lesson.added": _("Lesson added"),
    "schedule.lesson.moved": _("Lesson moved"),
    "schedule.lesson.cancelled": _("Lesson cancelled"),
    "schedule.lesson.restored": _("Lesson restored"),
    "schedule.lesson.deleted": _("Lesson deleted"),
    "schedule.plan.applied": _("Thematic plan applied"),
    "schedule.plan.replaced": _("Thematic plan replaced"),
    # The journal.
    "gradebook.work_type.created": _("Work type created"),
    "gradebook.work_type.changed": _("Work type changed"),
    "gradebook.work_type.deleted": _("Work type deleted"),
    "gradebook.late_change.filed": _("Late-change request filed"),
    "gradebook.late_change.approved": _("Late-change request approved"),
    "gradebook.late_change.rejected": _("Late-change request rejected"),
    "gradebook.late_change.withdrawn": _("Late-change request withdrawn"),
    "gradebook.late_change.retake_entered": _("Retake mark entered from the protocol"),
    "gradebook.appeal.filed": _("Wrong mark reported"),
    "gradebook.appeal.corrected": _("Reported mark corrected"),
    "gradebook.appeal.answered": _("Report of a wrong mark answered"),
    "schedule.enrollment.form_changed": _("Form of education changed"),
    "gradebook.exam_result.deleted": _("State exam result removed"),
    "gradebook.family_attestation.recorded": _("Attestation result of a pupil in family education recorded"),
    "attendance.notice.created": _("Absence notice recorded"),
    "attendance.notice.deleted": _("Absence notice deleted"),
    "reports.remark.created": _("Remark to a teacher"),
    "reports.remark.done": _("Remark marked fixed"),
    "reports.remark.reopened": _("Remark reopened"),
    # The diary.
    "diary.notifications.changed": _("Notification choices changed"),
    "diary.sms.retried": _("SMS sent again"),
    "api.token.created": _("Diary API key made"),
    "api.token.revoked": _("Diary API key revoked"),
    "api.request": _("Diary read through the API"),
    "api.request.refused": _("Revoked diary API key tried"),
    "calendars.feed.created": _("Calendar link made"),
    "calendars.feed.revoked": _("Calendar link revoked"),
    "messaging.group.sent": _("Message sent to a group"),
    "messaging.settings.changed": _("Message email choice changed"),
    "diary.news.posted": _("News posted"),
    "diary.news.changed": _("News changed"),
    "diary.news.deleted": _("News deleted"),
    "diary.event.added": _("Event added"),
    "diary.event.changed": _("Event changed"),
    "diary.event.deleted": _("Event deleted"),
}

# The page's filter: (key, label, actions). "other" is every action of none of these groups.
ACTION_GROUPS: list[tuple[str, Any, tuple[str, ...]]] = [
    (
        "logins",
        _("Logins and logouts"),
        ("accounts.login", "accounts.login_failed", "accounts.lockout", "accounts.logout"),
    ),
    (
        "passwords",
        _("Passwords and credentials"),
        ("accounts.password.changed", "accounts.password.set", "accounts.credentials.issued"),
    ),
    (
        "rights",
        _("Roles and access rights"),
        (
            "accounts.role.granted",
            "accounts.role.revoked",
            "accounts.guardian.linked",
            "accounts.guardian.bulk_linked",
            "accounts.guardian.unlinked",
            "accounts.permission.granted",
            "accounts.permission.revoked",
            "schedule.substitution.set",
            "schedule.substitution.removed",
        ),
    ),
    (
        "settings",
        _("School settings"),
        ("accounts.settings.changed", "accounts.school.created", "accounts.platform.bootstrapped"),
    ),
    (
        "files",
        _("Exports and downloads"),
        (
            "audit.download",
            "accounts.export.downloaded",
            "reports.export.built",
            "reports.export.downloaded",
            "reports.report.published",
            "accounts.import.uploaded",
            "accounts.import.applied",
        ),
    ),
]
OTHER_GROUP = "other"


def group_actions(key: str) -> tuple[str, ...] | None:
    for k, _label, actions in ACTION_GROUPS:
        if k == key:
            return actions
    return None


def all_grouped_actions() -> tuple[str, ...]:
    return tuple(a for _k, _label, actions in ACTION_GROUPS for a in actions)


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


# --- Files that leave the system --------------------------------------------------------------------------------

# What counts as a file: an attachment, or a document type (the timetable's PDF opens inline but is a file all
# the same).
FILE_TYPES = (
    "application/pdf",
    "application/vnd.openxmlformats",
    "application/vnd.ms-excel",
    "application/zip",
    "application/octet-stream",
    "text/csv",
)
DOWNLOAD_ACTIONS = ("audit.download", "accounts.export.downloaded", "reports.export.downloaded")


def is_download(response) -> bool:
    if response.status_code != 200:
        return False
    disposition = response.get("Content-Disposition", "")
    content_type = response.get("Content-Type", "")
    return "attachment" in disposition or "filename" in disposition or content_type.startswith(FILE_TYPES)


def download_record(request, response) -> AuditEntry:
    """One entry for a file a person took out of the system: who (the actor), what (the page, its arguments and the
    file's name and type), when (the entry's time). The file's content is never copied here."""
    try:
        match = resolve(request.path_info)
        view = match.view_name
        kwargs = {k: str(v) for k, v in match.kwargs.items()}
    except Resolver404:
        view, kwargs = "", {}
    disposition = response.get("Content-Disposition", "")
    return record(
        actor=request.user,
        school=getattr(request, "school", None),
        action="audit.download",
        data={
            "view": view,
            "args": kwargs,
            "query": request.GET.urlencode()[:500],
            "file": disposition[:300],
            "type": response.get("Content-Type", "")[:100],
            "ip": client_ip(request),
        },
    )


class DownloadLogMiddleware:
    """Records every file a signed-in person downloads (issue 10 item 2: exports and downloads of personal data):
    class lists, sheets, reports, printouts, homework files, credentials' slips, request scans. One place, so that
    a new export cannot forget it; a view that records its own download entry (a background report) is not
    recorded twice."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _written.set([])
        try:
            response = self.get_response(request)
            written = _written.get() or []
        finally:
            _written.reset(token)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and is_download(response)
            and not any(a in DOWNLOAD_ACTIONS for a in written)
        ):
            download_record(request, response)
        return response


# --- Retention (a school setting, SchoolSettings.audit_retention_days) ------------------------------------------

PURGE_SETTING = "ejournal.audit_purge"


def audit_purge(*, at: datetime.datetime | None = None) -> int:
    """Delete each school's entries older than its retention; platform entries (no school) are kept as long as the
    longest retention of any school. The only deleter: on PostgreSQL it tells the trigger so (SET LOCAL, this
    transaction only). Returns how many entries went."""
    from accounts.models import SchoolSettings

    moment = at or now()
    retention = dict(SchoolSettings.objects.values_list("school_id", "audit_retention_days"))
    default = SchoolSettings._meta.get_field("audit_retention_days").default
    longest = max(retention.values(), default=default)
    deleted = 0
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic():
        if postgresql:
            _purge_allowed("on")
        for school_id, days in [*retention.items(), (None, longest)]:
            old = AuditEntry.objects.filter(school_id=school_id, created_at__lt=moment - datetime.timedelta(days=days))
            # QuerySet.delete() refuses (the log is append-only); _raw_delete is one DELETE with no signals.
            deleted += old._raw_delete(old.db)
        if postgresql:
            # Called inside a longer transaction, the door closes here, not at that transaction's end.
            _purge_allowed("off")
    return deleted


def _purge_allowed(value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL {PURGE_SETTING} = '{value}'")
