"""Who may write to whom in internal mail (R-I08; seed 004 §3.1 п.6, §4.1 п.2, п.14, п.18, §5.1 п.7).

- the administration (admin, director, deputy) with anyone of the school, both ways;
- staff with staff;
- the class teacher with the pupils of their class and those pupils' parents, both ways;
- a subject teacher with the pupils they teach (their courses' classes and groups, now) and their parents, both ways;
- nobody else: a pupil never writes to another pupil, a parent never reaches another family, nobody another school.

A participant of a thread answers in it. Everything here reads messaging.selectors.contacts, cached per request: a
page asks about many people for the price of one.
"""

import rules

from accounts.access import access
from accounts.models import READER_ROLES, STAFF_ROLES
from accounts.predicates import is_school_member

from .models import Participant
from .selectors import Audience, contacts, may_write_to_audience, roles_of


def may_write(user, recipient, school_id: int | None) -> bool:
    """Whether `user` may start a thread with `recipient` in the school."""
    if recipient is None or not getattr(user, "is_authenticated", False) or school_id is None:
        return False
    if recipient.pk == user.pk or not recipient.is_active:
        return False
    c = contacts(user, school_id)
    if not c.roles:
        return False
    theirs = roles_of(recipient.pk, school_id)
    if not theirs:  # not of this school (another school's person, or nobody's)
        return False
    if c.administration or theirs & READER_ROLES:
        return True
    if c.staff and theirs & STAFF_ROLES:
        return True
    return recipient.pk in c.related_ids


def is_participant_of(user, thread) -> bool:
    if thread is None or not getattr(user, "is_authenticated", False):
        return False
    return Participant.objects.filter(thread_id=thread.pk, user_id=user.pk).exists()


@rules.predicate
def may_write_to(user, recipient) -> bool:
    """Asked with the recipient (a User) in the user's active school."""
    return may_write(user, recipient, access(user).active_school_id)


@rules.predicate
def may_write_to_group(user, audience: Audience) -> bool:
    return audience is not None and may_write_to_audience(user, audience, access(user).active_school_id)


@rules.predicate
def takes_part(user, thread) -> bool:
    return thread is not None and thread.school_id in access(user).roles and is_participant_of(user, thread)


# Everyone of a school has a mailbox: families write to their teachers and the administration.
rules.add_perm("messaging.use", is_school_member)
rules.add_perm("messaging.write_to", is_school_member & may_write_to)
rules.add_perm("messaging.write_to_group", is_school_member & may_write_to_group)
# Reading a thread, its files and answering in it: its participants only.
rules.add_perm("messaging.view_thread", takes_part)
rules.add_perm("messaging.reply", takes_part)
rules.add_perm("messaging.change_settings", is_school_member)
