import rules

from accounts.predicates import is_admin, is_class_teacher_of, is_school_member, is_school_reader
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


# Set-up is the admin's (R-A02); the director and the deputy read it.
rules.add_perm("schedule.view_setup", is_school_reader)
rules.add_perm("schedule.change_setup", is_admin)
# A class's page: its class teacher, and those who read everything (R-A03, R-A05, R-B10).
rules.add_perm("schedule.view_class", is_school_member & (is_class_teacher_of | is_school_reader))
