import pytest
from django.urls import reverse

from accounts.models import Role, User
from audit.models import AuditEntry
from tests.factories import PASSWORD, UserFactory

LOGIN_URL = "/accounts/login/"


def login(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.parametrize(
    ("role", "start"),
    [
        ("admin", "setup"),
        ("director", "reports:control"),
        ("deputy", "reports:control"),
        ("teacher", "gradebook:my_day"),
        ("class_teacher", "gradebook:my_day"),
        ("pupil", "diary:home"),
        ("guardian", "diary:home"),
    ],
)
def test_each_role_lands_on_its_own_start_page(client, world, role, start):
    response = login(client, role, PASSWORD)
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == reverse(start)
    assert client.get(reverse(start), follow=True).status_code == 200


def test_guardian_start_page_is_the_childs_diary(client, world):
    client.force_login(world.guardian)
    response = client.get(reverse("diary:home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("diary:pupil", args=[world.pupil.pk])
    assert world.pupil.get_full_name() in response.content.decode()


def test_a_person_with_two_roles_starts_at_the_first_in_order(client, world):
    """A deputy who also teaches lands on control, not on "my day"."""
    from accounts import services

    services.role_grant(actor=world.admin, school=world.school, user=world.deputy, role=Role.TEACHER)
    client.force_login(world.deputy)
    assert client.get("/")["Location"] == reverse("reports:control")


def test_wrong_password_is_refused_in_russian_and_nothing_changes(client, world):
    response = login(client, "teacher", "wrong-password")
    assert response.status_code == 200
    assert "Неверный логин или пароль" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_login_is_refused_with_the_same_message(client, world):
    response = login(client, "nobody", "whatever")
    assert "Неверный логин или пароль" in response.content.decode()


def test_repeated_failures_lock_the_login_and_ip_pair(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "teacher", "wrong").status_code == 200
    locked = login(client, "teacher", "wrong")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Вход временно заблокирован" in text
    assert "15 минут" in text
    # Even the right password is refused from that IP while the lock lasts.
    assert login(client, "teacher", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # A classmate behind the same school IP is not locked out, nor is the same login from home.
    assert login(client, "pupil", PASSWORD).status_code == 302
    client.logout()
    assert login(client, "teacher", PASSWORD, ip="10.9.9.9").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, world, clock, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "teacher", "wrong")
    assert login(client, "teacher", PASSWORD).status_code == 429
    clock.shift(settings.AXES_COOLOFF_TIME.total_seconds() + 60)
    assert login(client, "teacher", PASSWORD).status_code == 302


def test_temporary_password_must_be_changed_before_anything_else(client, world):
    """R-B13: a temporary password is changed at first login."""
    user = UserFactory(school=world.school, username="novice", roles=[Role.GUARDIAN], temporary=True)
    assert user.must_change_password
    response = login(client, "novice", PASSWORD)
    assert response.status_code == 302
    for url in ("/", reverse("diary:home"), reverse("reports:control")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:password_change")
    page = client.get(reverse("accounts:password_change"))
    assert "временным паролем" in page.content.decode()

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Rjvgjn-2026-ok", "new_password2": "Rjvgjn-2026-ok"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.check_password("Rjvgjn-2026-ok")
    assert client.get("/").status_code == 302
    assert client.get("/")["Location"] == reverse("diary:home")
    assert AuditEntry.objects.filter(action="accounts.password.changed", actor=user).count() == 1


def test_a_bad_new_password_is_explained_and_changes_nothing(client, world):
    client.force_login(world.teacher)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "not-my-password", "new_password1": "123", "new_password2": "321"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Ваш старый пароль введен неправильно" in text
    user = User.objects.get(pk=world.teacher.pk)
    assert user.check_password(PASSWORD)


def test_pupil_opening_a_staff_page_gets_403_in_russian(client, world):
    """R-A06: pupils never reach the journal's staff pages; the answer is a page, not a crash."""
    client.force_login(world.pupil)
    response = client.get(reverse("reports:control"))
    assert response.status_code == 403
    assert "Нет доступа" in response.content.decode()


def test_guardian_cannot_open_another_childs_diary(client, world):
    """R-A07: parents reach only their own children; another family's child does not even exist for them."""
    client.force_login(world.guardian)
    assert client.get(reverse("diary:pupil", args=[world.other_pupil.pk])).status_code == 404
    assert client.get(reverse("diary:pupil", args=[world.pupil.pk])).status_code == 200


def test_logout(client, world):
    client.force_login(world.teacher)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get("/")["Location"].startswith(LOGIN_URL)


def test_navigation_shows_each_role_only_what_it_may_open(client, world):
    client.force_login(world.pupil)
    text = client.get(reverse("diary:pupil", args=[world.pupil.pk])).content.decode()
    assert reverse("diary:home") in text
    assert reverse("reports:control") not in text
    assert reverse("setup") not in text

    client.force_login(world.class_teacher)
    text = client.get(reverse("gradebook:my_day")).content.decode()
    assert reverse("gradebook:my_day") in text
    assert reverse("schedule:class_detail", args=[world.school_class.pk]) in text
    assert reverse("setup") not in text

    client.force_login(world.admin)
    text = client.get(reverse("setup")).content.decode()
    assert reverse("setup") in text
    assert reverse("reports:control") in text
    assert reverse("gradebook:my_day") not in text


def test_pages_speak_russian_by_default_and_english_on_request(client, world):
    client.force_login(world.teacher)
    assert "Мой день" in client.get(reverse("gradebook:my_day")).content.decode()
    # A browser set to English still gets Russian until the user picks English.
    assert "Мой день" in client.get(reverse("gradebook:my_day"), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "My day" in client.get(reverse("gradebook:my_day")).content.decode()
