"""Settings come from the environment; a broken environment is one clear line at start-up."""

import os
import subprocess
import sys

import pytest
from django.conf import settings


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    unset = ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "CELERY_TASK_ALWAYS_EAGER")
    full_env = {k: v for k, v in os.environ.items() if k not in unset}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("", "пуст"),
        ("mysql://root@localhost/ejournal", "неизвестная СУБД"),
        ("not a url at all", "неизвестная СУБД"),
        ("postgres://user@localhost:notaport/ejournal", "не разобран"),
        ("postgres://user@localhost:5432/", "не указано имя базы"),
    ],
)
def test_a_bad_database_url_is_one_line_at_start_up(url, words):
    result = manage("check", DATABASE_URL=url)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ejournal: ")
    assert words in lines[0]
    assert "Traceback" not in result.stderr


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        HTTPS="true",
        SECRET_KEY="x7-Ql9vN2pLk4rT8wZ1cV6bM3nH5jG0fD2sA9qE7yU4iO1pK8lJ6hG3fD5sA2qW9e",
        ALLOWED_HOSTS="journal.school1.example",
        DATABASE_URL="postgres://ejournal:secret@db:5432/ejournal",
        REDIS_URL="redis://redis:6379/0",
        DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_nothing_set_means_sqlite_in_the_data_folder_and_eager_celery(tmp_path):
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.CELERY_TASK_ALWAYS_EAGER)",
        DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    engine, name, eager = result.stdout.strip().splitlines()[-1].split()
    assert engine == "django.db.backends.sqlite3"
    assert name == str(tmp_path / "ejournal.sqlite3")
    assert eager == "True"
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_healthz_answers_503_when_the_database_is_down(tmp_path):
    result = manage(
        "shell",
        "-c",
        "from django.test import Client; r = Client().get('/healthz'); print(r.status_code, r.json()['database'])",
        DATABASE_URL="postgres://postgres@127.0.0.1:9/nowhere",
        ALLOWED_HOSTS="testserver",
        DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["503", "unavailable"]
