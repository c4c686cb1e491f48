"""Permission-matrix rows of mark notifications (R-I07) and the silent-parents list (R-I12): a parent's own choice is
the parent's only; the list is the class teacher's of the class and the readers' (R-A03)."""

from . import REDIRECT, STAFF_READERS, Case, only

ROWS: dict[str, list[Case]] = {
    "diary:notifications": [
        Case("the page", only("guardian")),
        Case("empty form", only("guardian", ok=422), method="post"),
        Case("no emails", only("guardian", ok=REDIRECT), method="post", data=lambda w: {"marks": "none"}),
    ],
    "diary:silent_parents": [
        Case(
            "own class",
            only(*STAFF_READERS, "class_teacher") | {"foreign_teacher": 404},
            kwargs=lambda w: {"class_id": w.school_class.pk},
        ),
        Case(
            "another class",
            only(*STAFF_READERS) | {"foreign_teacher": 404},
            kwargs=lambda w: {"class_id": w.other_class.pk},
        ),
    ],
}
