"""A fresh installation: the first school and its administrator, through a page."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Membership, PersonalDataConsent, Role, School, User

FORM = {
    "school_name": "МБОУ «Средняя общеобразовательная школа № 3»",
    "short_name": "СОШ № 3",
    "last_name": "Орлова",
    "first_name": "Ирина",
    "middle_name": "Павловна",
    "email": "orlova@school3.example",
    "username": "orlova",
    "password1": "Shkola-3-admin",
    "password2": "Shkola-3-admin",
    "consent_document": "Согласие № 1",
    "consent_signed_on": "2026-08-20",
}


def test_an_empty_installation_sends_visitors_to_the_first_run_page(client, db):
    assert client.get("/")["Location"] == reverse("accounts:welcome")
    assert client.get(reverse("accounts:welcome")).status_code == 200


def test_the_first_run_creates_the_school_and_its_admin_and_logs_in(client, db, clock):
    """R-A09: a school has at least one admin; R-B09: their consent comes first."""
    response = client.post(reverse("accounts:welcome"), FORM)
    assert response.status_code == 302
    school = School.objects.get()
    admin = User.objects.get(username="orlova")
    assert Membership.objects.filter(user=admin, school=school, role=Role.ADMIN).exists()
    assert PersonalDataConsent.objects.get(person=admin).document == "Согласие № 1"
    assert client.get("/")["Location"] == reverse("setup")
    # Gone once a school exists.
    client.logout()
    assert client.get(reverse("accounts:welcome")).status_code == 404
    assert client.post(reverse("accounts:welcome"), FORM).status_code == 404
    assert School.objects.count() == 1


def test_bad_first_run_input_is_explained_and_writes_nothing(client, db, clock):
    response = client.post(reverse("accounts:welcome"), {**FORM, "password2": "другой", "consent_document": ""})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Пароли не совпадают" in text
    assert "Обязательное поле" in text
    assert not School.objects.exists()
    assert not User.objects.exists()


def test_create_school_command_adds_a_school_with_a_temporary_admin_password(db, capsys):
    call_command(
        "create_school",
        "--name", "МБОУ «СОШ № 9»", "--short-name", "СОШ № 9",
        "--admin-last-name", "Белов", "--admin-first-name", "Игорь",
        "--consent", "Согласие № 4", "--consent-date", "2026-08-01",
    )  # fmt: skip
    out = capsys.readouterr().out
    admin = User.objects.get(last_name="Белов")
    assert admin.must_change_password
    assert admin.username in out
    with pytest.raises(Exception, match="consent-date"):
        call_command(
            "create_school", "--name", "x", "--short-name", "x", "--admin-last-name", "x",
            "--admin-first-name", "x", "--consent", "x", "--consent-date", "01.08.2026",
        )  # fmt: skip
