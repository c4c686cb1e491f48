"""Lesson pages: generating lessons, a lesson's page with its topic and form (R-C09, R-C12), moves, cancellations
(R-C05), extra lessons, and the teacher's day."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from accounts.models import Role
from schedule.models import Lesson, Substitution
from schedule.services import classes as class_services
from schedule.services import lessons as lesson_services
from schedule.services import timetable
from schedule.services import years as year_services
from tests.factories import UserFactory, make_course
from tests.matrix.lessons import DAY, course, lesson

D = datetime.date
T = datetime.time


@pytest.fixture
def year(world):
    year = world.school_class.year
    year_services.year_fill_usual(actor=None, year=year)
    return year


def _minutes(m: int) -> datetime.time:
    return T(m // 60, m % 60)


def ring(world, school_class=None):
    """A bell schedule for the class: 1st lesson 08:30–09:15, then 45 minutes every 55 minutes up to the 7th."""
    school_class = school_class or world.school_class
    schedule = year_services.bell_schedule_create(actor=None, school=world.school, name=f"Смена {school_class}")
    year_services.bells_set(
        actor=None,
        schedule=schedule,
        bells=[
            year_services.BellTimes(n, _minutes(510 + 55 * (n - 1)), _minutes(555 + 55 * (n - 1))) for n in range(1, 8)
        ],
    )
    class_services.school_class_update(
        actor=None,
        school_class=school_class,
        letter=school_class.letter,
        class_teacher=school_class.class_teacher,
        bell_schedule=schedule,
    )
    return schedule


def text(response) -> str:
    return response.content.decode()


# --- Generating lessons ------------------------------------------------------------------------------------------


def test_admin_generates_a_period_and_running_it_again_creates_nothing(client, world, year):
    course(world)
    quarter = year.periods.get(kind="quarter", number=2)
    client.force_login(world.admin)
    page = client.get(reverse("schedule:lessons_generate"))
    assert page.status_code == 200
    assert "ничего нового не создаёт" in text(page)

    response = client.post(reverse("schedule:lessons_generate"), {"period": quarter.pk}, follow=True)
    created = Lesson.objects.filter(course=course(world)).count()
    assert created == 7  # Tuesdays of 09.11–28.12
    assert f"Создано уроков: {created}." in text(response)

    again = client.post(reverse("schedule:lessons_generate"), {"period": quarter.pk}, follow=True)
    assert "Создано уроков: 0." in text(again)
    assert f"Уже были и остались как есть: {created}." in text(again)
    assert Lesson.objects.filter(course=course(world)).count() == created


def test_generating_dates_across_the_holidays_counts_the_skipped_lessons(client, world, year):
    course(world)
    client.force_login(world.deputy)
    response = client.post(
        reverse("schedule:lessons_generate"), {"start": "2026-10-20", "end": "2026-11-17"}, follow=True
    )
    # Tuesdays 20.10, 27.10, 10.11, 17.11; 03.11 falls in the autumn holidays.
    assert Lesson.objects.filter(course=course(world)).count() == 4
    assert "Не создано из-за каникул: 1." in text(response)


def test_generating_for_one_class_leaves_the_others_alone(client, world, year):
    course(world)
    physics = make_course(world.other_class, world.other_teacher, "Физика", 2)
    timetable.timetable_entry_add(actor=None, course=physics, weekday=3, number=2, valid_from=year.start)
    client.force_login(world.admin)
    client.post(
        reverse("schedule:lessons_generate"),
        {"start": "2026-11-16", "end": "2026-11-21", "school_class": world.school_class.pk},
    )
    assert Lesson.objects.filter(course=course(world)).count() == 1
    assert not Lesson.objects.filter(course=physics).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Выберите учебный период или укажите первый и последний день."),
        ({"start": "2026-11-16"}, "Выберите учебный период или укажите первый и последний день."),
        ({"period": "PERIOD", "start": "2026-11-16", "end": "2026-11-20"}, "Выберите учебный период или даты"),
        ({"start": "16 ноября", "end": "2026-11-20"}, "Введите правильную дату."),
        ({"period": "999999"}, "Выберите корректный вариант."),
    ],
)
def test_bad_generation_input_is_refused_with_a_russian_message(client, world, year, data, message):
    course(world)
    quarter = year.periods.get(kind="quarter", number=2)
    data = {k: (quarter.pk if v == "PERIOD" else v) for k, v in data.items()}
    client.force_login(world.admin)
    response = client.post(reverse("schedule:lessons_generate"), data)
    assert response.status_code == 422
    assert message in text(response)
    assert not Lesson.objects.exists()


def test_a_period_of_other_grades_is_refused_for_a_class(client, world, year):
    course(world)
    half = year.periods.get(kind="half", number=1)  # grades 10–11
    client.force_login(world.admin)
    response = client.post(
        reverse("schedule:lessons_generate"), {"period": half.pk, "school_class": world.school_class.pk}
    )
    assert response.status_code == 422
    assert "Класс 5А не учится по этому периоду" in text(response)
    assert not Lesson.objects.exists()


def test_generation_refuses_an_end_before_the_start(client, world, year):
    course(world)
    client.force_login(world.admin)
    response = client.post(reverse("schedule:lessons_generate"), {"start": "2026-11-20", "end": "2026-11-16"})
    assert response.status_code == 422
    assert not Lesson.objects.exists()


# --- The lesson's page ---------------------------------------------------------------------------------------------


def test_the_lesson_page_shows_the_lesson_its_pupils_on_the_date_and_its_history(client, world, year):
    ring(world)
    the_lesson = lesson(world)
    newcomer = UserFactory(school=world.school, username="newcomer", roles=[Role.PUPIL], last_name="Новикова")
    class_services.pupils_enroll(
        actor=world.admin, school_class=world.school_class, pupils=[newcomer], since=D(2026, 11, 18)
    )
    lesson_services.lesson_topic_set(actor=world.teacher, lesson=the_lesson, topic="Дроби", form="distance")
    client.force_login(world.director)
    page = text(client.get(reverse("schedule:lesson_detail", args=[the_lesson.pk])))
    assert "08:30–09:15" in page
    assert world.teacher.get_full_name() in page
    assert "Кабинет" in page and ">12<" in page
    with translation.override("ru"):
        assert capfirst(str(Lesson.Form.DISTANCE.label)) in page
    assert "Дроби" in page
    assert world.pupil.get_full_name() in page
    assert "Новикова" not in page, "a pupil enrolled after the lesson's date is not on its list"
    assert world.teacher.get_full_name() in page.split("История изменений")[1], "the history names who changed it"
    # A reader sees no form to fill or change the lesson.
    assert reverse("schedule:lesson_topic", args=[the_lesson.pk]) not in page
    assert reverse("schedule:lesson_cancel", args=[the_lesson.pk]) not in page


def test_the_lesson_page_takes_a_fixed_number_of_queries(client, world, year, django_assert_max_num_queries):
    ring(world)
    the_lesson = lesson(world)
    kids = [UserFactory(school=world.school, username=f"kid{i}", roles=[Role.PUPIL]) for i in range(12)]
    class_services.pupils_enroll(actor=world.admin, school_class=world.school_class, pupils=kids, since=D(2026, 9, 1))
    for i in range(6):
        lesson_services.lesson_topic_set(actor=world.teacher, lesson=the_lesson, topic=f"Тема {i}")
    for i in range(5):
        UserFactory(school=world.school, username=f"colleague{i}", roles=[Role.TEACHER])
    client.force_login(world.admin)  # the admin sees every form: fill is not theirs, change and substitute are
    with django_assert_max_num_queries(18):
        response = client.get(reverse("schedule:lesson_detail", args=[the_lesson.pk]))
    assert response.status_code == 200
    assert "Тема 5" in text(response)


def test_the_course_teacher_saves_the_topic_and_the_form_R_C09_R_C12(client, world, year):
    the_lesson = lesson(world)
    client.force_login(world.teacher)
    page = text(client.get(reverse("schedule:lesson_detail", args=[the_lesson.pk])))
    assert reverse("schedule:lesson_topic", args=[the_lesson.pk]) in page
    response = client.post(
        reverse("schedule:lesson_topic", args=[the_lesson.pk]), {"topic": "  Сложение   дробей ", "form": "electronic"}
    )
    assert response.status_code == 302
    the_lesson.refresh_from_db()
    assert (the_lesson.topic, the_lesson.form) == ("Сложение дробей", "electronic")
    assert the_lesson.history.first().history_user == world.teacher


def test_a_bad_topic_form_is_refused_and_changes_nothing(client, world, year):
    the_lesson = lesson(world)
    client.force_login(world.teacher)
    url = reverse("schedule:lesson_topic", args=[the_lesson.pk])
    too_long = client.post(url, {"topic": "я" * 501, "form": "class"})
    assert too_long.status_code == 422
    assert "не более 500 символов" in text(too_long)
    no_form = client.post(url, {"topic": "Дроби", "form": "outdoors"})
    assert no_form.status_code == 422
    assert "Выберите корректный вариант" in text(no_form)
    the_lesson.refresh_from_db()
    assert the_lesson.topic == "" and the_lesson.form == "class"


# --- Moves, cancellations, extra lessons ---------------------------------------------------------------------


def test_a_class_teacher_moves_a_lesson_of_their_class(client, world, year):
    the_lesson = lesson(world)
    client.force_login(world.class_teacher)
    assert client.get(reverse("schedule:lesson_move", args=[the_lesson.pk])).status_code == 200
    response = client.post(
        reverse("schedule:lesson_move", args=[the_lesson.pk]), {"date": "2026-11-19", "number": 3, "room": "7"}
    )
    assert response.status_code == 302
    the_lesson.refresh_from_db()
    assert (the_lesson.date, the_lesson.number, the_lesson.room) == (D(2026, 11, 19), 3, "7")


def test_a_move_into_a_conflict_or_the_holidays_is_refused_and_changes_nothing(client, world, year):
    the_lesson = lesson(world)
    physics = make_course(world.other_class, world.teacher, "Физика", 2)
    lesson_services.lesson_add(actor=None, course=physics, date=D(2026, 11, 19), number=2)
    client.force_login(world.admin)
    url = reverse("schedule:lesson_move", args=[the_lesson.pk])
    busy = client.post(url, {"date": "2026-11-19", "number": 2, "room": "12"})
    assert busy.status_code == 422
    assert world.teacher.get_full_name() in text(busy)
    holidays = client.post(url, {"date": "2026-12-30", "number": 1})
    assert holidays.status_code == 422
    sunday = client.post(url, {"date": "2026-11-22", "number": 1})
    assert sunday.status_code == 422
    bad = client.post(url, {"date": "завтра", "number": 99})
    assert bad.status_code == 422
    assert "Введите правильную дату." in text(bad)
    the_lesson.refresh_from_db()
    assert (the_lesson.date, the_lesson.number, the_lesson.room) == (DAY, 1, "12")


def test_a_cancellation_needs_a_reason_and_shows_on_the_lesson_R_C05(client, world, year):
    the_lesson = lesson(world)
    client.force_login(world.deputy)
    url = reverse("schedule:lesson_cancel", args=[the_lesson.pk])
    refused = client.post(url, {"reason": "   "})
    assert refused.status_code == 422
    assert "Укажите причину отмены урока." in text(refused)
    the_lesson.refresh_from_db()
    assert the_lesson.status == Lesson.Status.PLANNED

    assert client.post(url, {"reason": "Карантин"}).status_code == 302
    the_lesson.refresh_from_db()
    assert (the_lesson.status, the_lesson.cancel_reason) == (Lesson.Status.CANCELLED, "Карантин")
    client.force_login(world.teacher)
    page = text(client.get(reverse("schedule:lesson_detail", args=[the_lesson.pk])))
    assert "Урок отменён: Карантин" in page
    assert reverse("schedule:lesson_topic", args=[the_lesson.pk]) not in page, "nobody fills a cancelled lesson"

    client.force_login(world.deputy)
    again = client.post(url, {"reason": "Ещё раз"})
    assert again.status_code == 422
    assert client.post(reverse("schedule:lesson_restore", args=[the_lesson.pk])).status_code == 302
    the_lesson.refresh_from_db()
    assert (the_lesson.status, the_lesson.cancel_reason) == (Lesson.Status.PLANNED, "")
    not_cancelled = client.post(reverse("schedule:lesson_restore", args=[the_lesson.pk]))
    assert not_cancelled.status_code == 422


def test_an_extra_lesson_is_added_and_deleted_but_a_timetable_lesson_is_not_deleted(client, world, year):
    the_course = course(world)
    client.force_login(world.admin)
    assert client.get(reverse("schedule:lesson_add", args=[the_course.pk])).status_code == 200
    response = client.post(
        reverse("schedule:lesson_add", args=[the_course.pk]),
        {"date": "2026-11-18", "number": 6, "room": "3", "topic": "Консультация"},
    )
    assert response.status_code == 302
    extra = Lesson.objects.get(course=the_course, is_extra=True)
    assert (extra.date, extra.number, extra.topic) == (D(2026, 11, 18), 6, "Консультация")
    assert response["Location"] == reverse("schedule:lesson_detail", args=[extra.pk])

    clash = client.post(reverse("schedule:lesson_add", args=[the_course.pk]), {"date": "2026-11-18", "number": 6})
    assert clash.status_code == 422
    assert Lesson.objects.filter(course=the_course, is_extra=True).count() == 1

    timetable_lesson = lesson(world)
    refused = client.post(reverse("schedule:lesson_delete", args=[timetable_lesson.pk]))
    assert refused.status_code == 422
    assert Lesson.objects.filter(pk=timetable_lesson.pk).exists()

    # Its topic is recorded: it stays. An empty extra lesson goes.
    assert client.post(reverse("schedule:lesson_delete", args=[extra.pk])).status_code == 422
    empty = lesson_services.lesson_add(actor=None, course=the_course, date=D(2026, 11, 19), number=6)
    assert client.post(reverse("schedule:lesson_delete", args=[empty.pk])).status_code == 302
    assert not Lesson.objects.filter(pk=empty.pk).exists()
    assert Lesson.objects.filter(pk=extra.pk).exists()


def test_a_class_teacher_cannot_change_another_class_lessons(client, world, year):
    physics = make_course(world.other_class, world.teacher, "Физика", 2)
    other = lesson_services.lesson_add(actor=None, course=physics, date=D(2026, 11, 19), number=2)
    client.force_login(world.class_teacher)
    assert client.post(reverse("schedule:lesson_cancel", args=[other.pk]), {"reason": "x"}).status_code == 403
    assert client.get(reverse("schedule:lesson_add", args=[physics.pk])).status_code == 403
    assert client.get(reverse("schedule:lesson_detail", args=[other.pk])).status_code == 403


# --- My day ---------------------------------------------------------------------------------------------------------


def _teachers_day(world):
    """teacher: maths 5А (1st lesson, today), physics 5Б (3rd, today, cancelled), history 5Б (2nd, taken by
    class_teacher), and a substitution on other_teacher's English of 5Б (4th)."""
    ring(world)
    ring(world, world.other_class)
    maths = lesson(world)
    physics = make_course(world.other_class, world.teacher, "Физика", 2)
    cancelled = lesson_services.lesson_add(actor=None, course=physics, date=DAY, number=3, room="5")
    lesson_services.lesson_cancel(actor=world.admin, lesson=cancelled, reason="Экскурсия")
    history = make_course(world.other_class, world.teacher, "История", 2)
    given = lesson_services.lesson_add(actor=None, course=history, date=DAY, number=2)
    lesson_services.substitution_set(actor=world.admin, lesson=given, substitute=world.class_teacher, reason="Болезнь")
    english = make_course(world.other_class, world.other_teacher, "Английский язык", 3)
    taken = lesson_services.lesson_add(actor=None, course=english, date=DAY, number=4)
    lesson_services.substitution_set(actor=world.admin, lesson=taken, substitute=world.teacher, reason="Курсы")
    return maths, cancelled, given, taken


def test_my_day_lists_own_and_substituted_lessons_in_time_order(client, world, year):
    maths, cancelled, given, taken = _teachers_day(world)
    client.force_login(world.teacher)
    page = text(client.get(reverse("gradebook:my_day")))
    mine = page.split("Ваши уроки ведут коллеги")[0]
    links = [reverse("schedule:lesson_detail", args=[x.pk]) for x in (maths, cancelled, taken)]
    positions = [mine.index(f'href="{link}"') for link in links]
    assert positions == sorted(positions), "the day in time order: 1st, 3rd, 4th lesson"
    assert f'href="{reverse("schedule:lesson_detail", args=[given.pk])}"' not in mine
    assert "Замена" in mine and world.other_teacher.get_full_name() in mine  # "instead of" the absent colleague
    assert "Отменён" in mine and "Экскурсия" in mine
    assert "нет темы" in mine
    colleagues = page.split("Ваши уроки ведут коллеги")[1]
    assert world.class_teacher.get_full_name() in colleagues and "заменяет вас" in colleagues


def test_my_day_switches_days_and_refuses_a_bad_date(client, world, year):
    _teachers_day(world)
    client.force_login(world.teacher)
    tomorrow = client.get(reverse("gradebook:my_day"), {"date": "2026-11-18"})
    assert tomorrow.status_code == 200
    assert "У вас нет уроков в этот день." in text(tomorrow)
    assert "?date=2026-11-17" in text(tomorrow) and "?date=2026-11-19" in text(tomorrow)
    bad = client.get(reverse("gradebook:my_day"), {"date": "вчера"})
    assert bad.status_code == 422
    assert "«вчера» — это не дата" in text(bad)


def test_the_class_teacher_sees_the_lesson_they_substitute_on(client, world, year):
    _maths, _cancelled, given, _taken = _teachers_day(world)
    client.force_login(world.class_teacher)
    page = text(client.get(reverse("gradebook:my_day")))
    assert reverse("schedule:lesson_detail", args=[given.pk]) in page
    assert "Замена" in page


def test_my_day_takes_a_fixed_number_of_queries(client, world, year, django_assert_max_num_queries):
    _teachers_day(world)
    physics = make_course(world.other_class, world.teacher, "Химия", 2)
    for number in (5, 6, 7):
        lesson_services.lesson_add(actor=None, course=physics, date=DAY, number=number)
    client.force_login(world.teacher)
    # The 7th: the open remarks of journal control (issue 6); the 8th: the reports of wrong marks (issue 7).
    with django_assert_max_num_queries(9):
        response = client.get(reverse("gradebook:my_day"))
    assert response.status_code == 200
    assert Substitution.objects.count() == 2
