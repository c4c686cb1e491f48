import rules

from accounts.access import access
from accounts.models import STAFF_ROLES, GuardianLink, Membership
from accounts.predicates import is_admin, is_class_teacher_of, is_deputy, is_school_member, is_school_reader
from ejournal.clock import today

from .models import Enrollment
from .selectors import led_classes


@rules.predicate
def is_class_teacher(user) -> bool:
    """Leads at least one class of an open year."""
    return bool(led_classes(user))


@rules.predicate
def is_class_teacher_of_pupil(user, pupil) -> bool:
    """The pupil is enrolled today in a class this user leads."""
    ids = led_classes(user)
    if not ids or pupil is None:
        return False
    return Enrollment.objects.on(today()).filter(pupil=pupil, school_class_id__in=ids).exists()


@rules.predicate
def is_class_teacher_of_guardian(user, guardian) -> bool:
    """A parent of a pupil enrolled today in a class this user leads."""
    ids = led_classes(user)
    if not ids or guardian is None:
        return False
    pupils = GuardianLink.objects.filter(guardian=guardian).values("pupil_id")
    return Enrollment.objects.on(today()).filter(pupil_id__in=pupils, school_class_id__in=ids).exists()


is_class_teacher_of_family = is_class_teacher_of_pupil | is_class_teacher_of_guardian


@rules.predicate
def is_staff_person(user, person) -> bool:
    """The person works at the user's school (a colleague, whatever else they are)."""
    if person is None:
        return False
    school_id = access(user).active_school_id
    return Membership.objects.filter(school_id=school_id, user=person, role__in=STAFF_ROLES).exists()


# Set-up is the admin's (R-A02); the director and the deputy read it.
rules.add_perm("schedule.view_setup", is_school_reader)
rules.add_perm("schedule.change_setup", is_admin)
# A class's page: its class teacher, and those who read everything (R-A03, R-A05, R-B10).
rules.add_perm("schedule.view_class", is_school_member & (is_class_teacher_of | is_school_reader))

# People (R-B08..B12). Lists: those who read everything and class teachers (their own class's families).
rules.add_perm("accounts.view_people", is_school_reader | is_class_teacher)
rules.add_perm("accounts.view_person", is_school_member & (is_school_reader | is_class_teacher_of_family))
# Correcting a person's data: the admin; the class teacher for own class's pupils and parents (R-B10).
rules.add_perm("accounts.change_person", is_school_member & (is_admin | is_class_teacher_of_family))
rules.add_perm("accounts.add_person", is_admin)
# Imports of staff, pupils and parents (R-B08).
rules.add_perm("accounts.import_people", is_admin)
# Exports of people lists are downloads of personal data: the admin only.
rules.add_perm("accounts.export_people", is_admin)
# Credentials: the admin for everyone (R-B11, R-B12); the class teacher for own class's pupils and parents (R-B12).
# A class teacher never resets a colleague's password, even a colleague who is a parent in their class (R-B11).
rules.add_perm(
    "accounts.issue_credentials", is_school_member & (is_admin | (is_class_teacher_of_family & ~is_staff_person))
)
# Printing a whole class's slips: the admin, and that class's teacher.
rules.add_perm("schedule.issue_class_credentials", is_school_member & (is_admin | is_class_teacher_of))


def _settings(school_id):
    from accounts.models import SchoolSettings

    return SchoolSettings.objects.filter(school_id=school_id).first()


@rules.predicate
def may_split_as_class_teacher(user, school_class) -> bool:
    """Seed 000 §3: class teachers split their own class into subgroups, if the school lets them."""
    if school_class is None or school_class.class_teacher_id != user.pk:
        return False
    s = _settings(school_class.school_id)
    return bool(s and s.class_teacher_splits_groups)


@rules.predicate
def may_split_as_deputy(user, school_class) -> bool:
    """Seed 003: the deputy takes part in splitting pupils into groups, if the school lets them."""
    if school_class is None or not is_deputy(user, school_class):
        return False
    s = _settings(school_class.school_id)
    return bool(s and s.deputy_splits_groups)


# Classes and enrollments (R-B07): the admin. Splitting a class into groups (R-B06): the admin, and the class
# teacher or the deputy where the school's setting allows.
rules.add_perm("schedule.change_class", is_school_member & is_admin)
rules.add_perm("schedule.split_class", is_school_member & (is_admin | may_split_as_class_teacher | may_split_as_deputy))
