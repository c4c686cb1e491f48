"""Subjects: the school's directory (R-B04), with «without attestation» for optional courses (R-E04)."""

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEntry
from schedule.models import Subject
from schedule.services import ScheduleError
from schedule.services import classes as class_services
from schedule.services import years as year_services
from tests.factories import UserFactory


@pytest.fixture
def maths(world):
    return year_services.subject_create(actor=None, school=world.school, name="Математика", short_name="Матем.")


def test_admin_adds_a_subject_from_the_list(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("schedule:subject_add"),
        {"name": "  Основы   безопасности жизнедеятельности ", "short_name": "ОБЖ", "no_attestation": ""},
        follow=True,
    )
    assert "Предмет «Основы безопасности жизнедеятельности» добавлен" in response.content.decode()
    subject = Subject.objects.get(school=world.school)
    assert (subject.name, subject.short_name, subject.no_attestation) == (
        "Основы безопасности жизнедеятельности",
        "ОБЖ",
        False,
    )
    assert AuditEntry.objects.filter(action="schedule.subject.created", object_id=str(subject.pk)).exists()


def test_a_duplicate_subject_is_refused_whatever_the_case(client, world, maths):
    client.force_login(world.admin)
    response = client.post(reverse("schedule:subject_add"), {"name": "математика"})
    assert response.status_code == 422
    assert "Предмет «математика» уже есть" in response.content.decode()
    assert Subject.objects.count() == 1
    response = client.post(reverse("schedule:subject_add"), {"name": ""})
    assert response.status_code == 422
    # Another school has its own directory.
    year_services.subject_create(actor=None, school=world.other_school, name="Математика")


def test_admin_marks_a_subject_without_attestation(client, world, maths):
    """R-E04: the admin sets «without attestation» in the subject's settings."""
    client.force_login(world.admin)
    url = reverse("schedule:subject_edit", args=[maths.pk])
    assert 'value="Математика"' in client.get(url).content.decode()
    response = client.post(url, {"name": "Математика", "short_name": "Матем.", "no_attestation": "on"})
    assert response["Location"] == reverse("schedule:subject_list")
    maths.refresh_from_db()
    assert maths.no_attestation
    assert AuditEntry.objects.get(action="schedule.subject.changed").data == {"no_attestation": [False, True]}
    assert "без аттестации" in client.get(reverse("schedule:subject_list")).content.decode()


def test_renaming_into_another_subjects_name_is_refused(world, maths):
    physics = year_services.subject_create(actor=None, school=world.school, name="Физика")
    with pytest.raises(ScheduleError, match="уже есть"):
        year_services.subject_update(
            actor=None, subject=physics, name="МАТЕМАТИКА", short_name="", no_attestation=False
        )
    # Its own name in another case is fine.
    year_services.subject_update(actor=None, subject=maths, name="математика", short_name="", no_attestation=False)


def test_an_unused_subject_is_deleted(client, world, maths):
    client.force_login(world.admin)
    assert (
        reverse("schedule:subject_delete", args=[maths.pk])
        in client.get(reverse("schedule:subject_edit", args=[maths.pk])).content.decode()
    )
    client.post(reverse("schedule:subject_delete", args=[maths.pk]))
    assert not Subject.objects.exists()
    assert AuditEntry.objects.get(action="schedule.subject.deleted").data == {"name": "Математика"}


def test_a_subject_that_a_group_refers_to_is_not_deleted(client, world, maths):
    class_services.group_create(
        actor=None, year=world.school_class.year, name="5А математика 1", school_class=world.school_class, subject=maths
    )
    client.force_login(world.admin)
    assert (
        reverse("schedule:subject_delete", args=[maths.pk])
        not in client.get(reverse("schedule:subject_edit", args=[maths.pk])).content.decode()
    )
    response = client.post(reverse("schedule:subject_delete", args=[maths.pk]), follow=True)
    assert "ссылаются учебные группы" in response.content.decode()
    assert Subject.objects.filter(pk=maths.pk).exists()


@pytest.mark.parametrize("role", ["director", "deputy"])
def test_director_and_deputy_read_the_subjects_without_edit_buttons(client, world, maths, role):
    client.force_login(world.persona(role))
    page = client.get(reverse("schedule:subject_list")).content.decode()
    assert "Математика" in page and "Матем." in page
    assert reverse("schedule:subject_edit", args=[maths.pk]) not in page
    assert reverse("schedule:subject_add") not in page
    assert client.post(reverse("schedule:subject_add"), {"name": "Физика"}).status_code == 403
    assert Subject.objects.count() == 1


def test_teachers_and_families_get_403_and_another_schools_admin_404(client, world, maths):
    for role in ("teacher", "class_teacher", "pupil", "guardian"):
        client.force_login(world.persona(role))
        assert client.get(reverse("schedule:subject_list")).status_code == 403
    foreign_admin = UserFactory(school=world.other_school, username="foreign_admin", roles=[Role.ADMIN])
    client.force_login(foreign_admin)
    assert client.get(reverse("schedule:subject_edit", args=[maths.pk])).status_code == 404
    assert client.post(reverse("schedule:subject_delete", args=[maths.pk])).status_code == 404
    assert "Математика" not in client.get(reverse("schedule:subject_list")).content.decode()


def test_the_subject_list_takes_the_same_queries_however_many(client, world, django_assert_max_num_queries):
    client.force_login(world.admin)
    client.get(reverse("schedule:subject_list"))
    for n in range(10):
        year_services.subject_create(actor=None, school=world.school, name=f"Предмет {n}")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("schedule:subject_list")).status_code == 200
