"""The calendar link on the profile page (issue 12 item 4): made, shown once, reset and revoked by its owner, each
action audited; only the token's hash is stored."""

import hashlib

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from calendars import services
from calendars.models import CalendarFeed

from .conftest import fetch

PROFILE = reverse("accounts:profile")


def _page(client) -> str:
    response = client.get(PROFILE)
    assert response.status_code == 200
    return response.content.decode()


def _token_in(page: str) -> str:
    start = page.index("http://testserver/calendar/") + len("http://testserver/calendar/")
    return page[start : page.index(".ics", start)]


def test_the_link_is_shown_once_then_only_its_prefix(client, world):
    client.force_login(world.guardian)
    assert "Получить ссылку на календарь" in _page(client)
    response = client.post(reverse("calendars:feed_create"))
    assert response.status_code == 302
    assert response["Location"] == PROFILE + "#calendar"
    page = _page(client)
    assert "показывается только один раз" in page
    token = _token_in(page)
    assert f'href="webcal://testserver/calendar/{token}.ics"' in page
    assert "Google Календарь" in page and "Яндекс Календарь" in page and "iPhone" in page
    assert fetch(client, token).status_code == 200

    again = _page(client)
    assert token not in again
    feed = CalendarFeed.objects.get(user=world.guardian)
    assert f"{feed.prefix}…" in again
    assert "Заменить ссылку" in again and "Отозвать ссылку" in again


def test_only_the_tokens_hash_is_stored_and_the_audit_log_never_holds_it(world):
    feed, token = services.feed_create(actor=world.pupil, school=world.school)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(feed.prefix) and len(feed.prefix) < 10 and len(token) >= 43
    assert not CalendarFeed.objects.filter(token_hash=token).exists()
    entry = AuditEntry.objects.get(action="calendars.feed.created")
    assert entry.actor_id == world.pupil.pk and entry.school_id == world.school.pk
    assert token not in str(entry.data)


def test_one_active_link_per_person_and_school(client, world):
    services.feed_create(actor=world.pupil, school=world.school)
    with pytest.raises(services.CalendarError):
        services.feed_create(actor=world.pupil, school=world.school)
    client.force_login(world.pupil)
    response = client.post(reverse("calendars:feed_create"), follow=True)
    assert "У вас уже есть ссылка на календарь" in response.content.decode()
    assert CalendarFeed.objects.filter(user=world.pupil).count() == 1


def test_reset_replaces_the_link_and_revoke_ends_it_each_audited(client, world):
    client.force_login(world.teacher)
    client.post(reverse("calendars:feed_create"))
    old = _token_in(_page(client))
    assert client.post(reverse("calendars:feed_reset")).status_code == 302
    new = _token_in(_page(client))
    assert new != old
    assert fetch(client, old).status_code == 401
    assert fetch(client, new).status_code == 200
    client.post(reverse("calendars:feed_revoke"))
    assert fetch(client, new).status_code == 401
    assert "Получить ссылку на календарь" in _page(client)
    actions = list(AuditEntry.objects.filter(action__startswith="calendars.").values_list("action", flat=True))
    assert sorted(actions) == sorted(
        ["calendars.feed.created", "calendars.feed.revoked", "calendars.feed.created", "calendars.feed.revoked"]
    )
    # Nothing left to reset or revoke: a message, nothing changes.
    response = client.post(reverse("calendars:feed_revoke"), follow=True)
    assert "нет ссылки на календарь" in response.content.decode()
    assert not CalendarFeed.objects.filter(user=world.teacher, revoked_at__isnull=True).exists()


def test_nobody_revokes_another_persons_link(world):
    feed, token = services.feed_create(actor=world.pupil, school=world.school)
    for intruder in (world.guardian, world.admin):
        with pytest.raises(services.CalendarError):
            services.feed_revoke(actor=intruder, feed=feed)
    feed.refresh_from_db()
    assert feed.revoked_at is None


def test_a_link_is_made_in_a_school_of_ones_own_only(world):
    with pytest.raises(services.CalendarError):
        services.feed_create(actor=world.foreign_teacher, school=world.school)
    feed, _token = services.feed_create(actor=world.foreign_teacher)  # the active school: their own
    assert feed.school == world.other_school


def test_the_actions_are_posts_of_signed_in_members(client, world):
    for name in ("calendars:feed_create", "calendars:feed_reset", "calendars:feed_revoke"):
        assert client.post(reverse(name)).status_code == 302  # to the login page
        assert reverse("accounts:login") in client.post(reverse(name))["Location"]
    client.force_login(world.pupil)
    assert client.get(reverse("calendars:feed_create")).status_code == 405
    assert not CalendarFeed.objects.exists()
