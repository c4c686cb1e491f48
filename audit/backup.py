"""Backup and restore of an installation (issue 10 item 4; seed 003: R-K02 a control backup every month, R-K03 by
30 June on two separate media).

A backup is one directory `ejournal-YYYYMMDD-HHMMSS` with
- `database.dump`: PostgreSQL's custom-format dump (`pg_dump -Fc`),
- `media/…`: a copy of every uploaded file under MEDIA_ROOT,
- `manifest.json`: the format, when, the code's version and each app's last migration, the database's name, the row
  count of every table, and the size and SHA-256 of every other file of the directory.

The dump and the row counts are read from one snapshot (`pg_export_snapshot`, `pg_dump --snapshot`), so the
counts are those of the dump even while the portal keeps writing. The password never appears on a command line or
in the manifest: the PostgreSQL tools get the connection through libpq's environment (PGPASSWORD…).

A restore goes only into a new, empty database and refuses before writing anything when the directory does not
match its manifest exactly. The messages are English, as the other management commands': only an operator at a
console reads them, never a page.
"""

import dataclasses
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

from ejournal import clock

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
PREFIX = "ejournal-"
NAME = re.compile(r"^ejournal-(\d{8}-\d{6})(?:-(\d+))?$")
CHUNK = 1024 * 1024


class BackupError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclasses.dataclass(frozen=True)
class Summary:
    path: Path
    tables: int
    rows: int
    files: int
    bytes: int


# --- PostgreSQL's tools ---------------------------------------------------------------------------------------


def _connection(using: str) -> BaseDatabaseWrapper:
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise BackupError(
            "Backup and restore need PostgreSQL; this installation runs on "
            f"{connection.vendor} (the demo of `make run`). Stop the server and copy DATA_DIR instead."
        )
    return connection


def _major(path: str) -> tuple[int, ...]:
    """The version of /usr/lib/postgresql/<version>/bin, for sorting as `sort -V` does."""
    return tuple(int(part) for part in re.findall(r"\d+", Path(path).parent.name))


def pg_tool(tool: str, server_major: int | None = None) -> str:
    """The path of pg_dump or pg_restore: PG_BIN (environment or setting) when given; else Debian's server binaries
    of the server's major version, or the newest there are (as scripts/lib.sh finds them: a pg_dump older than the
    server refuses to dump); else the one on PATH."""
    override = os.environ.get("PG_BIN") or getattr(settings, "PG_BIN", "")
    if override:
        path = Path(override) / tool
        if not os.access(path, os.X_OK):
            raise BackupError(f"PG_BIN is {override}, but there is no {tool} in it.")
        return str(path)
    dirs = sorted((str(p) for p in Path("/usr/lib/postgresql").glob("*/bin")), key=_major)
    same = [d for d in dirs if _major(d)[:1] == (server_major,)]
    for candidate in (same or dirs)[-1:]:
        path = Path(candidate) / tool
        if os.access(path, os.X_OK):
            return str(path)
    found = shutil.which(tool)
    if found:
        return found
    raise BackupError(f"{tool} not found: install PostgreSQL's client (postgresql-client-N) or set PG_BIN.")


def _pg_env(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """libpq's environment for the database of `connection`: the credentials travel here, never in arguments."""
    db = connection.settings_dict
    options = db.get("OPTIONS") or {}
    env = dict(os.environ)
    values = {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": db.get("NAME"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
    }
    for key, value in values.items():
        if value:
            env[key] = str(value)
        else:
            env.pop(key, None)
    env["PGAPPNAME"] = "ejournal-backup"
    return env


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - no shell
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()[-2000:]
        raise BackupError(f"{what} failed (exit code {done.returncode}): {detail}")


# --- Reads of a database --------------------------------------------------------------------------------------


def _tables(connection: BaseDatabaseWrapper, cursor) -> list[str]:
    return sorted(connection.introspection.table_names(cursor))


def _row_counts(connection: BaseDatabaseWrapper, cursor) -> dict[str, int]:
    counts = {}
    for table in _tables(connection, cursor):
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a table name
        counts[table] = cursor.fetchone()[0]
    return counts


def _last_migrations(cursor) -> dict[str, str]:
    cursor.execute("SELECT app, max(name) FROM django_migrations GROUP BY app ORDER BY app")
    return dict(cursor.fetchall())


def _code_version() -> str:
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as f:
            return tomllib.load(f)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


# --- Files ----------------------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy(source: Path, target: Path, mode: int) -> str:
    """Copies a file and returns the SHA-256 of what was read."""
    digest = hashlib.sha256()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with open(source, "rb") as src, os.fdopen(fd, "wb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
    return digest.hexdigest()


def _files_under(root: Path) -> Iterator[Path]:
    """Every regular file under root, sorted; symbolic links are not followed (nor copied)."""
    for directory, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                yield path


def _new_directory(parent: Path) -> Path:
    """A free name for a backup made now (local time); a second one in the same second gets a suffix."""
    stamp = clock.local_now().strftime("%Y%m%d-%H%M%S")
    name, n = f"{PREFIX}{stamp}", 1
    while (parent / name).exists() or (parent / f".{name}.partial").exists():
        n += 1
        name = f"{PREFIX}{stamp}-{n}"
    return parent / name


def _inside(path: Path, root: Path) -> bool:
    return path.resolve().is_relative_to(root.resolve())


# --- Backup ---------------------------------------------------------------------------------------------------


def backup(dest_dir: str | Path, *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Writes a new backup directory into dest_dir (made if missing) and returns it. The directory is written
    under a hidden `.….partial` name and renamed when complete, so a failed or running backup is never taken for
    one (nor pruned, nor copied)."""
    connection = _connection(using)
    parent = Path(dest_dir)
    media_root = Path(settings.MEDIA_ROOT)
    if _inside(parent, media_root):
        raise BackupError(f"The backup directory {parent} is inside MEDIA_ROOT ({media_root}): choose another one.")
    parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    final = _new_directory(parent)
    work = parent / f".{final.name}.partial"
    work.mkdir(mode=0o700)
    try:
        manifest = _write(connection, work, media_root)
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        os.chmod(work / MANIFEST, 0o600)
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    files = manifest["files"]
    logger.info("backup written to %s", final)
    return Summary(
        path=final,
        tables=len(manifest["database"]["tables"]),
        rows=sum(manifest["database"]["tables"].values()),
        files=len(files) - 1,
        bytes=sum(f["size"] for f in files.values()),
    )


def _write(connection: BaseDatabaseWrapper, work: Path, media_root: Path) -> dict:
    # A connection of our own: a caller inside a transaction (a test, a request) cannot start a REPEATABLE READ one,
    # and the snapshot must stay open, unchanged, until pg_dump has finished.
    own = connections.create_connection(connection.alias)
    try:
        own.ensure_connection()
        own.set_autocommit(False)
        with own.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _row_counts(own, cursor)
            migrations = _last_migrations(cursor)
            dump = work / DUMP
            tool = pg_tool("pg_dump", own.pg_version // 10000)
            _run(
                [tool, "--format=custom", "--no-password", f"--snapshot={snapshot}", f"--file={dump}"],
                _pg_env(own),
                "pg_dump",
            )
        own.rollback()
    finally:
        own.close()
    os.chmod(dump, 0o600)
    files = {DUMP: {"sha256": _sha256(dump), "size": dump.stat().st_size}}
    if media_root.is_dir():
        for source in _files_under(media_root):
            relative = source.relative_to(media_root).as_posix()
            target = work / MEDIA / relative
            files[f"{MEDIA}/{relative}"] = {"sha256": _copy(source, target, 0o600), "size": target.stat().st_size}
    return {
        "format": FORMAT_VERSION,
        "created_at": clock.now().isoformat(),
        "app": {"version": _code_version(), "migrations": migrations},
        "database": {"vendor": "postgresql", "name": connection.settings_dict["NAME"], "tables": counts},
        "files": files,
    }


def backups_in(parent: str | Path) -> list[Path]:
    """The complete backups in a directory, oldest first."""
    parent = Path(parent)
    found = []
    for path in parent.iterdir() if parent.is_dir() else ():
        match = NAME.match(path.name)
        if match and path.is_dir() and not path.is_symlink() and (path / MANIFEST).is_file():
            found.append(((match[1], int(match[2] or 1)), path))
    return [path for _, path in sorted(found)]


def backups_prune(parent: str | Path, *, keep: int) -> list[Path]:
    """Removes all but the newest `keep` complete backups of a directory; returns the removed ones."""
    if keep < 1:
        raise BackupError("Keep at least one backup.")
    removed = backups_in(parent)[:-keep]
    for path in removed:
        shutil.rmtree(path)
    return removed


def backup_copy(source: str | Path, dest_dir: str | Path) -> Path:
    """Copies a verified backup into another directory (the second medium, R-K03) and verifies the copy."""
    source = Path(source)
    verify(source)
    parent = Path(dest_dir)
    parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    final = parent / source.name
    if final.exists():
        raise BackupError(f"{final} exists already.")
    work = parent / f".{source.name}.partial"
    shutil.rmtree(work, ignore_errors=True)
    try:
        work.mkdir(mode=0o700)
        for path in _files_under(source):
            _copy(path, work / path.relative_to(source), 0o600)
        verify(work)
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final


# --- Verify and restore ---------------------------------------------------------------------------------------


def _safe(name: object) -> bool:
    """A manifest's file name: relative, no `..`, the dump or under media/."""
    if not isinstance(name, str) or not name or "\\" in name or "\x00" in name:
        return False
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("", ".", "..") for part in name.split("/")):
        return False
    return name == DUMP or (path.parts[0] == MEDIA and len(path.parts) > 1)


def _read_manifest(src: Path) -> dict:
    if not src.is_dir():
        raise BackupError(f"{src} is not a directory.")
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{src} has no {MANIFEST}: it is not a backup (or not a complete one).") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BackupError(f"{MANIFEST} cannot be read: {e}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupError(f"Unknown backup format {found!r} (this version reads format {FORMAT_VERSION}).")
    files, database = manifest.get("files"), manifest.get("database")
    tables = database.get("tables") if isinstance(database, dict) else None
    app = manifest.get("app")
    migrations = app.get("migrations") if isinstance(app, dict) else None
    if not (
        isinstance(files, dict)
        and all(
            _safe(name)
            and isinstance(entry, dict)
            and isinstance(entry.get("sha256"), str)
            and re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])
            and isinstance(entry.get("size"), int)
            for name, entry in files.items()
        )
        and DUMP in files
        and isinstance(tables, dict)
        and all(isinstance(k, str) and isinstance(v, int) for k, v in tables.items())
        and isinstance(migrations, dict)
    ):
        raise BackupError(f"{MANIFEST} is malformed: the backup is refused.")
    return manifest


def verify(src_dir: str | Path) -> dict:
    """The manifest of a backup directory once every file is checked: every listed file present with its size and
    SHA-256, no file that is not listed, nothing but regular files and directories. Raises BackupError otherwise."""
    src = Path(src_dir)
    manifest = _read_manifest(src)
    listed = manifest["files"]
    problems = []
    present = set()
    for directory, dirs, names in os.walk(src):
        for name in sorted(dirs + names):
            path = Path(directory) / name
            relative = path.relative_to(src).as_posix()
            if path.is_symlink():
                problems.append(f"{relative}: a symbolic link")
            elif path.is_file() and relative != MANIFEST:
                present.add(relative)
                if relative not in listed:
                    problems.append(f"{relative}: not in the manifest")
    for name, entry in sorted(listed.items()):
        path = src / name
        if name not in present:
            problems.append(f"{name}: missing")
        elif path.stat().st_size != entry["size"]:
            problems.append(f"{name}: {path.stat().st_size} bytes, the manifest says {entry['size']}")
        elif _sha256(path) != entry["sha256"]:
            problems.append(f"{name}: its SHA-256 differs from the manifest's")
    if problems:
        shown = "; ".join(problems[:10]) + ("; …" if len(problems) > 10 else "")
        raise BackupError(f"The backup {src} does not match its manifest, nothing was restored: {shown}")
    return manifest


def _check_migrations_known(manifest: dict) -> None:
    """A backup made by a newer version of the code would restore tables this code does not know."""
    installed = {config.label for config in apps.get_app_configs()}
    disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = sorted(
        f"{app}.{name}"
        for app, name in manifest["app"]["migrations"].items()
        if app in installed and (app, name) not in disk
    )
    if unknown:
        raise BackupError(
            f"The backup was made by a newer version of the portal ({manifest['app'].get('version')}; the migrations "
            f"{', '.join(unknown)} are unknown here): update the code first, then restore."
        )


def restore(src_dir: str | Path, *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Restores a backup into the empty database of `using` and its files into MEDIA_ROOT, then compares the row
    counts with the manifest. Everything that can be checked beforehand (the manifest, the code's version, an empty
    database, no different file in the way) is checked before anything is written."""
    connection = _connection(using)
    src = Path(src_dir)
    manifest = verify(src)
    _check_migrations_known(manifest)
    with connection.cursor() as cursor:
        existing = _tables(connection, cursor)
    name = connection.settings_dict["NAME"]
    if existing:
        raise BackupError(
            f"The database {name} is not empty ({len(existing)} tables, such as {existing[0]}): restore only into a "
            "new empty database (createdb), without running migrate first."
        )
    media_root = Path(settings.MEDIA_ROOT)
    media = {n[len(MEDIA) + 1 :]: entry for n, entry in manifest["files"].items() if n.startswith(f"{MEDIA}/")}
    in_the_way = [
        relative
        for relative, entry in media.items()
        if (media_root / relative).exists() and _sha256_or_none(media_root / relative) != entry["sha256"]
    ]
    if in_the_way:
        raise BackupError(
            f"MEDIA_ROOT ({media_root}) holds other files under the backup's names, such as {in_the_way[0]}: "
            "restore into an empty MEDIA_ROOT."
        )

    _run(
        [
            pg_tool("pg_restore", connection.pg_version // 10000),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--no-password",
            f"--dbname={name}",
            str(src / DUMP),
        ],
        _pg_env(connection),
        "pg_restore",
    )
    file_mode = getattr(settings, "FILE_UPLOAD_PERMISSIONS", None) or 0o640
    for relative, entry in sorted(media.items()):
        target = media_root / relative
        if target.exists():
            continue  # the same content (checked above)
        if _copy(src / MEDIA / relative, target, file_mode) != entry["sha256"]:
            raise BackupError(f"{relative} changed while it was restored.")

    with connection.cursor() as cursor:
        counts = _row_counts(connection, cursor)
    expected = manifest["database"]["tables"]
    if counts != expected:
        differ = [
            f"{table}: {expected.get(table, 'none')} in the backup, {counts.get(table, 'none')} restored"
            for table in sorted(set(counts) | set(expected))
            if counts.get(table) != expected.get(table)
        ]
        raise BackupError(f"The database {name} was restored, but its row counts differ: {'; '.join(differ[:10])}")
    return Summary(
        path=src,
        tables=len(counts),
        rows=sum(counts.values()),
        files=len(media),
        bytes=sum(f["size"] for f in manifest["files"].values()),
    )


def _sha256_or_none(path: Path) -> str | None:
    return _sha256(path) if path.is_file() and not path.is_symlink() else None
