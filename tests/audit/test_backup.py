"""Backup and restore (issue 10 item 4; seed 003 «на 2-х электронных носителях», «не позднее 30 июня»: R-K02,
R-K03; credentials kept secret).

The round trip backs up a seeded school (tests/conftest.py's, with tests/audit/test_changes.py's three mark changes,
a late change with its scan, an absence, homework with a file), restores it with `manage.py restore` in another
process into a new database of the same server, and compares every table's row count and checksum and the files.
pg_dump reads through its own connection, so that test commits its data (`transaction=True`; pytest-django empties
the tables afterwards, as for the browser tests). The refusals need no seeded school: a backup of the test
database's committed tables and one uploaded file."""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from attendance.services import absence_set
from audit.backup import DUMP, MANIFEST, BackupError, backups_in, restore
from audit.tasks_backup import backup_nightly
from schedule.services.homework import homework_file_add, homework_set
from tests.audit.test_changes import the_three_changes
from tests.matrix.journal import lesson_of

# Never a real one: the throwaway server trusts loopback, so any password is accepted, and none may leak.
PASSWORD = "s3cret-Пароль-" + uuid.uuid4().hex


def _connect(dbname: str) -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"], dbname=dbname, autocommit=True
    )


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def fresh_db():
    """A new empty database on the test server (as `createdb` makes it), dropped at the end."""
    name = f"restore_{uuid.uuid4().hex[:12]}"
    with _connect("postgres") as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with _connect("postgres") as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def restore_into(dbname: str, backup_dir: Path, media_root: Path) -> subprocess.CompletedProcess:
    """`manage.py restore DIR` as an operator runs it, with DATABASE_URL and MEDIA_ROOT of the new installation."""
    db = connection.settings_dict
    url = f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'] or '')}@{db['HOST']}:{db['PORT']}/{dbname}"
    env = os.environ | {"DATABASE_URL": url, "MEDIA_ROOT": str(media_root)}
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "restore", str(backup_dir)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def digests(dbname: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and the MD5 of its rows in a fixed order; every sequence's last value."""
    with _connect(dbname) as conn:
        conn.execute("SET TIME ZONE 'UTC'")
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        result = {}
        for table in tables:
            query = sql.SQL("SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM {} t")
            result[table] = conn.execute(query.format(sql.Identifier(table))).fetchone()
        sequences = conn.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
        for name, value in sequences:
            result[f"sequence {name}"] = (value, "")
    return result


def public_tables(dbname: str) -> list[str]:
    with _connect(dbname) as conn:
        return [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]


@pytest.fixture
def secret_password():
    """The connection's settings with a password (the server ignores it): it must reach neither the manifest nor
    the dump. The same dict is Django's settings.DATABASES entry; it is put back afterwards."""
    db = connection.settings_dict
    before = db["PASSWORD"]
    connection.close()
    db["PASSWORD"] = PASSWORD
    yield PASSWORD
    connection.close()
    db["PASSWORD"] = before


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_a_school_restores_into_a_fresh_database_table_for_table_R_K02(
    world, clock, media, fresh_db, secret_password, tmp_path
):
    """R-K02, R-K03. Done means: back up a seeded school, restore it into a fresh database, the same row count and
    checksum in every table, the uploaded file back byte for byte; the password is in neither the manifest nor the
    dump. Then a second restore into that database, no longer empty, is refused."""
    the_three_changes(world, clock)  # marks, their history, a late change with its scanned document
    lesson = lesson_of(world)
    absence_set(actor=world.teacher, lesson=lesson, pupil=world.pupil, code="absent")
    homework = homework_set(actor=world.teacher, lesson=lesson, text="№ 1")
    upload = homework_file_add(
        actor=world.teacher, homework=homework, upload=SimpleUploadedFile("задание.pdf", b"%PDF-1.4 homework")
    )
    call_command("backup", str(tmp_path / "backups"), stdout=open(os.devnull, "w"))  # noqa: SIM115
    (made,) = backups_in(tmp_path / "backups")

    manifest = json.loads((made / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["format"] == 1 and manifest["database"]["name"] == connection.settings_dict["NAME"]
    assert manifest["database"]["tables"]["gradebook_mark"] > 0
    assert manifest["database"]["tables"]["gradebook_historicalmark"] > 0
    assert manifest["app"]["migrations"]["audit"].startswith("00")
    assert f"media/{upload.file.name}" in manifest["files"]
    assert secret_password not in (made / MANIFEST).read_text(encoding="utf-8")
    assert secret_password.encode() not in (made / DUMP).read_bytes()

    restored_media = tmp_path / "restored-media"
    done = restore_into(fresh_db, made, restored_media)
    assert done.returncode == 0, done.stderr
    assert "row counts match the manifest" in done.stdout

    source = digests(connection.settings_dict["NAME"])
    assert digests(fresh_db) == source
    assert source["gradebook_historicalmark"][0] >= 4 and source["attendance_absence"][0] == 1
    assert (restored_media / upload.file.name).read_bytes() == b"%PDF-1.4 homework"
    assert sorted(p.relative_to(restored_media) for p in restored_media.rglob("*") if p.is_file()) == sorted(
        p.relative_to(media) for p in media.rglob("*") if p.is_file()
    )

    again = restore_into(fresh_db, made, tmp_path / "another-media")
    assert again.returncode != 0 and "is not empty" in again.stderr
    assert not (tmp_path / "another-media").exists()
    assert digests(fresh_db) == source


@pytest.fixture
def a_backup(db, media, tmp_path) -> Path:
    """A backup of the test database's committed tables and one uploaded file."""
    (media / "homework" / "1").mkdir(parents=True)
    (media / "homework" / "1" / "задание.pdf").write_bytes(b"%PDF-1.4 homework")
    call_command("backup", str(tmp_path / "backups"), stdout=open(os.devnull, "w"))  # noqa: SIM115
    return backups_in(tmp_path / "backups")[0]


def _changed_hash(path: Path) -> None:
    file = path / "media" / "homework" / "1" / "задание.pdf"
    file.write_bytes(b"%PDF-1.4 homewrok")  # the same size


def _missing_file(path: Path) -> None:
    (path / "media" / "homework" / "1" / "задание.pdf").unlink()


def _extra_file(path: Path) -> None:
    (path / "media" / "readme.txt").write_text("not listed")


def _unknown_format(path: Path) -> None:
    manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    (path / MANIFEST).write_text(json.dumps(manifest | {"format": 99}), encoding="utf-8")


def _outside_path(path: Path) -> None:
    manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"]["media/../../x"] = manifest["files"].pop(DUMP)
    (path / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def spoilt(a_backup: Path, spoil) -> Path:
    path = a_backup.parent.parent / spoil.__name__.strip("_")
    shutil.copytree(a_backup, path)
    spoil(path)
    return path


def test_a_backup_that_does_not_match_its_manifest_is_refused_before_anything_is_written_R_K03(
    a_backup, fresh_db, tmp_path
):
    """R-K03. Done means: a changed file, a missing one, an unlisted one: `manage.py restore` refuses each with the
    reason, and the new database stays empty, MEDIA_ROOT untouched."""
    for spoil, reason in [
        (_changed_hash, "SHA-256 differs"),
        (_missing_file, "missing"),
        (_extra_file, "not in the manifest"),
    ]:
        done = restore_into(fresh_db, spoilt(a_backup, spoil), tmp_path / "restored-media")
        assert done.returncode != 0, spoil.__name__
        assert "does not match its manifest, nothing was restored" in done.stderr, done.stderr
        assert reason in done.stderr, (spoil.__name__, done.stderr)
        assert public_tables(fresh_db) == []
        assert not (tmp_path / "restored-media").exists()


def test_a_manifest_of_another_format_or_with_a_name_outside_the_backup_is_refused_R_K03(a_backup, media):
    """R-K03. Checked first, before the database (here not empty) is even looked at; no path of a manifest reaches
    the filesystem outside the backup."""
    for spoil, reason in [(_unknown_format, "Unknown backup format 99"), (_outside_path, "malformed")]:
        with pytest.raises(CommandError, match=reason):
            call_command("restore", str(spoilt(a_backup, spoil)))
    assert not (media.parent / "x").exists()


def test_a_restore_into_a_database_that_is_not_empty_is_refused_R_K03(a_backup):
    """R-K03. The test database holds the migrated tables: nothing of the backup goes into it."""
    with pytest.raises(CommandError, match="is not empty .* restore only into a new empty database"):
        call_command("restore", str(a_backup))
    with pytest.raises(BackupError, match="is not empty"):
        restore(a_backup)


def test_the_nightly_backup_keeps_the_newest_in_both_directories_R_K03(db, media, settings, tmp_path):
    """R-K02, R-K03 (two separate media): each night's backup is written into BACKUP_DIR and copied, verified, into
    BACKUP_MIRROR_DIR; each keeps the newest BACKUP_KEEP. Unset, the task only logs."""
    settings.BACKUP_DIR = ""
    assert backup_nightly.delay().get() is None
    settings.BACKUP_DIR, settings.BACKUP_MIRROR_DIR = str(tmp_path / "disk1"), str(tmp_path / "disk2")
    settings.BACKUP_KEEP = 2
    made = [Path(backup_nightly.delay().get()) for _ in range(3)]
    kept = [p.name for p in backups_in(tmp_path / "disk1")]
    assert kept == [p.name for p in made[1:]]
    assert [p.name for p in backups_in(tmp_path / "disk2")] == kept
    assert not [p for p in (tmp_path / "disk2").iterdir() if p.name.startswith(".")]
    for name in kept:
        first, second = tmp_path / "disk1" / name / MANIFEST, tmp_path / "disk2" / name / MANIFEST
        assert first.read_bytes() == second.read_bytes()


def test_backup_keep_removes_the_oldest(a_backup, tmp_path):
    call_command("backup", str(tmp_path / "backups"), "--keep", "1", stdout=open(os.devnull, "w"))  # noqa: SIM115
    (left,) = backups_in(tmp_path / "backups")
    assert left != a_backup and not a_backup.exists()
    with pytest.raises(CommandError, match="at least 1"):
        call_command("backup", str(tmp_path / "backups"), "--keep", "0")


def test_the_beat_schedule_runs_the_nightly_backup_task_R_K02():
    """R-K02: the schedule names the task as Celery registers it (audit.tasks imports tasks_backup)."""
    from ejournal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["audit-backup"]
    app.loader.import_default_modules()
    assert app.tasks[entry["task"]].name == backup_nightly.name
