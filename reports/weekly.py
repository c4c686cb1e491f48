"""The weekly summary sheets for families who opted out of the electronic diary (issue 9 item 3; R-I04, R-I05,
DESIGN §6.3): exactly once per pupil, week and channel.

A run is one row per school and week (`WeeklyRun`); its deliveries are created once (one paper row per pupil, in the
class bundle; one email row per opted-out guardian with an address) on unique constraints, so that a second start,
a second beat firing or a re-run by hand adds nothing. Each class is built by its own Celery task (a group: classes
in parallel); each email is sent under the row lock of its still unsent delivery, in the transaction that marks it
sent: a worker killed mid-send rolls back (the row is pending again, the next start sends it), a start running at
the same time skips the locked row, a sent row is never sent again. A mail failure marks the row failed and retries
it with exponential back-off, then gives up; the admin sees the errors and may queue the failed ones again."""

import datetime
import logging
import smtplib
from collections import defaultdict

from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import GuardianLink, GuardianProfile, School
from ejournal.clock import local_now, now
from schedule.models import Enrollment, SchoolClass

from .models import ClassBundle, WeeklyDelivery, WeeklyRun
from .sheets import class_sheets
from .sheets_pdf import render_sheets

logger = logging.getLogger(__name__)

# Mail errors worth another try (the SMTP server, the network).
MAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)
MAX_ATTEMPTS = 5
RETRY_BASE_SECONDS = 60  # 1, 2, 4, 8 minutes between the attempts
UNSENT = (WeeklyDelivery.State.PENDING, WeeklyDelivery.State.FAILED)
ERROR_MAX = 500


# --- The week ---------------------------------------------------------------------------------------------------


def previous_week(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The school week (Monday–Saturday) before the week of `day`."""
    monday = day - datetime.timedelta(days=day.weekday()) - datetime.timedelta(days=7)
    return monday, monday + datetime.timedelta(days=5)


def week_dates(week_start: datetime.date) -> str:
    return f"{week_start:%d.%m.%Y}–{week_start + datetime.timedelta(days=5):%d.%m.%Y}"


def sheets_title(week_start: datetime.date) -> str:
    return _("Summary sheet for the week %(dates)s") % {"dates": week_dates(week_start)}


def retry_countdown(attempts: int) -> int:
    """Seconds before the next attempt after `attempts` failed ones: 60, 120, 240, ..."""
    return RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)


# --- Starting a week ---------------------------------------------------------------------------------------------


def _families(*, school: School, start: datetime.date, end: datetime.date) -> list[tuple[int, int, int, str]]:
    """(pupil, class, guardian, email) for each pupil enrolled in the week and each of their guardians in this school
    who opted out, in one query. A pupil who moved during the week counts in the class they were in last. Guardians
    who closed their login are `is_active=False`: never filtered by it."""
    opted_out = GuardianProfile.objects.filter(
        school_id=school.pk, guardian_id=OuterRef("guardian_id"), diary_opt_out=True
    )
    enrolled = (
        Enrollment.objects.filter(school_id=school.pk, pupil_id=OuterRef("pupil_id"), since__lte=end)
        .filter(Q(until__isnull=True) | Q(until__gte=start))
        .order_by("-since", "-pk")
        .values("school_class_id")[:1]
    )
    rows = (
        GuardianLink.objects.filter(school_id=school.pk)
        .filter(Exists(opted_out))
        .annotate(class_id=enrolled)
        .filter(class_id__isnull=False)
        .order_by("pupil_id", "guardian_id")
        .values_list("pupil_id", "class_id", "guardian_id", "guardian__email")
    )
    return list(rows)


def weekly_run_start(*, school: School, week_start: datetime.date, queue: bool = True) -> WeeklyRun:
    """The school's run of the week (created once; a second start counts itself and goes on), its deliveries
    (created once), then after commit one task per class with work left, as a Celery group."""
    week_start = week_start - datetime.timedelta(days=week_start.weekday())
    week_end = week_start + datetime.timedelta(days=5)
    with transaction.atomic():
        run, created = WeeklyRun.objects.get_or_create(
            school=school, week_start=week_start, defaults={"week_end": week_end, "created_at": now()}
        )
        if not created:
            WeeklyRun.objects.filter(pk=run.pk).update(started_count=F("started_count") + 1)
        rows = _families(school=school, start=week_start, end=week_end)
        papers = {pupil_id: class_id for pupil_id, class_id, _guardian, _email in rows}
        deliveries = [
            WeeklyDelivery(
                school=school,
                run=run,
                school_class_id=class_id,
                pupil_id=pupil_id,
                channel=WeeklyDelivery.Channel.PAPER,
            )
            for pupil_id, class_id in papers.items()
        ]
        deliveries += [
            WeeklyDelivery(
                school=school,
                run=run,
                school_class_id=class_id,
                pupil_id=pupil_id,
                guardian_id=guardian_id,
                channel=WeeklyDelivery.Channel.EMAIL,
                address=email,
            )
            for pupil_id, class_id, guardian_id, email in rows
            if email
        ]
        WeeklyDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        class_ids = _classes_with_work(run)
        if class_ids:
            WeeklyRun.objects.filter(pk=run.pk).update(state=WeeklyRun.State.RUNNING, finished_at=None)
        else:
            run_finish_if_done(run.pk)
        if queue and class_ids:
            transaction.on_commit(lambda: _queue_classes(run.pk, class_ids))
    run.refresh_from_db()
    return run


def _classes_with_work(run: WeeklyRun) -> list[int]:
    """Classes with an unsent delivery (a paper row is sent when its class's bundle is stored)."""
    unsent = WeeklyDelivery.objects.filter(run=run, state__in=UNSENT).values_list("school_class_id", flat=True)
    return sorted(set(unsent))


def _queue_classes(run_id: int, class_ids: list[int]) -> None:
    from celery import group

    from .tasks import weekly_class_build

    group(weekly_class_build.si(run_id, class_id) for class_id in class_ids).apply_async()


def weeks_due(moment: datetime.datetime | None = None) -> list[tuple[School, datetime.date]]:
    """The schools where it is Monday at or after their weekly hour (school time), each with the previous week, for
    which no run exists yet (a run once started goes on by its own tasks and retries: a second firing adds nothing)."""
    moment = moment or now()
    due = []
    schools = School.objects.select_related("settings").order_by("pk")
    for school in schools:
        local = moment.astimezone(_zone(school.timezone))
        settings = getattr(school, "settings", None)
        hour = settings.weekly_sheets_hour if settings is not None else 7
        if local.weekday() == 0 and local.hour >= hour:
            due.append((school, previous_week(local.date())[0]))
    if not due:
        return []
    done = set(
        WeeklyRun.objects.filter(
            school_id__in=[school.pk for school, _start in due], week_start__in={start for _school, start in due}
        ).values_list("school_id", "week_start")
    )
    return [(school, start) for school, start in due if (school.pk, start) not in done]


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


# --- Building a class --------------------------------------------------------------------------------------------


def weekly_class_build(*, run_id: int, class_id: int) -> dict:
    """Builds the class's sheets once (one WeasyPrint layout): stores the bundle unless it exists and marks the paper
    rows sent, then sends each unsent email of the class exactly once. Safe to run twice or at the same time."""
    run = WeeklyRun.objects.select_related("school").filter(pk=run_id).first()
    school_class = SchoolClass.objects.filter(pk=class_id).first()
    if run is None or school_class is None or school_class.school_id != run.school_id:
        return {"missing": True}
    rows = list(
        WeeklyDelivery.objects.filter(run=run, school_class_id=class_id).values_list(
            "pk", "pupil_id", "channel", "state"
        )
    )
    paper_pupils = sorted({pupil for _pk, pupil, channel, _state in rows if channel == WeeklyDelivery.Channel.PAPER})
    paper_unsent = any(channel == WeeklyDelivery.Channel.PAPER and state in UNSENT for _pk, _p, channel, state in rows)
    emails = [
        (pk, pupil) for pk, pupil, channel, state in rows if channel == WeeklyDelivery.Channel.EMAIL and state in UNSENT
    ]
    has_bundle = ClassBundle.objects.filter(run=run, school_class_id=class_id).exclude(file="").exists()
    build_bundle = paper_unsent or not has_bundle
    wanted = paper_pupils if build_bundle else sorted({pupil for _pk, pupil in emails})
    result = {"bundle": False, "sent": 0, "failed": 0}
    if wanted:
        with override(_language()):
            sheets = class_sheets(
                school=run.school, school_class=school_class, start=run.week_start, end=run.week_end, pupil_ids=wanted
            )
            whole, parts = render_sheets(
                school=run.school,
                sheets=sheets,
                title=sheets_title(run.week_start),
                generated=local_now(run.school.timezone),
                whole=build_bundle and bool(paper_pupils),
                parts_for={pupil for _pk, pupil in emails},
            )
        names = {sheet.pupil_id: sheet.full_name for sheet in sheets}
        if build_bundle and paper_pupils:
            result["bundle"] = _bundle_store(run, school_class, whole, {sheet.pupil_id for sheet in sheets})
        for delivery_id, pupil_id in emails:
            if pupil_id not in parts:
                _no_sheet(delivery_id)
                continue
            outcome = delivery_send(delivery_id=delivery_id, pdf=parts[pupil_id], pupil_name=names.get(pupil_id, ""))
            if outcome in ("sent", "failed"):
                result[outcome] += 1
    run_finish_if_done(run.pk)
    return result


def _no_sheet(delivery_id: int) -> None:
    """A pupil who left the class after the run's rows were made has no sheet here: the row is closed with the reason
    (shown to the admin), so that the run still finishes."""
    WeeklyDelivery.objects.filter(pk=delivery_id, state__in=UNSENT).update(
        state=WeeklyDelivery.State.GAVE_UP,
        last_error=_("The pupil is no longer in this class for the week: no sheet was built.")[:ERROR_MAX],
    )


def _language() -> str:
    from django.conf import settings

    return settings.LANGUAGE_CODE


def _bundle_store(run: WeeklyRun, school_class: SchoolClass, content: bytes, pupil_ids: set[int]) -> bool:
    """The class's bundle, stored once, and its paper rows marked sent (those of `pupil_ids`, whose sheets it holds;
    a pupil no longer in the class has their row closed with the reason), in one transaction (under the bundle's row
    lock, so that two builds at the same time store it once)."""
    with transaction.atomic():
        bundle, _created = ClassBundle.objects.get_or_create(
            run=run, school_class=school_class, defaults={"school_id": run.school_id}
        )
        bundle = ClassBundle.objects.select_for_update().get(pk=bundle.pk)
        unsent = WeeklyDelivery.objects.filter(
            run=run, school_class=school_class, channel=WeeklyDelivery.Channel.PAPER, state__in=UNSENT
        )
        if bundle.file and not unsent.exists():
            return False
        old = bundle.file.name if bundle.file else ""
        name = f"{school_class} {run.week_start:%d.%m.%Y}.pdf"
        bundle.file.save(name, ContentFile(content), save=False)
        bundle.pupils = len(pupil_ids)
        bundle.built_at = now()
        bundle.save(update_fields=["file", "pupils", "built_at"])
        unsent.filter(pupil_id__in=pupil_ids).update(
            state=WeeklyDelivery.State.SENT, sent_at=now(), attempts=F("attempts") + 1, last_error=""
        )
        for delivery_id in unsent.exclude(pupil_id__in=pupil_ids).values_list("pk", flat=True):
            _no_sheet(delivery_id)
        if old and old != bundle.file.name:
            storage = bundle.file.storage
            transaction.on_commit(lambda: storage.delete(old))
    return True


# --- Sending one email -------------------------------------------------------------------------------------------


def delivery_send(*, delivery_id: int, pdf: bytes, pupil_name: str) -> str:
    """Sends one delivery's email exactly once: 'sent', 'failed' (retry queued after commit), 'gave_up', or
    'skipped' (already sent, given up, or being sent by somebody else right now)."""
    with transaction.atomic():
        delivery = (
            WeeklyDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=delivery_id, state__in=UNSENT, channel=WeeklyDelivery.Channel.EMAIL)
            .select_related("run", "school")
            .first()
        )
        if delivery is None:
            return "skipped"
        try:
            _message(delivery, pdf, pupil_name).send()
        except MAIL_ERRORS as error:
            delivery.attempts += 1
            delivery.last_error = (f"{type(error).__name__}: {error}")[:ERROR_MAX]
            gave_up = delivery.attempts >= MAX_ATTEMPTS
            delivery.state = WeeklyDelivery.State.GAVE_UP if gave_up else WeeklyDelivery.State.FAILED
            delivery.save(update_fields=["attempts", "last_error", "state"])
            logger.warning("weekly sheet %s not sent (attempt %s): %s", delivery.pk, delivery.attempts, error)
            if not gave_up:
                countdown = retry_countdown(delivery.attempts)
                transaction.on_commit(lambda: _queue_retry(delivery_id, countdown))
            return "gave_up" if gave_up else "failed"
        delivery.attempts += 1
        delivery.state = WeeklyDelivery.State.SENT
        delivery.sent_at = now()
        delivery.last_error = ""
        delivery.save(update_fields=["attempts", "state", "sent_at", "last_error"])
    return "sent"


def _message(delivery: WeeklyDelivery, pdf: bytes, pupil_name: str) -> EmailMessage:
    school = delivery.school
    dates = week_dates(delivery.run.week_start)
    with override(_language()):
        subject = _("Summary sheet of %(pupil)s for the week %(dates)s") % {"pupil": pupil_name, "dates": dates}
        body = _(
            "Good day!\n\nAttached is the summary sheet of %(pupil)s for the school week %(dates)s: the lessons held, "
            "the marks, the average and weighted average per subject, the missed lessons and the lateness.\n\n"
            "%(school)s"
        ) % {"pupil": pupil_name, "dates": dates, "school": school.name}
        filename = _("Summary sheet %(pupil)s %(dates)s.pdf") % {"pupil": pupil_name, "dates": dates}
    message = EmailMessage(subject=subject, body=body, to=[delivery.address])
    message.attach(filename, pdf, "application/pdf")
    return message


def _queue_retry(delivery_id: int, countdown: int) -> None:
    from .tasks import weekly_delivery_retry

    weekly_delivery_retry.apply_async((delivery_id,), countdown=countdown)


def delivery_retry(*, delivery_id: int) -> str:
    """One more attempt at one email: its pupil's sheet alone, then `delivery_send`."""
    delivery = (
        WeeklyDelivery.objects.filter(pk=delivery_id, state__in=UNSENT)
        .select_related("run__school", "school_class")
        .first()
    )
    if delivery is None:
        return "skipped"
    run = delivery.run
    with override(_language()):
        sheets = class_sheets(
            school=run.school,
            school_class=delivery.school_class,
            start=run.week_start,
            end=run.week_end,
            pupil_ids=[delivery.pupil_id],
        )
        if not sheets:
            _no_sheet(delivery.pk)
            run_finish_if_done(run.pk)
            return "skipped"
        _whole, parts = render_sheets(
            school=run.school,
            sheets=sheets,
            title=sheets_title(run.week_start),
            generated=local_now(run.school.timezone),
            whole=False,
            parts_for=[delivery.pupil_id],
        )
    outcome = delivery_send(delivery_id=delivery.pk, pdf=parts[delivery.pupil_id], pupil_name=sheets[0].full_name)
    run_finish_if_done(run.pk)
    return outcome


def run_finish_if_done(run_id: int) -> bool:
    """The run is done once none of its deliveries waits or is to be retried (one statement)."""
    unsent = WeeklyDelivery.objects.filter(run_id=OuterRef("pk"), state__in=UNSENT)
    return bool(
        WeeklyRun.objects.filter(pk=run_id)
        .exclude(state=WeeklyRun.State.DONE)
        .filter(~Exists(unsent))
        .update(state=WeeklyRun.State.DONE, finished_at=now())
    )


def run_retry(*, run: WeeklyRun) -> int:
    """The admin queues the failed and given-up emails of a run again (a fresh round of attempts); returns how many."""
    with transaction.atomic():
        ids = list(
            WeeklyDelivery.objects.filter(
                run=run, state__in=(WeeklyDelivery.State.FAILED, WeeklyDelivery.State.GAVE_UP)
            ).values_list("pk", flat=True)
        )
        if not ids:
            return 0
        WeeklyDelivery.objects.filter(pk__in=ids).update(state=WeeklyDelivery.State.PENDING, attempts=0)
        WeeklyRun.objects.filter(pk=run.pk).update(state=WeeklyRun.State.RUNNING, finished_at=None)
        class_ids = sorted(set(WeeklyDelivery.objects.filter(pk__in=ids).values_list("school_class_id", flat=True)))
        transaction.on_commit(lambda: _queue_classes(run.pk, class_ids))
    return len(ids)


# --- Reads for the pages -----------------------------------------------------------------------------------------


def run_counts(runs: list[WeeklyRun]) -> dict[int, dict[str, int]]:
    """{run id: {state: deliveries}} for the runs, in one query."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        WeeklyDelivery.objects.filter(run_id__in=[run.pk for run in runs])
        .values("run_id", "state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["run_id"]][row["state"]] = row["n"]
    return counts


def latest_bundles(*, school: School, class_ids: list[int], weeks: int = 4) -> list[ClassBundle]:
    """The latest weeks' bundles of the classes (built ones), newest first."""
    if not class_ids:
        return []
    return list(
        ClassBundle.objects.for_school(school)
        .filter(school_class_id__in=class_ids, built_at__isnull=False)
        .exclude(file="")
        .select_related("run", "school_class")
        .order_by("-run__week_start", "school_class_id")[: weeks * len(class_ids)]
    )
