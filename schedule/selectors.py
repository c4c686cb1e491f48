import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import School

from .models import AcademicYear, Course, Enrollment, GroupMembership, SchoolClass


def current_year(*, school: School, day: datetime.date) -> AcademicYear | None:
    """The year that contains the day; between years (summer), the latest open one."""
    years = AcademicYear.objects.for_school(school).filter(is_archived=False)
    return years.filter(start__lte=day, end__gte=day).first() or years.order_by("-start").first()


def led_classes(user) -> dict[int, str]:
    """Classes of open years whose class teacher is this user, id → «5А»; cached on the user for the request."""
    cached = getattr(user, "_ej_led_classes", None)
    if cached is None:
        rows = (
            SchoolClass.objects.filter(class_teacher_id=user.pk, year__is_archived=False)
            .order_by("grade", "letter")
            .values_list("id", "grade", "letter")
        )
        cached = {pk: f"{grade}{letter}" for pk, grade, letter in rows} if user.is_authenticated else {}
        user._ej_led_classes = cached
    return cached


# What lists of people show: enough for names and logins, not the password hash and the rest.
PERSON_FIELDS = ("username", "last_name", "first_name", "middle_name")


def class_pupils(*, school_class: SchoolClass, day: datetime.date) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.for_school(school_class.school_id)
        .on(day)
        .filter(school_class=school_class)
        .select_related("pupil")
        .only("since", "until", "form", "pupil_id", "school_class_id", *(f"pupil__{f}" for f in PERSON_FIELDS))
        .order_by("pupil__last_name", "pupil__first_name", "pupil__middle_name")
    )


# R-E11: a pupil in family education or self-education belongs to a class only to be attested: no lessons, so no
# journal rows and no attendance. Lists of a lesson's or a course's pupils leave them out through these.
HOME_FORMS = (Enrollment.Form.FAMILY, Enrollment.Form.SELF)


def home_enrollments(start: datetime.date, end: datetime.date, pupil_ref: str = "pupil_id") -> QuerySet[Enrollment]:
    """For a subquery over rows with a pupil: the pupil's enrollments outside the school overlapping [start, end]."""
    return Enrollment.objects.filter(
        Q(until__isnull=True) | Q(until__gte=start), pupil_id=OuterRef(pupil_ref), form__in=HOME_FORMS, since__lte=end
    )


def learns_at_home(start: datetime.date, end: datetime.date, pupil_ref: str = "pupil_id") -> Exists:
    return Exists(home_enrollments(start, end, pupil_ref))


def pupil_class(*, school: School, pupil, day: datetime.date) -> SchoolClass | None:
    enrollment = (
        Enrollment.objects.for_school(school)
        .on(day)
        .filter(pupil=pupil)
        .select_related("school_class")
        .order_by("-since")
        .first()
    )
    return enrollment.school_class if enrollment else None


def enrolled_pupil_filter(class_ids, day: datetime.date) -> Q:
    """A Q over users: enrolled on the day in one of the classes."""
    return Q(enrollments__school_class_id__in=class_ids, enrollments__since__lte=day) & (
        Q(enrollments__until__isnull=True) | Q(enrollments__until__gte=day)
    )


def taught_courses(user) -> frozenset[int]:
    """Ids of the courses of open years this user teaches; cached on the user for the request."""
    cached = getattr(user, "_ej_taught_courses", None)
    if cached is None:
        from .models import CourseTeacher

        cached = frozenset(
            CourseTeacher.objects.filter(teacher_id=user.pk, course__year__is_archived=False).values_list(
                "course_id", flat=True
            )
            if user.is_authenticated
            else ()
        )
        user._ej_taught_courses = cached
    return cached


def pupil_courses(*, pupil, year: AcademicYear) -> list[Course]:
    """The year's lesson courses a pupil attends (their classes' whole-class courses and their groups' courses, for
    the time they belonged there), by subject; with subject, class and group loaded. One query."""
    in_year = Q(since__lte=year.end) & (Q(until__isnull=True) | Q(until__gte=year.start))
    classes = Enrollment.objects.filter(in_year, pupil=pupil, school_class__year=year).values("school_class_id")
    groups = GroupMembership.objects.filter(in_year, pupil=pupil, group__year=year).values("group_id")
    return list(
        Course.objects.filter(school_id=year.school_id, year=year, kind=Course.Kind.LESSON)
        .filter(Q(group__isnull=True, school_class_id__in=classes) | Q(group_id__in=groups))
        .select_related("subject", "year", "school_class", "group__school_class")
        .order_by("subject__name", "pk")
    )
