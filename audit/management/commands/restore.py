from django.core.management.base import BaseCommand, CommandError

from audit.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restores a backup directory (one ejournal-YYYYMMDD-HHMMSS written by `manage.py backup`) into the empty "
        "database of DATABASE_URL and its files into MEDIA_ROOT. Refuses, before writing anything, a directory that "
        "does not match its manifest and a database that is not empty."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", help="the backup directory, the one holding manifest.json")

    def handle(self, *args, **o):
        try:
            done = restore(o["dir"])
        except BackupError as e:
            raise CommandError(e.message) from e
        self.stdout.write(
            f"Restored {done.path}: {done.tables} tables, {done.rows} rows and {done.files} uploaded file(s); the row "
            "counts match the manifest."
        )
        self.stdout.write("If this code is newer than the backup, run `manage.py migrate` now.")
