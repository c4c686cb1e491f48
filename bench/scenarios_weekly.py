"""Bench scenario of issue 9 item 3 (see bench/scenarios.py): the whole weekly job of summary sheets for the seeded
school with EVERY family opted out, through the Celery code path (`weekly_run_start` → a group of class tasks →
bundles and emails under row locks).

With `REDIS_URL` (scripts/bench.sh starts a Redis) the job runs on a real Celery worker with two processes
(the machine's 2 cores), the classes in parallel as in production, mail to Django's dummy backend; without it,
eagerly in this process (one core: a floor). The row's note gets `sheets_per_s`."""

import os
import subprocess
import sys
import time

from django.conf import settings
from django.core import mail
from django.db import connection

from .core import SCENARIOS, scenario

NOTE = "the weekly job, every family opted out"


class _Done:
    status_code = 200


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class _Worker:
    """A Celery worker of two processes on the bench's database and Redis; the bench process sends to it."""

    def __init__(self, redis_url: str):
        from ejournal.celery import app

        self.app, self.redis_url = app, redis_url
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "REDIS_URL": redis_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_URL": "dummymail://",
        }
        self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "celery", "-A", "ejournal", "worker", "--concurrency=2", "--pool=prefork",
             "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
            env=env,
            cwd=settings.BASE_DIR,
        )  # fmt: skip
        self.saved = app.conf.task_always_eager
        app.conf.task_always_eager = False
        from reports.tasks import report_job_run

        try:
            report_job_run.delay(0).get(timeout=120)  # the worker is up once it answers
        except Exception:
            self.stop()
            raise

    def stop(self):
        self.app.conf.task_always_eager = self.saved
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@scenario("weekly_sheets", iterations=1, warmup=0, note=NOTE)
def weekly_sheets(ctx):
    """Every parent of the school opts out (bench data, written in bulk); each call deletes the week's run (its
    deliveries, bundles and files: untimed) and runs the whole week again, until the run is done."""
    from accounts.models import GuardianLink, GuardianProfile
    from ejournal.clock import today
    from reports.models import ClassBundle, WeeklyDelivery, WeeklyRun
    from reports.weekly import previous_week, weekly_run_start

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    school = ctx.school
    parents = set(GuardianLink.objects.filter(school=school).values_list("guardian_id", flat=True))
    GuardianProfile.objects.filter(school=school, guardian_id__in=parents).update(diary_opt_out=True)
    have = set(GuardianProfile.objects.filter(school=school).values_list("guardian_id", flat=True))
    GuardianProfile.objects.bulk_create(
        GuardianProfile(school=school, guardian_id=g, diary_opt_out=True) for g in sorted(parents - have)
    )
    week_start, _end = previous_week(today(school.timezone))
    this = next(s for s in SCENARIOS if s.name == "weekly_sheets")
    redis_url = settings.REDIS_URL
    state = {"worker": None}

    def before():
        for bundle in ClassBundle.objects.filter(run__school=school, run__week_start=week_start):
            bundle.file.delete(save=False)
        WeeklyRun.objects.filter(school=school, week_start=week_start).delete()
        mail.outbox = []
        if redis_url and state["worker"] is None:
            state["worker"] = _Worker(redis_url)

    def after():
        if state["worker"] is not None:
            state["worker"].stop()
            state["worker"] = None

    def request():
        t0 = time.perf_counter()
        run = weekly_run_start(school=school, week_start=week_start)
        while redis_url:
            run.refresh_from_db()
            if run.state == WeeklyRun.State.DONE or time.perf_counter() - t0 > 1800:
                break
            time.sleep(0.2)  # waiting for another process: the bench measures wall time
        elapsed = time.perf_counter() - t0
        run.refresh_from_db()
        sent = WeeklyDelivery.objects.filter(run=run, state=WeeklyDelivery.State.SENT)
        sheets = sent.filter(channel=WeeklyDelivery.Channel.PAPER).count()
        emails = sent.filter(channel=WeeklyDelivery.Channel.EMAIL).count()
        how = "a real worker, 2 processes" if redis_url else "eager Celery, one core"
        this.note = (
            f"{NOTE}, {how}; sheets_per_s={sheets / elapsed:.1f} ({sheets} sheets, {emails} emails, "
            f"{ClassBundle.objects.filter(run=run).count()} bundles, {elapsed:.1f} s, run {run.state})"
        )
        return _Done()

    request.before = before
    request.after = after
    return request
