"""The diary's homework list (issue 7; R-I01, R-G01): the pupil's upcoming homework across subjects by the date it
is due, with files; the past two weeks on demand; the pupil's own lessons only."""

import datetime

import pytest
from django.urls import reverse

from schedule.models import Lesson
from schedule.services import homework as homework_services
from tests.matrix.diary import MONDAY, english_on, filled_week, homework_with_file
from tests.matrix.journal import DAY, LAST, journal_course


@pytest.fixture
def filled(world):
    return filled_week(world)


def page(client, world, pupil=None, **query):
    return client.get(reverse("diary:homework", args=[(pupil or world.pupil).pk]), query)


def dates(response) -> list[datetime.date]:
    return [date for date, _items in response.context["days"]]


def test_upcoming_homework_by_the_date_it_is_due(client, world, filled):
    """Monday's homework is due on Tuesday (today); homework set at the last lesson, with no later lesson to be due
    by, is listed on its own date; the Friday's homework due on Monday is past."""
    homework_services.homework_set(actor=world.teacher, lesson=Lesson.objects.get(course=journal_course(world),
                                   date=LAST), text="Прочитать параграф 12")  # fmt: skip
    english = homework_with_file(world, english_on(world, 1), text="Выучить слова", name="слова.docx")
    client.force_login(world.guardian)
    response = page(client, world)
    assert response.status_code == 200
    assert dates(response) == [DAY, LAST]
    by_date = dict(response.context["days"])
    # English has no later lesson yet: its homework is listed on the day it was set.
    assert [h.text for h in by_date[DAY]] == ["Упражнения по теме", "Выучить слова"]
    assert [h.text for h in by_date[LAST]] == ["Прочитать параграф 12"]
    html = response.content.decode()
    assert "Повторить таблицу умножения" not in html  # due on Monday: past
    assert reverse("diary:homework_file", args=[world.pupil.pk, filled.file.pk]) in html
    assert reverse("diary:homework_file", args=[world.pupil.pk, english.pk]) in html
    assert "Выучить слова" in html


def test_the_past_two_weeks_on_demand(client, world, filled):
    client.force_login(world.pupil)
    response = page(client, world, past="1")
    assert MONDAY in dates(response)
    assert "Повторить таблицу умножения" in response.content.decode()
    assert reverse("diary:homework", args=[world.pupil.pk]) in response.content.decode()


def test_another_subgroups_homework_is_not_listed(client, world, filled):
    homework_with_file(world, english_on(world, 2), text="Задание второй подгруппы", name="g2.pdf")
    client.force_login(world.pupil)
    assert "Задание второй подгруппы" not in page(client, world).content.decode()
    client.force_login(filled.world.classmate)
    assert "Задание второй подгруппы" in page(client, world, filled.world.classmate).content.decode()


def test_another_familys_homework_is_not_found(client, world, filled):
    """R-A07."""
    client.force_login(world.other_guardian)
    assert page(client, world).status_code == 404


def test_the_list_reads_in_a_fixed_number_of_queries(client, world, filled, django_assert_max_num_queries):
    """A parent's page: user, memberships, the menu's classes, children, the family; the homework, its files."""
    client.force_login(world.guardian)
    page(client, world)
    with django_assert_max_num_queries(8):
        page(client, world)
    for day in (DAY + datetime.timedelta(days=n) for n in (1, 2)):
        lesson = Lesson.objects.get(course=journal_course(world), date=day)
        if lesson.status != Lesson.Status.CANCELLED:
            homework_with_file(world, lesson, text=f"Задание к {day}", name="more.pdf")
    with django_assert_max_num_queries(8):
        response = page(client, world)
    assert len(dates(response)) >= 2


def test_nothing_due_says_so(client, world):
    client.force_login(world.pupil)
    response = page(client, world)
    assert response.status_code == 200 and response.context["days"] == []
    assert "На ближайшие дни домашних заданий нет." in response.content.decode()
