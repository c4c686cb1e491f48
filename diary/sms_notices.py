"""SMS to families (R-I07; seed 004 §4.1 п.4 «SMS-рассылка отметок»): new marks and absences, for the parents who
chose them on the notifications page (diary/notices.py keeps the choice).

Services: `mark_sms_create` (one row of a mark's history → one SMS per parent who wants it), `absence_sms_create`
(the rows of one write of absences → one SMS per parent and event: one lesson's absence or lateness, or a notice of
several days as a whole), `sms_send` (one SMS, once), `sms_due` (what the beat sends), `sms_retry` (the admin sends
a failed one again). The tasks (diary/tasks.py) call them, queued by diary/receivers.py on the gradebook's
`mark_changed` and attendance's `absence_changed`.

Never two SMS for one event: an SMS is a row unique per (parent, kind, event) that stays after sending, created with
ignore_conflicts and sent under a row lock in the transaction that marks it sent. Nothing goes in the school's
quiet hours (SchoolSettings.sms_quiet_from/until, school time): the SMS waits until they end. A failed attempt is
tried again after a growing pause, `SMS_MAX_ATTEMPTS` times in all; then it is failed and shown to the admin.
"""

import datetime
import logging
import zoneinfo
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import GuardianLink, GuardianProfile, Membership, Role, School, SchoolSettings, User
from attendance.models import LONG, Absence, AbsenceNotice, Code
from audit.log import record
from ejournal import clock
from gradebook.models import LessonWork, Mark
from schedule.models import Lesson

from .models import MarkNotice, NotificationSettings, SmsNotice
from .notices import change_of
from .sms import SmsError, get_backend, mobile_number

logger = logging.getLogger(__name__)

Kind, Status = SmsNotice.Kind, SmsNotice.Status
HistoricalMark = Mark.history.model
HistoricalAbsence = Absence.history.model

# Two SMS parts of Cyrillic text (UCS-2: 67 characters each once a message is split).
MAX_CHARS = 134
# The pause after the n-th failed attempt; the last one repeats.
BACKOFF = (
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=15),
    datetime.timedelta(minutes=45),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=6),
)
# An absence changed into one of these is news for the family; into "ill" or "excused" it is the school recording
# the family's own explanation.
NEWS_CODES = (Code.ABSENT, Code.LATE)
DUE_BATCH = 500


class SmsNoticeError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Who gets them ----------------------------------------------------------------------------------------------


def _choice_field(kind: str) -> str:
    return "sms_marks" if kind == Kind.MARK else "sms_absences"


def sms_recipients(school_id: int, kind: str) -> QuerySet[User]:
    """Parents of the school who want this kind of SMS and can get them: an active account with a phone, still a
    parent here, not opted out of the electronic diary (then the paper sheets are their channel)."""
    chose = NotificationSettings.objects.filter(
        school_id=school_id, user_id=OuterRef("pk"), **{_choice_field(kind): True}
    )
    parent = Membership.objects.filter(school_id=school_id, user_id=OuterRef("pk"), role=Role.GUARDIAN)
    opted_out = GuardianProfile.objects.filter(school_id=school_id, guardian_id=OuterRef("pk"), diary_opt_out=True)
    return (
        User.objects.filter(is_active=True)
        .exclude(phone="")
        .filter(Exists(chose), Exists(parent))
        .exclude(Exists(opted_out))
    )


def _parents_of(school_id: int, pupil_id: int, kind: str) -> list[tuple[int, str]]:
    """(parent id, mobile number) of the pupil's parents who want this kind, one per number: two parents who gave
    the same phone get one SMS."""
    links = GuardianLink.objects.filter(school_id=school_id, pupil_id=pupil_id, guardian_id=OuterRef("pk"))
    seen: set[str] = set()
    parents = []
    for guardian_id, phone in (
        sms_recipients(school_id, kind).filter(Exists(links)).order_by("pk").values_list("pk", "phone")
    ):
        number = mobile_number(phone)
        if number and number not in seen:
            seen.add(number)
            parents.append((guardian_id, number))
    return parents


# --- Quiet hours ------------------------------------------------------------------------------------------------


def quiet_end(moment: datetime.datetime, school: School) -> datetime.datetime | None:
    """When the school's quiet hours that `moment` falls in end, or None outside them. School time; a start after
    the end crosses midnight (21:00–08:00), the same time twice means none."""
    rules = SchoolSettings.of(school)
    start, end = rules.sms_quiet_from, rules.sms_quiet_until
    if start == end:
        return None
    tz = zoneinfo.ZoneInfo(school.timezone)
    local = moment.astimezone(tz)
    now, day = local.time(), local.date()
    if start < end:
        quiet, end_day = start <= now < end, day
    elif now >= start:
        quiet, end_day = True, day + datetime.timedelta(days=1)
    else:
        quiet, end_day = now < end, day
    if not quiet:
        return None
    return datetime.datetime.combine(end_day, end, tzinfo=tz)


def first_moment(moment: datetime.datetime, school: School) -> datetime.datetime:
    """`moment`, or the end of the quiet hours it falls in."""
    return quiet_end(moment, school) or moment


# --- The texts --------------------------------------------------------------------------------------------------


def _lower(name: str) -> str:
    """«алгебра», «контрольная работа» inside a sentence; «ОБЗР», «ИЗО» stay as they are."""
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def _pupil(user: User) -> str:
    return " ".join(p for p in (user.last_name, user.first_name) if p) or user.username


def _day(day: datetime.date) -> str:
    return date_format(day, "d.m")


def _fit(*variants: str) -> str:
    """The first variant that fits two SMS parts; the last one cut when none does."""
    for text in variants:
        if len(text) <= MAX_CHARS:
            return text
    return variants[-1][: MAX_CHARS - 1].rstrip() + "…"


def _mark_text(school: School, pupil: User, subject: str, day: datetime.date, work: str, value: str, old: str) -> str:
    names = {"school": school.short_name, "pupil": _pupil(pupil), "subject": _lower(subject), "date": _day(day)}
    names.update({"value": value, "old": old, "work": _lower(work)})
    if old:
        full = _("%(school)s: %(pupil)s, %(subject)s, %(date)s: %(value)s instead of %(old)s (%(work)s)") % names
        short = _("%(school)s: %(pupil)s, %(subject)s, %(date)s: %(value)s instead of %(old)s") % names
    else:
        full = _("%(school)s: %(pupil)s, %(subject)s, %(date)s: %(value)s (%(work)s)") % names
        short = _("%(school)s: %(pupil)s, %(subject)s, %(date)s: %(value)s") % names
    return _fit(full, short)


def _what(code: str, minutes: int | None) -> str:
    if code == Code.LATE and minutes:
        return _("late by %(minutes)s min") % {"minutes": minutes}
    return str(LONG[code])


def _absence_text(school: School, pupil: User, lesson: Lesson, code: str, minutes: int | None) -> str:
    names = {
        "school": school.short_name,
        "pupil": _pupil(pupil),
        "subject": _lower(lesson.course.subject.name),
        "date": _day(lesson.date),
        "number": lesson.number,
        "what": _what(code, minutes),
    }
    return _fit(
        _("%(school)s: %(pupil)s, %(date)s, lesson %(number)s (%(subject)s): %(what)s") % names,
        _("%(school)s: %(pupil)s, %(date)s, lesson %(number)s: %(what)s") % names,
    )


def _notice_text(school: School, pupil: User, notice: AbsenceNotice) -> str:
    days = _day(notice.start) if notice.start == notice.end else f"{_day(notice.start)}–{_day(notice.end)}"
    names = {
        "school": school.short_name,
        "pupil": _pupil(pupil),
        "dates": days,
        "what": _what(notice.code, None),
        "reason": notice.reason,
    }
    return _fit(
        _("%(school)s: %(pupil)s, %(dates)s: %(what)s (%(reason)s)") % names,
        _("%(school)s: %(pupil)s, %(dates)s: %(what)s") % names,
    )


# --- From an event to the SMS rows ------------------------------------------------------------------------------


@dataclass
class Event:
    kind: str
    event_id: int
    pupil_id: int
    at: datetime.datetime
    text_of: object  # (school, pupil) -> str


def _create(school_id: int, events: list[Event]) -> list[int]:
    """The SMS rows of these events for the parents who want them; returns the ids of those due now and unsent
    (a re-run finds the rows already there and adds nothing)."""
    if not events:
        return []
    school = School.objects.select_related("settings").get(pk=school_id)
    pupils = User.objects.in_bulk({e.pupil_id for e in events})
    now = clock.now()
    rows = []
    with translation.override(settings.LANGUAGE_CODE):
        for event in events:
            parents = _parents_of(school_id, event.pupil_id, event.kind)
            if not parents:
                continue
            text = event.text_of(school, pupils[event.pupil_id])
            send_after = first_moment(max(event.at, now), school)
            rows += [
                SmsNotice(
                    school_id=school_id,
                    guardian_id=guardian_id,
                    pupil_id=event.pupil_id,
                    kind=event.kind,
                    event_id=event.event_id,
                    event_at=event.at,
                    phone=phone,
                    text=text,
                    send_after=send_after,
                    created_at=now,
                )
                for guardian_id, phone in parents
            ]
    if not rows:
        return []
    SmsNotice.objects.bulk_create(rows, ignore_conflicts=True)
    keys = Q()
    for event in events:
        keys |= Q(kind=event.kind, event_id=event.event_id)
    return list(
        SmsNotice.objects.filter(keys, school_id=school_id, status=Status.PENDING, send_after__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def mark_sms_create(*, history_id: int) -> list[int]:
    """The SMS of one row of a mark's history: a new mark, or a mark whose value changed (a changed comment or a
    removed mark is for the email). Safe to run twice. Returns the ids of the SMS due now."""
    row = HistoricalMark.objects.filter(history_id=history_id).first()
    if row is None or row.history_type == "-":
        return []
    if not _parents_of(row.school_id, row.pupil_id, Kind.MARK):
        return []
    change = change_of(row)
    if change is None or change.kind == MarkNotice.Kind.DELETED or change.value == change.old_value:
        return []
    work = (
        LessonWork.objects.select_related("work_type", "lesson__course__subject")
        .only("title", "work_type__name", "lesson__date", "lesson__course__subject__name")
        .filter(pk=row.work_id)
        .first()
    )
    if work is None:
        return []

    def text_of(school: School, pupil: User) -> str:
        return _mark_text(
            school,
            pupil,
            work.lesson.course.subject.name,
            work.lesson.date,
            work.work_type.name,
            change.value,
            change.old_value if change.kind == MarkNotice.Kind.CHANGED else "",
        )

    return _create(row.school_id, [Event(Kind.MARK, row.history_id, row.pupil_id, row.history_date, text_of)])


def _is_news(row, previous_code: str | None) -> bool:
    """Whether one absence's history row tells a family something: a new absence or lateness (not a remote
    presence), or an absence changed into an unexplained absence or a lateness."""
    if row.code == Code.REMOTE:
        return False
    if row.history_type == "+" or previous_code is None:
        return True
    return row.code != previous_code and row.code in NEWS_CODES


@transaction.atomic
def absence_sms_create(*, history_ids: list[int]) -> list[int]:
    """The SMS of one write of absences: one per lesson's absence or lateness, and one per notice of several days
    for all the lessons it fills (a week of illness is one SMS, not thirty). Safe to run twice. Returns the ids of
    the SMS due now."""
    rows = list(
        HistoricalAbsence.objects.filter(history_id__in=history_ids, history_type__in=["+", "~"]).order_by("history_id")
    )
    if not rows:
        return []
    school_id = rows[0].school_id
    wanted = {row.pupil_id for row in rows if _parents_of(school_id, row.pupil_id, Kind.ABSENCE)}
    rows = [row for row in rows if row.pupil_id in wanted]
    if not rows:
        return []
    notices = AbsenceNotice.objects.in_bulk({row.notice_id for row in rows if row.notice_id})
    events: dict[tuple[str, int], Event] = {}
    singles = []
    for row in rows:
        notice = notices.get(row.notice_id)
        # The notice's own absences (its code) are the notice's one event; a lesson changed by hand later is its own.
        if notice is not None and row.code == notice.code:
            if notice.code != Code.REMOTE and (Kind.ABSENCE_NOTICE, notice.pk) not in events:
                events[(Kind.ABSENCE_NOTICE, notice.pk)] = Event(
                    Kind.ABSENCE_NOTICE,
                    notice.pk,
                    notice.pupil_id,
                    row.history_date,
                    lambda school, pupil, notice=notice: _notice_text(school, pupil, notice),
                )
        else:
            singles.append(row)
    previous = {}
    for row in singles:
        if row.history_type == "~":
            before = (
                HistoricalAbsence.objects.filter(id=row.id, history_id__lt=row.history_id)
                .order_by("-history_id")
                .values_list("code", flat=True)
                .first()
            )
            previous[row.history_id] = before
    singles = [row for row in singles if _is_news(row, previous.get(row.history_id))]
    lessons = Lesson.objects.select_related("course__subject").in_bulk({row.lesson_id for row in singles})
    for row in singles:
        lesson = lessons.get(row.lesson_id)
        if lesson is None:
            continue
        events[(Kind.ABSENCE, row.history_id)] = Event(
            Kind.ABSENCE,
            row.history_id,
            row.pupil_id,
            row.history_date,
            lambda school, pupil, row=row, lesson=lesson: _absence_text(school, pupil, lesson, row.code, row.minutes),
        )
    return _create(school_id, list(events.values()))


# --- Sending ----------------------------------------------------------------------------------------------------


def _still_wanted(sms: SmsNotice) -> str | None:
    """The parent's mobile number if they still want this SMS (the choice, the phone, the diary, the child)."""
    links = GuardianLink.objects.filter(school_id=sms.school_id, pupil_id=sms.pupil_id, guardian_id=OuterRef("pk"))
    phone = (
        sms_recipients(sms.school_id, sms.kind)
        .filter(Exists(links), pk=sms.guardian_id)
        .values_list("phone", flat=True)
        .first()
    )
    return mobile_number(phone) if phone else None


def backoff(attempts: int) -> datetime.timedelta:
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


@transaction.atomic
def sms_send(*, sms_id: int) -> bool:
    """Send one SMS if it is due, at most once: the row is locked (a second worker skips it) and marked sent in the
    transaction that sends it. A failure counts an attempt and sets the next one after the back-off, or fails the
    SMS after the last attempt or when the gateway refuses this message for good. Returns whether it went."""
    now = clock.now()
    sms = (
        SmsNotice.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("school__settings")
        .filter(pk=sms_id, status=Status.PENDING, send_after__lte=now)
        .first()
    )
    if sms is None:
        return False
    phone = _still_wanted(sms)
    if phone is None:
        sms.status = Status.CANCELLED
        sms.save(update_fields=["status"])
        return False
    later = quiet_end(now, sms.school)
    if later is not None:  # a retry's back-off, or a late queue, that ran into the night
        sms.send_after = later
        sms.save(update_fields=["send_after"])
        return False
    sms.phone = phone
    sms.attempts += 1
    try:
        sms.provider_id = get_backend().send(phone=phone, text=sms.text, reference=sms.pk)[:100]
    except Exception as e:  # any backend's failure is recorded on the row, never lost in a worker's log
        transient = e.transient if isinstance(e, SmsError) else True
        if not isinstance(e, SmsError):
            logger.exception("SMS %s: the backend failed", sms.pk)
        sms.last_error = (str(e) or e.__class__.__name__)[:500]
        if not transient or sms.attempts >= settings.SMS_MAX_ATTEMPTS:
            sms.status = Status.FAILED
        else:
            sms.send_after = first_moment(now + backoff(sms.attempts), sms.school)
        sms.save(update_fields=["phone", "attempts", "last_error", "status", "send_after"])
        return False
    sms.status, sms.sent_at = Status.SENT, now
    sms.save(update_fields=["phone", "attempts", "provider_id", "status", "sent_at"])
    return True


def sms_due(limit: int = DUE_BATCH) -> list[int]:
    """Ids of the SMS of every school whose time has come (the quiet hours ended, the back-off passed), oldest
    first; the beat runs every few minutes, so a batch limit only spreads a morning's queue over a few runs."""
    return list(
        SmsNotice.objects.filter(status=Status.PENDING, send_after__lte=clock.now())
        .order_by("send_after", "pk")
        .values_list("pk", flat=True)[:limit]
    )


@transaction.atomic
def sms_retry(*, actor: User, sms: SmsNotice) -> SmsNotice:
    """The admin sends a failed SMS again (after topping up the gateway's balance, correcting a number): it gets
    its attempts anew, from now, or from the end of the quiet hours."""
    sms = SmsNotice.objects.select_for_update(of=("self",)).select_related("school__settings").get(pk=sms.pk)
    if sms.status != Status.FAILED:
        raise SmsNoticeError(_("Only an SMS that failed is sent again."))
    before = {"attempts": sms.attempts, "error": sms.last_error}
    sms.status, sms.attempts = Status.PENDING, 0
    sms.send_after = first_moment(clock.now(), sms.school)
    sms.save(update_fields=["status", "attempts", "send_after"])
    record(actor=actor, school=sms.school, action="diary.sms.retried", obj=sms, data=before)
    if sms.send_after <= clock.now():
        from .tasks import sms_send

        transaction.on_commit(partial(sms_send.delay, sms.pk), robust=True)
    return sms


# --- The admin's page -------------------------------------------------------------------------------------------


@dataclass
class SmsCounts:
    due: int
    deferred: int
    failed: int
    sent_week: int
    cancelled: int


def sms_counts(*, school: School) -> SmsCounts:
    """One query, whatever the number of SMS."""
    now = clock.now()
    counts = SmsNotice.objects.for_school(school).aggregate(
        due=Count("pk", filter=Q(status=Status.PENDING, send_after__lte=now)),
        deferred=Count("pk", filter=Q(status=Status.PENDING, send_after__gt=now)),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        sent_week=Count("pk", filter=Q(status=Status.SENT, sent_at__gte=now - datetime.timedelta(days=7))),
        cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
    )
    return SmsCounts(**counts)


SHOWN = {
    "waiting": (Status.FAILED, Status.PENDING),
    "sent": (Status.SENT,),
    "cancelled": (Status.CANCELLED,),
}


def sms_list(*, school: School, show: str) -> QuerySet[SmsNotice]:
    """The school's SMS of one tab: failed and waiting ones (failed first, then by when they go), or sent, or
    cancelled ones (newest first)."""
    rows = (
        SmsNotice.objects.for_school(school)
        .filter(status__in=SHOWN[show])
        .select_related("guardian", "pupil")
        .only(
            *("kind", "event_at", "phone", "text", "status", "attempts", "last_error", "send_after", "sent_at"),
            *("created_at", "school_id", "guardian__last_name", "guardian__first_name", "guardian__middle_name"),
            *("guardian__username", "pupil__last_name", "pupil__first_name", "pupil__middle_name", "pupil__username"),
        )
    )
    if show == "waiting":
        return rows.order_by("status", "send_after", "pk")  # "failed" sorts before "pending"
    return rows.order_by("-created_at", "-pk")
