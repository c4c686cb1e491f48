"""Credentials pages (R-B11..B15): who has a login that works, and new temporary passwords on slips or by email.

A class's page is the class teacher's (and the admin's): the pupils enrolled today and their parents. The staff
page is the admin's. One person's page serves a reissue on loss. Printing answers with the PDF at once; emails
are queued, one task per person.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.credentials import (
    CredentialState,
    Status,
    credential_state,
    credentials_email_queue,
    credentials_print,
    with_credential_facts,
)
from accounts.decorators import school_member_required, school_permission_required
from accounts.models import STAFF_ROLES, CredentialIssue, GuardianLink, Membership, Role, School, User
from accounts.predicates import is_admin
from accounts.services import AccountsError
from accounts.slips import Holder
from ejournal.clock import today

from .forms_credentials import PeopleChoiceForm
from .models import Enrollment, SchoolClass
from .selectors import current_year

# What the pages and the slips need of a person, and no more (not the password hash).
FIELDS = (
    "username", "last_name", "first_name", "middle_name", "email", "last_login", "must_change_password", "is_active"
)  # fmt: skip
# The order in which a person's staff roles are named.
STAFF_ORDER = (Role.ADMIN, Role.DIRECTOR, Role.DEPUTY, Role.TEACHER)


@dataclass
class Row:
    person: User
    role: str  # what the person is, as the slip says it
    staff: bool
    state: CredentialState
    selectable: bool
    why_not: str = ""  # why there is no checkbox


def _short(user_last: str, user_first: str) -> str:
    return f"{user_last} {user_first}".strip()


def _describe(*, school: School, ids: set[int], day: datetime.date) -> dict[int, tuple[str, bool]]:
    """What each person is in the school («Обучающийся, класс 5А», «Родитель: Иванова Мария, 5А», «Учитель»)
    and whether they are staff, in three queries for any number of people."""
    roles: dict[int, set[str]] = defaultdict(set)
    for user_id, role in Membership.objects.for_school(school).filter(user_id__in=ids).values_list("user_id", "role"):
        roles[user_id].add(role)
    guardians = [pk for pk, r in roles.items() if Role.GUARDIAN in r]
    children: dict[int, list[tuple[int, str]]] = defaultdict(list)
    links = (
        GuardianLink.objects.for_school(school)
        .filter(guardian_id__in=guardians)
        .order_by("pupil__last_name", "pupil__first_name")
        .values_list("guardian_id", "pupil_id", "pupil__last_name", "pupil__first_name")
    )
    for guardian_id, pupil_id, last, first in links:
        children[guardian_id].append((pupil_id, _short(last, first)))
    pupils = {pk for pk, r in roles.items() if Role.PUPIL in r} | {p for c in children.values() for p, _n in c}
    classes = {
        pupil_id: f"{grade}{letter}"
        for pupil_id, grade, letter in Enrollment.objects.for_school(school)
        .on(day)
        .filter(pupil_id__in=pupils, school_class__year__is_archived=False)
        .values_list("pupil_id", "school_class__grade", "school_class__letter")
    }
    result = {}
    for pk in ids:
        parts = [str(Role(r).label) for r in STAFF_ORDER if r in roles[pk]]
        if Role.PUPIL in roles[pk]:
            parts.append(
                _("Pupil, class %(class)s") % {"class": classes[pk]} if pk in classes else str(Role.PUPIL.label)
            )
        if Role.GUARDIAN in roles[pk]:
            kids = "; ".join(f"{name}, {classes[p]}" if p in classes else name for p, name in children[pk])
            parts.append(_("Parent of %(children)s") % {"children": kids} if kids else str(Role.GUARDIAN.label))
        result[pk] = ("; ".join(parts), bool(roles[pk] & STAFF_ROLES))
    return result


def _rows(request, people: list[User], *, day: datetime.date) -> list[Row]:
    """Rows in the given order. Staff have a checkbox only for the admin (R-B11); nobody issues to themselves."""
    admin = is_admin(request.user)
    about = _describe(school=request.school, ids={p.pk for p in people}, day=day)
    rows = []
    for person in people:
        role, staff = about[person.pk]
        state = credential_state(person, school=request.school, day=day)
        why_not = ""
        if person.pk == request.user.pk:
            why_not = _("This is you: change your own password instead.")
        elif staff and not admin:
            why_not = _("Staff credentials are issued by the administrator.")
        rows.append(Row(person, role, staff, state, selectable=not why_not, why_not=why_not))
    return rows


def _people(queryset, school: School):
    return with_credential_facts(queryset.only(*FIELDS), school=school)


def _class(request, class_id: int) -> SchoolClass:
    school_class = get_object_or_404(SchoolClass.objects.for_school(request.school).select_related("year"), pk=class_id)
    if not request.user.has_perm("schedule.issue_class_credentials", school_class):
        raise PermissionDenied
    return school_class


def _class_rows(request, school_class: SchoolClass, day: datetime.date) -> list[Row]:
    """The class's pupils enrolled today, each followed by their parents (so a family's slips lie together)."""
    school = request.school
    pupils = Enrollment.objects.for_school(school).on(day).filter(school_class=school_class).values("pupil_id")
    links = GuardianLink.objects.for_school(school).filter(pupil_id__in=pupils)
    people = list(
        _people(User.objects.filter(Q(pk__in=pupils) | Q(pk__in=links.values("guardian_id")), is_active=True), school)
        .annotate(in_class=Exists(pupils.filter(pupil_id=OuterRef("pk"))))
        .order_by("last_name", "first_name", "middle_name", "pk")
    )
    by_pk = {p.pk: p for p in people}
    parents: dict[int, list[int]] = defaultdict(list)
    for pupil_id, guardian_id in links.order_by("guardian__last_name", "guardian__first_name").values_list(
        "pupil_id", "guardian_id"
    ):
        parents[pupil_id].append(guardian_id)
    ordered, placed = [], set()
    for pupil in (p for p in people if p.in_class):
        for pk in (pupil.pk, *parents[pupil.pk]):
            if pk not in placed and pk in by_pk:
                placed.add(pk)
                ordered.append(by_pk[pk])
    return _rows(request, ordered, day=day)


def _staff_rows(request, day: datetime.date) -> list[Row]:
    staff = Membership.objects.for_school(request.school).filter(role__in=STAFF_ROLES).values("user_id")
    people = _people(User.objects.filter(pk__in=staff, is_active=True), request.school).order_by(
        "last_name", "first_name", "middle_name", "pk"
    )
    return _rows(request, list(people), day=day)


def _summary(rows: list[Row]) -> dict[str, int]:
    return {
        "total": len(rows),
        "active": sum(r.state.status == Status.ACTIVE for r in rows),
        "issued": sum(r.state.status == Status.ISSUED for r in rows),
        "never": sum(r.state.status == Status.NEVER for r in rows),
        "overdue": sum(r.state.overdue for r in rows),
    }


def _chosen(request, rows: list[Row]) -> list[Row] | None:
    """The ticked rows, or None with the reason told; a row the page did not offer refuses the whole action."""
    form = PeopleChoiceForm(request.POST, allowed=[r.person.pk for r in rows if r.selectable])
    if not form.is_valid():
        for error in form.errors["people"]:
            messages.error(request, error)
        return None
    wanted = set(form.cleaned_data["people"])
    return [r for r in rows if r.person.pk in wanted]


def _slips(request, rows: list[Row], filename: str) -> HttpResponse | None:
    """The PDF of new slips for these rows, or None when the issue is refused (the message says why)."""
    try:
        pdf = credentials_print(
            actor=request.user,
            school=request.school,
            holders=[Holder(r.person, r.role, r.staff) for r in rows],
            portal_url=request.build_absolute_uri("/"),
        )
    except AccountsError as e:
        messages.error(request, e.message)
        return None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    # The slips carry passwords: no cache on the way may keep them.
    add_never_cache_headers(response)
    response["Cache-Control"] += ", no-store"
    return response


def _email(request, rows: list[Row]) -> None:
    result = credentials_email_queue(
        actor=request.user,
        school=request.school,
        people=[r.person for r in rows],
        portal_url=request.build_absolute_uri("/"),
    )
    if result.queued:
        n = len(result.queued)
        messages.success(
            request,
            ngettext(
                "A new temporary password is being emailed to %(count)d person.",
                "New temporary passwords are being emailed to %(count)d people.",
                n,
            )
            % {"count": n},
        )
    if result.no_email:
        names = ", ".join(p.get_full_name() for p in result.no_email)
        messages.error(
            request, _("No email address, nothing sent: %(names)s. Print their slips instead.") % {"names": names}
        )
    if result.recent:
        names = ", ".join(p.get_full_name() for p in result.recent)
        messages.info(request, _("Already sent a moment ago, not sent again: %(names)s.") % {"names": names})


# --- A class: the class teacher's page (R-B12) ---------------------------------------------------------------


@require_GET
@school_member_required
def class_credentials(request, class_id: int):
    school_class = _class(request, class_id)
    day = today(request.school.timezone)
    rows = _class_rows(request, school_class, day)
    return render(
        request,
        "schedule/credentials/class.html",
        {"school_class": school_class, "rows": rows, "summary": _summary(rows), "day": day},
    )


@require_POST
@school_member_required
def class_credentials_print(request, class_id: int):
    school_class = _class(request, class_id)
    day = today(request.school.timezone)
    chosen = _chosen(request, _class_rows(request, school_class, day))
    if chosen:
        response = _slips(request, chosen, _("logins-%(class)s.pdf") % {"class": school_class})
        if response is not None:
            return response
    return redirect("schedule:credentials_class", class_id=school_class.pk)


@require_POST
@school_member_required
def class_credentials_email(request, class_id: int):
    school_class = _class(request, class_id)
    chosen = _chosen(request, _class_rows(request, school_class, today(request.school.timezone)))
    if chosen:
        _email(request, chosen)
    return redirect("schedule:credentials_class", class_id=school_class.pk)


# --- Staff: the admin's page (R-B11) -------------------------------------------------------------------------

# Without an object, `accounts.issue_credentials` is held by the admin alone: the class teacher's part of the rule
# needs a pupil or a parent to be about.
STAFF_PERM = "accounts.issue_credentials"


@require_GET
@school_permission_required(STAFF_PERM)
def staff_credentials(request):
    day = today(request.school.timezone)
    rows = _staff_rows(request, day)
    year = current_year(school=request.school, day=day)
    classes = SchoolClass.objects.for_school(request.school).filter(year=year).order_by("grade", "letter")
    return render(
        request,
        "schedule/credentials/staff.html",
        {"rows": rows, "summary": _summary(rows), "day": day, "classes": classes},
    )


@require_POST
@school_permission_required(STAFF_PERM)
def staff_credentials_print(request):
    chosen = _chosen(request, _staff_rows(request, today(request.school.timezone)))
    if chosen:
        response = _slips(request, chosen, _("logins-staff.pdf"))
        if response is not None:
            return response
    return redirect("schedule:credentials_staff")


@require_POST
@school_permission_required(STAFF_PERM)
def staff_credentials_email(request):
    chosen = _chosen(request, _staff_rows(request, today(request.school.timezone)))
    if chosen:
        _email(request, chosen)
    return redirect("schedule:credentials_staff")


# --- One person: reissue on loss (R-B12) ---------------------------------------------------------------------


def _person_row(request, user_id: int) -> Row:
    members = Membership.objects.for_school(request.school).values("user_id")
    person = get_object_or_404(_people(User.objects.filter(pk__in=members, is_active=True), request.school), pk=user_id)
    if not request.user.has_perm("accounts.issue_credentials", person):
        raise PermissionDenied
    [row] = _rows(request, [person], day=today(request.school.timezone))
    if row.staff and not is_admin(request.user):
        # A class teacher may reach a parent who also works here: a colleague's password is the admin's (R-B11).
        raise PermissionDenied
    return row


@require_GET
@school_member_required
def person_credentials(request, user_id: int):
    row = _person_row(request, user_id)
    issues = (
        CredentialIssue.objects.for_school(request.school)
        .filter(person=row.person)
        .select_related("issued_by")
        .only("issued_at", "channel", "issued_by__last_name", "issued_by__first_name", "issued_by__middle_name")[:10]
    )
    return render(request, "schedule/credentials/person.html", {"row": row, "issues": issues})


@require_POST
@school_member_required
def person_credentials_print(request, user_id: int):
    row = _person_row(request, user_id)
    if not row.selectable:
        messages.error(request, row.why_not)
    else:
        response = _slips(request, [row], _("login-%(login)s.pdf") % {"login": row.person.username})
        if response is not None:
            return response
    return redirect("schedule:credentials_person", user_id=row.person.pk)


@require_POST
@school_member_required
def person_credentials_email(request, user_id: int):
    row = _person_row(request, user_id)
    if not row.selectable:
        messages.error(request, row.why_not)
    else:
        _email(request, [row])
    return redirect("schedule:credentials_person", user_id=row.person.pk)
