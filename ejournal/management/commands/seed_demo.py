from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from ejournal.clock import today
from ejournal.demo import DEMO_LOGINS, build_demo_school


class Command(BaseCommand):
    help = (
        "Creates the demo school with stable logins (admin, director, deputy, teacher, class_teacher, pupil, guardian)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pupils", type=int, default=550, help="number of pupils (default 550: 22 classes × 25)")
        parser.add_argument("--password", default="demo12345", help="password of every demo login")
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off (never on a real school)")

    def handle(self, *args, pupils: int, password: str, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like a real deployment, and the demo would add fake people to it. "
                "Use --force if you really mean it."
            )
        if pupils < 1:
            raise CommandError("--pupils must be at least 1.")
        if User.objects.filter(username__in=DEMO_LOGINS).exists():
            self.stdout.write("The demo school already exists; nothing to do. Delete the database to start over.")
            self._print_logins(password=None)
            return
        result = build_demo_school(pupils=pupils, password=password, today=today())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo school «{result.school.short_name}», year {result.year}: {result.classes} classes, "
                f"{result.pupils} pupils, {result.guardians} parents, {result.teachers} staff."
            )
        )
        self._print_logins(password=password)

    def _print_logins(self, password: str | None) -> None:
        shown = password if password is not None else "(as set when the demo was created; default demo12345)"
        self.stdout.write("Logins: " + ", ".join(DEMO_LOGINS) + f"; password: {shown}")
