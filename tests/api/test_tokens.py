"""The diary API's keys (issue 12 item 5): made and revoked on the profile page by pupils and parents, stored as a
hash, at most five active; an unknown or revoked key answers 401 with WWW-Authenticate; each use is audited."""

import datetime

import pytest
from django.urls import reverse

from api import services
from api.errors import ApiError
from api.models import ApiToken
from audit.models import AuditEntry

from .conftest import bearer, key_of


def pupils(client, key=None, scheme="Bearer"):
    headers = {"HTTP_AUTHORIZATION": f"{scheme} {key}"} if key is not None else {}
    return client.get(reverse("api:pupils"), **headers)


def test_a_key_reads_the_pupils_of_its_owner(client, world):
    key = key_of(world.guardian, world.school)
    response = pupils(client, key)
    assert response.status_code == 200
    assert [p["id"] for p in response.json()] == [world.pupil.pk]
    assert response.json()[0]["class_name"] == "5А"


def test_the_token_scheme_is_accepted_too(client, world):
    key = key_of(world.pupil, world.school)
    assert pupils(client, key, scheme="Token").status_code == 200


def test_only_a_hash_and_a_short_prefix_of_the_key_are_kept(world):
    new = services.token_create(actor=world.pupil, school=world.school, name="Телефон")
    token = ApiToken.objects.get(pk=new.token.pk)
    assert new.key.startswith("ej_") and len(new.key) > 40
    assert token.key_hash == services.key_hash(new.key) and new.key not in token.key_hash
    assert new.key.startswith(token.prefix) and len(token.prefix) == 10


def test_an_unknown_key_gets_401_with_www_authenticate(client, world):
    response = pupils(client, "ej_not-a-key")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"] == "Ключ недействителен."


def test_no_key_gets_401_and_says_how_to_send_one(client, world):
    response = pupils(client)
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_key_gets_401_and_the_attempt_is_audited(client, world):
    new = services.token_create(actor=world.guardian, school=world.school, name="Старый телефон")
    assert pupils(client, new.key).status_code == 200
    services.token_revoke(actor=world.guardian, token=new.token)
    response = pupils(client, new.key)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"] == "Ключ отозван."
    entry = AuditEntry.objects.get(action="api.request.refused")
    assert (entry.actor_id, entry.data["key_id"], entry.data["status"]) == (world.guardian.pk, new.token.pk, 401)


def test_a_key_of_a_closed_login_gets_401(client, world):
    key = key_of(world.guardian, world.school)
    type(world.guardian).objects.filter(pk=world.guardian.pk).update(is_active=False)
    assert pupils(client, key).status_code == 401


def test_staff_hold_no_keys(world):
    for user in (world.teacher, world.class_teacher, world.admin, world.director):
        with pytest.raises(ApiError, match="ученикам и родителям"):
            services.token_create(actor=user, school=world.school, name="Телефон")


def test_at_most_five_active_keys(world):
    made = [services.token_create(actor=world.pupil, school=world.school, name=f"Ключ {n}") for n in range(5)]
    with pytest.raises(ApiError):
        services.token_create(actor=world.pupil, school=world.school, name="Шестой")
    services.token_revoke(actor=world.pupil, token=made[0].token)
    services.token_create(actor=world.pupil, school=world.school, name="Шестой")


def test_only_the_owner_revokes_a_key(world):
    new = services.token_create(actor=world.pupil, school=world.school, name="Телефон")
    with pytest.raises(ApiError):
        services.token_revoke(actor=world.guardian, token=new.token)
    assert ApiToken.objects.get(pk=new.token.pk).active


def test_every_request_with_a_key_is_audited_with_its_status(client, world):
    new = services.token_create(actor=world.guardian, school=world.school, name="Телефон")
    assert pupils(client, new.key).status_code == 200
    url = reverse("api:week", args=[world.other_pupil.pk])
    assert client.get(url, {"date": "2026-11-16"}, **bearer(new.key)).status_code == 404
    entries = list(AuditEntry.objects.filter(action="api.request").order_by("pk"))
    assert [(e.actor_id, e.data["key_id"], e.data["prefix"], e.data["method"]) for e in entries] == [
        (world.guardian.pk, new.token.pk, new.token.prefix, "GET")
    ] * 2
    assert [(e.data["path"], e.data["status"]) for e in entries] == [
        (reverse("api:pupils"), 200),
        (url, 404),
    ]
    assert entries[1].data["query"] == "date=2026-11-16"
    assert new.key not in str([e.data for e in entries])


def test_the_sites_session_is_not_audited(client, world):
    client.force_login(world.guardian)
    assert client.get(reverse("api:pupils")).status_code == 200
    assert not AuditEntry.objects.filter(action__startswith="api.request").exists()


def test_last_used_is_noted_at_most_once_a_minute(client, world, clock):
    new = services.token_create(actor=world.pupil, school=world.school, name="Телефон")
    pupils(client, new.key)
    first = ApiToken.objects.get(pk=new.token.pk).last_used_at
    assert first is not None
    clock.move_to(first + datetime.timedelta(seconds=30))
    pupils(client, new.key)
    assert ApiToken.objects.get(pk=new.token.pk).last_used_at == first
    clock.move_to(first + datetime.timedelta(minutes=2))
    pupils(client, new.key)
    assert ApiToken.objects.get(pk=new.token.pk).last_used_at == first + datetime.timedelta(minutes=2)


def test_a_key_is_of_its_school_only(client, world):
    key = key_of(world.foreign_pupil, world.other_school)
    assert [p["id"] for p in pupils(client, key).json()] == [world.foreign_pupil.pk]
    url = reverse("api:week", args=[world.pupil.pk])
    assert client.get(url, **bearer(key)).status_code == 404


# --- The profile page -----------------------------------------------------------------------------------------


def test_the_profile_makes_a_key_and_shows_it_once(client, world):
    client.force_login(world.guardian)
    response = client.post(reverse("api:token_create"), {"name": "Семейное приложение"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:profile")
    token = ApiToken.objects.get(user=world.guardian)
    html = client.get(reverse("accounts:profile")).content.decode()
    shown = html.split('id="api-new-key">')[1].split("<")[0]
    assert services.key_hash(shown) == token.key_hash
    assert "Семейное приложение" in html and token.prefix in html
    again = client.get(reverse("accounts:profile")).content.decode()
    assert shown not in again and token.prefix in again
    assert AuditEntry.objects.filter(action="api.token.created", actor=world.guardian).count() == 1


def test_the_profile_refuses_a_key_without_a_name(client, world):
    client.force_login(world.pupil)
    response = client.post(reverse("api:token_create"), {"name": "  "}, follow=True)
    assert not ApiToken.objects.exists()
    assert "Назовите ключ" in response.content.decode()


def test_the_profile_says_when_five_keys_are_active(client, world):
    for n in range(5):
        key_of(world.pupil, world.school, name=f"Ключ {n}")
    client.force_login(world.pupil)
    response = client.post(reverse("api:token_create"), {"name": "Шестой"}, follow=True)
    assert ApiToken.objects.filter(user=world.pupil).count() == 5
    html = response.content.decode()
    assert "У вас уже 5 действующих ключей" in html
    assert reverse("api:token_create") not in html  # no form while the limit is reached


def test_the_profile_revokes_an_own_key(client, world):
    new = services.token_create(actor=world.pupil, school=world.school, name="Телефон")
    client.force_login(world.pupil)
    response = client.post(reverse("api:token_revoke", args=[new.token.pk]))
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=new.token.pk).revoked_at is not None
    assert pupils(client.__class__(), new.key).status_code == 401
    assert AuditEntry.objects.filter(action="api.token.revoked", actor=world.pupil).count() == 1


def test_another_persons_key_is_not_found(client, world):
    new = services.token_create(actor=world.pupil, school=world.school, name="Телефон")
    client.force_login(world.guardian)
    assert client.post(reverse("api:token_revoke", args=[new.token.pk])).status_code == 404
    assert ApiToken.objects.get(pk=new.token.pk).active


def test_staff_see_no_key_section_and_cannot_make_one(client, world):
    client.force_login(world.teacher)
    assert "api-keys" not in client.get(reverse("accounts:profile")).content.decode()
    assert client.post(reverse("api:token_create"), {"name": "Телефон"}).status_code == 403
