"""Permission-matrix rows of a lesson's teaching materials (R-G03): posted and changed by whoever fills the lesson,
read by whoever reads it; in the diary, a family reads its own child's from the lesson's date (R-A07)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from schedule.models import LessonMaterial
from schedule.services import materials as material_services

from . import REDIRECT, STAFF_READERS, Case, only
from .lessons import DAY, lesson, lesson_on, own_lesson

OTHER_SCHOOL = {"foreign_teacher": 404}
VIEWERS = (*STAFF_READERS, "teacher", "class_teacher")
FILLER = only("teacher", ok=REDIRECT) | OTHER_SCHOOL
# The diary's readers of the pupil: the pupil, the guardian, the administration and 5А's class teacher.
DIARY = only(*STAFF_READERS, "class_teacher", "pupil", "guardian") | OTHER_SCHOOL
PDF = b"%PDF-1.4 a test"


def file_material(w, day: datetime.date = DAY) -> LessonMaterial:
    """A file of the maths lesson of `day`, posted by its teacher."""
    the_lesson = lesson(w) if day == DAY else lesson_on(w, day)
    return material_services.material_add(
        actor=w.teacher,
        lesson=the_lesson,
        kind=LessonMaterial.Kind.FILE,
        title="Карточки",
        upload=SimpleUploadedFile("карточки.pdf", PDF),
    )


def cached_material(w):
    if not hasattr(w, "_mt_file"):
        w._mt_file = file_material(w)
    return w._mt_file


def future_material(w):
    if not hasattr(w, "_mt_future"):
        w._mt_future = file_material(w, DAY + datetime.timedelta(days=7))
    return w._mt_future


def text_material(w):
    if not hasattr(w, "_mt_text"):
        w._mt_text = material_services.material_add(
            actor=w.teacher, lesson=lesson(w), kind=LessonMaterial.Kind.TEXT, title="Тест", text="1) 2 + 2 = ?"
        )
    return w._mt_text


def fresh_material(w):
    """A new one on every call: the role that may remove it removes its own."""
    material = material_services.material_add(
        actor=w.teacher, lesson=lesson(w), kind=LessonMaterial.Kind.LINK, url="https://resh.edu.ru/"
    )
    return {"material_id": material.pk}


ROWS: dict[str, list[Case]] = {
    "schedule:materials": [Case("own lesson", only(*VIEWERS) | OTHER_SCHOOL, kwargs=own_lesson)],
    "schedule:material_add": [
        Case("empty form", only("teacher", ok=422) | OTHER_SCHOOL, kwargs=own_lesson, method="post"),
        Case(
            "a test",
            FILLER,
            kwargs=own_lesson,
            method="post",
            data=lambda w: {"kind": "text", "title": "Тест", "text": "1) 2 + 2 = ?"},
        ),
    ],
    "schedule:material_edit": [
        Case("the form", only("teacher") | OTHER_SCHOOL, kwargs=lambda w: {"material_id": text_material(w).pk}),
        Case(
            "an empty text",
            only("teacher", ok=422) | OTHER_SCHOOL,
            kwargs=lambda w: {"material_id": text_material(w).pk},
            method="post",
        ),
    ],
    "schedule:material_remove": [Case("a link", FILLER, kwargs=fresh_material, method="post")],
    "schedule:material_file": [
        Case(
            "today's lesson's file",
            only(*VIEWERS) | OTHER_SCHOOL,
            kwargs=lambda w: {"material_id": cached_material(w).pk},
        ),
        Case(
            "a coming lesson's file (staff read it ahead)",
            only(*VIEWERS) | OTHER_SCHOOL,
            kwargs=lambda w: {"material_id": future_material(w).pk},
        ),
    ],
    "diary:material_file": [
        Case(
            "today's lesson's file",
            DIARY,
            kwargs=lambda w: {"pupil_id": w.pupil.pk, "material_id": cached_material(w).pk},
        ),
        Case(
            "a coming lesson's file: not before its day",
            only(*STAFF_READERS, "class_teacher", "pupil", "guardian", ok=404) | OTHER_SCHOOL,
            kwargs=lambda w: {"pupil_id": w.pupil.pk, "material_id": future_material(w).pk},
        ),
        Case(
            "another class's pupil",
            only(*STAFF_READERS, ok=404) | {"pupil": 404, "guardian": 404} | OTHER_SCHOOL,
            kwargs=lambda w: {"pupil_id": w.other_pupil.pk, "material_id": cached_material(w).pk},
        ),
    ],
}
