"""Permission-matrix rows of a lesson's homework and its files (R-G01): written by whoever fills the lesson, files read
by whoever reads it."""

from django.core.files.uploadedfile import SimpleUploadedFile

from schedule.models import HomeworkFile
from schedule.services import homework as homework_services

from . import REDIRECT, STAFF_READERS, Case, only
from .lessons import lesson, own_lesson


def homework_file(w):
    """A file of the lesson's homework; made again when a role before removed it."""
    if not hasattr(w, "_hw_file") or not HomeworkFile.objects.filter(pk=w._hw_file.pk).exists():
        the_lesson = lesson(w)
        homework = homework_services.homework_set(actor=w.teacher, lesson=the_lesson, text="№ 1")
        w._hw_file = homework_services.homework_file_add(
            actor=w.teacher, homework=homework, upload=SimpleUploadedFile("задание.pdf", b"%PDF-1.4 test")
        )
    return {"file_id": w._hw_file.pk}


FOREIGN = {"foreign_teacher": 404}
FILLER = only("teacher", ok=REDIRECT) | FOREIGN

ROWS: dict[str, list[Case]] = {
    "schedule:homework_set": [
        Case("own lesson", FILLER, kwargs=own_lesson, method="post", data=lambda w: {"text": "Упр. 5"})
    ],
    "schedule:homework_clear": [Case("own lesson", FILLER, kwargs=own_lesson, method="post")],
    "schedule:homework_file_add": [
        Case("own lesson, no homework yet", only("teacher", ok=422) | FOREIGN, kwargs=own_lesson, method="post")
    ],
    "schedule:homework_file": [
        Case("a file", only(*STAFF_READERS, "teacher", "class_teacher") | FOREIGN, kwargs=homework_file)
    ],
    "schedule:homework_file_remove": [Case("a file", FILLER, kwargs=homework_file, method="post")],
}
