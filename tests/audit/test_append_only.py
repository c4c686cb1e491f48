"""The audit log is append-only (issue 10 item 2): no URL of the project, for the admin or the deputy, by GET or
POST, edits or deletes an entry; the model, its queryset and (on PostgreSQL) a trigger refuse; the retention purge
is the only deleter and keeps each school's entries for its own retention."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.urls import NoReverseMatch, reverse

from accounts.settings_services import school_settings_update
from audit.log import DOWNLOAD_ACTIONS, audit_purge, is_download, record
from audit.models import AuditEntry
from audit.tasks_log import audit_log_purge

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")


def _entry(world, **kwargs) -> AuditEntry:
    return record(actor=world.admin, school=world.school, action="accounts.role.granted", data={"role": "x"}, **kwargs)


# --- Refusals -------------------------------------------------------------------------------------------------


def test_the_model_and_its_queryset_refuse_edits_and_deletes(world):
    entry = _entry(world)
    entry.action = "other"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.filter(pk=entry.pk).update(action="other")
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "accounts.role.granted"


def test_the_trigger_refuses_an_update_by_raw_sql(world):
    entry = _entry(world)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'forged' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "accounts.role.granted"


def test_the_trigger_refuses_a_delete_by_raw_sql(world):
    entry = _entry(world)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_trigger_refuses_an_update_even_with_the_purges_setting(world):
    entry = _entry(world)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL ejournal.audit_purge = 'on'")
        cursor.execute("UPDATE audit_auditentry SET data = '{}' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).data == {"role": "x"}


def test_after_a_purge_the_door_is_closed_again_in_the_same_transaction(world):
    entry = _entry(world)
    audit_purge()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])


# --- Retention ------------------------------------------------------------------------------------------------


def test_the_nightly_purge_keeps_each_schools_retention_and_platform_entries_the_longest(world, clock):
    school_settings_update(actor=world.admin, school=world.school, values={"audit_retention_days": 400})
    school_settings_update(actor=world.admin, school=world.other_school, values={"audit_retention_days": 1500})
    start = datetime.datetime(2026, 11, 17, 9, 0, tzinfo=datetime.UTC)
    ours = _entry(world)
    theirs = record(actor=None, school=world.other_school, action="accounts.login_failed", data={})
    platform = record(actor=None, school=None, action="accounts.login_failed", data={"login": "nobody"})

    clock.move_to(start + datetime.timedelta(days=399))
    assert audit_log_purge.delay().get() == 0  # the task as beat queues it: nothing is old enough yet
    clock.move_to(start + datetime.timedelta(days=400, hours=1))
    assert audit_log_purge.delay().get() >= 1
    assert not AuditEntry.objects.filter(pk=ours.pk).exists()
    assert AuditEntry.objects.filter(pk__in=[theirs.pk, platform.pk]).count() == 2

    clock.move_to(start + datetime.timedelta(days=1095, hours=1))
    audit_purge()
    # Platform entries keep the longest retention of any school (1500 days), not the default 1095.
    assert AuditEntry.objects.filter(pk__in=[theirs.pk, platform.pk]).count() == 2

    clock.move_to(start + datetime.timedelta(days=1500, hours=1))
    audit_purge()
    assert not AuditEntry.objects.filter(pk__in=[theirs.pk, platform.pk]).exists()
    assert not AuditEntry.objects.filter(created_at__lt=start + datetime.timedelta(days=1)).exists()
    assert audit_purge() == 0  # safe to run twice


# --- No URL edits or deletes an entry ---------------------------------------------------------------------------


def _snapshot() -> dict[int, tuple]:
    return {
        e["id"]: tuple(sorted((k, repr(v)) for k, v in e.items())) for e in AuditEntry.objects.order_by("id").values()
    }


def test_no_url_edits_or_deletes_an_entry_and_every_download_is_recorded(client, world):
    """Every URL pattern of the project (the permission matrix's list, with its objects) as the school admin and as
    the deputy, by GET and by POST: the audit table afterwards holds the same entries with the same content, plus
    appended ones; each file a GET returned has its download entry."""
    from tests.matrix import Case
    from tests.test_permissions import MATRIX, url_names

    assert {n for n in url_names() if not n.startswith("admin:")} <= set(MATRIX) | {"admin:index"}
    _entry(world)
    before = _snapshot()
    client.raise_request_exception = False
    unrecorded, requests, downloads = [], 0, set()
    urls: dict[str, tuple[str, Case]] = {}
    for name, cases in MATRIX.items():
        # The matrix builds each row's objects in a fresh world; here they share one, and two rows may want the
        # same group: such a row is walked with the next of its cases, or not at all.
        for case in cases:
            try:
                with transaction.atomic():
                    urls[name] = (reverse(name, kwargs=case.kwargs(world)), case)
                break
            except (NoReverseMatch, Exception):  # noqa: BLE001, S112 - see above
                continue
    assert len(urls) > 0.9 * len(MATRIX), sorted(set(MATRIX) - set(urls))
    for role in ("admin", "deputy"):
        for name, (url, case) in urls.items():
            for method in ("get", "post"):
                client.force_login(world.persona(role))
                last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
                data = case.data(world) if method == case.method else {}
                response = getattr(client, method)(url, data=data)
                requests += 1
                if method == "get" and is_download(response):
                    downloads.add(name)
                    new = AuditEntry.objects.filter(id__gt=last, action__in=DOWNLOAD_ACTIONS)
                    if not new.exists():
                        unrecorded.append(name)
    after = _snapshot()
    assert requests > 600
    assert {k: after.get(k) for k in before} == before, "an entry was changed or deleted"
    assert min(set(after) - set(before)) > max(before)  # appended only
    assert unrecorded == []
    print(f"walked {len(urls)} of {len(MATRIX)} URL names, {requests} requests; downloads: {sorted(downloads)}")
    assert len(downloads) >= 10  # class lists, sheets, reports, printouts, homework files, slips...
