import rules

from accounts.access import access
from accounts.models import STAFF_ROLES, GuardianLink, Membership
from accounts.predicates import (
    has_role,
    is_admin,
    is_class_teacher_of,
    is_deputy,
    is_school_member,
    is_school_reader,
)
from ejournal.clock import today

from .models import Course, Enrollment, Lesson, SchoolClass, Substitution, TimetableEntry
from .selectors import led_classes, taught_courses


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


def _settings(school_id, user=None):
    """The school's settings, cached on the user for the request when there is one."""
    from accounts.models import SchoolSettings

    cache = getattr(user, "_ej_settings", None) if user is not None else None
    if cache is None:
        cache = {}
        if user is not None:
            user._ej_settings = cache
    if school_id not in cache:
        cache[school_id] = SchoolSettings.objects.filter(school_id=school_id).first()
    return cache[school_id]


@rules.predicate
def may_split_as_class_teacher(user, school_class) -> bool:
    """Seed 000 §3: class teachers split their own class into subgroups, if the school lets them."""
    if school_class is None or school_class.class_teacher_id != user.pk:
        return False
    s = _settings(school_class.school_id, user)
    return bool(s and s.class_teacher_splits_groups)


@rules.predicate
def may_split_as_deputy(user, school_class) -> bool:
    """Seed 003: the deputy takes part in splitting pupils into groups, if the school lets them."""
    if school_class is None or not is_deputy(user, school_class):
        return False
    s = _settings(school_class.school_id, user)
    return bool(s and s.deputy_splits_groups)


# Classes and enrollments (R-B07): the admin. Splitting a class into groups (R-B06): the admin, and the class
# teacher or the deputy where the school's setting allows.
rules.add_perm("schedule.change_class", is_school_member & is_admin)
rules.add_perm("schedule.split_class", is_school_member & (is_admin | may_split_as_class_teacher | may_split_as_deputy))


# --- Timetable, lessons, substitutions, thematic plans (R-C01..R-C08) ----------------------------------------

is_staff_member = has_role(*STAFF_ROLES)


def _class_of(obj) -> SchoolClass | None:
    if isinstance(obj, SchoolClass):
        return obj
    if isinstance(obj, Course):
        return obj.school_class
    if isinstance(obj, Lesson | TimetableEntry):
        return obj.course.school_class
    return None


def _school_of(user, obj) -> int | None:
    sid = getattr(obj, "school_id", None) if obj is not None else None
    return sid if sid is not None else access(user).active_school_id


@rules.predicate
def may_edit_timetable_as_deputy(user, obj=None) -> bool:
    """R-C01 (seed 004 §3.1 п.9): the deputy edits every class's timetable, if the school lets them."""
    if not is_deputy(user, obj):
        return False
    s = _settings(_school_of(user, obj), user)
    return bool(s and s.deputy_edits_timetable)


@rules.predicate
def may_edit_timetable_as_class_teacher(user, obj=None) -> bool:
    """R-C01 (seed 000 §4): a class teacher edits their own class's timetable, if the school lets them. Without an
    object: whether they lead a class at all (the page may open; each class is asked again)."""
    if obj is None:
        if not led_classes(user):
            return False
    else:
        school_class = _class_of(obj)
        if school_class is None or school_class.class_teacher_id != user.pk:
            return False
    s = _settings(_school_of(user, obj), user)
    return bool(s and s.class_teacher_edits_timetable)


@rules.predicate
def is_self(user, person) -> bool:
    return person is not None and person.pk == user.pk


@rules.predicate
def is_course_teacher(user, course) -> bool:
    return course is not None and course.pk in taught_courses(user)


@rules.predicate
def is_class_teacher_of_course(user, course) -> bool:
    return course is not None and course.school_class_id is not None and is_class_teacher_of(user, course.school_class)


def _substitute_id(lesson: Lesson) -> int | None:
    """Who substitutes on the lesson, read once per lesson object."""
    if not hasattr(lesson, "_ej_substitute_id"):
        loaded = lesson._state.fields_cache
        if "substitution" in loaded:  # select_related("substitution") already read it (None when there is none)
            lesson._ej_substitute_id = loaded["substitution"].substitute_id if loaded["substitution"] else None
        else:
            lesson._ej_substitute_id = (
                Substitution.objects.filter(lesson_id=lesson.pk).values_list("substitute_id", flat=True).first()
            )
    return lesson._ej_substitute_id


@rules.predicate
def is_lesson_teacher(user, lesson) -> bool:
    return lesson is not None and lesson.course_id in taught_courses(user)


@rules.predicate
def is_lesson_substitute(user, lesson) -> bool:
    return lesson is not None and _substitute_id(lesson) == user.pk


@rules.predicate
def is_substituted(user, lesson) -> bool:
    return lesson is not None and _substitute_id(lesson) is not None


@rules.predicate
def holds_substitute_grant(user, lesson) -> bool:
    """The explicit grant a substitution gives (django-guardian, DESIGN §5): no relation implies it."""
    # Only the lesson's substitute can hold the grant (it is revoked with the substitution): nobody else costs a query.
    if lesson is None or not user.is_authenticated or _substitute_id(lesson) != user.pk:
        return False
    cache = lesson.__dict__.setdefault("_ej_grants", {})
    if user.pk not in cache:
        from django.contrib.contenttypes.models import ContentType
        from guardian.models import UserObjectPermission

        # One query (guardian's own checker makes two, for the user's and their groups' grants; we grant to users).
        cache[user.pk] = UserObjectPermission.objects.filter(
            user_id=user.pk,
            permission__codename="substitute_lesson",
            content_type=ContentType.objects.get_for_model(Lesson),
            object_pk=str(lesson.pk),
        ).exists()
    return cache[user.pk]


@rules.predicate
def is_class_teacher_of_lesson(user, lesson) -> bool:
    return lesson is not None and is_class_teacher_of_course(user, lesson.course)


@rules.predicate
def lesson_is_open(user, lesson) -> bool:
    """A cancelled lesson or a lesson of a closed year is filled by nobody (R-C05, R-D08)."""
    return lesson is not None and lesson.status != Lesson.Status.CANCELLED and not lesson.course.year.is_archived


@rules.predicate
def course_is_open(user, course) -> bool:
    return course is not None and not course.year.is_archived


may_edit_timetable = is_admin | may_edit_timetable_as_deputy | may_edit_timetable_as_class_teacher

# Week timetables of classes, teachers and rooms: the school's staff (pupils and families see theirs in the diary).
rules.add_perm("schedule.view_timetable", is_staff_member)
# Editing a class's timetable, moving, adding and cancelling its lessons (R-C01, R-C03, R-C05): the admin; the deputy
# and the class teacher (own class) where the school's settings allow. Asked with the class, course or lesson.
rules.add_perm("schedule.change_timetable", is_school_member & may_edit_timetable)
# The whole school's timetable (generating lessons for a period, the courses of groups across classes, which no
# class teacher owns): the admin, the deputy where allowed.
may_edit_school_timetable = is_school_member & (is_admin | may_edit_timetable_as_deputy)
rules.add_perm("schedule.change_school_timetable", may_edit_school_timetable)
rules.add_perm("schedule.generate_lessons", may_edit_school_timetable)
# The teaching load (R-B05): entered by the admin or the deputy, read by those who read everything.
rules.add_perm("schedule.change_courses", is_school_member & (is_admin | is_deputy))
rules.add_perm("schedule.view_courses", is_school_reader)
# A teacher's own load page: the teacher, and those who read everything. Asked with the teacher.
rules.add_perm("schedule.view_teacher_load", is_school_reader | is_self)
# Substitutions (R-C04, R-C07): recorded by the admin (the deputy where allowed); the log is read by the readers.
rules.add_perm("schedule.change_substitutions", is_school_member & (is_admin | may_edit_timetable_as_deputy))
rules.add_perm("schedule.view_substitutions", is_school_reader)
# A lesson in the journal: those who read everything (R-A03), the course's teachers, the substitute, the class
# teacher of the class (R-A05). Filling it: the course's teacher unless a substitute took it, and the substitute
# through the grant (R-A04, R-C06); never a cancelled lesson or a closed year.
rules.add_perm(
    "schedule.view_lesson",
    is_school_member & (is_school_reader | is_lesson_teacher | is_lesson_substitute | is_class_teacher_of_lesson),
)
may_fill_lesson = is_school_member & lesson_is_open & ((is_lesson_teacher & ~is_substituted) | holds_substitute_grant)
rules.add_perm("schedule.fill_lesson", may_fill_lesson)
# Thematic plans (R-C08): posted by the course's teacher (and by the admin or the deputy for them).
rules.add_perm(
    "schedule.view_plan",
    is_school_member & (is_school_reader | is_course_teacher | is_class_teacher_of_course),
)
rules.add_perm("schedule.change_plan", is_school_member & course_is_open & (is_admin | is_deputy | is_course_teacher))
# Teaching materials of a lesson (R-G03): posted and changed by whoever fills the lesson (the course's teacher, or the
# substitute who takes it); read on the lesson's page by whoever reads the lesson (schedule.view_lesson); pupils and
# parents read them in the diary from the lesson's date.
rules.add_perm("schedule.change_materials", may_fill_lesson)
