"""Permission-matrix rows of classes, enrollments, groups and the year's close (R-B06, R-B07, R-B17)."""

from schedule.services import classes as class_services

from . import REDIRECT, STAFF_READERS, Case, only


def own_class(w):
    return {"class_id": w.school_class.pk}


def group(w):
    if not hasattr(w, "_group"):
        w._group = class_services.group_create(
            actor=None, year=w.school_class.year, name="5А английский 1", school_class=w.school_class
        )
    return {"group_id": w._group.pk}


OTHER_SCHOOL = {"foreign_teacher": 404}

ROWS: dict[str, list[Case]] = {
    "schedule:class_list": [Case("list", only(*STAFF_READERS))],
    "schedule:class_add": [Case("empty form", only("admin", ok=422), method="post")],
    "schedule:class_edit": [Case("own class", only("admin") | OTHER_SCHOOL, kwargs=own_class)],
    "schedule:class_enroll": [
        Case("own class", only("admin", ok=REDIRECT) | OTHER_SCHOOL, kwargs=own_class, method="post")
    ],
    "schedule:pupil_move": [
        Case("own class", only("admin", ok=REDIRECT) | OTHER_SCHOOL, kwargs=own_class, method="post")
    ],
    "schedule:pupil_leave": [
        Case("own class", only("admin", ok=REDIRECT) | OTHER_SCHOOL, kwargs=own_class, method="post")
    ],
    "schedule:group_add": [
        Case("split own class", only("admin", "class_teacher", "deputy") | OTHER_SCHOOL, kwargs=own_class)
    ],
    "schedule:group_list": [Case("list", only(*STAFF_READERS))],
    "schedule:group_add_cross": [Case("empty form", only("admin", ok=REDIRECT), method="post")],
    "schedule:group_detail": [
        Case("a subgroup of 5А", only(*STAFF_READERS, "class_teacher") | OTHER_SCHOOL, kwargs=group)
    ],
    "schedule:group_members": [
        Case(
            "a subgroup of 5А",
            only("admin", "class_teacher", "deputy", ok=REDIRECT) | OTHER_SCHOOL,
            kwargs=group,
            method="post",
        )
    ],
    "schedule:year_close": [
        Case("the current year", only("admin"), kwargs=lambda w: {"year_id": w.school_class.year_id})
    ],
}
