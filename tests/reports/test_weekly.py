"""The weekly summary sheets for families who opted out (issue 9 item 3; R-I04, R-I05, DESIGN §6.3): exactly once per
pupil, week and channel however the week is started (twice, two starts at once, after mail failures), paper only
for a family without an address, nothing for families who kept the diary; the beat fires on Monday after the
school's hour in the school's time zone; the admin sees the mail errors; the class teacher finds the bundle on
"my day".

The hand-built school (tests/matrix/weekly.py's families), the week 9–14 November 2026:
  5А: `pupil` (maths: «5» answer on 10.11, «3» control work on 11.11, absent Н on 13.11; 5 lessons held:
      average 4,00, weighted (5 + 3·3) / 4 = 3,50), their `guardian` opted out with an email and closed the login;
      `paper_pupil` (parent opted out, no email), `diary_pupil` (parent kept the diary).
  5Б: `other_pupil` (`other_guardian` opted out with an email; `second_parent` kept the diary).
  → paper: pupil, paper_pupil, other_pupil; email: guardian, other_guardian; bundles: 5А (2 sheets), 5Б (1).
"""

import datetime
import shutil
import smtplib
import subprocess
import threading

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from attendance.services import absence_set
from gradebook.marks import mark_set, work_add
from gradebook.models import WorkType
from reports import weekly
from reports.models import ClassBundle, WeeklyDelivery, WeeklyRun
from reports.tasks import weekly_sheets_due
from schedule.models import Lesson
from tests.conftest import SCHOOL_DAY
from tests.matrix.journal import ANSWER, CONTROL, journal_course
from tests.matrix.weekly import WEEK, weekly_families

D = datetime.date
PAPER, EMAIL = WeeklyDelivery.Channel.PAPER, WeeklyDelivery.Channel.EMAIL


class FlakyBackend(EmailBackend):
    """The SMTP server refuses the next `failures` messages to `address` (a stand-in for the outside mail server;
    the code under test is ours and real)."""

    failures = 0
    address = ""

    def send_messages(self, messages):
        for message in messages:
            if FlakyBackend.failures and FlakyBackend.address in message.to:
                FlakyBackend.failures -= 1
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def at(clock, day: D) -> None:
    clock.move_to(datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=datetime.UTC))


def build_week(w, clock, close_login: bool = True):
    """The families and the pupil's maths of 9–14 November (see the module's docstring)."""
    families = weekly_families(w, close_login=close_login)
    maths = journal_course(w)

    def lesson(day):
        return Lesson.objects.get(course=maths, date=day)

    for day, kind, value in ((D(2026, 11, 10), ANSWER, "5"), (D(2026, 11, 11), CONTROL, "3")):
        at(clock, day)
        work = work_add(actor=w.teacher, lesson=lesson(day), work_type=WorkType.objects.get(school=w.school, name=kind))
        mark_set(actor=w.teacher, work=work, pupil_id=w.pupil.pk, value=value)
    at(clock, D(2026, 11, 13))
    absence_set(actor=w.teacher, lesson=lesson(D(2026, 11, 13)), pupil=w.pupil, code="absent")
    clock.move_to(SCHOOL_DAY)
    return families


@pytest.fixture
def week(world, clock):
    world.families = build_week(world, clock)
    return world


def rows(run) -> set[tuple]:
    return set(
        WeeklyDelivery.objects.filter(run=run).values_list("pupil__username", "guardian__username", "channel", "state")
    )


def run_all(w, django_capture_on_commit_callbacks):
    """Starts the week as the beat or the command does; the class tasks run after commit (eager Celery)."""
    with django_capture_on_commit_callbacks(execute=True):
        run = weekly.weekly_run_start(school=w.school, week_start=WEEK)
    run.refresh_from_db()
    return run


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(content)
    assert shutil.which("pdftotext")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout  # noqa: S603, S607


def test_previous_school_week_r_i04():
    """R-I04: the sheets cover the school week (Monday–Saturday) before the current one."""
    assert weekly.previous_week(D(2026, 11, 16)) == (D(2026, 11, 9), D(2026, 11, 14))
    assert weekly.previous_week(D(2026, 11, 17)) == (D(2026, 11, 9), D(2026, 11, 14))
    assert weekly.previous_week(D(2026, 11, 22)) == (D(2026, 11, 9), D(2026, 11, 14))  # a Sunday
    assert weekly.retry_countdown(1) == 60 and weekly.retry_countdown(2) == 120 and weekly.retry_countdown(4) == 480


def test_the_week_twice_sends_each_sheet_once_r_i04(week, django_capture_on_commit_callbacks, tmp_path):
    """R-I04: one paper sheet per pupil whose family opted out (paper only without an address, the parent's closed
    login notwithstanding), one email per opted-out parent with an address, nothing for the families who kept the
    diary; the week started again sends nothing twice."""
    w = week
    assert w.guardian.is_active is False
    run = run_all(w, django_capture_on_commit_callbacks)
    assert (run.state, run.week_start, run.week_end, run.started_count) == ("done", D(2026, 11, 9), D(2026, 11, 14), 1)
    assert rows(run) == {
        ("pupil", None, PAPER, "sent"),
        ("paper_pupil", None, PAPER, "sent"),
        ("other_pupil", None, PAPER, "sent"),
        ("pupil", "guardian", EMAIL, "sent"),
        ("other_pupil", "other_guardian", EMAIL, "sent"),
    }
    assert sorted(m.to[0] for m in mail.outbox) == ["guardian@example.org", "other_guardian@example.org"]
    message = next(m for m in mail.outbox if m.to == ["guardian@example.org"])
    assert message.subject == f"Сводная ведомость: {w.pupil.get_full_name()}, неделя 09.11.2026–14.11.2026"
    assert "09.11.2026–14.11.2026" in message.body and w.school.name in message.body
    ((filename, content, mimetype),) = message.attachments
    assert mimetype == "application/pdf" and filename.endswith(".pdf")
    text = pdf_text(content, tmp_path)
    for needle in (w.pupil.get_full_name(), "5А", "Математика", "10.11.2026", "Контрольная работа", "4,00", "3,50"):
        assert needle in text, needle
    assert w.families.paper_pupil.get_full_name() not in text
    bundles = {b.school_class_id: b for b in ClassBundle.objects.filter(run=run)}
    assert {k: b.pupils for k, b in bundles.items()} == {w.school_class.pk: 2, w.other_class.pk: 1}
    bundle_text = pdf_text(bundles[w.school_class.pk].file.read(), tmp_path)
    assert w.pupil.get_full_name() in bundle_text and w.families.paper_pupil.get_full_name() in bundle_text
    assert w.families.diary_pupil.get_full_name() not in bundle_text
    built = {k: (b.file.name, b.built_at) for k, b in bundles.items()}

    again = run_all(w, django_capture_on_commit_callbacks)
    assert again.pk == run.pk and again.started_count == 2 and again.state == "done"
    assert len(mail.outbox) == 2
    assert WeeklyDelivery.objects.filter(run=run).count() == 5
    assert {b.school_class_id: (b.file.name, b.built_at) for b in ClassBundle.objects.filter(run=run)} == built


def test_an_opt_out_after_the_run_is_sent_on_the_next_start_r_i04(week, django_capture_on_commit_callbacks):
    """R-I04: a family that opted out after the week was sent gets its sheets when the week is started again; the
    others get nothing twice."""
    w = week
    run_all(w, django_capture_on_commit_callbacks)
    from accounts import services as accounts_services
    from accounts.models import GuardianProfile

    accounts_services.guardian_profile_set(
        actor=w.admin,
        school=w.school,
        guardian=w.families.diary_parent,
        diary_opt_out=True,
        paper_channel=GuardianProfile.PaperChannel.EMAIL,
    )
    run = run_all(w, django_capture_on_commit_callbacks)
    assert run.state == "done"
    assert [m.to for m in mail.outbox[2:]] == [["diary_parent@example.org"]]
    assert ClassBundle.objects.get(run=run, school_class=w.school_class).pupils == 3


@pytest.mark.django_db(transaction=True)
def test_two_starts_at_once_send_each_email_once_r_i04(week):
    """R-I04: while another start holds a delivery's row (sending it), this one skips the row and sends the others;
    once that start has sent it, starting the week again sends nothing."""
    w = week
    run = weekly.weekly_run_start(school=w.school, week_start=WEEK, queue=False)
    held = WeeklyDelivery.objects.get(run=run, guardian=w.guardian, channel=EMAIL)
    locked, release = threading.Event(), threading.Event()

    def other_start():
        try:
            with transaction.atomic():
                row = WeeklyDelivery.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(30)
                row.state, row.attempts = WeeklyDelivery.State.SENT, 1
                row.save(update_fields=["state", "attempts"])
        finally:
            connection.close()

    thread = threading.Thread(target=other_start)
    thread.start()
    assert locked.wait(30)
    try:
        for class_id in (w.school_class.pk, w.other_class.pk):
            weekly.weekly_class_build(run_id=run.pk, class_id=class_id)
    finally:
        release.set()
        thread.join(30)
    assert [m.to for m in mail.outbox] == [["other_guardian@example.org"]]
    run.refresh_from_db()
    assert run.state == "running"  # the skipped row was still unsent when the build ended
    weekly.weekly_run_start(school=w.school, week_start=WEEK)  # on_commit runs at once outside a transaction
    run.refresh_from_db()
    assert run.state == "done" and run.started_count == 2
    assert [m.to for m in mail.outbox] == [["other_guardian@example.org"]]
    assert WeeklyDelivery.objects.filter(run=run, state="sent").count() == 5


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.reports.test_weekly.FlakyBackend"
    FlakyBackend.failures, FlakyBackend.address = 0, ""
    yield FlakyBackend
    FlakyBackend.failures = 0


def test_a_mail_failure_is_retried_with_back_off_then_sent_once_r_i04(
    week, flaky, client, django_capture_on_commit_callbacks
):
    """R-I04: the SMTP server fails twice for one parent: the delivery is failed (attempts, error), the admin sees
    the error, the retry (queued after commit with a countdown) fails again, then sends; exactly one email."""
    w = week
    flaky.failures, flaky.address = 2, "guardian@example.org"
    run = weekly.weekly_run_start(school=w.school, week_start=WEEK, queue=False)
    with django_capture_on_commit_callbacks(execute=False) as retries:
        weekly.weekly_class_build(run_id=run.pk, class_id=w.school_class.pk)
        weekly.weekly_class_build(run_id=run.pk, class_id=w.other_class.pk)
    assert len(retries) == 1
    failed = WeeklyDelivery.objects.get(run=run, guardian=w.guardian)
    assert (failed.state, failed.attempts) == ("failed", 1)
    assert failed.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert [m.to for m in mail.outbox] == [["other_guardian@example.org"]]
    run.refresh_from_db()
    assert run.state == "running"

    client.force_login(w.admin)
    page = client.get(reverse("reports:weekly_runs")).content.decode()
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in page and "guardian@example.org" in page
    assert "не удалось, будет повтор" in page

    # The retry task (eager Celery runs it at once): fails a second time, queues the next; that one sends.
    with django_capture_on_commit_callbacks(execute=False) as more:
        retries[0]()
    failed.refresh_from_db()
    assert (failed.state, failed.attempts, len(more)) == ("failed", 2, 1)
    with django_capture_on_commit_callbacks(execute=False) as none:
        more[0]()
    assert none == []
    failed.refresh_from_db()
    assert (failed.state, failed.attempts, failed.last_error) == ("sent", 3, "")
    assert sorted(m.to[0] for m in mail.outbox) == ["guardian@example.org", "other_guardian@example.org"]
    run.refresh_from_db()
    assert run.state == "done"
    # A late duplicate of the retry task, or the week again: nothing more.
    assert weekly.delivery_retry(delivery_id=failed.pk) == "skipped"
    run_all(w, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2


def test_after_the_last_attempt_the_admin_queues_it_again_r_i04(
    week, flaky, client, django_capture_on_commit_callbacks
):
    """R-I04: after MAX_ATTEMPTS failures the delivery is given up (the run is done); the admin's "send again"
    queues it and it is sent once."""
    w = week
    flaky.failures, flaky.address = weekly.MAX_ATTEMPTS, "guardian@example.org"
    run = run_all(w, django_capture_on_commit_callbacks)  # eager: each retry runs at once
    given_up = WeeklyDelivery.objects.get(run=run, guardian=w.guardian)
    assert (given_up.state, given_up.attempts) == ("gave_up", weekly.MAX_ATTEMPTS)
    run.refresh_from_db()
    assert run.state == "done"
    client.force_login(w.admin)
    assert "не удалось" in client.get(reverse("reports:weekly_run", args=[run.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:weekly_retry", args=[run.pk]))
    assert response.status_code == 302
    given_up.refresh_from_db()
    assert (given_up.state, given_up.attempts) == ("sent", 1)
    assert sorted(m.to[0] for m in mail.outbox) == ["guardian@example.org", "other_guardian@example.org"]


def test_the_class_build_in_a_fixed_number_of_queries(week, django_assert_max_num_queries):
    """A class's build reads in a fixed number of queries whatever its size: 5А with two sheets, and again with five
    (three more families on paper), cost the same; each email is its own locked transaction (here one)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts import services as accounts_services
    from accounts.models import GuardianLink, Role
    from schedule.services import classes as class_services
    from tests.factories import UserFactory

    w = week
    counts = []
    for extra in (0, 3):
        for n in range(extra):
            child = UserFactory(school=w.school, username=f"more_pupil{n}", roles=[Role.PUPIL])
            parent = UserFactory(school=w.school, username=f"more_parent{n}", roles=[Role.GUARDIAN], email="")
            class_services.pupils_enroll(
                actor=w.admin, school_class=w.school_class, pupils=[child], since=D(2026, 9, 1)
            )
            accounts_services.guardian_link(
                actor=w.admin, school=w.school, guardian=parent, pupil=child, relation=GuardianLink.Relation.OTHER
            )
            accounts_services.guardian_profile_set(actor=w.admin, school=w.school, guardian=parent, diary_opt_out=True)
        WeeklyRun.objects.filter(school=w.school).delete()
        run = weekly.weekly_run_start(school=w.school, week_start=WEEK, queue=False)
        with django_assert_max_num_queries(30), CaptureQueriesContext(connection) as queries:
            weekly.weekly_class_build(run_id=run.pk, class_id=w.school_class.pk)
        counts.append(len(queries))
        assert ClassBundle.objects.get(run=run, school_class=w.school_class).pupils == 2 + extra
    assert counts[0] == counts[1], counts
    assert len(mail.outbox) == 2  # the guardian's email, once per run


def on_monday(clock, hour_utc: int, day: int = 23) -> None:
    clock.move_to(datetime.datetime(2026, 11, day, hour_utc, 0, tzinfo=datetime.UTC))


def test_the_beat_fires_on_monday_after_the_schools_hour_r_i04(week, clock, django_capture_on_commit_callbacks):
    """R-I04: hourly beat; a school's run starts on Monday at or after its hour (default 7) in its own time zone,
    once: a second firing changes nothing."""
    w = week
    w.school.timezone = "Asia/Vladivostok"  # UTC+10
    w.school.save(update_fields=["timezone"])
    on_monday(clock, 3)  # Monday 13:00 in Vladivostok, 06:00 in Moscow
    assert [(s.pk, d) for s, d in weekly.weeks_due()] == [(w.school.pk, D(2026, 11, 16))]
    w.school.timezone = "Europe/Moscow"
    w.school.save(update_fields=["timezone"])
    assert weekly.weeks_due() == []  # 06:00 in Moscow: before the hour
    clock.move_to(datetime.datetime(2026, 11, 22, 21, 0, tzinfo=datetime.UTC))  # Sunday 24:00 in Moscow
    assert weekly.weeks_due() == []
    on_monday(clock, 4)  # 07:00 in Moscow
    with django_capture_on_commit_callbacks(execute=True):
        assert weekly_sheets_due() == 2  # both schools of the world are in Moscow
    run = WeeklyRun.objects.get(school=w.school)
    assert (run.week_start, run.started_count, run.state) == (D(2026, 11, 16), 1, "done")
    on_monday(clock, 5)
    with django_capture_on_commit_callbacks(execute=True):
        assert weekly_sheets_due() == 0
    run.refresh_from_db()
    assert run.started_count == 1
    clock.move_to(datetime.datetime(2026, 11, 24, 5, 0, tzinfo=datetime.UTC))  # Tuesday
    assert weekly.weeks_due() == []
    w.school.settings.weekly_sheets_hour = 9
    w.school.settings.save()
    on_monday(clock, 5, day=30)  # 08:00 in Moscow, the school's hour is 9 (the other school's is 7)
    assert [(s.pk, d) for s, d in weekly.weeks_due()] == [(w.other_school.pk, D(2026, 11, 23))]
    on_monday(clock, 6, day=30)
    assert [(s.pk, d) for s, d in weekly.weeks_due()] == [
        (w.school.pk, D(2026, 11, 23)),
        (w.other_school.pk, D(2026, 11, 23)),
    ]


def test_the_command_reruns_a_week_r_i04(week, django_capture_on_commit_callbacks):
    w = week
    with django_capture_on_commit_callbacks(execute=True):
        call_command("weekly_sheets", "--school", str(w.school.pk), "--week", "2026-11-12")
        call_command("weekly_sheets", "--school", str(w.school.pk), "--week", "2026-11-12")
    run = WeeklyRun.objects.get(school=w.school)
    assert (run.week_start, run.started_count, run.state) == (D(2026, 11, 9), 2, "done")
    assert len(mail.outbox) == 2


def test_the_class_teacher_finds_the_bundle_on_my_day_r_i04(week, client, django_capture_on_commit_callbacks):
    w = week
    run = run_all(w, django_capture_on_commit_callbacks)
    bundle = ClassBundle.objects.get(run=run, school_class=w.school_class)
    client.force_login(w.class_teacher)
    page = client.get(reverse("gradebook:my_day")).content.decode()
    assert reverse("reports:weekly_bundle", args=[bundle.pk]) in page
    assert "5А, неделя 09.11.2026–14.11.2026" in page
    other = ClassBundle.objects.get(run=run, school_class=w.other_class)
    assert reverse("reports:weekly_bundle", args=[other.pk]) not in page
    response = client.get(reverse("reports:weekly_bundle", args=[bundle.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(w.teacher)
    assert (
        reverse("reports:weekly_bundle", args=[bundle.pk])
        not in client.get(reverse("gradebook:my_day")).content.decode()
    )


def test_a_pupil_who_left_the_class_closes_their_email_row_and_the_run_finishes_r_i04(
    week, django_capture_on_commit_callbacks
):
    """R-I04: the rows are made when the week starts; a pupil moved out of the class for that week (the enrollment
    corrected afterwards) has no sheet: their email row is closed with the reason for the admin, nobody else is
    held up, and the run is done."""
    from schedule.models import Enrollment

    w = week
    with django_capture_on_commit_callbacks(execute=False):
        run = weekly.weekly_run_start(school=w.school, week_start=WEEK)
    Enrollment.objects.filter(pupil=w.pupil, school_class=w.school_class).update(until=WEEK - datetime.timedelta(1))
    for school_class in (w.school_class, w.other_class):
        weekly.weekly_class_build(run_id=run.pk, class_id=school_class.pk)
    left = WeeklyDelivery.objects.get(run=run, pupil=w.pupil, channel=EMAIL)
    assert left.state == WeeklyDelivery.State.GAVE_UP
    assert left.last_error == "Обучающийся не числится в этом классе на эту неделю: ведомость не сформирована."
    assert WeeklyDelivery.objects.get(run=run, pupil=w.pupil, channel=PAPER).state == WeeklyDelivery.State.GAVE_UP
    assert WeeklyDelivery.objects.filter(run=run).exclude(pupil=w.pupil).exclude(state="sent").count() == 0
    run.refresh_from_db()
    assert run.state == "done"
