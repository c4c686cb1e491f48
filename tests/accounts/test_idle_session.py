"""Session expiry after inactivity (issue 10 item 5): classrooms share computers, so a session idle longer than the
school's setting ends; the next request goes to the login page with a Russian message (htmx: HX-Redirect)."""

import datetime

from django.urls import reverse

from accounts.models import SchoolSettings
from audit.models import AuditEntry

START = datetime.datetime(2026, 11, 17, 9, 0, tzinfo=datetime.UTC)


def at(minutes: int) -> datetime.datetime:
    return START + datetime.timedelta(minutes=minutes)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_session_idle_longer_than_the_school_allows_ends_with_a_message(client, world, clock):
    client.force_login(world.teacher)
    home = reverse("gradebook:my_day")
    assert client.get(home).status_code == 200
    clock.move_to(at(30))  # exactly the limit: still in
    assert client.get(home).status_code == 200
    clock.move_to(at(61))  # 31 minutes after the last request
    response = client.get(home)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=" in response["Location"]
    assert not logged_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "Сеанс завершён после 30 минут бездействия" in page
    entry = AuditEntry.objects.get(action="accounts.logout")
    assert (entry.actor, entry.school, entry.data["reason"]) == (world.teacher, world.school, "idle")


def test_activity_keeps_the_session_alive(client, world, clock):
    client.force_login(world.teacher)
    home = reverse("gradebook:my_day")
    for minutes in (20, 40, 60, 80, 100):
        clock.move_to(at(minutes))
        assert client.get(home).status_code == 200
    assert logged_in(client)


def test_an_htmx_request_gets_hx_redirect(client, world, clock):
    client.force_login(world.teacher)
    clock.move_to(at(45))
    response = client.get(reverse("gradebook:my_day"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("accounts:login")
    assert not logged_in(client)


def test_the_schools_own_limit_applies_and_zero_means_never(client, world, clock):
    SchoolSettings.objects.filter(school=world.school).update(session_idle_minutes=5)
    client.force_login(world.teacher)
    clock.move_to(at(6))
    response = client.get(reverse("gradebook:my_day"))
    assert response.status_code == 302 and not logged_in(client)
    assert "Сеанс завершён после 5 минут бездействия" in client.get(response["Location"]).content.decode()

    SchoolSettings.objects.filter(school=world.school).update(session_idle_minutes=0)
    client.force_login(world.teacher)
    clock.move_to(at(60 * 24 * 3))
    assert client.get(reverse("gradebook:my_day")).status_code == 200


def test_a_post_after_the_idle_time_changes_nothing_and_goes_to_login(client, world, clock):
    client.force_login(world.admin)
    clock.move_to(at(31))
    response = client.post(reverse("accounts:rules"), {"session_idle_minutes": "0"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert SchoolSettings.objects.get(school=world.school).session_idle_minutes == 30


def test_the_admin_sets_the_limit_on_the_settings_page(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("accounts:rules")).content.decode()
    assert 'name="session_idle_minutes"' in page and 'name="audit_retention_days"' in page
    assert "выход из системы после бездействия (минут)" in page.lower()
