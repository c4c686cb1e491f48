"""Marks by email (R-I07): a parent's choice, one email per change of a mark through Celery (eager here), never
twice, a changed or removed mark reported as such, the evening digest at the school's hour."""

import datetime
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from accounts import services as accounts_services
from accounts.models import GuardianLink, Role, SchoolSettings
from diary import notices, tasks
from diary.models import MarkNotice, NotificationSettings
from gradebook.marks import mark_clear, mark_set
from gradebook.models import Mark
from tests.factories import UserFactory
from tests.matrix.journal import DAY, work_on

MSK = datetime.timezone(datetime.timedelta(hours=3))


def choose(world, user, marks):
    return notices.notification_settings_set(actor=user, school=world.school, marks=marks)


def father(world, email="father@example.org"):
    user = UserFactory(school=world.school, username="father", email=email, roles=[Role.GUARDIAN])
    accounts_services.guardian_link(
        actor=None, school=world.school, guardian=user, pupil=world.pupil, relation=GuardianLink.Relation.FATHER
    )
    return user


def last_history_id(work, pupil) -> int:
    return Mark.history.filter(work_id=work.pk, pupil_id=pupil.pk).order_by("-history_id").first().history_id


@pytest.fixture
def work(world):
    return work_on(world)


def test_a_new_mark_emails_only_the_parent_who_chose_each_mark_once_R_I07(
    world, work, django_capture_on_commit_callbacks
):
    choose(world, world.guardian, "each")
    choose(world, world.other_guardian, "each")  # another family: nothing of this pupil
    choose(world, father(world), "none")
    with django_capture_on_commit_callbacks(execute=True):
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5", comment="Отличный ответ")
    [message] = mail.outbox
    assert message.to == [world.guardian.email]
    assert message.subject == "Новая отметка: Математика — 5"
    assert world.pupil.get_full_name() in message.body
    assert "17.11.2026" in message.body
    assert "Ответ на уроке" in message.body
    assert "Отличный ответ" in message.body
    notice = MarkNotice.objects.get()
    assert notice.sent_at is not None and not notice.digest

    # The same tasks again (a retry, a second worker): nothing new, nothing sent twice.
    history_id = last_history_id(work, world.pupil)
    assert tasks.mark_notices_create(history_id) == 0
    assert tasks.notice_send(notice.pk) is False
    assert MarkNotice.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_changed_mark_is_reported_with_both_values_R_I07(world, work, django_capture_on_commit_callbacks):
    choose(world, world.guardian, "each")
    with django_capture_on_commit_callbacks(execute=True):
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="4")
    with django_capture_on_commit_callbacks(execute=True):
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")
    first, second = mail.outbox
    assert second.subject == "Отметка изменена: Математика, 4 → 5"
    assert "изменена: 4 → 5" in second.body
    assert MarkNotice.objects.filter(kind=MarkNotice.Kind.CHANGED, old_value="4", value="5").exists()


def test_a_new_comment_is_reported_and_a_change_nobody_sees_is_not(world, work, django_capture_on_commit_callbacks):
    choose(world, world.guardian, "each")
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="4")
    with django_capture_on_commit_callbacks(execute=True):
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="4", comment="Не хватило примера")
    [message] = mail.outbox
    assert message.subject == "Изменён комментарий к отметке: Математика — 4"
    assert "Не хватило примера" in message.body
    # A history row that changes nothing a family sees (the author only): no notice.
    mark = Mark.objects.get(work=work, pupil=world.pupil)
    mark.author = world.other_teacher
    mark.save()
    assert tasks.mark_notices_create(last_history_id(work, world.pupil)) == 0
    assert len(mail.outbox) == 1


def test_a_cleared_mark_is_reported_as_removed_R_I07(world, work, django_capture_on_commit_callbacks):
    choose(world, world.guardian, "each")
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="3")
    with django_capture_on_commit_callbacks(execute=True):
        mark_clear(actor=world.teacher, work=work, pupil_id=world.pupil.pk)
    [message] = mail.outbox
    assert message.subject == "Отметка удалена: Математика — 3"
    assert "удалена" in message.body


def test_nothing_leaves_before_the_change_commits(world, work, django_capture_on_commit_callbacks):
    choose(world, world.guardian, "each")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")
        assert mail.outbox == []
        assert not MarkNotice.objects.exists()
    assert len(callbacks) == 2  # the email notices and the SMS, each its own task
    assert len(mail.outbox) == 1


def test_a_parent_who_opted_out_of_the_diary_gets_no_email(world, work, django_capture_on_commit_callbacks):
    choose(world, world.guardian, "each")
    accounts_services.guardian_profile_set(
        actor=world.admin, school=world.school, guardian=world.guardian, diary_opt_out=True, paper_channel="in_person"
    )
    with django_capture_on_commit_callbacks(execute=True):
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")
    assert mail.outbox == []
    assert not MarkNotice.objects.exists()
    with pytest.raises(notices.NoticeError, match="бумажных ведомостях"):
        choose(world, world.guardian, "digest")


def test_a_parent_without_an_email_cannot_choose_mail_R_I07(world):
    parent = father(world, email="")
    with pytest.raises(notices.NoticeError, match="нет адреса электронной почты"):
        choose(world, parent, "each")
    with pytest.raises(notices.NoticeError, match="нет адреса электронной почты"):
        choose(world, parent, "digest")
    assert choose(world, parent, "none").marks == "none"


def test_only_a_parent_chooses(world):
    with pytest.raises(notices.NoticeError):
        choose(world, world.pupil, "none")


def test_a_failed_send_rolls_back_and_is_retried(world, work, django_capture_on_commit_callbacks):
    choose(world, world.guardian, "each")
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")
    [notice_id] = notices.mark_notices_create(history_id=last_history_id(work, world.pupil))
    real = mail.send_mail
    calls = []

    def flaky(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("gone")
        return real(*args, **kwargs)

    # The worker's retry (with back-off there; at once in eager mode when failures are not propagated).
    with mock.patch("diary.notices.send_mail", flaky):
        assert tasks.notice_send.apply(args=[notice_id], throw=False).get() is True
    assert len(calls) == 2
    assert len(mail.outbox) == 1
    with mock.patch("diary.notices.send_mail", side_effect=smtplib.SMTPServerDisconnected("gone")) as failing:
        assert notices.notice_send(notice_id=notice_id) is False  # already sent: not even tried
        assert not failing.called
        MarkNotice.objects.filter(pk=notice_id).update(sent_at=None)
        with pytest.raises(smtplib.SMTPServerDisconnected):
            notices.notice_send(notice_id=notice_id)
    assert MarkNotice.objects.get(pk=notice_id).sent_at is None  # the failed send left it for the next retry


# --- The daily digest -------------------------------------------------------------------------------------------


def two_marks(world):
    mark_set(actor=world.teacher, work=work_on(world), pupil_id=world.pupil.pk, value="5")
    earlier = work_on(world, DAY - datetime.timedelta(days=1))
    mark_set(actor=world.teacher, work=earlier, pupil_id=world.pupil.pk, value="4", comment="Ошибка в задаче")
    for row in Mark.history.order_by("history_id"):
        tasks.mark_notices_create(row.history_id)


def test_the_digest_comes_once_at_the_schools_hour_R_I07(world, clock):
    choose(world, world.guardian, "digest")
    two_marks(world)
    assert mail.outbox == []
    assert MarkNotice.objects.filter(digest=True, sent_at=None).count() == 2
    clock.move_to(datetime.datetime(2026, 11, 17, 17, 0, tzinfo=MSK))
    assert tasks.mark_digests_send() == 0
    assert mail.outbox == []
    clock.move_to(datetime.datetime(2026, 11, 17, 18, 0, tzinfo=MSK))
    assert tasks.mark_digests_send() == 1
    [message] = mail.outbox
    assert message.to == [world.guardian.email]
    assert message.subject == "Отметки за день: 17.11.2026"
    assert world.pupil.get_full_name() in message.body
    assert "Математика" in message.body
    assert "16.11, Ответ на уроке: 4 — «Ошибка в задаче»" in message.body
    assert "17.11, Ответ на уроке: 5" in message.body
    assert not MarkNotice.objects.filter(sent_at=None).exists()
    # Again within the hour (a second beat, a retry): nothing more.
    assert tasks.mark_digests_send() == 0
    assert tasks.mark_digest_send(world.school.pk, world.guardian.pk) == 0
    assert len(mail.outbox) == 1


def test_the_digest_hour_is_the_schools_own(world, clock):
    SchoolSettings.objects.filter(school=world.school).update(mark_digest_hour=20)
    world.school.timezone = "Asia/Yekaterinburg"  # UTC+5
    world.school.save()
    choose(world, world.guardian, "digest")
    two_marks(world)
    clock.move_to(datetime.datetime(2026, 11, 17, 15, 0, tzinfo=datetime.UTC))  # 18:00 in Moscow, 20:00 there
    assert tasks.mark_digests_send() == 1
    assert len(mail.outbox) == 1


def test_one_parents_failing_digest_does_not_stop_the_others(world, clock):
    other = father(world)
    choose(world, world.guardian, "digest")
    choose(world, other, "digest")
    two_marks(world)
    real = mail.send_mail

    def refuse_one(subject, body, sender, to, **kwargs):
        if to == [world.guardian.email]:
            raise smtplib.SMTPRecipientsRefused({to[0]: (550, b"no")})
        return real(subject, body, sender, to, **kwargs)

    clock.move_to(datetime.datetime(2026, 11, 17, 18, 0, tzinfo=MSK))
    with mock.patch("diary.notices.send_mail", refuse_one):
        assert tasks.mark_digests_send() == 2
    [message] = mail.outbox
    assert message.to == [other.email]
    assert MarkNotice.objects.filter(guardian=world.guardian, sent_at=None).count() == 2


def test_choosing_no_emails_drops_what_waited_for_the_digest(world):
    choose(world, world.guardian, "digest")
    two_marks(world)
    choose(world, world.guardian, "none")
    assert not MarkNotice.objects.exists()


def test_a_notice_waiting_to_be_sent_follows_a_switch_to_the_digest(world, work):
    choose(world, world.guardian, "each")
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")
    [notice_id] = notices.mark_notices_create(history_id=last_history_id(work, world.pupil))
    choose(world, world.guardian, "digest")
    assert tasks.notice_send(notice_id) is False
    assert mail.outbox == []
    assert MarkNotice.objects.get(pk=notice_id).digest


# --- The parent's page ------------------------------------------------------------------------------------------


def test_the_page_shows_the_address_and_saves_the_choice_R_I07(client, world):
    client.force_login(world.guardian)
    url = reverse("diary:notifications")
    text = client.get(url).content.decode()
    assert world.guardian.email in text
    assert "Сводка за день" in text
    response = client.post(url, {"marks": "each"})
    assert response.status_code == 302
    assert NotificationSettings.objects.get(user=world.guardian).marks == "each"
    assert "Ваш выбор сохранён" in client.get(url).content.decode()


def test_the_page_refuses_mail_without_an_address(client, world):
    world.guardian.email = ""
    world.guardian.save()
    client.force_login(world.guardian)
    url = reverse("diary:notifications")
    assert "нет адреса электронной почты" in client.get(url).content.decode()
    response = client.post(url, {"marks": "each"})
    assert response.status_code == 422
    assert "Попросите классного руководителя" in response.content.decode()
    assert not NotificationSettings.objects.exists()


def test_the_page_tells_an_opted_out_parent_about_paper_sheets(client, world):
    accounts_services.guardian_profile_set(
        actor=world.admin, school=world.school, guardian=world.guardian, diary_opt_out=True, paper_channel="in_person"
    )
    client.force_login(world.guardian)
    text = client.get(reverse("diary:notifications")).content.decode()
    assert "бумажных сводных ведомостях" in text
