from django.core.management.base import BaseCommand, CommandError

from audit.backup import BackupError, backup, backups_prune


class Command(BaseCommand):
    help = (
        "Writes a backup of the PostgreSQL database and the uploaded files (with a manifest of SHA-256 sums) into a "
        "new directory ejournal-YYYYMMDD-HHMMSS inside DIR (R-K02, R-K03)."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", help="the directory that keeps the backups (made if missing)")
        parser.add_argument("--keep", type=int, help="then remove all but the newest N backups of DIR")

    def handle(self, *args, **o):
        if o["keep"] is not None and o["keep"] < 1:
            raise CommandError("--keep must be at least 1")
        try:
            done = backup(o["dir"])
            removed = backups_prune(o["dir"], keep=o["keep"]) if o["keep"] else []
        except BackupError as e:
            raise CommandError(e.message) from e
        self.stdout.write(
            f"Backup written to {done.path}: {done.tables} tables, {done.rows} rows, {done.files} uploaded file(s), "
            f"{done.bytes / 1024 / 1024:.1f} MB."
        )
        for path in removed:
            self.stdout.write(f"Removed the older backup {path.name}.")
