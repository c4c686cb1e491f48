"""Permission-matrix rows of electronic tasks' handed-in work (R-G04): the teacher's pages (read by whoever reads the
lesson, checked by whoever fills it) and the diary's (the pupil hands in, the family reads; R-A06, R-A07)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from schedule.models import Homework, SubmissionFile
from schedule.services import homework as homework_services
from schedule.services import submissions as submission_services

from . import REDIRECT, STAFF_READERS, Case, only
from .lessons import lesson

OTHER_SCHOOL = {"foreign_teacher": 404}
VIEWERS = (*STAFF_READERS, "teacher", "class_teacher")
DIARY = only(*STAFF_READERS, "class_teacher", "pupil", "guardian") | OTHER_SCHOOL
PDF = b"%PDF-1.4 my answer"
DUE = datetime.datetime(2026, 11, 20, 18, 0, tzinfo=datetime.UTC)


def task(w) -> Homework:
    """Today's maths homework of 5А, handed in through the diary by Friday."""
    if not hasattr(w, "_sb_task"):
        w._sb_task = homework_services.homework_set(
            actor=w.teacher, lesson=lesson(w), text="Решить задачи 1–5", submission_required=True, submission_due=DUE
        )
    return w._sb_task


def work(w):
    """The pupil's work for it, with a text and a file."""
    if not hasattr(w, "_sb_work"):
        w._sb_work = submission_services.submission_save(
            actor=w.pupil, homework=task(w), text="Ответы: 1) 4", uploads=[SimpleUploadedFile("ответ.pdf", PDF)]
        )
    return w._sb_work


def work_file(w) -> SubmissionFile:
    """A file of the pupil's work; made again when a role before removed it."""
    submission = work(w)
    file = SubmissionFile.objects.filter(submission=submission).order_by("pk").first()
    if file is None:
        submission_services.submission_save(
            actor=w.pupil, homework=task(w), text=submission.text, uploads=[SimpleUploadedFile("ещё.pdf", PDF)]
        )
        file = SubmissionFile.objects.filter(submission=submission).order_by("pk").first()
    return file


def own_task(w):
    return {"homework_id": task(w).pk}


def own_work(w):
    return {"submission_id": work(w).pk}


def diary_task(w):
    return {"pupil_id": w.pupil.pk, "homework_id": task(w).pk}


def diary_file(w):
    return {"pupil_id": w.pupil.pk, "file_id": work_file(w).pk}


ROWS: dict[str, list[Case]] = {
    "gradebook:submissions": [Case("own lesson's task", only(*VIEWERS) | OTHER_SCHOOL, kwargs=own_task)],
    "gradebook:submission": [Case("a pupil's work", only(*VIEWERS) | OTHER_SCHOOL, kwargs=own_work)],
    "gradebook:submission_comment": [
        Case(
            "a comment",
            only("teacher", ok=REDIRECT) | OTHER_SCHOOL,
            kwargs=own_work,
            method="post",
            data=lambda w: {"comment": "Верно, молодец"},
        )
    ],
    "gradebook:submission_mark": [
        Case("empty form", only("teacher", ok=422) | OTHER_SCHOOL, kwargs=own_work, method="post"),
    ],
    "gradebook:submission_file": [
        Case("a handed-in file", only(*VIEWERS) | OTHER_SCHOOL, kwargs=lambda w: {"file_id": work_file(w).pk})
    ],
    "diary:task": [
        Case("own pupil's task", DIARY, kwargs=diary_task),
        Case(
            "another class's pupil",
            only(*STAFF_READERS, ok=404) | {"pupil": 404, "guardian": 404} | OTHER_SCHOOL,
            kwargs=lambda w: {"pupil_id": w.other_pupil.pk, "homework_id": task(w).pk},
        ),
    ],
    # Only the pupil themself hands in: a parent, the class teacher, the administration never do (R-A06, R-A07).
    "diary:task_submit": [
        Case(
            "an answer",
            only("pupil", ok=REDIRECT) | OTHER_SCHOOL,
            kwargs=diary_task,
            method="post",
            data=lambda w: {"text": "Ответы: 1) 4, 2) 9"},
        ),
    ],
    "diary:task_file": [Case("own work's file", DIARY, kwargs=diary_file)],
    "diary:task_file_remove": [
        Case("own work's file", only("pupil", ok=REDIRECT) | OTHER_SCHOOL, kwargs=diary_file, method="post"),
    ],
}


def submission_task(teacher, lesson, pupil) -> Homework:
    """An electronic task set at `lesson` by `teacher`, with `pupil`'s work (a text and a file) handed in."""
    homework = homework_services.homework_set(
        actor=teacher, lesson=lesson, text="Задача", submission_required=True, submission_due=DUE
    )
    submission_services.submission_save(
        actor=pupil, homework=homework, text="Ответ", uploads=[SimpleUploadedFile("ответ.pdf", PDF)]
    )
    return homework


def lesson_material(teacher, lesson):
    """A file material of `lesson` posted by `teacher`."""
    from schedule.models import LessonMaterial
    from schedule.services import materials as material_services

    return material_services.material_add(
        actor=teacher,
        lesson=lesson,
        kind=LessonMaterial.Kind.FILE,
        title="Карточки",
        upload=SimpleUploadedFile("карточки.pdf", b"%PDF-1.4 cards"),
    )
