"""Permission-matrix rows of the people pages (R-B08..B10)."""

from . import REDIRECT, STAFF_READERS, Case, only


def pupil(w):
    return {"person_id": w.pupil.pk}


ROWS: dict[str, list[Case]] = {
    "schedule:people_list": [Case("list", only(*STAFF_READERS, "class_teacher", "foreign_teacher"))],
    "schedule:staff_add": [Case("form", only("admin"))],
    "schedule:pupil_add": [Case("form", only("admin"))],
    "schedule:person_detail": [
        Case("own class's pupil", only(*STAFF_READERS, "class_teacher") | {"foreign_teacher": 404}, kwargs=pupil),
        Case(
            "another class's pupil",
            only(*STAFF_READERS) | {"foreign_teacher": 404},
            kwargs=lambda w: {"person_id": w.other_pupil.pk},
        ),
        Case(
            "own class's parent",
            only(*STAFF_READERS, "class_teacher") | {"foreign_teacher": 404},
            kwargs=lambda w: {"person_id": w.guardian.pk},
        ),
        Case(
            "a pupil of another school",
            only(default=404) | {"foreign_teacher": 200},
            kwargs=lambda w: {"person_id": w.foreign_pupil.pk},
        ),
    ],
    "schedule:person_edit": [
        Case("own class's pupil", only("admin", "class_teacher") | {"foreign_teacher": 404}, kwargs=pupil)
    ],
    "schedule:consent_add": [
        Case(
            "own class's pupil",
            only("admin", "class_teacher", ok=REDIRECT) | {"foreign_teacher": 404},
            kwargs=pupil,
            method="post",
        )
    ],
    "schedule:diary_choice": [
        Case(
            "own class's parent",
            only("admin", "class_teacher", ok=REDIRECT) | {"foreign_teacher": 404},
            kwargs=lambda w: {"person_id": w.guardian.pk},
            method="post",
        )
    ],
    "schedule:guardian_add": [
        Case(
            "own class's pupil",
            only("admin", "class_teacher") | {"foreign_teacher": 404},
            kwargs=lambda w: {"pupil_id": w.pupil.pk},
        )
    ],
    "schedule:guardian_link": [
        Case(
            "own class's pupil",
            only("admin", "class_teacher", ok=REDIRECT) | {"foreign_teacher": 404},
            kwargs=lambda w: {"pupil_id": w.pupil.pk},
            method="post",
        )
    ],
}
