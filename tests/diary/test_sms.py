"""SMS to families (R-I07; seed 004 §4.1 п.4): one SMS per event and parent who chose it, never two; the school's
quiet hours defer them to the morning; a failing gateway is tried again after a back-off, then the SMS is failed
and the admin sends it again. Celery runs eagerly here; the gateway is the outside world: a backend that fails as
a gateway does, and a real HTTP server on the loopback for the HTTP adapter (tests/diary/test_sms_http.py)."""

import datetime

import pytest
from django.urls import reverse

from accounts import services as accounts_services
from accounts.models import GuardianLink, Role, School, SchoolSettings
from accounts.settings_services import school_settings_update
from attendance.services import absence_notice_create, absence_set
from audit.models import AuditEntry
from diary import notices, sms, sms_notices, tasks
from diary.models import SmsNotice
from diary.sms import LocmemBackend, SmsError, SmsTransientError, mobile_number
from ejournal.clock import now as clock_now
from gradebook.marks import mark_set
from gradebook.models import Mark
from tests.factories import UserFactory
from tests.matrix.journal import DAY, lesson_of, work_on

MSK = datetime.timezone(datetime.timedelta(hours=3))
PHONE, NUMBER = "8 (916) 123-45-67", "79161234567"
Status = SmsNotice.Status
DAY_AT_NINE = datetime.datetime(2026, 11, 17, 9, 0, tzinfo=datetime.UTC)  # the frozen clock


class FlakyBackend(LocmemBackend):
    """The gateway as it fails in life: `failures` next attempts raise (a transient error unless `final`)."""

    failures = 0
    final = False

    def send(self, *, phone, text, reference=None):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise (SmsError if FlakyBackend.final else SmsTransientError)("шлюз не отвечает")
        return super().send(phone=phone, text=text, reference=reference)


@pytest.fixture(autouse=True)
def outbox(settings):
    settings.SMS_BACKEND = "diary.sms.LocmemBackend"
    settings.SMS_MAX_ATTEMPTS = 3
    sms.outbox.clear()
    FlakyBackend.failures, FlakyBackend.final = 0, False
    yield sms.outbox
    sms.outbox.clear()


def give_phone(world, user, phone=PHONE):
    accounts_services.person_update(
        actor=world.admin,
        school=world.school,
        person=user,
        last_name=user.last_name,
        first_name=user.first_name,
        middle_name=user.middle_name,
        email=user.email,
        phone=phone,
    )


def choose(world, user, *, marks=False, absences=False, email="none"):
    return notices.notification_settings_set(
        actor=user, school=world.school, marks=email, sms_marks=marks, sms_absences=absences
    )


def parent(world, login, relation=GuardianLink.Relation.FATHER, pupil=None):
    user = UserFactory(school=world.school, username=login, roles=[Role.GUARDIAN])
    accounts_services.guardian_link(
        actor=None, school=world.school, guardian=user, pupil=pupil or world.pupil, relation=relation
    )
    return user


def pupil_name(world):
    return f"{world.pupil.last_name} {world.pupil.first_name}"


def last_history_id(work, pupil) -> int:
    return Mark.history.filter(work_id=work.pk, pupil_id=pupil.pk).order_by("-history_id").first().history_id


@pytest.fixture
def work(world):
    return work_on(world)


# --- One SMS per event ------------------------------------------------------------------------------------------


def test_a_new_mark_sends_one_sms_to_each_parent_who_chose_it_and_never_twice_R_I07(
    world, work, outbox, django_capture_on_commit_callbacks
):
    give_phone(world, world.guardian)
    choose(world, world.guardian, marks=True)
    father = parent(world, "father")
    give_phone(world, father, "+7 926 000-11-22")
    choose(world, father, absences=True)  # absences only: no SMS of a mark
    aunt = parent(world, "aunt", GuardianLink.Relation.OTHER)
    give_phone(world, aunt, "+7 926 000-33-44")
    choose(world, aunt, marks=True)
    give_phone(world, aunt, "")  # the number was removed since: nowhere to send
    give_phone(world, world.other_guardian, "+7 926 000-55-66")
    choose(world, world.other_guardian, marks=True)  # another family

    with django_capture_on_commit_callbacks(execute=True):
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")

    [message] = outbox
    assert message.phone == NUMBER
    assert message.text == f"Гимназия № 5: {pupil_name(world)}, математика, 17.11: 5 (ответ на уроке)"
    assert len(message.text) <= sms_notices.MAX_CHARS
    row = SmsNotice.objects.get()
    assert (row.guardian, row.status, row.attempts, row.sent_at) == (world.guardian, Status.SENT, 1, DAY_AT_NINE)

    # The same tasks again (a retry, a second worker, the signal sent twice): nothing new, nothing sent again.
    history_id = last_history_id(work, world.pupil)
    assert tasks.mark_sms_create(history_id) == 0
    assert sms_notices.mark_sms_create(history_id=history_id) == []
    assert tasks.sms_send(row.pk) is False
    assert tasks.sms_send_due() == 0
    assert SmsNotice.objects.count() == 1
    assert len(outbox) == 1


def test_a_changed_mark_says_the_previous_one_and_a_removed_or_same_mark_sends_nothing(
    world, work, outbox, django_capture_on_commit_callbacks
):
    give_phone(world, world.guardian)
    choose(world, world.guardian, marks=True)
    with django_capture_on_commit_callbacks(execute=True):
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="4")
    with django_capture_on_commit_callbacks(execute=True):
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")
    with django_capture_on_commit_callbacks(execute=True):
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5", comment="Молодец")
    assert [m.text.split(": ", 2)[-1] for m in outbox] == ["4 (ответ на уроке)", "5 вместо 4 (ответ на уроке)"]


def test_two_parents_with_one_phone_get_one_sms(world, work, outbox, django_capture_on_commit_callbacks):
    father = parent(world, "father")
    for user in (world.guardian, father):
        give_phone(world, user, "+7 916 123 45 67" if user == father else PHONE)
        choose(world, user, marks=True)
    with django_capture_on_commit_callbacks(execute=True):
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")
    assert [m.phone for m in outbox] == [NUMBER]


def test_an_absence_sends_one_sms_and_a_lateness_its_minutes_R_I07(world, outbox, django_capture_on_commit_callbacks):
    give_phone(world, world.guardian)
    choose(world, world.guardian, absences=True)
    father = parent(world, "father")
    give_phone(world, father, "+7 926 000-11-22")
    choose(world, father, marks=True)  # marks only
    lesson = lesson_of(world)
    with django_capture_on_commit_callbacks(execute=True):
        absence_set(actor=world.teacher, lesson=lesson, pupil=world.pupil, code="absent")
    [message] = outbox
    assert message.phone == NUMBER
    assert message.text == f"Гимназия № 5: {pupil_name(world)}, 17.11, 2-й урок (математика): отсутствовал(а)"
    row = SmsNotice.objects.get()
    assert (row.kind, row.status) == (SmsNotice.Kind.ABSENCE, Status.SENT)
    history_id = row.event_id
    assert tasks.absence_sms_create([history_id]) == 0  # a re-run

    # The family's explanation recorded (ill) is not news; the lesson turned into a lateness is.
    with django_capture_on_commit_callbacks(execute=True):
        absence_set(actor=world.teacher, lesson=lesson, pupil=world.pupil, code="ill")
    assert len(outbox) == 1
    yesterday = lesson_of(world, DAY - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        absence_set(actor=world.teacher, lesson=yesterday, pupil=world.pupil, code="late", minutes=10)
    assert outbox[-1].text == f"Гимназия № 5: {pupil_name(world)}, 16.11, 2-й урок (математика): опоздал(а) на 10 мин"
    assert SmsNotice.objects.count() == 2


def test_a_notice_of_several_days_is_one_sms_for_all_its_lessons_R_I07(
    world, outbox, django_capture_on_commit_callbacks
):
    give_phone(world, world.guardian)
    choose(world, world.guardian, absences=True)
    lesson_of(world)  # the course and its lessons
    with django_capture_on_commit_callbacks(execute=True):
        notice = absence_notice_create(
            actor=world.class_teacher,
            pupil=world.pupil,
            start=datetime.date(2026, 11, 16),
            end=datetime.date(2026, 11, 18),
            code="ill",
            reason="ОРВИ",
        )
    assert notice.lessons_filled == 3
    [message] = outbox
    assert message.text == f"Гимназия № 5: {pupil_name(world)}, 16.11–18.11: отсутствовал(а) по болезни (ОРВИ)"
    row = SmsNotice.objects.get()
    assert (row.kind, row.event_id) == (SmsNotice.Kind.ABSENCE_NOTICE, notice.pk)


def test_parents_without_the_choice_or_opted_out_get_no_sms_of_absences(
    world, outbox, django_capture_on_commit_callbacks
):
    give_phone(world, world.guardian)
    choose(world, world.guardian, absences=True)
    accounts_services.guardian_profile_set(
        actor=world.admin, school=world.school, guardian=world.guardian, diary_opt_out=True, paper_channel="in_person"
    )
    with django_capture_on_commit_callbacks(execute=True):
        absence_set(actor=world.teacher, lesson=lesson_of(world), pupil=world.pupil, code="absent")
    assert outbox == []
    assert not SmsNotice.objects.exists()


# --- Quiet hours ------------------------------------------------------------------------------------------------


def test_an_sms_in_the_quiet_hours_waits_for_the_morning_R_I07(
    world, work, outbox, clock, django_capture_on_commit_callbacks
):
    give_phone(world, world.guardian)
    choose(world, world.guardian, marks=True)
    clock.move_to(datetime.datetime(2026, 11, 17, 22, 30, tzinfo=MSK))
    with django_capture_on_commit_callbacks(execute=True):
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")
    assert outbox == []
    row = SmsNotice.objects.get()
    assert row.status == Status.PENDING
    assert row.send_after == datetime.datetime(2026, 11, 18, 8, 0, tzinfo=MSK)
    assert tasks.sms_send_due() == 0
    clock.move_to(datetime.datetime(2026, 11, 18, 7, 55, tzinfo=MSK))
    assert tasks.sms_send_due() == 0
    assert outbox == []

    clock.move_to(datetime.datetime(2026, 11, 18, 8, 5, tzinfo=MSK))
    assert tasks.sms_send_due() == 1
    [message] = outbox
    assert "17.11: 5" in message.text
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert row.sent_at == datetime.datetime(2026, 11, 18, 8, 5, tzinfo=MSK)
    assert tasks.sms_send_due() == 0
    assert len(outbox) == 1


def test_the_schools_own_quiet_hours_are_respected_R_I07(
    world, work, outbox, clock, django_capture_on_commit_callbacks
):
    school_settings_update(
        actor=world.admin,
        school=world.school,
        values={"sms_quiet_from": datetime.time(23, 0), "sms_quiet_until": datetime.time(7, 30)},
    )
    give_phone(world, world.guardian)
    choose(world, world.guardian, marks=True)
    clock.move_to(datetime.datetime(2026, 11, 17, 22, 30, tzinfo=MSK))  # quiet by default, not in this school
    with django_capture_on_commit_callbacks(execute=True):
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")
    assert len(outbox) == 1

    clock.move_to(datetime.datetime(2026, 11, 17, 23, 10, tzinfo=MSK))
    with django_capture_on_commit_callbacks(execute=True):
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="4")
    assert len(outbox) == 1
    waiting = SmsNotice.objects.get(status=Status.PENDING)
    assert waiting.send_after == datetime.datetime(2026, 11, 18, 7, 30, tzinfo=MSK)


def test_the_quiet_hours_follow_the_schools_time_zone_and_can_be_off():
    school = School(short_name="Школа", timezone="Asia/Yekaterinburg")  # UTC+5
    school.settings = SchoolSettings(school=school)
    at = datetime.datetime(2026, 11, 17, 16, 30, tzinfo=datetime.UTC)  # 21:30 there, 19:30 in Moscow
    assert sms_notices.quiet_end(at, school) == datetime.datetime(
        2026, 11, 18, 8, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=5))
    )
    early = datetime.datetime(2026, 11, 17, 1, 0, tzinfo=datetime.UTC)  # 06:00 there
    assert sms_notices.quiet_end(early, school) == datetime.datetime(2026, 11, 17, 3, 0, tzinfo=datetime.UTC)
    assert sms_notices.quiet_end(datetime.datetime(2026, 11, 17, 9, 0, tzinfo=datetime.UTC), school) is None
    school.settings.sms_quiet_from = school.settings.sms_quiet_until = datetime.time(0)
    assert sms_notices.quiet_end(at, school) is None
    # A window within one day (a school that keeps the lessons quiet, say).
    school.settings.sms_quiet_from, school.settings.sms_quiet_until = datetime.time(13), datetime.time(15)
    assert sms_notices.quiet_end(datetime.datetime(2026, 11, 17, 9, 0, tzinfo=datetime.UTC), school) == (
        datetime.datetime(2026, 11, 17, 10, 0, tzinfo=datetime.UTC)
    )


def test_the_admin_sets_the_quiet_hours_on_the_rules_page_R_I07(client, world):
    from tests.accounts.test_school_settings import posted

    client.force_login(world.admin)
    response = client.post(reverse("accounts:rules"), posted(sms_quiet_from="22:00", sms_quiet_until="07:00"))
    assert response.status_code == 302
    rules = SchoolSettings.objects.get(school=world.school)
    assert (rules.sms_quiet_from, rules.sms_quiet_until) == (datetime.time(22), datetime.time(7))
    entry = AuditEntry.objects.get(action="accounts.settings.changed")
    assert entry.data == {"sms_quiet_from": ["21:00:00", "22:00:00"], "sms_quiet_until": ["08:00:00", "07:00:00"]}
    page = client.get(reverse("accounts:rules")).content.decode()
    assert 'name="sms_quiet_from"' in page and 'value="22:00"' in page
    assert client.post(reverse("accounts:rules"), posted(sms_quiet_from="25:99")).status_code == 422


# --- Failures and retries ---------------------------------------------------------------------------------------


def test_a_failed_send_is_tried_again_after_the_back_off_R_I07(
    world, work, outbox, clock, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "tests.diary.test_sms.FlakyBackend"
    FlakyBackend.failures = 1
    give_phone(world, world.guardian)
    choose(world, world.guardian, marks=True)
    with django_capture_on_commit_callbacks(execute=True):
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")
    assert outbox == []
    row = SmsNotice.objects.get()
    assert (row.status, row.attempts, row.last_error) == (Status.PENDING, 1, "шлюз не отвечает")
    assert row.send_after == DAY_AT_NINE + datetime.timedelta(minutes=5)

    clock.move_to(DAY_AT_NINE + datetime.timedelta(minutes=3))
    assert tasks.sms_send_due() == 0
    clock.move_to(DAY_AT_NINE + datetime.timedelta(minutes=5))
    assert tasks.sms_send_due() == 1
    assert len(outbox) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 2)


def test_after_the_last_attempt_the_sms_is_failed_listed_for_the_admin_and_sent_again_by_her_R_I07(
    client, world, work, outbox, clock, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "tests.diary.test_sms.FlakyBackend"
    FlakyBackend.failures = 10
    give_phone(world, world.guardian)
    choose(world, world.guardian, marks=True)
    with django_capture_on_commit_callbacks(execute=True):
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")
    row = SmsNotice.objects.get()
    pauses = []
    for attempt in (2, 3):  # SMS_MAX_ATTEMPTS = 3
        pauses.append(row.send_after - clock_now())
        clock.move_to(row.send_after)
        assert tasks.sms_send_due() == 1
        row.refresh_from_db()
        assert row.attempts == attempt
    assert pauses == [datetime.timedelta(minutes=5), datetime.timedelta(minutes=15)]  # a growing back-off
    assert row.status == Status.FAILED
    clock.move_to(DAY_AT_NINE + datetime.timedelta(days=1))
    assert tasks.sms_send_due() == 0
    assert outbox == []

    client.force_login(world.admin)
    page = client.get(reverse("diary:sms_list")).content.decode()
    assert row.text in page
    assert "шлюз не отвечает" in page
    assert reverse("diary:sms_retry", args=[row.pk]) in page
    assert "не отправлены: 1" in page

    FlakyBackend.failures = 0  # the admin topped up the gateway's balance
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("diary:sms_retry", args=[row.pk]))
    assert response.status_code == 302
    [message] = outbox
    assert message.text == row.text
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 1)
    entry = AuditEntry.objects.get(action="diary.sms.retried")
    assert entry.actor == world.admin and entry.data == {"attempts": 3, "error": "шлюз не отвечает"}
    # Only a failed one is sent again.
    response = client.post(reverse("diary:sms_retry", args=[row.pk]), follow=True)
    assert "Повторно отправляется только SMS, которое не удалось отправить" in response.content.decode()
    assert len(outbox) == 1


def test_a_message_the_gateway_refuses_for_good_fails_at_once(world, work, outbox, settings):
    settings.SMS_BACKEND = "tests.diary.test_sms.FlakyBackend"
    FlakyBackend.failures, FlakyBackend.final = 1, True
    give_phone(world, world.guardian)
    choose(world, world.guardian, marks=True)
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")
    [sms_id] = sms_notices.mark_sms_create(history_id=last_history_id(work, world.pupil))
    assert sms_notices.sms_send(sms_id=sms_id) is False
    row = SmsNotice.objects.get()
    assert (row.status, row.attempts) == (Status.FAILED, 1)


def test_a_parent_who_turns_sms_off_gets_none_of_what_waited(world, work, outbox, clock):
    give_phone(world, world.guardian)
    choose(world, world.guardian, marks=True)
    clock.move_to(datetime.datetime(2026, 11, 17, 22, 30, tzinfo=MSK))
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")
    assert sms_notices.mark_sms_create(history_id=last_history_id(work, world.pupil)) == []  # for the morning
    choose(world, world.guardian, marks=False)
    assert SmsNotice.objects.get().status == Status.CANCELLED
    clock.move_to(datetime.datetime(2026, 11, 18, 8, 5, tzinfo=MSK))
    assert tasks.sms_send_due() == 0
    assert outbox == []


def test_a_parent_who_lost_the_phone_before_the_morning_gets_nothing(world, work, outbox, clock):
    give_phone(world, world.guardian)
    choose(world, world.guardian, marks=True)
    clock.move_to(datetime.datetime(2026, 11, 17, 22, 30, tzinfo=MSK))
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")
    sms_notices.mark_sms_create(history_id=last_history_id(work, world.pupil))
    give_phone(world, world.guardian, "")
    clock.move_to(datetime.datetime(2026, 11, 18, 8, 5, tzinfo=MSK))
    assert tasks.sms_send_due() == 1
    assert outbox == []
    assert SmsNotice.objects.get().status == Status.CANCELLED


# --- The parent's page ------------------------------------------------------------------------------------------


def test_the_page_refuses_sms_without_a_phone_R_I07(client, world):
    client.force_login(world.guardian)
    url = reverse("diary:notifications")
    page = client.get(url).content.decode()
    assert "Уведомления" in page and "нет номера телефона" in page
    response = client.post(url, {"marks": "none", "sms_marks": "on"})
    assert response.status_code == 422
    assert "Попросите классного руководителя внести ваш номер" in response.content.decode()
    assert not notices.notification_choice(school=world.school, user=world.guardian).sms_marks


def test_the_page_refuses_a_number_that_is_not_a_mobile(client, world):
    give_phone(world, world.guardian, "8 (495) 123-45-67")
    client.force_login(world.guardian)
    response = client.post(reverse("diary:notifications"), {"marks": "none", "sms_absences": "on"})
    assert response.status_code == 422
    assert "не похож на номер российского мобильного" in response.content.decode()


def test_a_parent_chooses_sms_on_the_page_R_I07(client, world):
    give_phone(world, world.guardian)
    client.force_login(world.guardian)
    url = reverse("diary:notifications")
    page = client.get(url).content.decode()
    assert PHONE in page and "С 21:00 до 08:00 SMS не приходят" in page
    response = client.post(url, {"marks": "each", "sms_marks": "on", "sms_absences": "on"})
    assert response.status_code == 302
    choice = notices.notification_choice(school=world.school, user=world.guardian)
    assert (choice.marks, choice.sms_marks, choice.sms_absences) == ("each", True, True)
    page = client.get(url).content.decode()
    assert 'name="sms_marks" id="id_sms_marks" checked' in page
    response = client.post(url, {"marks": "each"})
    assert response.status_code == 302
    choice = notices.notification_choice(school=world.school, user=world.guardian)
    assert (choice.sms_marks, choice.sms_absences) == (False, False)


def test_mobile_numbers_are_read_as_a_school_writes_them():
    for written in ("8 (916) 123-45-67", "+7 916 123 45 67", "9161234567", "79161234567"):
        assert mobile_number(written) == NUMBER, written
    for written in ("8 (495) 123-45-67", "123", "", "+375 29 123 45 67"):
        assert mobile_number(written) is None, written


# --- The admin's page -------------------------------------------------------------------------------------------


def test_the_sms_page_costs_a_fixed_number_of_queries(client, world, clock, django_assert_max_num_queries):
    give_phone(world, world.guardian)
    choose(world, world.guardian, marks=True, absences=True)
    clock.move_to(datetime.datetime(2026, 11, 17, 22, 30, tzinfo=MSK))  # they wait for the morning
    for day in (DAY, DAY - datetime.timedelta(days=1), DAY - datetime.timedelta(days=4)):  # Tue, Mon, Fri
        work = work_on(world, day)
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")
        sms_notices.mark_sms_create(history_id=last_history_id(work, world.pupil))
    assert SmsNotice.objects.filter(status=Status.PENDING).count() == 3
    client.force_login(world.admin)
    url = reverse("diary:sms_list")
    client.get(url)
    with django_assert_max_num_queries(7):
        page = client.get(url).content.decode()
    assert page.count("отложено до 18.11.2026 08:00") == 3
    for show in ("sent", "cancelled"):
        with django_assert_max_num_queries(7):
            assert client.get(url, {"show": show}).status_code == 200


def test_only_the_admin_opens_the_sms_page(client, world):
    for user in (world.director, world.teacher, world.guardian):
        client.force_login(user)
        assert client.get(reverse("diary:sms_list")).status_code == 403
    client.force_login(world.admin)
    assert client.get(reverse("diary:sms_list")).status_code == 200


def test_the_demos_guardian_has_a_phone_and_sms_of_marks(world, work, outbox):
    """ejournal/demo_sms.py on the personas (their logins are the demo's «guardian» and «pupil»)."""
    from ejournal import demo_sms

    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")
    assert demo_sms.add_sms(school=world.school) == 1
    choice = notices.notification_choice(school=world.school, user=world.guardian)
    assert choice.sms_marks and choice.sms_absences
    assert [m.phone for m in outbox] == ["79000000001"]
    assert demo_sms.add_sms(school=world.school) == 0  # seeded once


def test_lessons_made_after_a_notice_add_no_second_sms_of_it_R_I07(world, outbox, django_capture_on_commit_callbacks):
    """The bulk write of attendance that fills new lessons with a notice's absences tells the diary too; the notice
    is still one event."""
    from schedule.services import timetable

    give_phone(world, world.guardian)
    choose(world, world.guardian, absences=True)
    course = lesson_of(world).course  # lessons up to 20.11
    with django_capture_on_commit_callbacks(execute=True):
        notice = absence_notice_create(
            actor=world.class_teacher,
            pupil=world.pupil,
            start=datetime.date(2026, 11, 19),
            end=datetime.date(2026, 11, 24),
            code="excused",
            reason="Соревнования",
        )
    assert notice.lessons_filled == 2
    assert len(outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        timetable.lessons_generate(
            actor=None, year=course.year, start=datetime.date(2026, 11, 23), end=datetime.date(2026, 11, 27)
        )
    assert notice.absences.count() == 4
    assert len(outbox) == 1
    assert SmsNotice.objects.get().event_id == notice.pk
