"""Families' mark notifications by email (R-I07; the SMS are diary/sms_notices.py's) and the list of parents who do
not open the diary (R-I12, seed 003).

Services: `notification_settings_set` (a parent's own choice), `mark_notices_create` (one change of a mark → one
notice per parent who asked for mail), `notice_send` (one notice, one email), `digests_due` / `digest_send` (the
evening digest). They run in Celery tasks (diary/tasks.py), queued by diary/receivers.py on the gradebook's
`mark_changed`. A notice is created once (unique per parent and history row) and sent once (`sent_at`, set in the
transaction that sends it), so a re-run task or a second worker sends nothing twice.

Selector: `silent_parents` (the class teacher's call list).
"""

import datetime
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import GuardianLink, GuardianProfile, Membership, Role, School, SchoolSettings, User
from audit.log import record
from ejournal import clock
from gradebook.models import LessonWork, Mark
from schedule.models import SchoolClass
from schedule.selectors import class_pupils

from .models import DiaryVisit, MarkNotice, NotificationSettings, SmsNotice
from .sms import mobile_number

Marks = NotificationSettings.Marks
HistoricalMark = Mark.history.model


class NoticeError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- A parent's choice ------------------------------------------------------------------------------------------


def notification_choice(*, school: School, user: User) -> NotificationSettings:
    """The parent's choice in this school; without a row, the default (no mail)."""
    return NotificationSettings.objects.for_school(school).filter(user=user).first() or NotificationSettings(
        school=school, user=user
    )


@transaction.atomic
def notification_settings_set(
    *, actor: User, school: School, marks: str, sms_marks: bool | None = None, sms_absences: bool | None = None
) -> NotificationSettings:
    """A parent chooses an email per mark, a daily digest, or nothing, and SMS of new marks and of absences (R-I07;
    None: the SMS choice stays as it was). Mail needs an address and SMS a mobile number to go to, and a parent who
    opted out of the electronic diary gets the weekly paper sheets instead (R-I04)."""
    if marks not in Marks.values:
        raise NoticeError(_("Choose how to hear about marks."))
    if not Membership.objects.filter(school=school, user=actor, role=Role.GUARDIAN).exists():
        raise NoticeError(_("Only parents choose email notifications of marks."))
    current = notification_choice(school=school, user=actor)
    sms_marks = current.sms_marks if sms_marks is None else bool(sms_marks)
    sms_absences = current.sms_absences if sms_absences is None else bool(sms_absences)
    if marks != Marks.NONE and not actor.email:
        raise NoticeError(
            _(
                "Your account has no email address, so marks cannot be sent by email. Ask the class teacher to "
                "add your address."
            )
        )
    if sms_marks or sms_absences:
        if not actor.phone:
            raise NoticeError(
                _("Your account has no phone number, so SMS cannot be sent. Ask the class teacher to add your number.")
            )
        if mobile_number(actor.phone) is None:
            raise NoticeError(
                _(
                    "The phone number %(phone)s of your account is not a Russian mobile number, so SMS cannot be sent "
                    "to it. Ask the class teacher to correct it."
                )
                % {"phone": actor.phone}
            )
    if (marks != Marks.NONE or sms_marks or sms_absences) and GuardianProfile.objects.filter(
        school=school, guardian=actor, diary_opt_out=True
    ).exists():
        raise NoticeError(
            _("You opted out of the electronic diary: your child's marks come on the weekly paper sheets.")
        )
    row, _created = NotificationSettings.objects.update_or_create(
        school=school,
        user=actor,
        defaults={"marks": marks, "sms_marks": sms_marks, "sms_absences": sms_absences},
    )
    if marks == Marks.NONE:
        # What waited for the evening's digest under the old choice is not sent after "no emails".
        MarkNotice.objects.for_school(school).filter(guardian=actor, sent_at=None).delete()
    # SMS still waiting for the morning are not sent after the parent turned them off.
    turned_off = [SmsNotice.Kind.MARK] if not sms_marks else []
    if not sms_absences:
        turned_off += [SmsNotice.Kind.ABSENCE, SmsNotice.Kind.ABSENCE_NOTICE]
    if turned_off:
        SmsNotice.objects.for_school(school).filter(
            guardian=actor, kind__in=turned_off, status=SmsNotice.Status.PENDING
        ).update(status=SmsNotice.Status.CANCELLED)
    record(
        actor=actor,
        school=school,
        action="diary.notifications.changed",
        obj=actor,
        data={"marks": marks, "sms_marks": sms_marks, "sms_absences": sms_absences},
    )
    return row


# --- From a change of a mark to the notices ---------------------------------------------------------------------


def mail_recipients(school_id: int) -> QuerySet[User]:
    """Parents of the school who want marks by email (`mark_mail`: each or digest) and can get them: an active
    account with an address, still a parent here, and not opted out of the electronic diary."""
    choice = NotificationSettings.objects.filter(school_id=school_id, user_id=OuterRef("pk")).values("marks")[:1]
    parent = Membership.objects.filter(school_id=school_id, user_id=OuterRef("pk"), role=Role.GUARDIAN)
    opted_out = GuardianProfile.objects.filter(school_id=school_id, guardian_id=OuterRef("pk"), diary_opt_out=True)
    return (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .annotate(mark_mail=Subquery(choice))
        .filter(Exists(parent), mark_mail__in=[Marks.EACH, Marks.DIGEST])
        .exclude(Exists(opted_out))
    )


@dataclass(frozen=True)
class Change:
    kind: str
    value: str
    old_value: str
    comment: str


def change_of(row) -> Change | None:
    """What a family sees of one history row of a mark; None when nothing they see changed (a change of the author,
    of the late-change link, a save with the same value and comment)."""
    if row.history_type == "+":
        return Change(MarkNotice.Kind.NEW, row.value, "", row.comment)
    if row.history_type == "-":
        return Change(MarkNotice.Kind.DELETED, "", row.value, "")
    before = (
        HistoricalMark.objects.filter(id=row.id, history_id__lt=row.history_id)
        .order_by("-history_id")
        .only("value", "comment")
        .first()
    )
    if before is None:
        return Change(MarkNotice.Kind.NEW, row.value, "", row.comment)
    if before.value == row.value and before.comment == row.comment:
        return None
    return Change(MarkNotice.Kind.CHANGED, row.value, before.value, row.comment)


@transaction.atomic
def mark_notices_create(*, history_id: int) -> list[int]:
    """One notice per parent of the pupil who wants marks by email, for one row of a mark's history. Safe to run
    twice: the unique (parent, history row) lets a re-run add nothing. Returns the ids of this change's notices that
    are due now (parents who chose "each") and not yet sent."""
    row = HistoricalMark.objects.filter(history_id=history_id).first()
    if row is None:
        return []
    links = GuardianLink.objects.filter(school_id=row.school_id, pupil_id=row.pupil_id, guardian_id=OuterRef("pk"))
    recipients = list(mail_recipients(row.school_id).filter(Exists(links)).values_list("pk", "mark_mail"))
    if not recipients:
        return []
    change = change_of(row)
    if change is None:
        return []
    work = (
        LessonWork.objects.select_related("work_type", "lesson__course__subject")
        .only("title", "work_type__name", "lesson__date", "lesson__course__subject__name")
        .filter(pk=row.work_id)
        .first()
    )
    if work is None:  # the column was removed before the task ran: nothing left to describe
        return []
    work_type = f"{work.work_type.name}: {work.title}" if work.title else work.work_type.name
    now = clock.now()
    MarkNotice.objects.bulk_create(
        [
            MarkNotice(
                school_id=row.school_id,
                guardian_id=guardian_id,
                pupil_id=row.pupil_id,
                mark_history_id=row.history_id,
                kind=change.kind,
                value=change.value,
                old_value=change.old_value,
                subject=work.lesson.course.subject.name[:200],
                work_type=work_type[:100],
                lesson_date=work.lesson.date,
                comment=change.comment[:300],
                digest=choice == Marks.DIGEST,
                created_at=now,
            )
            for guardian_id, choice in recipients
        ],
        ignore_conflicts=True,
    )
    return list(
        MarkNotice.objects.filter(mark_history_id=history_id, digest=False, sent_at=None)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# --- Emails -----------------------------------------------------------------------------------------------------


def _link(name: str, **kwargs) -> str:
    """An absolute link into the portal, when the deployment says where it is (PORTAL_URL); else none."""
    base = settings.PORTAL_URL.rstrip("/")
    return f"{base}{reverse(name, kwargs=kwargs or None)}" if base else ""


def _text(template: str, context: dict) -> str:
    return re.sub(r"\n{3,}", "\n\n", render_to_string(template, context)).strip() + "\n"


def notice_subject(notice: MarkNotice) -> str:
    names = {"subject": notice.subject, "value": notice.value, "old": notice.old_value}
    if notice.kind == MarkNotice.Kind.NEW:
        return _("New mark: %(subject)s — %(value)s") % names
    if notice.kind == MarkNotice.Kind.DELETED:
        return _("Mark removed: %(subject)s — %(old)s") % names
    if notice.old_value == notice.value:
        return _("Comment on a mark changed: %(subject)s — %(value)s") % names
    return _("Mark changed: %(subject)s, %(old)s → %(value)s") % names


def _addressed(user: User) -> str:
    """«Мария Петровна», as a school writes to a parent; the full name when the middle name is not known."""
    return f"{user.first_name} {user.middle_name}" if user.first_name and user.middle_name else user.get_full_name()


def _day(day: datetime.date) -> str:
    return date_format(day, "d.m.Y")


@transaction.atomic
def notice_send(*, notice_id: int) -> bool:
    """Send one parent's notice of one change, at most once: the row is locked (a second worker skips it) and
    `sent_at` is set in the transaction that sends the email, so a failed send leaves it unsent for the retry."""
    notice = (
        MarkNotice.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("guardian", "pupil", "school")
        .filter(pk=notice_id, sent_at=None, digest=False)
        .first()
    )
    if notice is None:
        return False
    # Asked again in the worker: the parent may have changed their choice or lost their address since.
    choice = mail_recipients(notice.school_id).filter(pk=notice.guardian_id).values_list("mark_mail", flat=True).first()
    if choice is None:
        return False
    if choice == Marks.DIGEST:
        notice.digest = True
        notice.save(update_fields=["digest"])
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = notice_subject(notice)
        body = _text(
            "diary/notices/mark_email.txt",
            {
                "notice": notice,
                "name": _addressed(notice.guardian),
                "pupil": notice.pupil,
                "school": notice.school,
                "day": _day(notice.lesson_date),
                "diary_url": _link("diary:pupil", pupil_id=notice.pupil_id),
                "settings_url": _link("diary:notifications"),
            },
        )
    notice.sent_at = clock.now()
    notice.save(update_fields=["sent_at"])
    send_mail(subject, body, None, [notice.guardian.email])
    return True


def digests_due() -> list[tuple[int, int]]:
    """(school id, parent id) of every parent with unsent digest notices in a school whose digest hour is now, in the
    school's own time zone."""
    due = [
        school.pk
        for school in School.objects.select_related("settings")
        if clock.local_now(school.timezone).hour == SchoolSettings.of(school).mark_digest_hour
    ]
    if not due:
        return []
    return list(
        MarkNotice.objects.filter(school_id__in=due, digest=True, sent_at=None)
        .order_by("school_id", "guardian_id")
        .values_list("school_id", "guardian_id")
        .distinct()
    )


@dataclass
class DigestChild:
    name: str
    subjects: dict[str, list[MarkNotice]] = field(default_factory=dict)


@transaction.atomic
def digest_send(*, school_id: int, guardian_id: int) -> int:
    """One email with a parent's unsent digest notices of the school, grouped by child and subject, marked sent in
    the same transaction. Returns how many notices it carried (0: nothing to send)."""
    guardian = mail_recipients(school_id).filter(pk=guardian_id).first()
    if guardian is None:
        return 0
    notices = list(
        MarkNotice.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("pupil")
        .filter(school_id=school_id, guardian_id=guardian_id, digest=True, sent_at=None)
        .order_by("pupil__last_name", "pupil__first_name", "pupil_id", "subject", "lesson_date", "created_at", "pk")
    )
    if not notices:
        return 0
    school = School.objects.get(pk=school_id)
    children: dict[int, DigestChild] = {}
    for notice in notices:
        child = children.setdefault(notice.pupil_id, DigestChild(notice.pupil.get_full_name()))
        child.subjects.setdefault(notice.subject, []).append(notice)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Marks of the day: %(date)s") % {"date": _day(clock.today(school.timezone))}
        body = _text(
            "diary/notices/digest_email.txt",
            {
                "name": _addressed(guardian),
                "school": school,
                "children": list(children.values()),
                "diary_url": _link("diary:home"),
                "settings_url": _link("diary:notifications"),
            },
        )
    MarkNotice.objects.filter(pk__in=[n.pk for n in notices]).update(sent_at=clock.now())
    send_mail(subject, body, None, [guardian.email])
    return len(notices)


# --- Parents who do not open the diary (R-I12) ------------------------------------------------------------------


@dataclass
class Visitor:
    """A parent or a pupil with the last day they opened the diary."""

    person: User
    last_visit: datetime.date | None
    days: int | None  # since the last visit
    silent: bool
    children: list[tuple[User, str]] = field(default_factory=list)  # (pupil, relation) for a parent
    paper_channel: str = ""  # for a parent who opted out
    keeps_account: bool = True


@dataclass
class SilentParents:
    parents: list[Visitor]  # silent ones first
    opted_out: list[Visitor]  # they get paper sheets: not called about the diary
    pupils: list[Visitor]
    silence_days: int

    @property
    def silent_count(self) -> int:
        return sum(1 for p in self.parents if p.silent)


def _last_visit(school_id: int, user_field: str) -> Subquery:
    visits = (
        DiaryVisit.objects.filter(school_id=school_id, user_id=OuterRef(user_field))
        .order_by()
        .values("user_id")
        .annotate(last=Max("day"))
        .values("last")
    )
    return Subquery(visits)


def _visitor(person: User, last: datetime.date | None, day: datetime.date, silence_days: int) -> Visitor:
    days = (day - last).days if last is not None else None
    return Visitor(person=person, last_visit=last, days=days, silent=days is None or days >= silence_days)


def _call_order(v: Visitor) -> tuple[int, int]:
    """The silent first, those who never opened the diary before the rest of them, then the longest silence; the
    others stay in alphabetical order (the sort is stable)."""
    if not v.silent:
        return (1, 0)
    return (0, -v.days if v.days is not None else -(10**6))


def silent_parents(*, school_class: SchoolClass, day: datetime.date, silence_days: int) -> SilentParents:
    """The parents of the pupils enrolled in the class on the day, with the last day each opened the diary; silent
    when that is `silence_days` or more ago, or never (seed 003: the class teacher calls them). Three queries
    whatever the size of the class."""
    school_id = school_class.school_id
    enrollments = class_pupils(school_class=school_class, day=day)
    profile = GuardianProfile.objects.filter(
        school_id=school_id, guardian_id=OuterRef("guardian_id"), diary_opt_out=True
    )
    person = ("username", "last_name", "first_name", "middle_name", "email", "phone", "is_active")
    links = (
        GuardianLink.objects.filter(school_id=school_id, pupil_id__in=enrollments.values("pupil_id"))
        .select_related("guardian", "pupil")
        .only(
            "relation", "guardian", "pupil", *(f"guardian__{f}" for f in person), *(f"pupil__{f}" for f in person[:4])
        )
        .annotate(
            last_visit=_last_visit(school_id, "guardian_id"),
            paper_channel=Subquery(profile.values("paper_channel")[:1]),
            keeps_account=Subquery(profile.values("keeps_account")[:1]),
        )
        .order_by("guardian__last_name", "guardian__first_name", "guardian__middle_name", "guardian_id", "pupil_id")
    )
    parents: dict[int, Visitor] = {}
    for link in links:
        visitor = parents.get(link.guardian_id)
        if visitor is None:
            visitor = parents[link.guardian_id] = _visitor(link.guardian, link.last_visit, day, silence_days)
            if link.paper_channel is not None:
                visitor.paper_channel = GuardianProfile.PaperChannel(link.paper_channel).label
                visitor.keeps_account = link.keeps_account
        visitor.children.append((link.pupil, link.get_relation_display()))
    electronic = [v for v in parents.values() if not v.paper_channel]
    electronic.sort(key=_call_order)
    pupils = [
        _visitor(e.pupil, e.last_visit, day, silence_days)
        for e in enrollments.annotate(last_visit=_last_visit(school_id, "pupil_id"))
    ]
    return SilentParents(
        parents=electronic,
        opted_out=[v for v in parents.values() if v.paper_channel],
        pupils=pupils,
        silence_days=silence_days,
    )
