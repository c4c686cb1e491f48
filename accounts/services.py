"""Writes that have rules, one function per action (STYLE: services own the rules)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from audit.log import record

from . import tasks
from .models import GuardianLink, Membership, Role, School, SchoolSettings, User


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


@dataclass(frozen=True)
class PersonData:
    username: str
    last_name: str
    first_name: str
    middle_name: str = ""
    email: str = ""
    phone: str = ""


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    school: School,
    person: PersonData,
    roles: Iterable[str],
    password: str | None = None,
    temporary: bool = True,
) -> User:
    """A person of the school with their roles. A temporary password must be changed at first login."""
    if User.objects.filter(username__iexact=person.username).exists():
        raise AccountsError(_("The login «%(login)s» is already taken.") % {"login": person.username})
    user = User(
        username=person.username,
        last_name=person.last_name,
        first_name=person.first_name,
        middle_name=person.middle_name,
        email=person.email,
        phone=person.phone,
        must_change_password=temporary and password is not None,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    roles = list(dict.fromkeys(roles))
    Membership.objects.bulk_create([Membership(school=school, user=user, role=r) for r in roles])
    record(actor=actor, school=school, action="accounts.user.created", obj=user, data={"roles": roles})
    return user


@transaction.atomic
def users_bulk_create(
    *,
    actor: User | None,
    school: School,
    people: list[PersonData],
    role: str,
    password: str,
    temporary: bool = True,
) -> list[User]:
    """Many people of one role at once (imports, the demo): one hash, a fixed number of queries."""
    logins = [p.username for p in people]
    taken = set(User.objects.filter(username__in=logins).values_list("username", flat=True))
    if taken or len(set(logins)) != len(logins):
        dupes = sorted(taken | {u for u in logins if logins.count(u) > 1})
        raise AccountsError(_("These logins are already taken: %(logins)s.") % {"logins": ", ".join(dupes[:10])})
    hashed = make_password(password)
    users = User.objects.bulk_create(
        [
            User(
                username=p.username,
                last_name=p.last_name,
                first_name=p.first_name,
                middle_name=p.middle_name,
                email=p.email,
                phone=p.phone,
                password=hashed,
                must_change_password=temporary,
            )
            for p in people
        ]
    )
    Membership.objects.bulk_create([Membership(school=school, user=u, role=role) for u in users])
    record(actor=actor, school=school, action="accounts.user.bulk_created", data={"role": role, "count": len(users)})
    return users


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
