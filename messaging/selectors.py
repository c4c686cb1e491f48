"""Reads of internal mail (R-I08): whom a person may reach (their contacts), the groups they may write to, the
people the "new message" form offers, the inbox, a thread, the unread counter.

`contacts` is the one place that turns the school's structure into "who is related to whom"; messaging/rules.py
decides with it and the form offers what it allows, so the list and the rule never disagree. It costs a few queries
once per request and school (cached on the user object), whatever the number of people asked about.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.access import access, children_ids
from accounts.models import READER_ROLES, STAFF_ROLES, GuardianLink, Membership, Role, School, User
from ejournal.clock import today
from schedule.models import Course, CourseTeacher, Enrollment, GroupMembership, SchoolClass

from .models import Attachment, Message, Participant, Receipt, Thread


@dataclass(frozen=True)
class Contacts:
    """What relates a person to others in one school, today."""

    school_id: int
    roles: frozenset[str]
    # Pupils whose class the person leads, or who are in a course the person teaches, and those pupils' parents.
    pupil_ids: frozenset[int] = frozenset()
    guardian_ids: frozenset[int] = frozenset()
    # For a pupil or a parent: the class teachers and the teachers of their own (or their children's) classes and
    # courses.
    teacher_ids: frozenset[int] = frozenset()
    # Classes of open years the person leads, and classes they teach as a whole (a whole-class course).
    led_class_ids: frozenset[int] = frozenset()
    taught_class_ids: frozenset[int] = frozenset()

    @property
    def administration(self) -> bool:
        return bool(self.roles & READER_ROLES)

    @property
    def staff(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    @property
    def related_ids(self) -> frozenset[int]:
        return self.pupil_ids | self.guardian_ids | self.teacher_ids


def _staff_contacts(user, school_id: int, roles: frozenset[str], day: datetime.date) -> dict:
    led = frozenset(
        SchoolClass.objects.filter(school_id=school_id, class_teacher_id=user.pk, year__is_archived=False).values_list(
            "pk", flat=True
        )
    )
    courses = list(
        Course.objects.filter(school_id=school_id, course_teachers__teacher_id=user.pk, year__is_archived=False)
        .values_list("school_class_id", "group_id")
        .distinct()
    )
    whole = frozenset(class_id for class_id, group_id in courses if group_id is None)
    groups = {group_id for _class_id, group_id in courses if group_id is not None}
    pupils: set[int] = set()
    if led or whole:
        pupils |= set(
            Enrollment.objects.on(day)
            .filter(school_id=school_id, school_class_id__in=led | whole)
            .values_list("pupil_id", flat=True)
        )
    if groups:
        pupils |= set(
            GroupMembership.objects.on(day)
            .filter(school_id=school_id, group_id__in=groups)
            .values_list("pupil_id", flat=True)
        )
    guardians = (
        frozenset(
            GuardianLink.objects.filter(school_id=school_id, pupil_id__in=pupils).values_list("guardian_id", flat=True)
        )
        if pupils
        else frozenset()
    )
    return {
        "pupil_ids": frozenset(pupils),
        "guardian_ids": guardians,
        "led_class_ids": led,
        "taught_class_ids": whole,
    }


def _family_contacts(user, school_id: int, roles: frozenset[str], day: datetime.date) -> dict:
    family = set(children_ids(user, school_id)) if Role.GUARDIAN in roles else set()
    if Role.PUPIL in roles:
        family.add(user.pk)
    if not family:
        return {}
    classes = list(
        Enrollment.objects.on(day)
        .filter(school_id=school_id, pupil_id__in=family, school_class__year__is_archived=False)
        .values_list("school_class_id", "school_class__class_teacher_id")
    )
    class_ids = {class_id for class_id, _leader in classes}
    groups = GroupMembership.objects.on(day).filter(
        school_id=school_id, pupil_id__in=family, group__year__is_archived=False
    )
    teachers = set(
        CourseTeacher.objects.filter(school_id=school_id, course__year__is_archived=False)
        .filter(
            Q(course__group_id__in=groups.values("group_id"))
            | Q(course__group__isnull=True, course__school_class_id__in=class_ids)
        )
        .values_list("teacher_id", flat=True)
    )
    teachers |= {leader for _class_id, leader in classes if leader is not None}
    return {"teacher_ids": frozenset(teachers)}


def contacts(user, school_id: int | None) -> Contacts:
    """Cached on the user for the request: the permission layer asks it for every recipient of a page."""
    cache = getattr(user, "_ej_message_contacts", None)
    if cache is None:
        cache = {}
        user._ej_message_contacts = cache
    if school_id not in cache:
        roles = access(user).roles_in(school_id) if school_id is not None else frozenset()
        found: dict = {}
        if roles:
            school = access(user).schools.get(school_id)
            day = today(school.timezone if school else None)
            if roles & STAFF_ROLES:
                found |= _staff_contacts(user, school_id, roles, day)
            if roles & {Role.PUPIL, Role.GUARDIAN}:
                found |= _family_contacts(user, school_id, roles, day)
        cache[school_id] = Contacts(school_id=school_id or 0, roles=roles, **found)
    return cache[school_id]


def roles_of(person_id: int, school_id: int) -> frozenset[str]:
    return frozenset(
        Membership.objects.filter(school_id=school_id, user_id=person_id, user__is_active=True).values_list(
            "role", flat=True
        )
    )


# --- Groups -----------------------------------------------------------------------------------------------------


class Kind:
    GUARDIANS = "guardians"
    PUPILS = "pupils"
    TEACHERS = "teachers"
    STAFF = "staff"

    CLASS_KINDS = (GUARDIANS, PUPILS, TEACHERS)


@dataclass(frozen=True)
class Audience:
    """A group a message goes to: the parents, the pupils or the teachers of a class, or the school's staff."""

    kind: str
    school_class: SchoolClass | None = None

    @property
    def token(self) -> str:
        return f"g:{self.kind}" + (f":{self.school_class.pk}" if self.school_class is not None else "")

    @property
    def label(self) -> str:
        name = str(self.school_class) if self.school_class is not None else ""
        if self.kind == Kind.GUARDIANS:
            return _("All parents of %(name)s") % {"name": name}
        if self.kind == Kind.PUPILS:
            return _("All pupils of %(name)s") % {"name": name}
        if self.kind == Kind.TEACHERS:
            return _("Teachers of %(name)s") % {"name": name}
        return _("All staff")


def may_write_to_audience(user, audience: Audience, school_id: int | None) -> bool:
    """The staff: the administration. A class's teachers: any colleague (staff write to staff). A class's pupils or
    parents: the administration, its class teacher, and whoever teaches the whole class."""
    c = contacts(user, school_id)
    if not c.roles:
        return False
    if audience.kind == Kind.STAFF:
        return audience.school_class is None and c.administration
    school_class = audience.school_class
    if school_class is None or school_class.school_id != school_id or audience.kind not in Kind.CLASS_KINDS:
        return False
    if audience.kind == Kind.TEACHERS:
        return c.staff
    return c.administration or school_class.pk in (c.led_class_ids | c.taught_class_ids)


def audiences(user, school: School) -> list[Audience]:
    """The groups the user may write to, for the form: the staff first, then class by class."""
    c = contacts(user, school.pk)
    if not c.staff:
        return []
    classes = SchoolClass.objects.for_school(school).filter(year__is_archived=False).order_by("grade", "letter")
    found = [Audience(Kind.STAFF)] if c.administration else []
    for school_class in classes:
        for kind in (Kind.GUARDIANS, Kind.PUPILS, Kind.TEACHERS):
            audience = Audience(kind, school_class)
            if may_write_to_audience(user, audience, school.pk):
                found.append(audience)
    return found


@dataclass(frozen=True)
class Family:
    """One thread of a group message: its recipients (a pupil, a family's parents, a colleague) and its child."""

    user_ids: tuple[int, ...]
    pupil_id: int | None = None


def audience_families(audience: Audience, *, school: School, day: datetime.date) -> list[Family]:
    """Whom a group message reaches, one entry per thread: a pupil's parents share their family's thread (brothers
    and sisters with the same parents, one thread); pupils and staff one each. Active accounts only."""
    if audience.kind == Kind.STAFF:
        ids = (
            Membership.objects.for_school(school)
            .filter(role__in=STAFF_ROLES, user__is_active=True)
            .order_by("user__last_name", "user__first_name", "user_id")
            .values_list("user_id", flat=True)
        )
        return [Family((pk,)) for pk in dict.fromkeys(ids)]
    school_class = audience.school_class
    if audience.kind == Kind.TEACHERS:
        leaders = [school_class.class_teacher_id] if school_class.class_teacher_id else []
        taught = (
            CourseTeacher.objects.for_school(school)
            .filter(Q(course__school_class=school_class) | Q(course__group__school_class=school_class))
            .filter(teacher__is_active=True)
            .values_list("teacher_id", flat=True)
        )
        active_leaders = User.objects.filter(pk__in=leaders, is_active=True).values_list("pk", flat=True)
        return [Family((pk,)) for pk in dict.fromkeys([*active_leaders, *sorted(set(taught))])]
    pupils = [
        e.pupil_id
        for e in Enrollment.objects.for_school(school)
        .on(day)
        .filter(school_class=school_class, pupil__is_active=True)
        .order_by("pupil__last_name", "pupil__first_name", "pupil_id")
        .only("pupil_id")
    ]
    if audience.kind == Kind.PUPILS:
        return [Family((pk,), pupil_id=pk) for pk in pupils]
    parents: dict[int, set[int]] = {}
    for pupil_id, guardian_id in (
        GuardianLink.objects.for_school(school)
        .filter(pupil_id__in=pupils, guardian__is_active=True)
        .values_list("pupil_id", "guardian_id")
    ):
        parents.setdefault(pupil_id, set()).add(guardian_id)
    families: dict[tuple[int, ...], Family] = {}
    for pupil_id in pupils:
        if parents.get(pupil_id):
            key = tuple(sorted(parents[pupil_id]))
            families.setdefault(key, Family(key, pupil_id=pupil_id))
    return list(families.values())


# --- The "new message" form's people -----------------------------------------------------------------------------


@dataclass
class Choice:
    value: str
    label: str


def people_to_write(user, school: School, day: datetime.date) -> list[tuple[str, list[Choice]]]:
    """The people the user may write to, grouped as a school thinks of them: administration, teachers, then each
    class's pupils and parents. Built from `contacts`, in a fixed number of queries."""
    c = contacts(user, school.pk)
    if not c.roles:
        return []
    members = Membership.objects.for_school(school).filter(user__is_active=True).exclude(user_id=user.pk)
    if not c.administration:
        reach = Q(role__in=READER_ROLES) | Q(user_id__in=c.related_ids)
        if c.staff:
            reach |= Q(role__in=STAFF_ROLES)
        members = members.filter(reach)
    people: dict[int, tuple[User, set[str]]] = {}
    for m in members.select_related("user").only(
        "role", "user_id", "user__last_name", "user__first_name", "user__middle_name", "user__username"
    ):
        people.setdefault(m.user_id, (m.user, set()))[1].add(m.role)
    family_ids = [pk for pk, (_u, roles) in people.items() if not roles & STAFF_ROLES]
    children: dict[int, list[User]] = {}
    for link in (
        GuardianLink.objects.for_school(school)
        .filter(guardian_id__in=family_ids)
        .select_related("pupil")
        .only("guardian_id", "pupil_id", "pupil__last_name", "pupil__first_name")
        .order_by("pupil__last_name", "pupil__first_name")
    ):
        children.setdefault(link.guardian_id, []).append(link.pupil)
    pupil_ids = set(family_ids) | {child.pk for kids in children.values() for child in kids}
    class_of: dict[int, SchoolClass] = {}
    for e in (
        Enrollment.objects.for_school(school)
        .on(day)
        .filter(pupil_id__in=pupil_ids, school_class__year__is_archived=False)
        .select_related("school_class")
        .only("pupil_id", "school_class__grade", "school_class__letter")
        .order_by("since")
    ):
        class_of[e.pupil_id] = e.school_class

    administration, teachers, other = [], [], []
    by_class: dict[tuple, tuple[list[Choice], list[Choice]]] = {}

    def class_key(school_class: SchoolClass) -> tuple:
        return (school_class.grade, school_class.letter, str(school_class))

    for pk, (person, roles) in sorted(people.items(), key=lambda item: (str(item[1][0]), item[0])):
        choice = Choice(f"u:{pk}", person.get_full_name() or person.username)
        if roles & READER_ROLES:
            administration.append(choice)
        elif roles & STAFF_ROLES:
            teachers.append(choice)
        elif Role.PUPIL in roles and pk in class_of:
            by_class.setdefault(class_key(class_of[pk]), ([], []))[0].append(choice)
        elif Role.GUARDIAN in roles and any(child.pk in class_of for child in children.get(pk, [])):
            kids = [child for child in children[pk] if child.pk in class_of]
            choice.label = _("%(name)s (parent of %(children)s)") % {
                "name": choice.label,
                "children": ", ".join(f"{k.last_name} {k.first_name}" for k in kids),
            }
            by_class.setdefault(class_key(class_of[kids[0].pk]), ([], []))[1].append(choice)
        else:
            other.append(choice)
    groups: list[tuple[str, list[Choice]]] = []
    if administration:
        groups.append((_("Administration"), administration))
    if teachers:
        groups.append((_("Teachers"), teachers))
    for (_grade, _letter, name), (pupils, parents) in sorted(by_class.items()):
        if pupils:
            groups.append((_("Pupils of %(name)s") % {"name": name}, pupils))
        if parents:
            groups.append((_("Parents of %(name)s") % {"name": name}, parents))
    if other:
        groups.append((_("Others"), other))
    return groups


# --- The inbox, a thread, the counter ----------------------------------------------------------------------------


def unread_count(*, user, school: School) -> int:
    """The navigation's counter: the user's unread messages in the school (one query on a partial index)."""
    return Receipt.objects.filter(school=school, user=user, read_at__isnull=True).count()


def user_threads(*, user, school: School) -> QuerySet[Thread]:
    """The threads of the school the user takes part in: the scope every thread page fetches through."""
    return Thread.objects.for_school(school).filter(participants__user=user)


def inbox_threads(*, user, school: School) -> QuerySet[Thread]:
    """Newest first, with the user's unread count and the last message's text; the participants come in one more
    query per page."""
    unread = (
        Receipt.objects.filter(user=user, read_at__isnull=True, message__thread=OuterRef("pk"))
        .values("message__thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last = Message.objects.filter(thread=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        user_threads(user=user, school=school)
        .annotate(
            unread=Coalesce(Subquery(unread, output_field=IntegerField()), 0),
            last_text=Subquery(last.values("text")[:1]),
            last_author_id=Subquery(last.values("author_id")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=Participant.objects.select_related("user").only(
                    "thread_id", "user__last_name", "user__first_name", "user__middle_name", "user__username"
                ),
            )
        )
        .order_by("-last_message_at", "-pk")
    )


def thread_messages(*, thread: Thread) -> list[Message]:
    """The thread's messages in order, with authors, files and receipts (who read each, when): four queries."""
    return list(
        Message.objects.filter(thread=thread)
        .select_related("author")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("pk")),
            Prefetch(
                "receipts",
                queryset=Receipt.objects.select_related("user").order_by("user__last_name", "user__first_name"),
            ),
        )
        .order_by("created_at", "pk")
    )


def thread_participants(*, thread: Thread) -> list[User]:
    return [
        p.user
        for p in Participant.objects.filter(thread=thread)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
    ]
