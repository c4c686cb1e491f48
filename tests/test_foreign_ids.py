"""Issue 11's privacy walk (R-A06, R-A07, R-I08, R-I14, R-G03, R-G04): every URL of messages, their attachments,
portfolios, teaching materials and handed-in work is asked with another family's ids, by GET and by POST, as a
pupil of another class, as the guardian of another child and as the class teacher of another class (who teaches
nothing in 5А): each answer is 403 or 404, and nothing of the victim's data changes.

The URL list is read from the resolver (the namespaces and names below), so a new URL of these areas is walked as
soon as it exists; a URL whose ids this walk cannot fill fails it. A URL with a `pupil_id` is asked twice: with the
victim's id, and with the intruder's own pupil (or child) beside the victim's object."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from messaging.models import Message
from portfolio.models import Achievement
from schedule.models import HomeworkSubmission, LessonMaterial, SubmissionFile
from tests.matrix import materials, portfolio, submissions
from tests.matrix.lessons import lesson

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# The areas walked: whole namespaces, and single names of the diary, the gradebook and the schedule.
NAMESPACES = ("messaging:", "portfolio:")
NAMES = {
    "diary:task",
    "diary:task_submit",
    "diary:task_file",
    "diary:task_file_remove",
    "diary:material_file",
    "gradebook:submissions",
    "gradebook:submission",
    "gradebook:submission_comment",
    "gradebook:submission_mark",
    "gradebook:submission_file",
    "schedule:materials",
    "schedule:material_add",
    "schedule:material_edit",
    "schedule:material_remove",
    "schedule:material_file",
}
INTRUDERS = ("other_pupil", "other_guardian", "other_teacher")


def _patterns(patterns=None, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            found += _patterns(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
        elif isinstance(p, URLPattern) and p.name:
            found.append((f"{prefix}{p.name}", p))
    return found


def walked_urls() -> list[tuple[str, list[str]]]:
    """(name, kwargs) of every URL of the walked areas that carries an id."""
    urls = []
    for name, pattern in _patterns():
        kwargs = list(pattern.pattern.converters)
        if kwargs and (name.startswith(NAMESPACES) or name in NAMES):
            urls.append((name, kwargs))
    return urls


def test_the_walk_knows_the_areas():
    names = {name for name, _kwargs in walked_urls()}
    assert names >= NAMES, f"names that no longer exist: {NAMES - names}"
    assert {"messaging:thread", "messaging:attachment", "portfolio:scan", "portfolio:achievement_edit"} <= names


@pytest.fixture
def victim(world):
    """Family A: `pupil` of 5А and `guardian`. The class teacher's thread with the guardian (with a file) and a
    teacher's thread with the pupil; the pupil's achievement with a scan; today's maths task of 5А with the pupil's
    work and file; a material of that lesson."""
    from messaging import services as messages

    w = world
    portfolio.teaching(w)
    family_thread = messages.message_send(
        actor=w.class_teacher,
        school=w.school,
        recipient=w.guardian,
        subject="Поведение",
        text="Прошу зайти в школу.",
        uploads=[SimpleUploadedFile("Характеристика.pdf", PDF)],
    )
    pupil_thread = messages.message_send(
        actor=w.teacher, school=w.school, recipient=w.pupil, subject="Олимпиада", text="Приходи в среду."
    )
    achievement = portfolio.add(w, w.class_teacher, w.pupil)
    homework = submissions.task(w)
    work = submissions.work(w)
    material = materials.cached_material(w)
    return {
        "thread_id": [family_thread.pk, pupil_thread.pk],
        "attachment_id": [family_thread.messages.get().attachments.get().pk],
        "achievement_id": [achievement.pk],
        "class_id": [w.school_class.pk],
        "homework_id": [homework.pk],
        "submission_id": [work.pk],
        "material_id": [material.pk],
        "lesson_id": [lesson(w).pk],
        # Which file a `file_id` means depends on the URL: handed-in work's files everywhere here.
        "file_id": list(SubmissionFile.objects.filter(submission=work).values_list("pk", flat=True)),
    }


def _snapshot() -> tuple:
    return (
        sorted(Message.objects.values_list("pk", "text")),
        sorted(Achievement.objects.values_list("pk", "title", "scan")),
        sorted(HomeworkSubmission.objects.values_list("pk", "text", "status", "comment", "mark_work_id")),
        sorted(SubmissionFile.objects.values_list("pk", flat=True)),
        sorted(LessonMaterial.objects.values_list("pk", "title")),
    )


def _kwarg_sets(kwargs: list[str], victim: dict, own_pupil_id: int) -> list[dict]:
    """Every combination of the victim's ids for the URL's kwargs; with `pupil_id`, also the intruder's own pupil
    beside the victim's objects."""
    combos: list[dict] = [{}]
    for key in kwargs:
        if key == "pupil_id":
            values = [victim["pupil_id"], own_pupil_id]
        else:
            assert key in victim, f"the walk cannot fill {key}"
            values = victim[key]
        combos = [{**c, key: v} for c in combos for v in values]
    if "pupil_id" in kwargs and len(kwargs) == 1:
        # A page about the pupil alone: only the victim's id is foreign.
        combos = [c for c in combos if c["pupil_id"] == victim["pupil_id"]]
    return combos


@pytest.mark.parametrize("intruder", INTRUDERS)
def test_foreign_ids_answer_403_or_404_and_change_nothing_R_A07_R_I08_R_I14_R_G04(client, world, victim, intruder):
    w = world
    victim = victim | {"pupil_id": w.pupil.pk}
    user = getattr(w, intruder)
    # The intruder's own pupil: themself, their child, a pupil of their class (all three: `other_pupil` of 5Б).
    own_pupil_id = w.other_pupil.pk
    before = _snapshot()
    client.force_login(user)
    asked = 0
    for name, kwargs in walked_urls():
        for values in _kwarg_sets(kwargs, victim, own_pupil_id):
            url = reverse(name, kwargs=values)
            answers = []
            for method in ("get", "post"):
                response = getattr(client, method)(url, data={"text": "Чужое", "title": "Чужое", "value": "2"})
                # 405: the URL takes no such method at all (nothing of the victim is reached either way).
                assert response.status_code in (403, 404, 405), f"{method.upper()} {name} {values} as {intruder}"
                answers.append(response.status_code)
            assert answers != [405, 405], name
            asked += 1
    assert asked > 25
    assert _snapshot() == before
