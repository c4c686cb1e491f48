"""The profile page: the person's own facts and the sections other apps register (accounts/profile.py)."""

import pytest
from django.urls import reverse

from accounts import profile

pytestmark = pytest.mark.django_db


def test_the_profile_shows_the_person_and_their_roles(client, world):
    client.force_login(world.class_teacher)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    page = response.content.decode()
    assert world.class_teacher.username in page
    assert "Учитель" in page or "учитель" in page


def test_a_registered_section_is_shown_only_where_it_applies(client, world, settings):
    section = profile.Section(
        key="test-only",
        template="accounts/_profile_test_section.html",
        context=lambda request: {"who": request.user.username} if request.user == world.guardian else None,
    )
    profile.register(section)
    try:
        client.force_login(world.guardian)
        assert [s.key for s, _ in profile.sections_for(_request(world.guardian))].count("test-only") == 1
        client.force_login(world.teacher)
        assert "test-only" not in [s.key for s, _ in profile.sections_for(_request(world.teacher))]
    finally:
        profile._sections.pop("test-only", None)


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request
