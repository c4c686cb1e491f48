"""Seed 001: «Родители имеют доступ только к собственным данным» (R-A06, R-A07). Every diary URL about a pupil is
walked with every other pupil's ids (and with the own child's id but another pupil's mark or file), as a pupil, as a
guardian of another child and as a guardian of two children: each answer is 403 or 404. The URL list comes from the
resolver, so a new diary URL is walked as soon as it exists; a URL whose ids this test cannot fill fails it.

The pages a family opens without a pupil in the path are asked with every parameter name a page could read a pupil
from, and must not show another pupil's name."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts import services as accounts_services
from accounts.models import Role, User
from gradebook.marks import mark_set, work_add
from gradebook.models import WorkType
from schedule.models import Lesson
from schedule.services import classes as class_services
from schedule.services import timetable
from tests.factories import UserFactory, make_course
from tests.matrix.diary import filled_week, homework_with_file
from tests.matrix.journal import DAY, FIRST, LAST, journal_course
from tests.matrix.submissions import lesson_material, submission_task

# The ids a diary URL may carry besides `pupil_id`, each filled with an object of the pupil in question.
OBJECT_KWARGS = ("work_id", "file_id", "homework_id", "material_id")
# Query parameters a page could be tempted to read a pupil from.
PUPIL_PARAMS = ("pupil", "pupil_id", "child", "child_id", "id", "user", "student")


def _patterns(patterns=None, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            found += _patterns(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
        elif isinstance(p, URLPattern) and p.name:
            found.append((f"{prefix}{p.name}", p))
    return found


def diary_urls() -> list[tuple[str, list[str]]]:
    """(name, its kwargs) of every diary URL that names a pupil."""
    urls = []
    for name, pattern in _patterns():
        kwargs = list(pattern.pattern.converters)
        if name.startswith("diary:") and "pupil_id" in kwargs:
            urls.append((name, kwargs))
    return urls


def family_pages() -> list[str]:
    """The diary's URLs without ids: a family may open some of them (the home page, the notification choice)."""
    return [name for name, pattern in _patterns() if name.startswith("diary:") and not pattern.pattern.converters]


@pytest.fixture
def families(world):
    """Three families' data: «pupil» (5А) with marks and homework files; her brother «sibling» (5Б); «other_pupil»
    (5Б) with a mark and a file of his own class; a pupil of another school. «parent_of_two» is the guardian of
    «pupil» and «sibling»; «other_guardian» the guardian of «other_pupil»."""
    w = world
    filled = filled_week(w)
    year = w.school_class.year
    sibling = UserFactory(school=w.school, username="sibling", roles=[Role.PUPIL], last_name="Братцев")
    class_services.pupils_enroll(actor=None, school_class=w.other_class, pupils=[sibling], since=year.start)
    parent_of_two = UserFactory(school=w.school, username="parent_of_two", roles=[Role.GUARDIAN])
    for child in (w.pupil, sibling):
        accounts_services.guardian_link(actor=None, school=w.school, guardian=parent_of_two, pupil=child)
    # Surnames no other person of the world has, to look for them on pages.
    for user, surname in ((w.pupil, "Первоклашкина"), (w.other_pupil, "Чужаков"), (w.foreign_pupil, "Дальний")):
        User.objects.filter(pk=user.pk).update(last_name=surname)

    # 5Б's maths by «other_teacher»: a mark and a file for each of «other_pupil» and «sibling».
    maths_b = make_course(w.other_class, w.other_teacher, "Математика", 5)
    timetable.timetable_entry_add(actor=None, course=maths_b, weekday=2, number=1, valid_from=year.start)
    timetable.lessons_generate(actor=None, year=year, start=FIRST, end=LAST)
    lesson_b = Lesson.objects.get(course=maths_b, date=DAY)
    answer = WorkType.objects.get(school=w.school, name="Ответ на уроке")
    work_b = work_add(actor=w.other_teacher, lesson=lesson_b, work_type=answer)
    for child in (w.other_pupil, sibling):
        mark_set(actor=w.other_teacher, work=work_b, pupil_id=child.pk, value="3")
    homework_b = Lesson.objects.get(course=maths_b, date=DAY - datetime.timedelta(days=7))
    file_b = homework_with_file(SimpleNamespace(teacher=w.other_teacher), homework_b, name="5b.pdf")
    journal_course(w)
    # An electronic task of 5Б with «other_pupil»'s work, and a teaching material of its lesson (R-G03, R-G04).
    task_b = submission_task(w.other_teacher, lesson_b, w.other_pupil)
    material_b = lesson_material(w.other_teacher, lesson_b)

    own = {"work_id": filled.answer.pk, "file_id": filled.file.pk, "homework_id": filled.file.homework_id,
           "material_id": lesson_material(w.teacher, filled.file.homework.lesson).pk}  # fmt: skip
    b_objects = {"work_id": work_b.pk, "file_id": file_b.pk, "homework_id": task_b.pk, "material_id": material_b.pk}
    return SimpleNamespace(
        w=w,
        sibling=sibling,
        parent_of_two=parent_of_two,
        # The objects that belong to each pupil (ids to put next to the pupil's id).
        objects={w.pupil.pk: own, sibling.pk: b_objects, w.other_pupil.pk: b_objects, w.foreign_pupil.pk: b_objects},
    )


def _walkers(f) -> list[tuple[str, User, set[int]]]:
    """(label, person, the pupils whose diary they may read)."""
    w = f.w
    return [
        ("pupil", w.pupil, {w.pupil.pk}),
        ("guardian of another child", w.other_guardian, {w.other_pupil.pk}),
        ("guardian of two children", f.parent_of_two, {w.pupil.pk, f.sibling.pk}),
    ]


def _fill(kwargs: list[str], pupil_id: int, objects: dict[str, int], name: str) -> dict[str, int]:
    unknown = set(kwargs) - {"pupil_id", *OBJECT_KWARGS}
    assert not unknown, f"{name}: tests/diary/test_privacy.py cannot fill {unknown}; add them to OBJECT_KWARGS"
    return {k: pupil_id if k == "pupil_id" else objects[k] for k in kwargs}


def _ask(client, url: str):
    """GET, or POST for a URL that takes only POST (an appeal): a 405 would say nothing about access."""
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {"text": "Отметка не моя"})
    return response


def test_diary_urls_exist():
    names = {name for name, _kwargs in diary_urls()}
    assert {"diary:pupil", "diary:marks", "diary:homework", "diary:homework_file", "diary:mark"} <= names
    assert {"diary:appeal_new", "diary:news"} <= names


def test_no_diary_url_reaches_another_pupil(client, families):
    """R-A07, R-A06: 403 or 404 for every diary URL × every pupil who is not the walker's own × each walker; and for
    the walker's own pupil with another pupil's mark or file. Nothing is written on the way."""
    f, w = families, families.w
    everyone = [w.pupil, f.sibling, w.other_pupil, w.foreign_pupil]
    appeals_before = _appeals()
    walked = 0
    for label, walker, own in _walkers(f):
        client.force_login(walker)
        for name, kwargs in diary_urls():
            for target in everyone:
                if target.pk in own:
                    continue
                url = reverse(name, kwargs=_fill(kwargs, target.pk, f.objects[target.pk], name))
                response = _ask(client, url)
                assert response.status_code in (403, 404), f"{name} {url} as {label}: {response.status_code}"
                walked += 1
            if set(kwargs) & set(OBJECT_KWARGS):
                # The own child's id with a mark and a file that are not the child's (a sibling's included).
                for own_id in own:
                    foreign_objects = next(
                        f.objects[p.pk] for p in everyone if p.pk != own_id and f.objects[p.pk] != f.objects[own_id]
                    )
                    url = reverse(name, kwargs=_fill(kwargs, own_id, foreign_objects, name))
                    response = _ask(client, url)
                    assert response.status_code in (403, 404), f"{name} {url} as {label}: {response.status_code}"
                    walked += 1
    assert walked > 50
    assert _appeals() == appeals_before


def _appeals() -> int:
    from gradebook.models import MarkAppeal

    return MarkAppeal.objects.count()


def test_a_family_sees_its_own_children(client, families):
    """The walk above is not vacuous: each walker opens their own children's week."""
    f = families
    for _label, walker, own in _walkers(f):
        client.force_login(walker)
        for pupil_id in own:
            assert client.get(reverse("diary:pupil", args=[pupil_id])).status_code == 200


def test_no_parameter_shows_another_pupil(client, families):
    """Pages without a pupil in the path, and the own child's pages, ignore any pupil a parameter names: another
    pupil's surname never appears."""
    f, w = families, families.w
    strangers = {w.other_pupil.pk: "Чужаков", w.foreign_pupil.pk: "Дальний"}
    for label, walker, own in _walkers(f):
        if w.other_pupil.pk in own:
            continue
        client.force_login(walker)
        pages = [reverse(name) for name in family_pages()]
        pages += [
            reverse(name, kwargs={"pupil_id": next(iter(own))})
            for name, kwargs in diary_urls()
            if kwargs == ["pupil_id"]
        ]
        for url in pages:
            for stranger_id, surname in strangers.items():
                query = {p: stranger_id for p in PUPIL_PARAMS}
                response = client.get(url, query, follow=True)
                assert response.status_code in (200, 403, 404), f"{url} as {label}: {response.status_code}"
                assert surname not in response.content.decode(), f"{url} as {label} shows {surname}"
