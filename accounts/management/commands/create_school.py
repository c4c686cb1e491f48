import datetime
import secrets

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import services
from accounts.models import Role


class Command(BaseCommand):
    help = "Adds a school and its first administrator (with a temporary password) to this installation."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="the school's full name")
        parser.add_argument("--short-name", required=True)
        parser.add_argument("--admin-last-name", required=True)
        parser.add_argument("--admin-first-name", required=True)
        parser.add_argument("--admin-middle-name", default="")
        parser.add_argument("--admin-email", default="")
        parser.add_argument("--consent", required=True, help="the administrator's signed consent (document)")
        parser.add_argument("--consent-date", required=True, help="YYYY-MM-DD")

    def handle(self, *args, **o):
        try:
            signed_on = datetime.date.fromisoformat(o["consent_date"])
        except ValueError as e:
            raise CommandError("--consent-date must be YYYY-MM-DD") from e
        person = services.NewPerson(
            last_name=o["admin_last_name"],
            first_name=o["admin_first_name"],
            middle_name=o["admin_middle_name"],
            email=o["admin_email"],
            roles=(Role.ADMIN,),
            consent=services.ConsentData(
                signed_by=f"{o['admin_last_name']} {o['admin_first_name']}", signed_on=signed_on, document=o["consent"]
            ),
        )
        password = secrets.token_urlsafe(9)
        try:
            with transaction.atomic():
                school = services.school_create(actor=None, name=o["name"], short_name=o["short_name"])
                admin = services.person_create(actor=None, school=school, person=person)
                services.passwords_set(actor=None, school=school, users=[admin], password=password, temporary=True)
        except services.AccountsError as e:
            raise CommandError(e.message) from e
        self.stdout.write(f"School «{school.short_name}» created. Administrator: {admin.username} / {password}")
        self.stdout.write("The password is temporary: it must be changed at first login.")
