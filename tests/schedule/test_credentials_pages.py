"""Credentials pages (R-B11..B15): a class's slips, the staff's, one person's reissue, emails."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.models import CredentialIssue, GuardianLink, Role, User
from audit.models import AuditEntry
from ejournal.clock import now
from schedule.services import classes as class_services
from tests.accounts.test_credentials import pdf_text, slip_credentials
from tests.factories import PASSWORD, UserFactory

LOGIN_URL = "/accounts/login/"


@pytest.fixture(autouse=True)
def _no_email_window():
    cache.clear()
    yield
    cache.clear()


def class_url(name, w, school_class=None):
    return reverse(f"schedule:credentials_class{name}", args=[(school_class or w.school_class).pk])


def login(client, username, password):
    client.logout()
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR="10.1.1.1")


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_class_teacher_prints_the_slips_and_a_guardian_logs_in_with_the_temporary_password(client, world):
    """Done means: the class teacher prints 5А's slips and the guardian logs in with the temporary password,
    then must choose their own (R-B12, R-B13)."""
    client.force_login(world.class_teacher)
    page = client.get(class_url("", world))
    assert page.status_code == 200
    text = page.content.decode()
    assert world.pupil.get_full_name() in text and world.guardian.get_full_name() in text
    assert world.other_guardian.get_full_name() not in text
    assert "перестают действовать" in text  # printing issues NEW passwords: the page says so

    response = client.post(class_url("_print", world), {"people": [world.pupil.pk, world.guardian.pk]})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    pdf_words = " ".join(pdf_text(response.content).split())
    assert "МБОУ «Гимназия № 5»" in pdf_words
    assert f"Родитель: {world.pupil.last_name} {world.pupil.first_name}, 5А" in pdf_words
    assert "Обучающийся, класс 5А" in pdf_words
    assert "http://testserver/" in pdf_words
    found = slip_credentials(response.content)
    assert set(found) == {world.pupil.username, world.guardian.username}

    assert login(client, world.guardian.username, PASSWORD).status_code == 200  # the old password no longer works
    response = login(client, world.guardian.username, found[world.guardian.username])
    assert response.status_code == 302
    assert client.get(reverse("diary:home"))["Location"] == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": found[world.guardian.username],
            "new_password1": "Moi-parol-2026",
            "new_password2": "Moi-parol-2026",
        },
    )
    assert response.status_code == 302
    assert client.get("/")["Location"] == reverse("diary:home")


def test_the_class_page_ticks_people_never_issued_and_shows_each_status(client, world, clock):
    """R-B14, R-B15: never issued / issued on a date / active, and overdue after the deadlines."""
    client.force_login(world.admin)
    client.post(reverse("schedule:credentials_person_print", args=[world.guardian.pk]))
    clock.move_to(datetime.datetime(2026, 11, 27, 9, 0, tzinfo=datetime.UTC))  # 8 working days later
    client.force_login(world.admin)  # a new session (sessions end when idle, issue 10 item 5)
    page = client.get(class_url("", world)).content.decode()
    assert re.search(rf'name="people" value="{world.pupil.pk}"[^>]*checked', page)  # never issued: ticked
    assert not re.search(rf'name="people" value="{world.guardian.pk}"[^>]*checked', page)
    assert "выданы 17.11.2026, не активированы к 26.11.2026" in page
    assert "не выданы, срок был 24.11.2026" in page

    User.objects.filter(pk=world.guardian.pk).update(must_change_password=False, last_login=now())
    page = client.get(class_url("", world)).content.decode()
    assert "активна: пароль сменён" in page


def test_class_teacher_cannot_issue_to_another_class_nor_to_staff(client, world):
    """R-B11, R-B12: the class teacher of 5А reaches 5А's pupils and parents only."""
    client.force_login(world.class_teacher)
    # Another class's page and its actions.
    assert client.get(class_url("", world, world.other_class)).status_code == 403
    assert (
        client.post(class_url("_print", world, world.other_class), {"people": [world.other_pupil.pk]}).status_code
        == 403
    )
    # Ids smuggled into the own class's form are refused whole: nothing is issued, not even to the own pupil.
    response = client.post(
        class_url("_print", world), {"people": [world.pupil.pk, world.other_guardian.pk]}, follow=True
    )
    assert response.redirect_chain[-1][0] == class_url("", world)
    assert "ничего не сделано" in messages_of(response)
    assert not CredentialIssue.objects.exists()
    # One person's reissue.
    for person in (world.other_pupil, world.other_guardian, world.teacher):
        assert client.get(reverse("schedule:credentials_person", args=[person.pk])).status_code == 403
        assert client.post(reverse("schedule:credentials_person_print", args=[person.pk])).status_code == 403
        assert client.post(reverse("schedule:credentials_person_email", args=[person.pk])).status_code == 403
    # The staff page.
    assert client.get(reverse("schedule:credentials_staff")).status_code == 403
    assert client.post(reverse("schedule:credentials_staff_print"), {"people": [world.teacher.pk]}).status_code == 403
    for person in (world.other_pupil, world.other_guardian, world.teacher):
        person.refresh_from_db()
        assert person.check_password(PASSWORD)


def test_a_colleague_who_is_a_parent_in_the_class_is_listed_but_left_to_the_admin(client, world):
    """R-B11: the teacher whose child is in 5А appears as a parent, without a checkbox for the class teacher."""
    services.role_grant(actor=world.admin, school=world.school, user=world.teacher, role=Role.GUARDIAN)
    services.guardian_link(actor=world.admin, school=world.school, guardian=world.teacher, pupil=world.pupil)
    client.force_login(world.class_teacher)
    page = client.get(class_url("", world)).content.decode()
    assert world.teacher.get_full_name() in page
    assert f'value="{world.teacher.pk}"' not in page
    assert "сотрудникам выдаёт администратор" in page
    response = client.post(class_url("_print", world), {"people": [world.teacher.pk]})
    assert response.status_code == 302
    assert client.get(reverse("schedule:credentials_person", args=[world.teacher.pk])).status_code == 403
    world.teacher.refresh_from_db()
    assert world.teacher.check_password(PASSWORD)
    # The admin sees the same row with a checkbox.
    client.force_login(world.admin)
    assert f'value="{world.teacher.pk}"' in client.get(class_url("", world)).content.decode()


@pytest.mark.parametrize("role", ["teacher", "pupil", "guardian", "director", "deputy"])
def test_people_who_do_not_hand_out_credentials_get_403(client, world, role):
    client.force_login(world.persona(role))
    assert client.get(class_url("", world)).status_code == 403
    assert client.post(class_url("_print", world), {"people": [world.guardian.pk]}).status_code == 403
    assert client.post(class_url("_email", world), {"people": [world.guardian.pk]}).status_code == 403
    assert client.get(reverse("schedule:credentials_staff")).status_code == 403
    assert client.post(reverse("schedule:credentials_person_print", args=[world.guardian.pk])).status_code == 403
    world.guardian.refresh_from_db()
    assert world.guardian.check_password(PASSWORD)


def test_another_schools_class_and_person_are_not_found(client, world):
    client.force_login(world.admin)
    assert client.get(class_url("", world, world.foreign_class)).status_code == 404
    assert (
        client.post(class_url("_print", world, world.foreign_class), {"people": [world.foreign_pupil.pk]}).status_code
        == 404
    )
    assert client.post(reverse("schedule:credentials_person_print", args=[world.foreign_pupil.pk])).status_code == 404
    world.foreign_pupil.refresh_from_db()
    assert world.foreign_pupil.check_password(PASSWORD)


def test_the_admin_prints_staff_slips(client, world):
    """R-B11: staff credentials come from the admin; the admin's own row has no checkbox."""
    client.force_login(world.admin)
    page = client.get(reverse("schedule:credentials_staff")).content.decode()
    assert f'value="{world.teacher.pk}"' in page and f'value="{world.admin.pk}"' not in page
    assert world.pupil.get_full_name() not in page
    assert reverse("schedule:credentials_class", args=[world.school_class.pk]) in page
    response = client.post(reverse("schedule:credentials_staff_print"), {"people": [world.teacher.pk, world.deputy.pk]})
    assert response.status_code == 200
    found = slip_credentials(response.content)
    assert set(found) == {"teacher", "deputy"}
    assert "Не допускайте учащихся" in " ".join(pdf_text(response.content).split())
    assert login(client, "teacher", found["teacher"]).status_code == 302


def test_nothing_ticked_is_refused_with_a_message_and_nothing_changes(client, world):
    client.force_login(world.class_teacher)
    response = client.post(class_url("_print", world), {}, follow=True)
    assert "Выберите хотя бы одного человека" in messages_of(response)
    response = client.post(class_url("_email", world), {"people": ["abc"]}, follow=True)
    assert "ничего не сделано" in messages_of(response)
    assert not CredentialIssue.objects.exists()


def test_reissue_on_loss_makes_the_old_slip_fail(client, world):
    """R-B12: a parent who lost the slip gets a new one in a minute; the lost one no longer opens the account."""
    client.force_login(world.class_teacher)
    url = reverse("schedule:credentials_person_print", args=[world.guardian.pk])
    first = slip_credentials(client.post(url).content)[world.guardian.username]
    page = client.get(reverse("schedule:credentials_person", args=[world.guardian.pk])).content.decode()
    assert "17.11.2026" in page and "распечатка" in page
    second = slip_credentials(client.post(url).content)[world.guardian.username]
    assert first != second
    assert login(client, world.guardian.username, first).status_code == 200
    assert login(client, world.guardian.username, second).status_code == 302


def test_email_from_the_class_page_reaches_each_own_address_once(client, world, django_capture_on_commit_callbacks):
    """R-B13: sent individually to the person's own address; those without one are refused before queuing."""
    User.objects.filter(pk=world.pupil.pk).update(email="")
    client.force_login(world.class_teacher)
    data = {"people": [world.pupil.pk, world.guardian.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(class_url("_email", world), data, follow=True)
    text = messages_of(response)
    assert "Отправляется 1 письмо" in text
    assert f"Нет адреса электронной почты, ничего не отправлено: {world.pupil.get_full_name()}" in text
    [message] = mail.outbox
    assert message.to == [world.guardian.email]
    password = re.search(r"Временный пароль: (\S+)", message.body)[1]
    assert "http://testserver/" in message.body
    entry = AuditEntry.objects.get(action="accounts.credentials.issued")
    assert password not in str(entry.data)
    # A double click: the second one within the window sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(class_url("_email", world), data, follow=True)
    assert "повторно не отправляется" in messages_of(response)
    assert len(mail.outbox) == 1
    assert login(client, world.guardian.username, password).status_code == 302


def test_person_page_offers_email_only_with_an_address(client, world):
    User.objects.filter(pk=world.pupil.pk).update(email="")
    client.force_login(world.admin)
    page = client.get(reverse("schedule:credentials_person", args=[world.pupil.pk])).content.decode()
    assert "возможен только печатный листок" in page
    assert reverse("schedule:credentials_person_email", args=[world.pupil.pk]) not in page
    own = client.get(reverse("schedule:credentials_person", args=[world.admin.pk])).content.decode()
    assert "Это вы" in own
    response = client.post(reverse("schedule:credentials_person_print", args=[world.admin.pk]), follow=True)
    assert "Это вы" in messages_of(response)
    world.admin.refresh_from_db()
    assert world.admin.check_password(PASSWORD)


def test_the_actions_refuse_get(client, world):
    client.force_login(world.admin)
    assert client.get(class_url("_print", world)).status_code == 405
    assert client.get(reverse("schedule:credentials_staff_email")).status_code == 405
    assert client.get(reverse("schedule:credentials_person_print", args=[world.pupil.pk])).status_code == 405
    assert client.post(class_url("", world)).status_code == 405


def _families(world, count: int) -> None:
    for _ in range(count):
        pupil = UserFactory(school=world.school, roles=[Role.PUPIL], password=None)
        parent = UserFactory(school=world.school, roles=[Role.GUARDIAN], password=None)
        class_services.pupils_enroll(
            actor=None, school_class=world.school_class, pupils=[pupil], since=datetime.date(2026, 9, 1)
        )
        services.guardian_link(
            actor=None, school=world.school, guardian=parent, pupil=pupil, relation=GuardianLink.Relation.FATHER
        )


def test_the_class_page_costs_the_same_queries_for_5_and_25_pupils(client, world):
    client.force_login(world.class_teacher)
    url = class_url("", world)
    client.get(url)  # the session and the caches warm up
    _families(world, 4)
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    _families(world, 20)
    with CaptureQueriesContext(connection) as twenty_five:
        page = client.get(url)
    assert page.content.decode().count('name="people"') == 50
    assert len(twenty_five) == len(five) <= 11


def test_printing_a_whole_class_costs_the_same_queries_for_5_and_25_pupils(client, world):
    client.force_login(world.class_teacher)
    url = class_url("_print", world)
    client.post(url, {"people": [world.pupil.pk]})  # the session and the caches warm up

    def print_everybody():
        ids = [p.pk for p in User.objects.filter(enrollments__school_class=world.school_class)]
        ids += [g for (g,) in GuardianLink.objects.filter(pupil_id__in=ids).values_list("guardian_id")]
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, {"people": ids})
        assert len(slip_credentials(response.content)) == len(ids)
        return len(queries)

    _families(world, 4)
    five = print_everybody()
    _families(world, 20)
    assert print_everybody() == five
