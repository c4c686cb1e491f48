"""Who keeps the class news and the events calendar (R-I09, R-I10; seed 002 §1.3, seed 004 §4.1 п.18).

The class teacher keeps their own class's feed and calendar (a class of an open year they lead); the school's
administration (admin, director, deputy) posts school-wide and may post or correct for any class. A subject
teacher who leads no class posts nothing; families only read (R-A06, R-A07).

The plain functions below are what the services ask too, so that a page, a list's edit links and a write agree.
After the first call they cost no query: they read the per-request caches of accounts.access and led_classes.
"""

import rules

from accounts.access import access
from accounts.models import READER_ROLES
from accounts.predicates import is_school_member
from schedule.models import SchoolClass
from schedule.selectors import led_classes


def is_school_reader_in(user, school_id: int | None) -> bool:
    return bool(access(user).roles_in(school_id) & READER_ROLES)


def led_school_classes(user, school_id: int | None) -> list[SchoolClass]:
    """The classes of open years of this school that the user leads, with their years; one query, cached on the
    user for the request."""
    cache = getattr(user, "_ej_news_led", None)
    if cache is None:
        cache = {}
        user._ej_news_led = cache
    if school_id not in cache:
        cache[school_id] = (
            list(
                SchoolClass.objects.filter(school_id=school_id, class_teacher_id=user.pk, year__is_archived=False)
                .select_related("year")
                .order_by("-year__start", "grade", "letter")
            )
            if school_id is not None and user.is_authenticated
            else []
        )
    return cache[school_id]


def may_post(user, school_id: int | None, school_class: SchoolClass | None) -> bool:
    """School-wide (no class): the school's administration. A class: the administration of its school, or its class
    teacher while the class's year is open."""
    if school_class is None:
        return is_school_reader_in(user, school_id)
    if school_class.school_id != school_id:
        return False
    if is_school_reader_in(user, school_id):
        return True
    return school_class.class_teacher_id == user.pk and school_class.pk in led_classes(user)


def may_change(user, item) -> bool:
    """A news item or an event: the school's administration, or its author while they may still post where it is
    (a class teacher who gave up the class no longer edits its feed; another class teacher never does)."""
    if item is None or not access(user).roles_in(item.school_id):
        return False
    if is_school_reader_in(user, item.school_id):
        return True
    return item.author_id == user.pk and item.school_class_id is not None and item.school_class_id in led_classes(user)


@rules.predicate
def may_manage_news(user) -> bool:
    """The staff pages of news and events: the administration, and whoever leads a class of this school."""
    school_id = access(user).active_school_id
    if is_school_reader_in(user, school_id):
        return True
    # led_classes (cached, the navigation reads it anyway) answers most people without a query; only someone who
    # leads a class somewhere is asked whether it is in this school.
    return bool(led_classes(user)) and bool(led_school_classes(user, school_id))


@rules.predicate
def may_post_news(user, school_class=None) -> bool:
    """`school_class` None: school-wide, in the active school."""
    school_id = school_class.school_id if school_class is not None else access(user).active_school_id
    return may_post(user, school_id, school_class)


@rules.predicate
def may_change_item(user, item) -> bool:
    return may_change(user, item)


rules.add_perm("diary.manage_news", may_manage_news)
rules.add_perm("diary.post_news", is_school_member & may_post_news)
rules.add_perm("diary.change_news", may_change_item)
rules.add_perm("diary.change_event", may_change_item)
