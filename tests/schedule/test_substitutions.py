"""Substitutions (R-C04, R-C06, R-C07): recorded by the admin on the day's page, the substitute fills the lesson as its
own teacher would, and the log lists every substitution."""

import datetime
import re

import pytest
from django.urls import reverse

from accounts.models import Role
from schedule.models import Lesson, Substitution
from schedule.services import lessons as lesson_services
from tests.factories import UserFactory, make_course
from tests.matrix.lessons import DAY, lesson
from tests.schedule.test_lesson_pages import ring

D = datetime.date


def text(response) -> str:
    return response.content.decode()


def topic(client, the_lesson, value="Дроби"):
    return client.post(reverse("schedule:lesson_topic", args=[the_lesson.pk]), {"topic": value, "form": "class"})


def detail(client, the_lesson):
    return client.get(reverse("schedule:lesson_detail", args=[the_lesson.pk]))


def test_the_substitute_fills_the_lesson_and_the_course_teacher_only_reads_it_R_C06_R_C04(client, world):
    """R-C04: the admin records the substitution; R-C06: the substitute fills the journal of that lesson as its
    teacher would, the course's teacher keeps read access, anyone else has none; when it is removed, the rights go
    back; a cancelled lesson is filled by nobody (R-C05)."""
    the_lesson = lesson(world)
    substitute = world.other_teacher
    stranger = UserFactory(school=world.school, username="stranger", roles=[Role.TEACHER])

    client.force_login(world.admin)
    response = client.post(
        reverse("schedule:substitution_set", args=[the_lesson.pk]),
        {"substitute": substitute.pk, "reason": "Болезнь учителя"},
    )
    assert response.status_code == 302
    sub = Substitution.objects.get(lesson=the_lesson)
    assert (sub.substitute, sub.reason, sub.created_by) == (substitute, "Болезнь учителя", world.admin)

    client.force_login(substitute)
    assert detail(client, the_lesson).status_code == 200
    assert topic(client, the_lesson, "Тема от замещающего").status_code == 302
    the_lesson.refresh_from_db()
    assert the_lesson.topic == "Тема от замещающего"
    assert the_lesson.history.first().history_user == substitute

    client.force_login(world.teacher)
    page = detail(client, the_lesson)
    assert page.status_code == 200
    assert reverse("schedule:lesson_topic", args=[the_lesson.pk]) not in text(page)
    assert topic(client, the_lesson, "Тема учителя").status_code == 403

    client.force_login(stranger)
    assert detail(client, the_lesson).status_code == 403
    assert topic(client, the_lesson).status_code == 403

    client.force_login(world.admin)
    assert client.post(reverse("schedule:substitution_remove", args=[the_lesson.pk])).status_code == 302
    assert not Substitution.objects.filter(lesson=the_lesson).exists()

    client.force_login(substitute)
    assert detail(client, the_lesson).status_code == 403
    assert topic(client, the_lesson, "Снова").status_code == 403
    client.force_login(world.teacher)
    assert topic(client, the_lesson, "Тема учителя").status_code == 302
    the_lesson.refresh_from_db()
    assert the_lesson.topic == "Тема учителя"

    lesson_services.substitution_set(actor=world.admin, lesson=the_lesson, substitute=substitute)
    lesson_services.lesson_cancel(actor=world.admin, lesson=the_lesson, reason="Карантин")
    for person in (world.teacher, substitute, world.admin):
        client.force_login(person)
        assert topic(client, the_lesson, "После отмены").status_code == 403
    the_lesson.refresh_from_db()
    assert the_lesson.topic == "Тема учителя"


def test_a_busy_or_own_teacher_cannot_substitute_and_nothing_is_recorded(client, world):
    the_lesson = lesson(world)
    english = make_course(world.other_class, world.other_teacher, "Английский язык", 3)
    lesson_services.lesson_add(actor=None, course=english, date=DAY, number=1)
    client.force_login(world.admin)
    url = reverse("schedule:substitution_set", args=[the_lesson.pk])

    busy = client.post(url, {"substitute": world.other_teacher.pk})
    assert busy.status_code == 422
    assert world.other_teacher.get_full_name() in text(busy)
    own = client.post(url, {"substitute": world.teacher.pk})
    assert own.status_code == 422
    not_a_teacher = client.post(url, {"substitute": world.pupil.pk})
    assert not_a_teacher.status_code == 422
    assert "Выберите корректный вариант" in text(not_a_teacher)
    foreign = client.post(url, {"substitute": world.foreign_teacher.pk})
    assert foreign.status_code == 422
    assert not Substitution.objects.exists()


def test_the_deputy_substitutes_from_the_day_page_and_returns_to_it(client, world):
    ring(world)
    the_lesson = lesson(world)
    english = make_course(world.other_class, world.other_teacher, "Английский язык", 3)
    lesson_services.lesson_add(actor=None, course=english, date=DAY, number=1)
    free = UserFactory(school=world.school, username="free", roles=[Role.TEACHER], last_name="Свободная")
    client.force_login(world.deputy)
    day_url = reverse("schedule:substitutions")
    page = text(client.get(day_url, {"date": "2026-11-17", "pick": the_lesson.pk}))
    # The picked lesson offers the school's teachers; the one teaching at that time is shown busy.
    busy_option = re.search(rf'<option value="{world.other_teacher.pk}"[^>]*>[^<]*', page).group(0)
    assert "disabled" in busy_option and "занят в это время" in busy_option
    assert f'value="{free.pk}"' in page
    assert f'<option value="{world.teacher.pk}"' not in page, "the course's own teacher is not offered"

    back = f"{day_url}?date=2026-11-17&by=teacher"
    response = client.post(
        reverse("schedule:substitution_set", args=[the_lesson.pk]),
        {"substitute": free.pk, "reason": "Курсы", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    page = text(client.get(back))
    assert "Свободная" in page and "Курсы" in page
    # A foreign address in `next` is ignored.
    response = client.post(
        reverse("schedule:substitution_remove", args=[the_lesson.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("schedule:lesson_detail", args=[the_lesson.pk])


def test_the_day_page_lists_the_lessons_by_teacher_and_by_class_with_their_state(client, world):
    the_lesson = lesson(world)
    english = make_course(world.other_class, world.other_teacher, "Английский язык", 3)
    cancelled = lesson_services.lesson_add(actor=None, course=english, date=DAY, number=2)
    lesson_services.lesson_cancel(actor=world.admin, lesson=cancelled, reason="Экскурсия")
    lesson_services.substitution_set(actor=world.admin, lesson=the_lesson, substitute=world.class_teacher)
    client.force_login(world.director)
    by_teacher = text(client.get(reverse("schedule:substitutions"), {"date": "17.11.2026"}))
    assert world.teacher.get_full_name() in by_teacher and world.other_teacher.get_full_name() in by_teacher
    assert "Отменён" in by_teacher and "Экскурсия" in by_teacher
    assert "Замена" in by_teacher and world.class_teacher.get_full_name() in by_teacher
    assert "Заменить или отменить" not in by_teacher, "the director reads, the admin and the deputy record"
    by_class = text(client.get(reverse("schedule:substitutions"), {"date": "2026-11-17", "by": "class"}))
    assert by_class.index(">5А<") < by_class.index(">5Б<")
    bad = client.get(reverse("schedule:substitutions"), {"date": "31.02.2026"})
    assert bad.status_code == 422
    assert "это не дата" in text(bad)


def test_the_day_page_takes_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    ring(world)
    the_lesson = lesson(world)
    for i, cls in enumerate((world.school_class, world.other_class)):
        for number in (2, 3, 4):
            teacher = UserFactory(school=world.school, username=f"t{i}{number}", roles=[Role.TEACHER])
            course = make_course(cls, teacher, f"Предмет {number}", 2)
            lesson_services.lesson_add(actor=None, course=course, date=DAY, number=number, room=f"{i}{number}")
    lesson_services.substitution_set(actor=world.admin, lesson=the_lesson, substitute=world.other_teacher)
    client.force_login(world.admin)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("schedule:substitutions"), {"date": "2026-11-17", "pick": the_lesson.pk})
    assert response.status_code == 200
    assert Lesson.objects.filter(date=DAY).count() == 7


def test_the_log_lists_every_substitution_with_who_recorded_it_R_C07(client, world, django_assert_max_num_queries):
    the_lesson = lesson(world)
    lesson_services.substitution_set(
        actor=world.deputy, lesson=the_lesson, substitute=world.other_teacher, reason="Болезнь"
    )
    english = make_course(world.other_class, world.other_teacher, "Английский язык", 3)
    for day in (D(2026, 11, 18), D(2026, 11, 19), D(2026, 12, 2)):
        other = lesson_services.lesson_add(actor=None, course=english, date=day, number=2)
        lesson_services.substitution_set(actor=world.admin, lesson=other, substitute=world.teacher, reason="Курсы")
    client.force_login(world.director)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("schedule:substitution_log"))
    page = text(response)
    assert response.status_code == 200
    assert "4 замены" in page
    row = page.split(reverse("schedule:lesson_detail", args=[the_lesson.pk]))[1].split("</tr>")[0]
    for expected in (
        "5А",
        "Математика",
        world.teacher.get_full_name(),
        world.other_teacher.get_full_name(),
        "Болезнь",
        world.deputy.get_full_name(),
        "17.11.2026",
    ):
        assert expected in row

    november = text(client.get(reverse("schedule:substitution_log"), {"from": "2026-11-18", "to": "2026-11-30"}))
    assert "2 замены" in november
    assert reverse("schedule:lesson_detail", args=[the_lesson.pk]) not in november


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "вчера"}, "«вчера» — это не дата."),
        ({"from": "2026-12-01", "to": "2026-11-01"}, ""),
    ],
)
def test_the_log_refuses_bad_dates(client, world, params, message):
    client.force_login(world.admin)
    response = client.get(reverse("schedule:substitution_log"), params)
    assert response.status_code == 422
    assert message in text(response)


def test_the_right_to_fill_is_the_guardian_grant_given_and_taken_with_the_substitution_R_C06(client, world):
    """DESIGN §5: a substitute's right is an explicit django-guardian object permission on that lesson, granted by
    the substitution and revoked with it; without the grant the substitute reads the lesson but cannot fill it."""
    from guardian.shortcuts import get_perms, remove_perm

    the_lesson = lesson(world)
    substitute = world.other_teacher
    lesson_services.substitution_set(actor=world.admin, lesson=the_lesson, substitute=substitute)
    assert "substitute_lesson" in get_perms(substitute, the_lesson)
    assert "substitute_lesson" not in get_perms(world.teacher, the_lesson)
    remove_perm(lesson_services.SUBSTITUTE_PERM, substitute, the_lesson)
    client.force_login(substitute)
    assert detail(client, the_lesson).status_code == 200
    assert topic(client, the_lesson).status_code == 403
    lesson_services.substitution_set(actor=world.admin, lesson=the_lesson, substitute=world.class_teacher)
    assert "substitute_lesson" in get_perms(world.class_teacher, the_lesson)
    lesson_services.substitution_remove(actor=world.admin, lesson=the_lesson)
    assert "substitute_lesson" not in get_perms(world.class_teacher, the_lesson)
