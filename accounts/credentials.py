"""Credentials (R-B11..B15): a login and a temporary password handed to a person, on a printed slip or by email.

The password is shown once (on the slip or in the email) and never stored: only its hash on the user and a
`CredentialIssue` row saying who issued it, when and how. Reissue on loss is the same action.
"""

import datetime
import enum
import os
import secrets
import zoneinfo
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.log import record

from .access import access
from .models import STAFF_ROLES, CredentialIssue, Membership, Role, School, User
from .services import AccountsError
from .slips import Holder, Slip, render_slips

# Lower-case Latin letters and digits: no Shift on a phone. Left out: 0 o 1 l i (read as one another) and
# a c e p x y k, which look like Cyrillic letters, so that a parent typing on a Russian layout cannot type
# a look-alike by mistake. 24 symbols, 10 characters: about 46 bits, ample behind the login lock-out.
LETTERS = "bdfghjmnqrstuvwz"
DIGITS = "23456789"
ALPHABET = LETTERS + DIGITS
PASSWORD_LENGTH = 10

# R-B14: credentials are due within 7 days of the person's data being entered.
ISSUE_DUE_DAYS = 7
# R-B15: an account is activated within 7 working days of receiving the credentials.
ACTIVATION_DUE_WORKING_DAYS = 7


def temporary_password(user: User | None = None) -> str:
    """10 characters from ALPHABET with at least one letter and one digit, passing the site's validators."""
    for _attempt in range(100):
        password = "".join(secrets.choice(ALPHABET) for _ in range(PASSWORD_LENGTH))
        if not (set(password) & set(LETTERS) and set(password) & set(DIGITS)):
            continue
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password
    # 100 rejections in a row cannot happen with the stock validators; a misconfigured one would loop forever.
    raise AccountsError(_("Could not make a temporary password that the password rules accept."))


def _hash_all(passwords: list[str]) -> list[str]:
    """Hashes, several at once: PBKDF2 releases the GIL and costs ~0.3 s each, and a class has ~80 people."""
    if len(passwords) < 2:
        return [make_password(p) for p in passwords]
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return list(pool.map(make_password, passwords))


@transaction.atomic
def credentials_issue(
    *, actor: User | None, school: School, people: Iterable[User], channel: str
) -> list[tuple[User, str]]:
    """A new temporary password for each person, to be changed at first login (R-B13).

    Returns (person, password) pairs for the slip or the email; the passwords are nowhere else. The old password
    stops working, and so do the person's open sessions (Django ties a session to the password's hash).
    Who may issue to whom (R-B11, R-B12) is the views' and tasks' permission check; this refuses what no
    permission may allow: people outside the school, staff by anyone but the admin (R-B11), oneself.
    """
    if channel not in CredentialIssue.Channel.values:
        raise AccountsError(_("Unknown way of handing over credentials."))
    people = list({p.pk: p for p in people}.values())
    if not people:
        raise AccountsError(_("Choose at least one person."))
    roles: dict[int, set[str]] = {}
    for user_id, role in Membership.objects.for_school(school).filter(user__in=people).values_list("user_id", "role"):
        roles.setdefault(user_id, set()).add(role)

    def names(group: list[User]) -> str:
        return ", ".join(p.get_full_name() for p in group)

    strangers = [p for p in people if p.pk not in roles or not p.is_active]
    if strangers:
        raise AccountsError(_("Not a member of this school: %(names)s.") % {"names": names(strangers)})
    if actor is not None:
        if any(p.pk == actor.pk for p in people):
            raise AccountsError(_("You cannot issue a temporary password to yourself: change your password instead."))
        if Role.ADMIN not in access(actor).roles_in(school.pk):
            staff = [p for p in people if roles[p.pk] & STAFF_ROLES]
            if staff:
                raise AccountsError(
                    _("Staff credentials are issued by the administrator: %(names)s.") % {"names": names(staff)}
                )

    passwords = [temporary_password(p) for p in people]
    for person, hashed in zip(people, _hash_all(passwords), strict=True):
        person.password = hashed
        person.must_change_password = True
    User.objects.bulk_update(people, ["password", "must_change_password"], batch_size=500)
    issued_by = actor if actor is not None and actor.is_authenticated else None
    CredentialIssue.objects.bulk_create(
        [CredentialIssue(school=school, person=p, issued_by=issued_by, channel=channel) for p in people]
    )
    record(
        actor=actor,
        school=school,
        action="accounts.credentials.issued",
        obj=people[0] if len(people) == 1 else None,
        data={"channel": channel, "count": len(people), "person_ids": [p.pk for p in people]},
    )
    return list(zip(people, passwords, strict=True))


# --- Where each person stands (R-B14, R-B15) ---------------------------------------------------------------


class Status(enum.StrEnum):
    NEVER = "never"  # nothing issued yet
    ISSUED = "issued"  # issued, not yet used to log in and replaced by the person's own password
    ACTIVE = "active"  # logged in and chose their own password


@dataclass(frozen=True)
class CredentialState:
    status: Status
    issued_on: datetime.date | None
    due: datetime.date | None  # issue due (never issued) or activation due (issued)
    overdue: bool


def add_working_days(day: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `day`; Saturdays and Sundays do not count."""
    while n > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def with_credential_facts(people: QuerySet[User], *, school: School) -> QuerySet[User]:
    """Annotate each person with `cred_last_issued_at` and `cred_entered_at` (their first role in this school):
    two subqueries in the same query, so that a list of any length costs one query."""
    last_issue = (
        CredentialIssue.objects.for_school(school)
        .filter(person=OuterRef("pk"))
        .order_by("-issued_at")
        .values("issued_at")[:1]
    )
    entered = (
        Membership.objects.for_school(school)
        .filter(user=OuterRef("pk"))
        .order_by("created_at")
        .values("created_at")[:1]
    )
    return people.annotate(cred_last_issued_at=Subquery(last_issue), cred_entered_at=Subquery(entered))


def _local_date(moment: datetime.datetime | None, tz: zoneinfo.ZoneInfo) -> datetime.date | None:
    return timezone.localtime(moment, tz).date() if moment is not None else None


def credential_state(person: User, *, school: School, day: datetime.date) -> CredentialState:
    """Where the person stands on `day`, from the facts `with_credential_facts` annotated (no query)."""
    tz = zoneinfo.ZoneInfo(school.timezone)
    issued_on = _local_date(person.cred_last_issued_at, tz)
    if person.last_login is not None and not person.must_change_password:
        return CredentialState(Status.ACTIVE, issued_on, None, False)
    if issued_on is not None:
        due = add_working_days(issued_on, ACTIVATION_DUE_WORKING_DAYS)
        return CredentialState(Status.ISSUED, issued_on, due, day > due)
    entered_on = _local_date(person.cred_entered_at, tz)
    due = entered_on + datetime.timedelta(days=ISSUE_DUE_DAYS) if entered_on is not None else None
    return CredentialState(Status.NEVER, None, due, due is not None and day > due)


# --- Handing them over: a PDF of slips, or one email each ----------------------------------------------------


@transaction.atomic
def credentials_print(*, actor: User | None, school: School, holders: list[Holder], portal_url: str) -> bytes:
    """Issue new passwords and render their slips in one transaction: if the PDF cannot be made, no password
    changes, so nobody is left with an old slip that no longer works and no new one."""
    issued = credentials_issue(
        actor=actor, school=school, people=[h.person for h in holders], channel=CredentialIssue.Channel.SLIP
    )
    about = {h.person.pk: h for h in holders}
    slips = [
        Slip(
            full_name=person.get_full_name(),
            role=about[person.pk].role,
            login=person.username,
            password=password,
            staff=about[person.pk].staff,
        )
        for person, password in issued
    ]
    return render_slips(school=school, slips=slips, portal_url=portal_url)


# A double click on "Send by email" queues one email, not two: the second click within this window is skipped.
EMAIL_WINDOW_SECONDS = 120


@dataclass(frozen=True)
class EmailQueued:
    queued: list[User]
    no_email: list[User]  # refused before queuing: nowhere to send (R-B13: only to the person's own address)
    recent: list[User]  # already queued a moment ago


def credentials_email_queue(*, actor: User, school: School, people: list[User], portal_url: str) -> EmailQueued:
    """Queue one email per person, on commit. The worker makes the password itself (it never goes through the
    broker), after asking the permission again."""
    from .tasks import issue_credentials_by_email

    queued, no_email, recent = [], [], []
    for person in people:
        if not person.email:
            no_email.append(person)
        elif not cache.add(f"ej:credentials-email:{school.pk}:{person.pk}", actor.pk, EMAIL_WINDOW_SECONDS):
            recent.append(person)
        else:
            queued.append(person)
            transaction.on_commit(partial(issue_credentials_by_email.delay, person.pk, actor.pk, school.pk, portal_url))
    return EmailQueued(queued, no_email, recent)
