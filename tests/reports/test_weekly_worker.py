"""The weekly job through a REAL Celery worker and Redis (issue 9 item 3; R-I04, R-I05): the first worker's mail
server refuses every message (the emails fail, their retries wait with back-off) and the worker is killed (SIGKILL)
while it holds those retries; a new worker with a working mail server runs the week again: exactly one email per
family and one bundle per class, and the PDFs' text holds the pupil's marks, averages and missed lessons.

Families and figures: tests/reports/test_weekly.py (the pupil's maths of 9–14 November: «5» and «3» (control work),
5 lessons held, average 4,00, weighted 3,50, one lesson missed (Н))."""

import email
import os
import re
import signal
import subprocess
import sys
import time
from email import policy

import pytest
from django.conf import settings
from django.db import connection

from ejournal.celery import app as celery_app
from reports import weekly
from reports.models import ClassBundle, WeeklyDelivery, WeeklyRun
from tests.matrix.weekly import WEEK

from .test_weekly import build_week, pdf_text


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _start_worker(email_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": email_url,
    }
    command = [sys.executable, "-m", "celery", "-A", "ejournal", "worker", "--pool=solo", "--without-heartbeat"]
    command += ["--without-gossip", "--without-mingle", "--loglevel=WARNING"]
    return subprocess.Popen(  # noqa: S603
        command, env=env, cwd=settings.BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


def _stop(proc: subprocess.Popen, sig=signal.SIGTERM) -> str:
    if proc.poll() is None:
        proc.send_signal(sig)
    try:
        out, _err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _err = proc.communicate()
    return out.decode(errors="replace") if out else ""


def _wait(condition, timeout: float = 40) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)  # waiting on a real process, not on the clock of a rule
    return False


@pytest.fixture
def no_eager():
    if not settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.fail("the worker test needs REDIS_URL and PostgreSQL: run it through `make test`")
    old = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = old


def _messages(folder) -> list:
    found = []
    for path in sorted(folder.iterdir()):
        # Django's file backend writes each message followed by a line of dashes.
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                found.append(email.message_from_bytes(chunk, policy=policy.default))
    return found


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_and_a_failing_mail_server_send_each_sheet_once_r_i04(world, clock, no_eager, tmp_path):
    w = world
    w.families = build_week(w, clock)
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()

    first = _start_worker("smtp://127.0.0.1:1")  # nothing listens there: every email fails
    log = ""
    try:
        run = weekly.weekly_run_start(school=w.school, week_start=WEEK)  # commits: the class tasks go to Redis

        def all_failed():
            emails = WeeklyDelivery.objects.filter(run=run, channel="email")
            return emails.count() == 2 and not emails.exclude(state="failed").exists()

        assert _wait(all_failed), "the first worker did not try the emails"
        assert ClassBundle.objects.filter(run=run).exclude(file="").count() == 2
        assert all(
            "ConnectionRefusedError" in e
            for e in WeeklyDelivery.objects.filter(state="failed").values_list("last_error", flat=True)
        )
    finally:
        log += _stop(first, signal.SIGKILL)  # killed while it holds the retries (countdown of a minute)
    run.refresh_from_db()
    assert run.state == "running"

    second = _start_worker(f"filemail://{mail_dir}")
    try:
        weekly.weekly_run_start(school=w.school, week_start=WEEK)  # the week again, by hand or by the beat

        def done():
            return WeeklyRun.objects.get(pk=run.pk).state == "done"

        assert _wait(done), "the second worker did not finish the week"
    finally:
        log += _stop(second)
    assert _wait(lambda: len(_messages(mail_dir)) >= 2, timeout=10), log

    messages = _messages(mail_dir)
    assert sorted(m["To"] for m in messages) == ["guardian@example.org", "other_guardian@example.org"], log
    assert ClassBundle.objects.filter(run=run).count() == 2
    run.refresh_from_db()
    assert run.started_count == 2
    assert set(WeeklyDelivery.objects.filter(run=run).values_list("state", flat=True)) == {"sent"}

    mine = next(m for m in messages if m["To"] == "guardian@example.org")
    (attachment,) = list(mine.iter_attachments())
    text = pdf_text(attachment.get_content(), tmp_path)
    assert w.pupil.get_full_name() in text and "09.11.2026–14.11.2026" in text
    maths = next(line for line in text.splitlines() if "Математика" in line)
    assert "4,00" in maths and "3,50" in maths, maths
    numbers = re.findall(r"(?<![\d,.])\d+(?![\d,.])", maths)
    assert numbers[:1] == ["5"], maths  # lessons held
    assert "1" in numbers, maths  # one lesson missed (Н)
    assert "10.11" in text and "11.11" in text and "Контрольная работа" in text

    bundle = ClassBundle.objects.get(run=run, school_class=w.school_class)
    bundle_text = pdf_text(bundle.file.read(), tmp_path)
    assert bundle.pupils == 2
    assert w.pupil.get_full_name() in bundle_text and w.families.paper_pupil.get_full_name() in bundle_text
