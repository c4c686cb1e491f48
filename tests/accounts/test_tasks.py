"""The password-changed email: queued on commit, sent by a Celery task, eagerly and through a real worker."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection

from accounts import services
from accounts.models import Role
from accounts.tasks import notify_password_changed
from ejournal.celery import app as celery_app
from tests.factories import SchoolFactory, UserFactory


def test_password_change_emails_the_owner_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.password_change(user=world.teacher, new_password="Nov-parol-2026")
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.teacher.email]
    assert message.subject == "Пароль в электронном журнале изменён"
    assert world.teacher.username in message.body


def test_no_email_for_a_user_without_an_address(world, django_capture_on_commit_callbacks):
    user = UserFactory(school=world.school, username="noemail", email="", roles=[Role.PUPIL])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.password_change(user=user, new_password="Nov-parol-2026")
    assert callbacks == []
    assert notify_password_changed(user.pk) is False
    assert mail.outbox == []


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path):
    """A real Celery worker process on the test's Redis and the test database, sending mail to files."""
    if not settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.fail("the worker test needs REDIS_URL and PostgreSQL: run it through `make test`")
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": f"filemail://{mail_dir}",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ejournal",
            "worker",
            "--pool=solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    old = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield mail_dir
        if not any(mail_dir.iterdir()):
            proc.terminate()
            print(proc.communicate(timeout=20)[0].decode(errors="replace"))
    finally:
        celery_app.conf.task_always_eager = old
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _wait_for_files(folder: Path, timeout: float = 60) -> list[Path]:
    """The mail files once written: Django's file backend creates a file when it opens and writes the message
    later, so a file counts once it is not empty and its size held between two looks (a run read one empty)."""
    deadline = time.monotonic() + timeout
    seen: dict[Path, int] = {}
    while time.monotonic() < deadline:
        sizes = {f: f.stat().st_size for f in folder.iterdir()}
        if sizes and all(sizes.values()) and sizes == seen:
            return list(sizes)
        seen = sizes
        time.sleep(0.2)  # waiting on a real process, not on the clock of a rule
    return []


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_email_through_redis(worker):
    school = SchoolFactory()
    user = UserFactory(school=school, username="worker_user", email="owner@example.org", roles=[Role.TEACHER])
    services.password_change(user=user, new_password="Nov-parol-2026")  # commits; on_commit queues the task
    files = _wait_for_files(worker)
    assert files, "the worker sent no email"
    text = files[0].read_text()
    assert "owner@example.org" in text
    assert "worker_user" in text
    # The same task by its result, through the broker and the result backend.
    assert notify_password_changed.delay(user.pk).get(timeout=30) is True
