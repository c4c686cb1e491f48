"""The demo school's late-change requests (issue 6, seed 001 "Запрещено"; R-F01..R-F03): teachers ask to change
marks whose windows closed weeks ago (the demo journals are filled from September), each with a registered document
and its scan; a few await the director's decision, one is approved and already changed in the journal.

Made through gradebook/late_changes.py, so every rule holds and the approved change's history row names its request.
A candidate the services refuse (its window still open by the clock, a period mark that closed it in another way…)
is skipped. Deterministic for the same journals; nothing is added when the school already has requests.
"""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import Role, School, User
from gradebook.late_changes import Cell, late_change_approve, late_change_file
from gradebook.models import LateChangeRequest, Mark
from gradebook.services import GradebookError
from schedule.models import Course, Lesson

STABLE_TEACHERS = ("teacher", "class_teacher")  # the demo's stable logins (ejournal/demo.py) ask first
SAFELY_CLOSED_DAYS = 21  # the usual window is 14 days; older marks are past every work type's window
PENDING = 3
PER_TEACHER = 3
Reason = LateChangeRequest.Reason

# (reason, document number, days after the lesson it was registered, scan's name, explanation). Data, not UI.
DOCUMENTS = [
    (
        Reason.PUPIL_ILLNESS,
        "47-у",
        6,
        "справка_о_болезни.pdf",
        "Обучающийся болел, работу выполнил после выздоровления; прошу заменить отметку.",
    ),
    (
        Reason.RETAKE,
        "112",
        9,
        "заявление_родителей.pdf",
        "Пересдача по заявлению родителей, причина пропуска подтверждена документом.",
    ),
    (
        Reason.TEACHER_ILLNESS,
        "Б-15",
        12,
        "листок_нетрудоспособности.pdf",
        "Отметки не были исправлены в срок из-за болезни учителя.",
    ),
    (
        Reason.PUPIL_OTHER,
        "301-о",
        5,
        "приказ_олимпиада.pdf",
        "Обучающийся участвовал в муниципальной олимпиаде (приказ), работу написал позже.",
    ),
]


def minimal_pdf(text: str = "Spravka") -> bytes:
    """A small valid one-page PDF: the scan of a document."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _decider(school: School) -> User | None:
    for role, login in ((Role.DIRECTOR, "director"), (Role.DEPUTY, "deputy")):
        people = User.objects.filter(memberships__school=school, memberships__role=role).order_by("pk")
        found = people.filter(username=login).first() or people.first()
        if found is not None:
            return found
    return None


def _candidates(school: School, today: datetime.date) -> list[Mark]:
    """Marks of the year in progress whose windows closed long ago, one per work: the stable teachers' first, then
    the others, the latest lessons first."""
    marks = (
        Mark.objects.filter(
            school=school,
            work__lesson__course__year__start__lte=today,
            work__lesson__course__year__end__gte=today,
            work__lesson__course__year__is_archived=False,
            work__lesson__course__kind=Course.Kind.LESSON,
            work__lesson__date__lte=today - datetime.timedelta(days=SAFELY_CLOSED_DAYS),
            late_change__isnull=True,
        )
        .exclude(work__lesson__status=Lesson.Status.CANCELLED)
        .select_related("work__work_type", "work__lesson__course__year", "work__lesson__course__school", "pupil")
        .select_related("author")
        .order_by("-work__lesson__date", "work_id", "pupil__last_name", "pk")
    )[:400]
    stable, others, seen_works, per_teacher = [], [], set(), {}
    for mark in marks:
        # A request raises a mark (a retake, a missed lesson caught up): not a «5».
        if mark.value == "5" or mark.work_id in seen_works or per_teacher.get(mark.author_id, 0) >= PER_TEACHER:
            continue
        seen_works.add(mark.work_id)
        per_teacher[mark.author_id] = per_teacher.get(mark.author_id, 0) + 1
        (stable if mark.author.username in STABLE_TEACHERS else others).append(mark)
    return stable + others


def _new_value(old: str) -> str:
    if old == Mark.Value.PASS:
        return Mark.Value.FAIL
    if old == Mark.Value.FAIL:
        return Mark.Value.PASS
    return str(min(int(old) + 1, 5))


@transaction.atomic
def add_late_changes(*, school: School, today: datetime.date) -> list[LateChangeRequest]:
    """One approved request and up to three awaiting a decision, on marks of the demo journals whose windows closed.
    Nothing when the school already has requests, no director or deputy, or no such marks."""
    if LateChangeRequest.objects.filter(school=school).exists():
        return []
    decider = _decider(school)
    if decider is None:
        return []
    created: list[LateChangeRequest] = []
    for mark in _candidates(school, today):
        if len(created) > PENDING:
            break
        lesson = mark.work.lesson
        reason, number, after, name, explanation = DOCUMENTS[len(created) % len(DOCUMENTS)]
        cell = Cell(
            target=LateChangeRequest.Target.MARK,
            course=lesson.course,
            pupil=mark.pupil,
            lesson=lesson,
            work=mark.work,
        )
        try:
            with transaction.atomic():
                request = late_change_file(
                    actor=mark.author,
                    cell=cell,
                    new_value=_new_value(mark.value),
                    reason=reason,
                    document_number=number,
                    document_date=min(lesson.date + datetime.timedelta(days=after), today),
                    scan=ContentFile(minimal_pdf(), name=name),
                    explanation=explanation,
                )
                if not created:
                    request = late_change_approve(
                        actor=decider, request=request, comment="Документы приложены, исправление разрешаю."
                    )
        except GradebookError:
            continue
        created.append(request)
    return created
