"""Teaching materials of a lesson (R-G03, seed 004 §5.1 п.4): posted ahead by the lesson's teacher (or the substitute
who takes it), files, http(s) links and tests written out; pupils and parents see them in the diary from the lesson's
date, not before, files included; staff who read the lesson see them any time; history with the author."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schedule.models import LessonMaterial
from schedule.services import ScheduleError
from schedule.services import lessons as lesson_services
from schedule.services import materials as services
from tests.matrix.lessons import DAY, lesson, lesson_on

NEXT_TUESDAY = DAY + datetime.timedelta(days=7)
PDF = b"%PDF-1.4 cards"


def _post(client, user, the_lesson, **data):
    client.force_login(user)
    return client.post(reverse("schedule:material_add", args=[the_lesson.pk]), data)


def _test(w, day=NEXT_TUESDAY) -> LessonMaterial:
    return services.material_add(
        actor=w.teacher,
        lesson=lesson_on(w, day),
        kind=LessonMaterial.Kind.TEXT,
        title="Проверочная работа",
        text="1) 3/4 + 1/4 = ?",
    )


def _file(w, day=NEXT_TUESDAY) -> LessonMaterial:
    return services.material_add(
        actor=w.teacher,
        lesson=lesson_on(w, day),
        kind=LessonMaterial.Kind.FILE,
        title="Карточки к уроку",
        upload=SimpleUploadedFile("карточки.pdf", PDF),
    )


def _week(client, user, w, day):
    client.force_login(user)
    return client.get(reverse("diary:pupil", args=[w.pupil.pk]), {"week": day.isoformat()}).content.decode()


def test_families_see_materials_from_the_lessons_date_not_before_R_G03(client, world, clock):
    """A test posted for next Tuesday stays unseen in the diary (page and download) until that day."""
    test, file = _test(world), _file(world)
    download = reverse("diary:material_file", args=[world.pupil.pk, file.pk])
    for user in (world.pupil, world.guardian):
        page = _week(client, user, world, NEXT_TUESDAY)
        assert "Проверочная работа" not in page and "Карточки к уроку" not in page
        assert client.get(download).status_code == 404
    clock.move_to(datetime.datetime(2026, 11, 24, 5, 0, tzinfo=datetime.UTC))  # 08:00 in Moscow, the lesson's day
    for user in (world.pupil, world.guardian):
        page = _week(client, user, world, NEXT_TUESDAY)
        assert "Проверочная работа" in page and "3/4 + 1/4" in page and "Карточки к уроку" in page
        response = client.get(download)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content) == PDF
    assert test.lesson.date == NEXT_TUESDAY


def test_staff_who_read_the_lesson_see_its_materials_ahead(client, world):
    file = _file(world)
    for user in (world.director, world.class_teacher, world.teacher):
        client.force_login(user)
        page = client.get(reverse("schedule:materials", args=[file.lesson_id])).content.decode()
        assert "Карточки к уроку" in page
        assert client.get(reverse("schedule:material_file", args=[file.pk])).status_code == 200


def test_only_the_lessons_teacher_posts_materials_R_G03(client, world):
    the_lesson = lesson_on(world, NEXT_TUESDAY)
    data = {"kind": "text", "title": "Тест", "text": "1) 2 + 2"}
    for user, status in (
        (world.other_teacher, 403),
        (world.class_teacher, 403),
        (world.director, 403),
        (world.pupil, 403),
        (world.guardian, 403),
        (world.foreign_teacher, 404),
    ):
        assert _post(client, user, the_lesson, **data).status_code == status, user
    assert not LessonMaterial.objects.exists()
    assert _post(client, world.teacher, the_lesson, **data).status_code == 302
    material = LessonMaterial.objects.get()
    assert (material.author, material.kind, material.text) == (world.teacher, "text", "1) 2 + 2")


def test_a_substitute_posts_for_the_lesson_they_take_R_G03(client, world):
    """The same permission as the lesson's homework: the substitute fills the lesson, the course's teacher does not."""
    the_lesson = lesson(world)
    lesson_services.substitution_set(actor=world.admin, lesson=the_lesson, substitute=world.other_teacher)
    data = {"kind": "link", "title": "Видеоурок", "url": "https://resh.edu.ru/subject/lesson/1/"}
    assert _post(client, world.teacher, the_lesson, **data).status_code == 403
    assert _post(client, world.other_teacher, the_lesson, **data).status_code == 302
    assert LessonMaterial.objects.get().author == world.other_teacher


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://files.example.org/a.pdf", "file:///etc/passwd", "data:text/html,<b>x</b>"]
)
def test_a_link_is_a_web_address_only_R_G03(client, world, url):
    response = _post(client, world.teacher, lesson(world), kind="link", title="Ссылка", url=url)
    assert response.status_code == 422
    assert not LessonMaterial.objects.exists()
    with pytest.raises(ScheduleError, match="http"):
        services.material_add(actor=world.teacher, lesson=lesson(world), kind="link", title="x", url=url)


def test_a_link_is_shown_as_a_safe_external_link(client, world, clock):
    services.material_add(actor=world.teacher, lesson=lesson(world), kind="link", url="https://resh.edu.ru/x")
    page = _week(client, world.pupil, world, DAY)
    assert 'href="https://resh.edu.ru/x" rel="noopener noreferrer"' in page


def test_a_file_must_be_what_its_name_says(client, world):
    upload = SimpleUploadedFile("задание.pdf", b"MZ\x90\x00 a program")
    response = _post(client, world.teacher, lesson(world), kind="file", title="Задание", file=upload)
    assert response.status_code == 422
    assert "не то, что" in response.content.decode() or "content" in response.content.decode()
    assert not LessonMaterial.objects.exists()


def test_each_kind_needs_its_content(world):
    the_lesson = lesson(world)
    with pytest.raises(ScheduleError):
        services.material_add(actor=world.teacher, lesson=the_lesson, kind="file", title="Без файла")
    with pytest.raises(ScheduleError):
        services.material_add(actor=world.teacher, lesson=the_lesson, kind="text", title="Пустой тест", text=" ")
    with pytest.raises(ScheduleError):
        services.material_add(actor=world.teacher, lesson=the_lesson, kind="video", title="?", text="x")


def test_changes_and_removal_keep_their_history_with_the_author(client, world):
    material = _test(world)
    client.force_login(world.teacher)
    response = client.post(
        reverse("schedule:material_edit", args=[material.pk]), {"title": "Проверочная", "text": "1) 1/2 + 1/2 = ?"}
    )
    assert response.status_code == 302
    material.refresh_from_db()
    assert (material.title, material.text, material.kind) == ("Проверочная", "1) 1/2 + 1/2 = ?", "text")
    assert client.post(reverse("schedule:material_remove", args=[material.pk])).status_code == 302
    assert not LessonMaterial.objects.exists()
    history = list(LessonMaterial.history.filter(id=material.pk).order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~", "-"]
    assert {h.history_user for h in history} == {world.teacher}


def test_a_new_file_replaces_the_old_one(client, world):
    material = _file(world)
    old = material.file.name
    client.force_login(world.teacher)
    upload = SimpleUploadedFile("новые.pdf", b"%PDF-1.4 new")
    response = client.post(
        reverse("schedule:material_edit", args=[material.pk]), {"title": "Новые карточки", "file": upload}
    )
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.file_name == "новые.pdf" and material.file.name != old
    assert not material.file.storage.exists(old)


def test_a_cancelled_lesson_takes_no_materials(world):
    the_lesson = lesson_services.lesson_cancel(actor=world.admin, lesson=lesson(world), reason="Карантин")
    with pytest.raises(ScheduleError):
        services.material_add(actor=world.teacher, lesson=the_lesson, kind="text", title="Тест", text="1")


def test_the_lesson_page_links_to_its_materials(client, world):
    client.force_login(world.teacher)
    page = client.get(reverse("schedule:lesson_detail", args=[lesson(world).pk])).content.decode()
    assert reverse("schedule:materials", args=[lesson(world).pk]) in page
