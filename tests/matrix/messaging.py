"""Permission-matrix rows of internal mail (R-I08): every member has a mailbox; a thread and its files are its
participants' only: anyone else, the administration included, gets 404 (nothing leaks that it exists)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from messaging import services

from . import MEMBERS, REDIRECT, Case, only

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _own(w):
    """A thread of the class teacher with the guardian of their class, with a file."""
    if not hasattr(w, "_ms_own"):
        w._ms_own = services.message_send(
            actor=w.class_teacher,
            school=w.school,
            recipient=w.guardian,
            subject="Экскурсия",
            text="Сбор у школы в 9:00.",
            uploads=[SimpleUploadedFile("Памятка.pdf", PDF)],
        )
    return w._ms_own


def _foreign(w):
    """A thread of another school: its class teacher with their pupil."""
    if not hasattr(w, "_ms_foreign"):
        w._ms_foreign = services.message_send(
            actor=w.foreign_teacher,
            school=w.other_school,
            recipient=w.foreign_pupil,
            subject="Олимпиада",
            text="Приходи в среду.",
            uploads=[SimpleUploadedFile("Задания.pdf", PDF)],
        )
    return w._ms_foreign


def own_thread(w):
    return {"thread_id": _own(w).pk}


def foreign_thread(w):
    return {"thread_id": _foreign(w).pk}


def own_file(w):
    return {"attachment_id": _own(w).messages.get().attachments.get().pk}


def foreign_file(w):
    return {"attachment_id": _foreign(w).messages.get().attachments.get().pk}


EVERYONE = only(*MEMBERS)
OWN = only("class_teacher", "guardian", default=404)
FOREIGN = only("foreign_teacher", default=404)

ROWS: dict[str, list[Case]] = {
    "messaging:inbox": [Case("inbox", EVERYONE)],
    "messaging:new": [
        Case("form", EVERYONE),
        Case("empty form", only(*MEMBERS, ok=422), method="post"),
    ],
    "messaging:settings": [
        Case("form", EVERYONE),
        Case("no email", only(*MEMBERS, ok=REDIRECT), method="post"),
    ],
    "messaging:thread": [
        Case("own thread", OWN, kwargs=own_thread),
        Case("another school's thread", FOREIGN, kwargs=foreign_thread),
    ],
    "messaging:reply": [
        Case(
            "own thread, empty answer",
            only("class_teacher", "guardian", ok=422, default=404),
            kwargs=own_thread,
            method="post",
        ),
        Case(
            "another school's thread, empty answer",
            only("foreign_teacher", ok=422, default=404),
            kwargs=foreign_thread,
            method="post",
        ),
    ],
    "messaging:attachment": [
        Case("own thread's file", OWN, kwargs=own_file),
        Case("another school's file", FOREIGN, kwargs=foreign_file),
    ],
}
