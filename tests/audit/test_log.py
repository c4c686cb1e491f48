"""The audit log (issue 10 item 2): each event is recorded with who, which school, the IP where it matters and no
secret; the admin's page filters, labels and pages by keyset; only the admin reads it."""

import datetime
import json

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm, remove_perm

from accounts import services as accounts_services
from accounts.credentials import credentials_issue
from accounts.models import CredentialIssue, Membership, Role, SchoolSettings
from accounts.settings_services import school_settings_update
from audit.log import record
from audit.models import AuditEntry
from tests.factories import PASSWORD

LOGIN_URL = "/accounts/login/"


def login(client, username, password, ip="10.0.0.7"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


def only(action: str, **filters) -> AuditEntry:
    return AuditEntry.objects.get(action=action, **filters)


def no_secret(entry: AuditEntry, *secrets: str) -> None:
    text = json.dumps(entry.data, ensure_ascii=False) + entry.object_repr
    for secret in (PASSWORD, *secrets):
        assert secret not in text


# --- Each event of item 2 -------------------------------------------------------------------------------------


def test_a_login_is_recorded_with_the_ip_and_the_school(client, world):
    assert login(client, "teacher", PASSWORD).status_code == 302
    entry = only("accounts.login", actor=world.teacher)
    assert entry.school == world.school
    assert entry.data == {"login": "teacher", "ip": "10.0.0.7"}
    no_secret(entry)


def test_a_failed_login_of_a_known_person_is_recorded_in_their_school_with_the_ip(client, world):
    login(client, "teacher", "wrong-password", ip="10.0.0.8")
    entry = only("accounts.login_failed")
    assert (entry.actor, entry.school, entry.object_id) == (None, world.school, str(world.teacher.pk))
    assert entry.data == {"login": "teacher", "ip": "10.0.0.8"}
    no_secret(entry, "wrong-password")


def test_a_failed_login_of_an_unknown_login_is_a_platform_entry(client, world):
    login(client, "nobody", "whatever", ip="10.0.0.9")
    entry = only("accounts.login_failed")
    assert (entry.actor, entry.school) == (None, None)
    assert entry.data == {"login": "nobody", "ip": "10.0.0.9"}
    no_secret(entry, "whatever")


def test_a_lockout_is_recorded(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "teacher", "wrong", ip="10.0.0.10")
    entry = only("accounts.lockout")
    assert entry.school == world.school
    assert entry.data == {"login": "teacher", "ip": "10.0.0.10"}
    assert AuditEntry.objects.filter(action="accounts.login_failed").count() == settings.AXES_FAILURE_LIMIT


def test_a_logout_is_recorded(client, world):
    client.force_login(world.deputy)
    assert client.post(reverse("accounts:logout"), REMOTE_ADDR="10.0.0.11").status_code == 302
    entry = only("accounts.logout")
    assert (entry.actor, entry.school, entry.data["ip"]) == (world.deputy, world.school, "10.0.0.11")


def test_the_users_own_password_change_is_recorded_without_the_password(client, world):
    client.force_login(world.teacher)
    new = "Kv4-novyi-parol"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    entry = only("accounts.password.changed")
    assert (entry.actor, entry.school) == (world.teacher, world.school)
    no_secret(entry, new)


def test_a_temporary_password_issued_by_the_admin_is_recorded_without_the_password(world):
    issued = credentials_issue(
        actor=world.admin, school=world.school, people=[world.pupil], channel=CredentialIssue.Channel.SLIP
    )
    entry = only("accounts.credentials.issued")
    assert (entry.actor, entry.school, entry.data["person_ids"]) == (world.admin, world.school, [world.pupil.pk])
    no_secret(entry, issued[0][1])


def test_a_password_set_for_many_is_recorded_without_the_password(world):
    accounts_services.passwords_set(
        actor=world.admin, school=world.school, users=[world.pupil], password="Obshchii-1", temporary=True
    )
    entry = only("accounts.password.set", actor=world.admin)
    assert (entry.actor, entry.school, entry.data) == (world.admin, world.school, {"count": 1})
    no_secret(entry, "Obshchii-1")


def test_a_role_granted_and_revoked_is_recorded(world):
    accounts_services.role_grant(actor=world.admin, school=world.school, user=world.teacher, role=Role.DEPUTY)
    granted = only("accounts.role.granted", object_id=str(world.teacher.pk))
    assert (granted.actor, granted.school, granted.data) == (world.admin, world.school, {"role": "deputy"})
    Membership.objects.get(school=world.school, user=world.teacher, role=Role.DEPUTY).delete()
    revoked = only("accounts.role.revoked")
    assert (revoked.school, revoked.object_id, revoked.data) == (
        world.school,
        str(world.teacher.pk),
        {"role": "deputy"},
    )


def test_a_guardian_link_is_recorded(world):
    accounts_services.guardian_link(
        actor=world.admin, school=world.school, guardian=world.guardian, pupil=world.other_pupil
    )
    entry = AuditEntry.objects.filter(action="accounts.guardian.linked").latest("id")
    assert (entry.actor, entry.school) == (world.admin, world.school)


def test_a_guardian_link_removed_is_recorded(world):
    from accounts.models import GuardianLink

    GuardianLink.objects.get(guardian=world.guardian, pupil=world.pupil).delete()
    entry = only("accounts.guardian.unlinked")
    assert (entry.school, entry.object_id) == (world.school, str(world.pupil.pk))
    assert entry.data == {"guardian": world.guardian.pk, "pupil": world.pupil.pk}


def test_an_object_permission_granted_and_revoked_is_recorded(world):
    """django-guardian grants (a substitute's lesson, a temporary access) are rights too."""
    assign_perm("schedule.change_schoolclass", world.other_teacher, world.school_class)
    granted = only("accounts.permission.granted")
    assert granted.school == world.school
    assert granted.object_id == str(world.school_class.pk)
    assert granted.data["permission"] == "schedule.change_schoolclass"
    assert granted.data["user"] == world.other_teacher.pk
    remove_perm("schedule.change_schoolclass", world.other_teacher, world.school_class)
    assert only("accounts.permission.revoked").school == world.school


def test_a_settings_change_is_recorded_with_old_and_new_values(client, world):
    school_settings_update(
        actor=world.admin, school=world.school, values={"audit_retention_days": 730, "session_idle_minutes": 15}
    )
    entry = only("accounts.settings.changed")
    assert entry.actor == world.admin
    assert entry.data == {"audit_retention_days": [1095, 730], "session_idle_minutes": [30, 15]}
    client.force_login(world.admin)
    page = client.get(reverse("audit:log")).content.decode()
    assert "хранить журнал аудита (дней): 1095 → 730" in page


def test_the_retention_cannot_be_shorter_than_a_year(world):
    from accounts.services import AccountsError

    with pytest.raises(AccountsError):
        school_settings_update(actor=world.admin, school=world.school, values={"audit_retention_days": 30})
    assert SchoolSettings.objects.get(school=world.school).audit_retention_days == 1095
    assert not AuditEntry.objects.filter(action="accounts.settings.changed").exists()


def test_an_export_that_records_itself_is_recorded_once(client, world):
    client.force_login(world.admin)
    before = AuditEntry.objects.count()
    response = client.get(reverse("schedule:export_staff", kwargs={"fmt": "csv"}), REMOTE_ADDR="10.0.0.12")
    assert response.status_code == 200
    new = list(AuditEntry.objects.order_by("id")[before:])
    assert [e.action for e in new] == ["accounts.export.downloaded"]
    assert (new[0].actor, new[0].school) == (world.admin, world.school)


def test_any_other_download_is_recorded_by_the_middleware(client, world):
    client.force_login(world.admin)
    url = reverse("schedule:week_class_pdf", kwargs={"class_id": world.school_class.pk})
    response = client.get(url, REMOTE_ADDR="10.0.0.13")
    assert response.status_code == 200
    entry = only("audit.download")
    assert (entry.actor, entry.school) == (world.admin, world.school)
    assert entry.data["view"] == "schedule:week_class_pdf"
    assert entry.data["args"] == {"class_id": str(world.school_class.pk)}
    assert entry.data["type"] == "application/pdf"
    assert entry.data["ip"] == "10.0.0.13"


def test_a_page_is_not_a_download(client, world):
    client.force_login(world.admin)
    client.get(reverse("audit:log"))
    assert not AuditEntry.objects.filter(action="audit.download").exists()


def test_secrets_in_data_are_masked(world):
    entry = record(actor=None, school=world.school, action="x.y", data={"new_password": "p", "nested": {"token": "t"}})
    assert entry.data == {"new_password": "***", "nested": {"token": "***"}}


# --- The admin's page -----------------------------------------------------------------------------------------


def test_admin_reads_the_log_newest_first_with_russian_labels(client, world):
    client.force_login(world.admin)
    record(
        actor=world.admin,
        school=world.school,
        action="accounts.role.granted",
        obj=world.teacher,
        data={"role": "deputy"},
    )
    record(actor=world.foreign_teacher, school=world.other_school, action="accounts.role.granted", data={"role": "x"})
    page = client.get(reverse("audit:log")).content.decode()
    assert "Журнал аудита" in page
    assert "Назначена роль" in page
    assert "Вход в систему" in page  # the admin's own login (force_login)
    assert page.index("Назначена роль") < page.index("Вход в систему")
    assert "role: x" not in page  # another school's entry


def test_the_log_filters_by_group_person_and_dates(client, world, clock):
    client.force_login(world.admin)
    record(actor=world.teacher, school=world.school, action="accounts.password.changed", obj=world.teacher)
    record(actor=world.deputy, school=world.school, action="schedule.lesson.moved", data={"to": "x"})
    url = reverse("audit:log")

    page = client.get(url, {"group": "passwords"}).content.decode()
    assert 'data-action="accounts.password.changed"' in page
    assert 'data-action="schedule.lesson.moved"' not in page and 'data-action="accounts.login"' not in page

    page = client.get(url, {"group": "other"}).content.decode()
    assert 'data-action="schedule.lesson.moved"' in page and 'data-action="accounts.login"' not in page

    page = client.get(url, {"person": "deputy"}).content.decode()
    assert 'data-action="schedule.lesson.moved"' in page and 'data-action="accounts.password.changed"' not in page

    page = client.get(url, {"person": "foreign_teacher"}).content.decode()
    assert "Нет записей" in page

    page = client.get(url, {"start": "2026-11-18"}).content.decode()
    assert "Нет записей" in page
    page = client.get(url, {"start": "17.11.2026", "end": "2026-11-17"}).content.decode()
    assert 'data-action="schedule.lesson.moved"' in page

    response = client.get(url, {"start": "2026-11-18", "end": "2026-11-01"})
    assert response.status_code == 200
    assert "Конец периода раньше его начала" in response.content.decode()
    assert client.get(url, {"start": "вчера", "after": "junk"}).status_code == 200


def test_the_log_pages_by_keyset_in_a_constant_number_of_queries(client, world, clock, django_assert_max_num_queries):
    client.force_login(world.admin)
    # 120 entries at the same moment and 10 later: ties on created_at are ordered by id.
    for i in range(120):
        record(actor=world.teacher, school=world.school, action="schedule.lesson.moved", data={"n": i})
    clock.move_to(datetime.datetime(2026, 11, 17, 9, 10, tzinfo=datetime.UTC))
    for i in range(120, 130):
        record(actor=world.teacher, school=world.school, action="schedule.lesson.moved", data={"n": i})
    url = reverse("audit:log")
    seen: list[int] = []
    query = {"group": "other", "person": "teacher"}
    pages = 0
    while True:
        with django_assert_max_num_queries(8):
            response = client.get(url, query)
        rows = response.context["rows"]
        seen += [r.entry.data["n"] for r in rows]
        pages += 1
        if not response.context["next_query"]:
            break
        query = dict(part.split("=", 1) for part in response.context["next_query"].split("&"))
    assert pages == 3
    assert seen == list(range(129, -1, -1))
    # The SQL of a later page is a keyset condition, not an OFFSET.
    assert "OFFSET" not in str(AuditEntry.objects.filter(pk__lt=5).order_by("-created_at", "-id")[:51].query)


@pytest.mark.parametrize("role", ["director", "deputy", "class_teacher", "teacher", "pupil", "guardian"])
def test_only_the_admin_reads_the_log(client, world, role):
    client.force_login(world.persona(role))
    assert client.get(reverse("audit:log")).status_code == 403


def test_the_log_is_in_the_admins_menu_only(client, world):
    client.force_login(world.admin)
    assert reverse("audit:log") in client.get(reverse("setup")).content.decode()
    client.force_login(world.deputy)
    assert reverse("audit:log") not in client.get(reverse("reports:control")).content.decode()


def test_the_log_page_refuses_writes(client, world):
    client.force_login(world.admin)
    assert client.post(reverse("audit:log")).status_code == 405
