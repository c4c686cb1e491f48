"""Credentials (R-B11..B15): temporary passwords, their issue, the slips' PDF, the email task, the statuses."""

import datetime
import re
import smtplib
import subprocess
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.cache import cache

from accounts import services
from accounts.credentials import (
    ALPHABET,
    PASSWORD_LENGTH,
    Status,
    add_working_days,
    credential_state,
    credentials_issue,
    temporary_password,
    with_credential_facts,
)
from accounts.models import CredentialIssue, GuardianLink, Role, User
from accounts.services import AccountsError
from accounts.slips import Slip, render_slips
from accounts.tasks import issue_credentials_by_email
from audit.models import AuditEntry
from tests.factories import PASSWORD

SLIP = CredentialIssue.Channel.SLIP
EMAIL = CredentialIssue.Channel.EMAIL


@pytest.fixture(autouse=True)
def _no_email_window():
    """The double-click guard of the email action lives in the shared cache: start every test without it."""
    cache.clear()
    yield
    cache.clear()


def pdf_text(pdf: bytes) -> str:
    """The PDF's text as laid out on the page (poppler's pdftotext)."""
    assert pdf.startswith(b"%PDF-")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "slips.pdf"
        path.write_bytes(pdf)
        return subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout


def slip_credentials(pdf: bytes) -> dict[str, str]:
    """login → password, read off the slips. Slips stand two in a row, so each value belongs to its column."""
    pending: dict[bool, str] = {}
    found = {}
    for line in pdf_text(pdf).splitlines():
        for m in re.finditer(r"(Логин|Пароль)\s+(\S+)", line):
            column = m.start() > 30
            if m[1] == "Логин":
                pending[column] = m[2]
            else:
                found[pending.pop(column)] = m[2]
    return found


def state(person: User, school, day: datetime.date):
    person = with_credential_facts(User.objects.filter(pk=person.pk), school=school).get()
    return credential_state(person, school=school, day=day)


# --- The temporary password ----------------------------------------------------------------------------------


def test_temporary_password_is_phone_friendly_and_has_no_look_alikes():
    """R-B13: 10 lower-case characters and digits, none of 0/O/o, 1/l/I, nor letters that look Cyrillic."""
    passwords = {temporary_password() for _ in range(300)}
    assert len(passwords) == 300  # random, not a sequence
    for p in passwords:
        assert len(p) == PASSWORD_LENGTH == 10
        assert set(p) <= set(ALPHABET)
        assert not set(p) & set("0Oo1lIiaceopxykABCEHKMOPTX")
        assert any(c.isdigit() for c in p) and any(c.isalpha() for c in p)
        assert p == p.lower()


def test_temporary_password_passes_the_sites_password_validators(world):
    for _ in range(50):
        validate_password(temporary_password(world.guardian), world.guardian)


# --- Issue ---------------------------------------------------------------------------------------------------


def test_issue_sets_a_working_temporary_password_and_records_it_without_the_password(world):
    """R-B13: a temporary password each, to be changed at first login; the audit has ids and counts only."""
    issued = credentials_issue(
        actor=world.admin, school=world.school, people=[world.pupil, world.guardian], channel=SLIP
    )
    assert [p for p, _pw in issued] == [world.pupil, world.guardian]
    assert issued[0][1] != issued[1][1]
    for person, password in issued:
        person.refresh_from_db()
        assert person.check_password(password)
        assert not person.check_password(PASSWORD)
        assert person.must_change_password
    rows = CredentialIssue.objects.filter(school=world.school)
    assert {(r.person_id, r.issued_by_id, r.channel) for r in rows} == {
        (world.pupil.pk, world.admin.pk, SLIP),
        (world.guardian.pk, world.admin.pk, SLIP),
    }
    entry = AuditEntry.objects.get(action="accounts.credentials.issued")
    assert entry.actor == world.admin
    assert entry.data == {"channel": SLIP, "count": 2, "person_ids": [world.pupil.pk, world.guardian.pk]}
    for _person, password in issued:
        assert password not in str(entry.data)


def test_reissue_on_loss_makes_the_old_password_fail(world):
    """R-B12: reissue is the same action; only the newest password works."""
    [(_p, first)] = credentials_issue(
        actor=world.class_teacher, school=world.school, people=[world.guardian], channel=SLIP
    )
    [(_p, second)] = credentials_issue(
        actor=world.class_teacher, school=world.school, people=[world.guardian], channel=SLIP
    )
    world.guardian.refresh_from_db()
    assert not world.guardian.check_password(first)
    assert world.guardian.check_password(second)
    assert CredentialIssue.objects.filter(person=world.guardian).count() == 2


def test_only_the_admin_issues_staff_credentials_even_to_a_colleague_who_is_a_parent(world):
    """R-B11: a teacher whose child is in 5А is a parent there, but their password is the admin's to reset."""
    services.role_grant(actor=world.admin, school=world.school, user=world.teacher, role=Role.GUARDIAN)
    services.guardian_link(actor=world.admin, school=world.school, guardian=world.teacher, pupil=world.pupil)
    with pytest.raises(AccountsError, match="сотрудникам выдаёт администратор"):
        credentials_issue(actor=world.class_teacher, school=world.school, people=[world.teacher], channel=SLIP)
    world.teacher.refresh_from_db()
    assert world.teacher.check_password(PASSWORD)
    [(_p, password)] = credentials_issue(actor=world.admin, school=world.school, people=[world.teacher], channel=SLIP)
    world.teacher.refresh_from_db()
    assert world.teacher.check_password(password)


def test_issue_is_all_or_nothing_and_refuses_another_schools_person(world):
    with pytest.raises(AccountsError, match="Не состоит в этой школе"):
        credentials_issue(
            actor=world.admin, school=world.school, people=[world.pupil, world.foreign_pupil], channel=SLIP
        )
    world.pupil.refresh_from_db()
    assert world.pupil.check_password(PASSWORD)
    assert not CredentialIssue.objects.exists()
    assert not AuditEntry.objects.filter(action="accounts.credentials.issued").exists()


def test_nobody_issues_a_temporary_password_to_themselves(world):
    with pytest.raises(AccountsError, match="самому себе"):
        credentials_issue(actor=world.admin, school=world.school, people=[world.admin], channel=SLIP)


def test_issue_refuses_an_unknown_channel_and_an_empty_list(world):
    with pytest.raises(AccountsError):
        credentials_issue(actor=world.admin, school=world.school, people=[world.pupil], channel="pigeon")
    with pytest.raises(AccountsError):
        credentials_issue(actor=world.admin, school=world.school, people=[], channel=SLIP)


# --- Slips ---------------------------------------------------------------------------------------------------


def test_slips_pdf_has_eight_slips_a_page_with_the_schools_name_and_a_cyrillic_font(world):
    slips = [Slip(f"Иванова Мария {n}", "Обучающийся, класс 5А", f"ivanova.m{n}", f"bd{n}fg{n}hjm") for n in range(9)]
    pdf = render_slips(school=world.school, slips=slips, portal_url="https://journal.example.ru/")
    text = pdf_text(pdf)
    assert text.count("\f") == 2  # two pages: 8 + 1
    assert "МБОУ «Гимназия № 5»" in text
    assert "Обучающийся, класс 5А" in text
    assert "https://journal.example.ru/" in text
    assert "придумать собственный пароль" in text
    assert slip_credentials(pdf) == {f"ivanova.m{n}": f"bd{n}fg{n}hjm" for n in range(9)}
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        fonts = subprocess.run(["pdffonts", f.name], capture_output=True, check=True, text=True).stdout
    assert "PT-Sans" in fonts and "PT-Mono" in fonts


def test_staff_slips_forbid_letting_pupils_work_under_the_login(world):
    """Seed 001: pupils are never let into the electronic journal."""
    pdf = render_slips(
        school=world.school,
        slips=[Slip("Петров Сергей Иванович", "Учитель", "petrov.si", "bdfg23hjmn", staff=True)],
        portal_url="https://journal.example.ru/",
    )
    assert "Не допускайте учащихся" in " ".join(pdf_text(pdf).split())


# --- Statuses (R-B14, R-B15) ---------------------------------------------------------------------------------


def test_working_days_skip_saturday_and_sunday():
    friday = datetime.date(2026, 11, 20)
    assert add_working_days(friday, 1) == datetime.date(2026, 11, 23)
    assert add_working_days(datetime.date(2026, 11, 17), 7) == datetime.date(2026, 11, 26)


def test_issued_credentials_are_overdue_after_7_working_days_without_activation(world, clock):
    """R-B15: issued on Tuesday 17.11; the weekend does not count, so the 7th working day is Thursday 26.11."""
    credentials_issue(actor=world.admin, school=world.school, people=[world.guardian], channel=SLIP)
    s = state(world.guardian, world.school, datetime.date(2026, 11, 26))
    assert (s.status, s.issued_on, s.due, s.overdue) == (
        Status.ISSUED,
        datetime.date(2026, 11, 17),
        datetime.date(2026, 11, 26),
        False,
    )
    assert state(world.guardian, world.school, datetime.date(2026, 11, 27)).overdue


def test_nothing_issued_is_overdue_7_days_after_the_data_was_entered(world):
    """R-B14: the world's people were entered on 17.11."""
    s = state(world.pupil, world.school, datetime.date(2026, 11, 24))
    assert (s.status, s.due, s.overdue) == (Status.NEVER, datetime.date(2026, 11, 24), False)
    assert state(world.pupil, world.school, datetime.date(2026, 11, 25)).overdue


def test_an_account_is_active_once_its_owner_chose_their_own_password(world, clock):
    credentials_issue(actor=world.admin, school=world.school, people=[world.guardian], channel=SLIP)
    world.guardian.refresh_from_db()
    clock.move_to(datetime.datetime(2026, 12, 10, 9, 0, tzinfo=datetime.UTC))
    services.password_change(user=world.guardian, new_password="Svoi-parol-2026")
    User.objects.filter(pk=world.guardian.pk).update(last_login=datetime.datetime(2026, 12, 10, tzinfo=datetime.UTC))
    s = state(world.guardian, world.school, datetime.date(2026, 12, 10))
    assert (s.status, s.overdue) == (Status.ACTIVE, False)
    # A reissue (the slip was lost) puts the account back to "issued".
    credentials_issue(actor=world.admin, school=world.school, people=[world.guardian], channel=SLIP)
    assert state(world.guardian, world.school, datetime.date(2026, 12, 10)).status == Status.ISSUED


# --- Email (R-B13: individually, to the person's own address) -------------------------------------------------


def test_the_email_task_issues_the_password_in_the_worker_and_sends_it_to_the_person(world):
    assert issue_credentials_by_email.delay(
        world.guardian.pk, world.class_teacher.pk, world.school.pk, "http://x/"
    ).get()
    [message] = mail.outbox
    assert message.to == [world.guardian.email]
    assert message.subject == "Ваш вход в электронный журнал"
    assert world.guardian.username in message.body and "http://x/" in message.body
    password = re.search(r"Временный пароль: (\S+)", message.body)[1]
    world.guardian.refresh_from_db()
    assert world.guardian.check_password(password) and world.guardian.must_change_password
    issue = CredentialIssue.objects.get(person=world.guardian)
    assert (issue.channel, issue.issued_by) == (EMAIL, world.class_teacher)
    entry = AuditEntry.objects.get(action="accounts.credentials.issued")
    assert password not in str(entry.data) and entry.data["person_ids"] == [world.guardian.pk]


def test_the_email_task_asks_the_permission_again_in_the_worker(world):
    """R-B12: the class teacher of 5А cannot have a 5Б parent's password emailed, whatever was queued."""
    assert issue_credentials_by_email(world.other_guardian.pk, world.class_teacher.pk, world.school.pk) is False
    assert mail.outbox == []
    world.other_guardian.refresh_from_db()
    assert world.other_guardian.check_password(PASSWORD)
    assert not CredentialIssue.objects.exists()


def test_the_email_task_sends_nothing_to_a_person_without_an_address(world):
    User.objects.filter(pk=world.guardian.pk).update(email="")
    assert issue_credentials_by_email(world.guardian.pk, world.admin.pk, world.school.pk) is False
    assert mail.outbox == []
    assert not CredentialIssue.objects.exists()


def test_a_failed_email_leaves_the_old_password_in_place(world):
    """The password changes only with the email that carries it: a failed send rolls the issue back."""
    with (
        mock.patch("accounts.tasks.send_mail", side_effect=smtplib.SMTPServerDisconnected("down")),
        mock.patch.object(issue_credentials_by_email, "max_retries", 0),
        pytest.raises(smtplib.SMTPServerDisconnected),
    ):
        issue_credentials_by_email.apply(args=(world.guardian.pk, world.admin.pk, world.school.pk), throw=True)
    world.guardian.refresh_from_db()
    assert world.guardian.check_password(PASSWORD)
    assert not world.guardian.must_change_password
    assert not CredentialIssue.objects.exists()


def test_a_guardian_of_two_children_is_one_person_with_one_password(world):
    services.guardian_link(
        actor=world.admin,
        school=world.school,
        guardian=world.guardian,
        pupil=world.other_pupil,
        relation=GuardianLink.Relation.MOTHER,
    )
    issued = credentials_issue(
        actor=world.admin, school=world.school, people=[world.guardian, world.guardian], channel=SLIP
    )
    assert len(issued) == 1
