"""The API's permission tests mirror the diary's (R-A06, R-A07, R-A03; tests/diary/test_week.py, tests/matrix/diary.py):
every endpoint × the pupil (own 200, another pupil 404), a guardian of another child (404), a guardian of two
children (both 200), and the staff through the site's session (what `diary.view_diary` gives them, answered exactly
as the diary's week page answers). A key reads its owner's family only, whatever other roles the owner holds."""

import datetime

import pytest
from django.urls import reverse

from accounts import services as accounts_services
from accounts.models import Role
from schedule.services import classes as class_services
from tests.factories import UserFactory
from tests.matrix.diary import filled_week

from .conftest import bearer, key_of

ENDPOINTS = ("api:week", "api:marks", "api:homework", "api:attendance", "api:period_marks")


@pytest.fixture
def filled(world):
    return filled_week(world)


def ask(client, name, pupil, key=None):
    headers = bearer(key) if key else {}
    return client.get(reverse(name, args=[pupil.pk]), **headers).status_code


@pytest.fixture
def parent_of_two(world):
    """A mother of the pupil (5А) and of a second child in 5Б."""
    sibling = UserFactory(school=world.school, username="sibling", roles=[Role.PUPIL])
    class_services.pupils_enroll(
        actor=None, school_class=world.other_class, pupils=[sibling], since=datetime.date(2026, 9, 1)
    )
    parent = UserFactory(school=world.school, username="parent_of_two", roles=[Role.GUARDIAN])
    for child in (world.pupil, sibling):
        accounts_services.guardian_link(actor=None, school=world.school, guardian=parent, pupil=child)
    return parent, sibling


@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_pupil_reads_their_own_diary_and_no_other_R_A06(client, world, filled, name):
    key = key_of(world.pupil, world.school)
    assert ask(client, name, world.pupil, key) == 200
    for other in (world.other_pupil, world.foreign_pupil, world.guardian):
        assert ask(client, name, other, key) == 404


@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_guardian_of_another_child_gets_404_R_A07(client, world, filled, name):
    key = key_of(world.other_guardian, world.school)
    assert ask(client, name, world.pupil, key) == 404
    assert ask(client, name, world.other_pupil, key) == 200


@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_guardian_of_two_children_reads_both_R_A07(client, world, filled, parent_of_two, name):
    parent, sibling = parent_of_two
    key = key_of(parent, world.school)
    assert ask(client, name, world.pupil, key) == 200
    assert ask(client, name, sibling, key) == 200
    assert ask(client, name, world.other_pupil, key) == 404
    # Neither child reaches the other.
    assert ask(client, name, sibling, key_of(world.pupil, world.school)) == 404


def test_a_guardian_of_two_children_lists_both(client, world, parent_of_two):
    parent, sibling = parent_of_two
    data = client.get(reverse("api:pupils"), **bearer(key_of(parent, world.school))).json()
    assert {p["id"] for p in data} == {world.pupil.pk, sibling.pk}
    assert {p["id"]: p["class_name"] for p in data}[sibling.pk] == "5Б"


STAFF = {
    # role: (own pupil of 5А, another family's pupil of 5Б, a pupil of another school) as the diary answers
    "admin": (200, 200, 404),
    "director": (200, 200, 404),
    "deputy": (200, 200, 404),
    "class_teacher": (200, 403, 404),  # leads 5А
    "teacher": (403, 403, 404),  # teaches, leads no class
    "other_teacher": (403, 200, 404),  # leads 5Б
    "foreign_teacher": (404, 404, 200),
}


@pytest.mark.parametrize("role", sorted(STAFF))
@pytest.mark.parametrize("name", ENDPOINTS)
def test_staff_read_what_diary_view_diary_gives_them_R_A03(client, world, filled, role, name):
    client.force_login(getattr(world, role))
    pupils = (world.pupil, world.other_pupil, world.foreign_pupil)
    assert tuple(ask(client, name, p) for p in pupils) == STAFF[role]


@pytest.mark.parametrize("role", ["pupil", "guardian", "other_guardian", *sorted(STAFF)])
def test_the_api_answers_as_the_diarys_week_page(client, world, filled, role):
    """The same user, the same pupil: the API's status is the diary page's, for every endpoint."""
    client.force_login(getattr(world, role))
    for pupil in (world.pupil, world.other_pupil, world.foreign_pupil):
        page = client.get(reverse("diary:pupil", args=[pupil.pk])).status_code
        assert {ask(client, name, pupil) for name in ENDPOINTS} == {page}, (role, pupil.username)


def test_a_key_reads_the_family_only_though_its_owner_is_also_staff(client, world, filled):
    """A deputy who is also the pupil's mother reads every diary on the site; her key reads her child's only."""
    mother = UserFactory(school=world.school, username="deputy_mother", roles=[Role.DEPUTY, Role.GUARDIAN])
    accounts_services.guardian_link(actor=None, school=world.school, guardian=mother, pupil=world.pupil)
    key = key_of(mother, world.school)
    assert ask(client, "api:week", world.pupil, key) == 200
    assert ask(client, "api:week", world.other_pupil, key) == 404
    client.force_login(mother)
    assert ask(client, "api:week", world.other_pupil) == 200


def test_staff_get_an_empty_list_of_pupils(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("api:pupils")).json() == []


@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_visitor_gets_401(client, world, name):
    assert ask(client, name, world.pupil) == 401


def file_status(client, pupil, file, key=None) -> int:
    headers = bearer(key) if key else {}
    return client.get(reverse("api:file", args=[pupil.pk, file.pk]), **headers).status_code


def test_a_homework_file_downloads_with_the_key_as_in_the_diary_R_A06_R_A07(client, world, filled, parent_of_two):
    """The file of a lesson of the pupil's: their own key and their parent's read it, with its name; another
    family's key, another pupil's id, and a key of a child of the same parent (a sibling) get 404."""
    parent, sibling = parent_of_two
    for key in (key_of(world.pupil, world.school), key_of(world.guardian, world.school), key_of(parent, world.school)):
        response = client.get(reverse("api:file", args=[world.pupil.pk, filled.file.pk]), **bearer(key))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 the task"
        assert "attachment" in response["Content-Disposition"]
    assert file_status(client, world.pupil, filled.file, key_of(world.other_guardian, world.school)) == 404
    assert file_status(client, world.other_pupil, filled.file, key_of(world.other_pupil, world.school)) == 404
    # The sibling in 5Б has no such lesson: the same parent's key does not reach the file through them.
    assert file_status(client, sibling, filled.file, key_of(parent, world.school, name="Второй")) == 404
    assert file_status(client, world.pupil, filled.file) == 401


def test_a_homework_file_is_listed_with_its_address(client, world, filled):
    key = key_of(world.pupil, world.school)
    week = client.get(reverse("api:week", args=[world.pupil.pk]), {"date": "2026-11-16"}, **bearer(key)).json()
    lessons = [lesson for day in week["days"] for lesson in day["lessons"]]
    homework = [lesson["homework"] for lesson in lessons if lesson["homework"]] + [h for x in lessons for h in x["due"]]
    urls = {f["url"] for h in homework for f in h["files"]}
    assert urls == {reverse("api:file", args=[world.pupil.pk, filled.file.pk])}
    assert client.get(urls.pop(), HTTP_ACCEPT="application/pdf", **bearer(key)).status_code == 200


@pytest.mark.parametrize("role", sorted(STAFF))
def test_staff_download_a_file_as_the_diary_gives_it_to_them_R_A03(client, world, filled, role):
    client.force_login(getattr(world, role))
    page = client.get(reverse("diary:homework_file", args=[world.pupil.pk, filled.file.pk])).status_code
    assert file_status(client, world.pupil, filled.file) == page
