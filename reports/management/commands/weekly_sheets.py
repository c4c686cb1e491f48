import datetime

from django.core.management.base import BaseCommand, CommandError

from accounts.models import School
from ejournal.clock import today
from reports.weekly import previous_week, weekly_run_start


class Command(BaseCommand):
    help = (
        "Runs the weekly summary sheets for families who opted out again (the same service as the Monday job): "
        "only what was not sent yet is sent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--school", type=int, help="the school's id (default: every school)")
        parser.add_argument("--week", help="a day of the week to run, YYYY-MM-DD (default: the previous week)")

    def handle(self, *args, **o):
        schools = School.objects.order_by("pk")
        if o["school"] is not None:
            schools = schools.filter(pk=o["school"])
            if not schools.exists():
                raise CommandError(f"no school with id {o['school']}")
        day = None
        if o["week"]:
            try:
                day = datetime.date.fromisoformat(o["week"])
            except ValueError as e:
                raise CommandError("--week must be YYYY-MM-DD") from e
        for school in schools:
            if day is not None:
                week_start = day - datetime.timedelta(days=day.weekday())
            else:
                week_start = previous_week(today(school.timezone))[0]
            run = weekly_run_start(school=school, week_start=week_start)
            self.stdout.write(
                f"{school.short_name or school.name}: {run.week_start:%d.%m.%Y}–{run.week_end:%d.%m.%Y}, "
                f"{run.get_state_display()}, started {run.started_count} time(s)"
            )
