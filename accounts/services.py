"""Writes that have rules, one function per action (STYLE: services own the rules)."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from audit.log import record
from ejournal.clock import today

from . import tasks
from .logins import generate_logins, login_base, taken_like
from .models import GuardianLink, GuardianProfile, Membership, PersonalDataConsent, Role, School, SchoolSettings, User


class AccountsError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@transaction.atomic
def school_create(*, actor: User | None, name: str, short_name: str, timezone: str = "Europe/Moscow") -> School:
    school = School.objects.create(name=name, short_name=short_name, timezone=timezone)
    SchoolSettings.objects.create(school=school)
    record(actor=actor, school=school, action="accounts.school.created", obj=school, data={"name": name})
    return school


@transaction.atomic
def role_grant(*, actor: User | None, school: School, user: User, role: str) -> Membership:
    if role not in Role.values:
        raise AccountsError(_("Unknown role."))
    membership, created = Membership.objects.get_or_create(school=school, user=user, role=role)
    if created:
        record(actor=actor, school=school, action="accounts.role.granted", obj=user, data={"role": role})
    return membership


@transaction.atomic
def guardian_link(
    *, actor: User | None, school: School, guardian: User, pupil: User, relation: str = GuardianLink.Relation.OTHER
) -> GuardianLink:
    has = set(Membership.objects.filter(school=school, user__in=[guardian, pupil]).values_list("user_id", "role"))
    if (guardian.pk, Role.GUARDIAN) not in has:
        raise AccountsError(_("%(name)s is not a parent in this school.") % {"name": guardian})
    if (pupil.pk, Role.PUPIL) not in has:
        raise AccountsError(_("%(name)s is not a pupil of this school.") % {"name": pupil})
    link, created = GuardianLink.objects.get_or_create(
        school=school, guardian=guardian, pupil=pupil, defaults={"relation": relation}
    )
    if created:
        record(actor=actor, school=school, action="accounts.guardian.linked", obj=link, data={"relation": relation})
    return link


@transaction.atomic
def password_change(*, user: User, new_password: str, school: School | None = None) -> None:
    """The user's own change of password; ends the temporary-password state and tells the owner by email."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    record(actor=user, school=school, action="accounts.password.changed", obj=user)
    if user.email:
        transaction.on_commit(lambda: tasks.notify_password_changed.delay(user.pk))


@transaction.atomic
def guardian_links_bulk_create(
    *, actor: User | None, school: School, links: list[tuple[User, User, str]]
) -> list[GuardianLink]:
    """Many (guardian, pupil, relation) links at once; every guardian and pupil must hold that role here."""
    ids = {g.pk for g, _p, _r in links} | {p.pk for _g, p, _r in links}
    has = set(Membership.objects.filter(school=school, user_id__in=ids).values_list("user_id", "role"))
    for guardian, pupil, _relation in links:
        if (guardian.pk, Role.GUARDIAN) not in has:
            raise AccountsError(_("%(name)s is not a parent in this school.") % {"name": guardian})
        if (pupil.pk, Role.PUPIL) not in has:
            raise AccountsError(_("%(name)s is not a pupil of this school.") % {"name": pupil})
    rows = GuardianLink.objects.bulk_create(
        [GuardianLink(school=school, guardian=g, pupil=p, relation=r) for g, p, r in links],
        ignore_conflicts=True,
    )
    record(actor=actor, school=school, action="accounts.guardian.bulk_linked", data={"count": len(rows)})
    return rows


# --- People with their personal-data consents (R-B09) -------------------------------------------------------


@dataclass(frozen=True)
class ConsentData:
    """A signed consent to personal-data processing: who signed, when, which paper."""

    signed_by: str
    signed_on: datetime.date
    document: str


@dataclass(frozen=True)
class NewPerson:
    last_name: str
    first_name: str
    middle_name: str = ""
    birth_date: datetime.date | None = None
    email: str = ""
    phone: str = ""
    roles: tuple[str, ...] = ()
    consent: ConsentData | None = None
    username: str = ""  # empty: generated from the names
    extra: dict = field(default_factory=dict, compare=False)


def consent_errors(consent: ConsentData | None, *, tz: str | None = None) -> list[str]:
    """Why a consent cannot be accepted (empty when it can)."""
    if consent is None:
        return [_("The consent to personal-data processing must be recorded before the person's data.")]
    errors = []
    if not consent.signed_by.strip():
        errors.append(_("Say who signed the consent."))
    if not consent.document.strip():
        errors.append(_("Give the consent's document (number or description)."))
    if consent.signed_on is None:
        errors.append(_("Give the date the consent was signed."))
    elif consent.signed_on > today(tz):
        errors.append(_("The consent cannot be signed in the future."))
    return errors


def person_errors(person: NewPerson, *, tz: str | None = None) -> list[str]:
    errors = []
    if not person.last_name.strip() or not person.first_name.strip():
        errors.append(_("Surname and first name are required."))
    if person.birth_date is not None and person.birth_date > today(tz):
        errors.append(_("The date of birth cannot be in the future."))
    unknown = set(person.roles) - set(Role.values)
    if unknown or not person.roles:
        errors.append(_("Choose at least one known role."))
    return errors + consent_errors(person.consent, tz=tz)


@transaction.atomic
def people_create(*, actor: User | None, school: School, people: list[NewPerson]) -> list[User]:
    """Many people with their roles and consents, all or nothing, in a fixed number of queries.

    Nobody's data is written without a valid consent (R-B09). Logins are generated from the names where not given;
    passwords stay unusable until credentials are issued.
    """
    for person in people:
        errors = person_errors(person, tz=school.timezone)
        if errors:
            name = f"{person.last_name} {person.first_name}".strip()
            raise AccountsError(f"{name}: {' '.join(errors)}")
    given = [p.username for p in people if p.username]
    if given:
        clash = set(User.objects.filter(username__in=given).values_list("username", flat=True))
        if clash:
            raise AccountsError(_("These logins are already taken: %(logins)s.") % {"logins": ", ".join(sorted(clash))})
    names = [(p.last_name.strip(), p.first_name.strip(), p.middle_name.strip()) for p in people]
    generated = iter(
        generate_logins(
            [n for n, p in zip(names, people, strict=True) if not p.username],
            taken_like(login_base(*n) for n, p in zip(names, people, strict=True) if not p.username) | set(given),
        )
    )
    users = []
    for (last, first, middle), p in zip(names, people, strict=True):
        user = User(
            username=p.username or next(generated),
            last_name=last,
            first_name=first,
            middle_name=middle,
            birth_date=p.birth_date,
            email=p.email.strip(),
            phone=p.phone.strip(),
        )
        user.set_unusable_password()
        users.append(user)
    users = User.objects.bulk_create(users)
    PersonalDataConsent.objects.bulk_create(
        [
            PersonalDataConsent(
                school=school,
                person=u,
                signed_by=p.consent.signed_by.strip(),
                signed_on=p.consent.signed_on,
                document=p.consent.document.strip(),
                recorded_by=actor if actor is not None and actor.is_authenticated else None,
            )
            for u, p in zip(users, people, strict=True)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(school=school, user=u, role=r) for u, p in zip(users, people, strict=True) for r in set(p.roles)]
    )
    record(actor=actor, school=school, action="accounts.people.created", data={"count": len(users)})
    return users


def person_create(*, actor: User | None, school: School, person: NewPerson) -> User:
    return people_create(actor=actor, school=school, people=[person])[0]


def has_consent(*, school: School, person: User) -> bool:
    return PersonalDataConsent.objects.for_school(school).filter(person=person, withdrawn_on__isnull=True).exists()


@transaction.atomic
def person_update(
    *,
    actor: User | None,
    school: School,
    person: User,
    last_name: str,
    first_name: str,
    middle_name: str = "",
    birth_date: datetime.date | None = None,
    email: str = "",
    phone: str = "",
) -> User:
    """Correct a person's data (R-B10); only while their consent is in force (R-B09)."""
    if not has_consent(school=school, person=person):
        raise AccountsError(_("There is no consent in force for %(name)s: record one first.") % {"name": person})
    if not last_name.strip() or not first_name.strip():
        raise AccountsError(_("Surname and first name are required."))
    if birth_date is not None and birth_date > today(school.timezone):
        raise AccountsError(_("The date of birth cannot be in the future."))
    before = {f: getattr(person, f) for f in ("last_name", "first_name", "middle_name", "birth_date", "email", "phone")}
    person.last_name, person.first_name, person.middle_name = last_name.strip(), first_name.strip(), middle_name.strip()
    person.birth_date, person.email, person.phone = birth_date, email.strip(), phone.strip()
    person.save(update_fields=list(before))
    changed = {f: str(v) for f, v in before.items() if getattr(person, f) != v}
    if changed:
        record(actor=actor, school=school, action="accounts.person.changed", obj=person, data={"before": changed})
    return person


@transaction.atomic
def consent_record(*, actor: User | None, school: School, person: User, consent: ConsentData) -> PersonalDataConsent:
    errors = consent_errors(consent, tz=school.timezone)
    if errors:
        raise AccountsError(" ".join(errors))
    row = PersonalDataConsent.objects.create(
        school=school,
        person=person,
        signed_by=consent.signed_by.strip(),
        signed_on=consent.signed_on,
        document=consent.document.strip(),
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    record(actor=actor, school=school, action="accounts.consent.recorded", obj=person, data={"document": row.document})
    return row


@transaction.atomic
def consent_withdraw(*, actor: User | None, school: School, consent: PersonalDataConsent, on: datetime.date) -> None:
    consent.withdrawn_on = on
    consent.save(update_fields=["withdrawn_on"])
    record(actor=actor, school=school, action="accounts.consent.withdrawn", obj=consent.person)


@transaction.atomic
def guardian_profile_set(
    *,
    actor: User | None,
    school: School,
    guardian: User,
    diary_opt_out: bool,
    paper_channel: str = GuardianProfile.PaperChannel.IN_PERSON,
    postal_address: str = "",
    keeps_account: bool = True,
) -> GuardianProfile:
    """A parent's choice between the electronic diary and weekly paper sheets, with how the sheets reach them.

    A parent who opts out keeps a login only if they want one (issue 7). Without it their account is closed
    (inactive: no login, no credentials issued, open sessions end) until they opt back in or ask for the login
    again; then the account opens as it was, and new credentials can be issued. One login serves every role and
    school of a person, so it is closed only for someone who is nothing but a parent in this school: closing it
    for a parent who also teaches, or has a child in another school, would take those away too.
    """
    if not Membership.objects.filter(school=school, user=guardian, role=Role.GUARDIAN).exists():
        raise AccountsError(_("%(name)s is not a parent in this school.") % {"name": guardian})
    if paper_channel not in GuardianProfile.PaperChannel.values:
        raise AccountsError(_("Unknown way of handing over the paper sheets."))
    if diary_opt_out and paper_channel == GuardianProfile.PaperChannel.EMAIL and not guardian.email:
        raise AccountsError(_("Sheets by email need the parent's email address."))
    if diary_opt_out and paper_channel == GuardianProfile.PaperChannel.POST and not postal_address.strip():
        raise AccountsError(_("Sheets by post need a postal address."))
    # With the electronic diary there is always a login: it is how the diary is read.
    keeps_account = keeps_account or not diary_opt_out
    before = GuardianProfile.objects.select_for_update().filter(school=school, guardian=guardian).first()
    was_closed = before is not None and before.diary_opt_out and not before.keeps_account
    other_roles = Membership.objects.filter(user=guardian).exclude(school=school, role=Role.GUARDIAN)
    if not keeps_account and other_roles.exists():
        raise AccountsError(
            _(
                "%(name)s also uses the portal in another role or school: their login cannot be closed. Keep the "
                "login; the paper sheets come all the same."
            )
            % {"name": guardian}
        )
    profile, _created = GuardianProfile.objects.update_or_create(
        school=school,
        guardian=guardian,
        defaults={
            "diary_opt_out": diary_opt_out,
            "paper_channel": paper_channel,
            "postal_address": postal_address.strip(),
            "keeps_account": keeps_account,
        },
    )
    record(
        actor=actor,
        school=school,
        action="accounts.guardian.diary_choice",
        obj=guardian,
        data={"opt_out": diary_opt_out, "channel": paper_channel, "keeps_account": keeps_account},
    )
    if not keeps_account and guardian.is_active:
        guardian.is_active = False
        guardian.save(update_fields=["is_active"])
        record(actor=actor, school=school, action="accounts.guardian.login_closed", obj=guardian)
    elif keeps_account and was_closed and not guardian.is_active:
        guardian.is_active = True
        guardian.save(update_fields=["is_active"])
        record(actor=actor, school=school, action="accounts.guardian.login_reopened", obj=guardian)
    return profile


@transaction.atomic
def passwords_set(*, actor: User | None, school: School, users: list[User], password: str, temporary: bool) -> None:
    """One known password for many people: the demo school and tests. Real people get theirs through
    accounts.credentials (a different temporary password each, printed or emailed)."""
    hashed = make_password(password)
    for user in users:
        user.password = hashed
        user.must_change_password = temporary
    User.objects.bulk_update(users, ["password", "must_change_password"], batch_size=1000)
    record(actor=actor, school=school, action="accounts.password.set", data={"count": len(users)})


@transaction.atomic
def guardian_admit(
    *, actor: User | None, school: School, pupil: User, person: NewPerson, relation: str
) -> GuardianLink:
    """A new parent of a pupil, with their consent (R-B09), linked to the child."""
    guardian = person_create(actor=actor, school=school, person=person)
    return guardian_link(actor=actor, school=school, guardian=guardian, pupil=pupil, relation=relation)


@transaction.atomic
def platform_bootstrap(*, school_name: str, short_name: str, admin: NewPerson, password: str) -> tuple[School, User]:
    """The first school of a fresh installation and its first administrator (the first-run page).

    Refused once any school exists: later schools are added by the platform's operator (manage.py create_school).
    """
    if School.objects.exists():
        raise AccountsError(_("The portal is already set up."))
    if not school_name.strip() or not short_name.strip():
        raise AccountsError(_("Give the school's full and short names."))
    school = school_create(actor=None, name=school_name.strip(), short_name=short_name.strip())
    user = person_create(actor=None, school=school, person=NewPerson(**{**admin.__dict__, "roles": (Role.ADMIN,)}))
    passwords_set(actor=user, school=school, users=[user], password=password, temporary=False)
    record(actor=user, school=school, action="accounts.platform.bootstrapped", obj=school)
    return school, user
