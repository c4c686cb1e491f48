"""The permission layer: predicates over memberships loaded once, scoping by school, and what each role may see."""

import datetime

import pytest
from django.urls import reverse

from accounts import services
from accounts.access import access
from accounts.models import GuardianLink, Membership, Role
from audit.models import AuditEntry
from schedule.models import SchoolClass
from schedule.services import classes as class_services
from tests.factories import PASSWORD, UserFactory


def test_has_perm_asked_many_times_costs_no_query_after_the_first(world, django_assert_max_num_queries):
    user = world.guardian
    # The first round loads memberships, children and led classes once.
    user.has_perm("diary.view_diary", world.pupil)
    user.has_perm("diary.view_diary", world.other_pupil)
    with django_assert_max_num_queries(0):
        for _ in range(50):
            assert user.has_perm("diary.view_diary", world.pupil)
            assert not user.has_perm("diary.view_diary", world.other_pupil)
            assert not user.has_perm("reports.view_control")


def test_roles_are_per_school(world):
    """An admin of one school is nobody in another: the object's school decides."""
    services.role_grant(actor=None, school=world.other_school, user=world.teacher, role=Role.PUPIL)
    a = access(world.teacher)
    assert a.roles_in(world.school.pk) == {Role.TEACHER}
    assert a.roles_in(world.other_school.pk) == {Role.PUPIL}
    assert world.admin.has_perm("schedule.view_class", world.school_class)
    assert not world.admin.has_perm("schedule.view_class", world.foreign_class)


def test_readers_see_every_diary_of_their_school_only(world):
    """R-A03: admin, director and deputy read every diary of their school."""
    for reader in (world.admin, world.director, world.deputy):
        assert reader.has_perm("diary.view_diary", world.pupil)
        assert reader.has_perm("diary.view_diary", world.other_pupil)


def test_class_teacher_sees_own_class_and_its_pupils_only(world):
    """R-A05: the class teacher sees their own class; R-B10: its pupils' and parents' data."""
    ct = world.class_teacher
    assert ct.has_perm("schedule.view_class", world.school_class)
    assert not ct.has_perm("schedule.view_class", world.other_class)
    assert ct.has_perm("diary.view_diary", world.pupil)
    assert not ct.has_perm("diary.view_diary", world.other_pupil)
    assert not world.teacher.has_perm("diary.view_diary", world.pupil)


def test_a_pupil_who_left_the_class_is_no_longer_the_class_teachers(world, clock):
    """Enrollment dates decide: after the pupil moves to 5Б, 5А's class teacher no longer sees them."""
    from schedule.models import Enrollment

    Enrollment.objects.filter(pupil=world.pupil).update(until=datetime.date(2026, 11, 10))
    class_services.pupils_enroll(
        actor=world.admin, school_class=world.other_class, pupils=[world.pupil], since=datetime.date(2026, 11, 11)
    )
    world.class_teacher.__dict__.pop("_ej_led_classes", None)
    assert not world.class_teacher.has_perm("diary.view_diary", world.pupil)
    assert world.other_teacher.has_perm("diary.view_diary", world.pupil)


def test_pupil_sees_only_self_and_guardian_only_own_children(world):
    """R-A06, R-A07."""
    assert world.pupil.has_perm("diary.view_diary", world.pupil)
    assert not world.pupil.has_perm("diary.view_diary", world.other_pupil)
    assert world.guardian.has_perm("diary.view_diary", world.pupil)
    assert not world.guardian.has_perm("diary.view_diary", world.other_pupil)
    assert not world.other_guardian.has_perm("diary.view_diary", world.pupil)


def test_a_guardian_of_two_children_switches_between_them(client, world):
    """R-A07: a parent with several children sees each of them, and only them."""
    second = UserFactory(school=world.school, username="second_child", roles=[Role.PUPIL])
    services.guardian_link(actor=world.admin, school=world.school, guardian=world.guardian, pupil=second)
    client.force_login(world.guardian)
    page = client.get(reverse("diary:pupil", args=[world.pupil.pk])).content.decode()
    assert reverse("diary:pupil", args=[second.pk]) in page
    assert client.get(reverse("diary:pupil", args=[second.pk])).status_code == 200
    assert client.get(reverse("diary:pupil", args=[world.other_pupil.pk])).status_code == 404


def test_school_owned_rows_are_scoped_by_school(world):
    assert set(SchoolClass.objects.for_school(world.school)) == {world.school_class, world.other_class}
    assert set(SchoolClass.objects.for_school(world.other_school)) == {world.foreign_class}
    assert not Membership.objects.for_school(world.other_school).filter(user=world.admin).exists()


def test_access_is_not_limited_by_day_or_hour(client, world, clock):
    """R-A08: the journal is open every day, around the clock (Sunday 03:00 here)."""
    clock.move_to(datetime.datetime(2026, 11, 22, 0, 0, tzinfo=datetime.UTC))
    response = client.post(reverse("accounts:login"), {"username": "teacher", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("gradebook:my_day")).status_code == 200


def test_a_person_without_a_school_gets_403_not_a_crash(client, db):
    from accounts.models import User

    user = User.objects.create_user("orphan", password=PASSWORD)
    client.force_login(user)
    assert client.get("/").status_code == 403
    assert client.get(reverse("gradebook:my_day")).status_code == 403


@pytest.mark.parametrize(
    ("url_name", "persona", "queries"),
    [
        ("gradebook:my_day", "teacher", 7),
        ("reports:control", "deputy", 9),
        ("setup", "admin", 18),
        ("diary:home", "guardian", 6),
    ],
)
def test_start_pages_use_a_fixed_number_of_queries(
    client, world, url_name, persona, queries, django_assert_max_num_queries
):
    client.force_login(getattr(world, persona))
    with django_assert_max_num_queries(queries):
        assert client.get(reverse(url_name)).status_code in (200, 302)


def test_class_page_queries_do_not_grow_with_the_class(client, world, django_assert_max_num_queries):
    many = [UserFactory(school=world.school, username=f"kid{i}", roles=[Role.PUPIL]) for i in range(15)]
    parent = UserFactory(school=world.school, username="many_parent", roles=[Role.GUARDIAN])
    class_services.pupils_enroll(
        actor=world.admin, school_class=world.school_class, pupils=many, since=datetime.date(2026, 9, 1)
    )
    services.guardian_links_bulk_create(
        actor=world.admin, school=world.school, links=[(parent, kid, GuardianLink.Relation.OTHER) for kid in many]
    )
    client.force_login(world.class_teacher)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("schedule:class_detail", args=[world.school_class.pk]))
    assert page.status_code == 200
    assert page.content.decode().count("many_parent") == 0  # parents are shown by name, not login
    assert page.content.decode().count(parent.last_name) >= 15


def test_audit_entries_cannot_be_changed_or_deleted(world):
    entry = AuditEntry.objects.filter(action="accounts.people.created").first()
    entry.action = "something.else"
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()


def test_audit_masks_secrets(world):
    from audit.log import record

    entry = record(actor=world.admin, school=world.school, action="test", data={"password": "x", "login": "y"})
    assert entry.data == {"password": "***", "login": "y"}


def test_a_teacher_of_two_schools_switches_between_them(client, world):
    services.role_grant(actor=None, school=world.other_school, user=world.teacher, role=Role.DEPUTY)
    client.force_login(world.teacher)
    page = client.get(reverse("gradebook:my_day")).content.decode()
    assert world.other_school.short_name in page  # the switcher offers both
    response = client.post(reverse("accounts:school_switch"), {"school": world.other_school.pk})
    assert response["Location"] == reverse("home")
    assert client.get("/")["Location"] == reverse("reports:control")  # a deputy there
    # Only own schools: anything else is unknown.
    assert client.post(reverse("accounts:school_switch"), {"school": "x"}).status_code == 404


def test_a_class_teacher_never_resets_a_colleagues_password(world):
    """R-B11, R-B12: a colleague who is also a parent in the class is still staff; only the admin issues to them."""
    from accounts.models import GuardianLink

    services.role_grant(actor=None, school=world.school, user=world.teacher, role=Role.GUARDIAN)
    services.guardian_link(
        actor=None,
        school=world.school,
        guardian=world.teacher,
        pupil=world.pupil,
        relation=GuardianLink.Relation.FATHER,
    )
    assert world.class_teacher.has_perm("accounts.issue_credentials", world.guardian)
    assert not world.class_teacher.has_perm("accounts.issue_credentials", world.teacher)
    assert world.admin.has_perm("accounts.issue_credentials", world.teacher)
