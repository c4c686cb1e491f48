"""Bell schedules: a school may have several (R-B02); each schedule's lessons are edited as one form."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEntry
from schedule.models import Bell, BellSchedule
from schedule.services import ScheduleError
from schedule.services import classes as class_services
from schedule.services import years as year_services
from schedule.services.years import BellTimes
from tests.factories import UserFactory

T = datetime.time


def formset(rows, initial=0, delete=()):
    """The bells form as the browser posts it: rows of (number, start, end), "" for an empty cell."""
    data = {
        "bells-TOTAL_FORMS": len(rows),
        "bells-INITIAL_FORMS": initial,
        "bells-MIN_NUM_FORMS": 0,
        "bells-MAX_NUM_FORMS": 20,
    }
    for i, (number, start, end) in enumerate(rows):
        data |= {f"bells-{i}-number": number, f"bells-{i}-start": start, f"bells-{i}-end": end}
        if i in delete:
            data[f"bells-{i}-DELETE"] = "on"
    return data


def times(schedule):
    return [(b.number, f"{b.start:%H:%M}", f"{b.end:%H:%M}") for b in Bell.objects.filter(schedule=schedule)]


@pytest.fixture
def shift(world):
    schedule = year_services.bell_schedule_create(actor=None, school=world.school, name="Первая смена")
    year_services.bells_set(
        actor=None,
        schedule=schedule,
        bells=[BellTimes(1, T(8, 30), T(9, 15)), BellTimes(2, T(9, 25), T(10, 10))],
    )
    return schedule


def test_admin_creates_a_schedule_and_gets_the_usual_times_to_correct(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("schedule:bell_schedule_add"), {"name": "Первая смена"})
    schedule = BellSchedule.objects.get(school=world.school)
    assert response["Location"] == reverse("schedule:bells_edit", args=[schedule.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Для начала подставлено обычное время" in page
    assert 'value="08:00"' in page and 'value="14:35"' in page
    assert not Bell.objects.exists()  # suggested, not saved


def test_admin_saves_the_bells_as_one_form_and_empty_rows_are_ignored(client, world, shift):
    client.force_login(world.admin)
    rows = [(1, "08:30", "09:15"), (2, "09:25", "10:10"), (3, "10.30", "11:15"), ("", "", "")]
    response = client.post(reverse("schedule:bells_edit", args=[shift.pk]), formset(rows, initial=2))
    assert response["Location"] == reverse("schedule:bell_list")
    assert times(shift) == [(1, "08:30", "09:15"), (2, "09:25", "10:10"), (3, "10:30", "11:15")]
    entry = AuditEntry.objects.filter(action="schedule.bells.changed", object_id=str(shift.pk)).latest("pk")
    assert entry.data["before"] == ["1: 08:30–09:15", "2: 09:25–10:10"]
    assert entry.data["after"][-1] == "3: 10:30–11:15"


def test_a_lesson_is_removed_by_its_tick(client, world, shift):
    client.force_login(world.admin)
    rows = [(1, "08:30", "09:15"), (2, "09:25", "10:10")]
    client.post(reverse("schedule:bells_edit", args=[shift.pk]), formset(rows, initial=2, delete={1}))
    assert times(shift) == [(1, "08:30", "09:15")]


def test_a_zero_lesson_before_the_first_is_fine(world, shift):
    year_services.bells_set(
        actor=None, schedule=shift, bells=[BellTimes(0, T(7, 40), T(8, 20)), BellTimes(1, T(8, 30), T(9, 15))]
    )
    assert times(shift)[0] == (0, "07:40", "08:20")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([(1, "08:30", "09:15"), (2, "09:10", "09:55")], "Урок 2 начинается в 09:10, раньше окончания урока 1 в 09:15"),
        ([(1, "10:30", "11:15"), (2, "08:30", "09:15")], "уроки идут по порядку номеров"),
        ([(1, "08:30", "09:15"), (1, "09:25", "10:10")], "Урок 1 указан дважды"),
        ([(1, "09:15", "08:30")], "Урок 1 должен заканчиваться позже"),
        ([("", "", "")], "хотя бы одного урока"),
    ],
)
def test_bad_bells_are_refused_with_a_message_and_nothing_changes(client, world, shift, rows, message):
    client.force_login(world.admin)
    response = client.post(reverse("schedule:bells_edit", args=[shift.pk]), formset(rows))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert times(shift) == [(1, "08:30", "09:15"), (2, "09:25", "10:10")]


def test_a_half_filled_row_is_an_error_on_that_row(client, world, shift):
    client.force_login(world.admin)
    response = client.post(reverse("schedule:bells_edit", args=[shift.pk]), formset([(3, "10:30", "")]))
    assert response.status_code == 422
    assert "Укажите номер урока, начало и окончание" in response.content.decode()
    response = client.post(reverse("schedule:bells_edit", args=[shift.pk]), formset([(3, "25:00", "26:00")]))
    assert response.status_code == 422
    assert len(times(shift)) == 2


def test_a_school_has_several_bell_schedules(world, shift):
    """R-B02: two shifts, a shortened day."""
    second = year_services.bell_schedule_create(actor=None, school=world.school, name="Вторая смена")
    year_services.bells_set(actor=None, schedule=second, bells=[BellTimes(1, T(13, 30), T(14, 15))])
    assert BellSchedule.objects.for_school(world.school).count() == 2
    with pytest.raises(ScheduleError, match="уже есть"):
        year_services.bell_schedule_create(actor=None, school=world.school, name="первая  смена")
    # Another school may use the same name.
    year_services.bell_schedule_create(actor=None, school=world.other_school, name="Первая смена")


def test_admin_renames_a_schedule(client, world, shift):
    year_services.bell_schedule_create(actor=None, school=world.school, name="Сокращённый день")
    client.force_login(world.admin)
    url = reverse("schedule:bell_schedule_rename", args=[shift.pk])
    response = client.post(url, {"name": "Сокращённый день"})
    assert response.status_code == 422 and "уже есть" in response.content.decode()
    client.post(url, {"name": "1 смена"})
    shift.refresh_from_db()
    assert shift.name == "1 смена"
    assert AuditEntry.objects.get(action="schedule.bells.renamed").data == {"name": ["Первая смена", "1 смена"]}


def test_a_schedule_that_classes_ring_by_is_not_deleted(client, world, shift):
    class_services.school_class_update(
        actor=None, school_class=world.school_class, letter="А", class_teacher=world.class_teacher, bell_schedule=shift
    )
    client.force_login(world.admin)
    page = client.get(reverse("schedule:bell_list")).content.decode()
    assert "Классы: 5А" in page
    assert reverse("schedule:bell_schedule_delete", args=[shift.pk]) not in page
    response = client.post(reverse("schedule:bell_schedule_delete", args=[shift.pk]), follow=True)
    assert "занимаются классы (5А)" in response.content.decode()
    assert BellSchedule.objects.filter(pk=shift.pk).exists()


def test_an_unused_schedule_is_deleted_with_its_bells(client, world, shift):
    client.force_login(world.admin)
    client.post(reverse("schedule:bell_schedule_delete", args=[shift.pk]))
    assert not BellSchedule.objects.exists() and not Bell.objects.exists()
    assert AuditEntry.objects.get(action="schedule.bells.deleted").data["bells"] == ["1: 08:30–09:15", "2: 09:25–10:10"]


@pytest.mark.parametrize("role", ["director", "deputy"])
def test_director_and_deputy_read_the_bells_without_edit_buttons(client, world, shift, role):
    client.force_login(world.persona(role))
    page = client.get(reverse("schedule:bell_list")).content.decode()
    assert "Первая смена" in page and "08:30–09:15" in page
    assert reverse("schedule:bells_edit", args=[shift.pk]) not in page
    assert reverse("schedule:bell_schedule_add") not in page
    assert client.get(reverse("schedule:bells_edit", args=[shift.pk])).status_code == 403
    assert (
        client.post(reverse("schedule:bells_edit", args=[shift.pk]), formset([(1, "08:00", "08:45")])).status_code
        == 403
    )
    assert len(times(shift)) == 2


def test_teachers_get_403_and_another_schools_admin_404(client, world, shift):
    client.force_login(world.teacher)
    assert client.get(reverse("schedule:bell_list")).status_code == 403
    assert client.get(reverse("schedule:bells_edit", args=[shift.pk])).status_code == 403
    foreign_admin = UserFactory(school=world.other_school, username="foreign_admin", roles=[Role.ADMIN])
    client.force_login(foreign_admin)
    assert client.get(reverse("schedule:bells_edit", args=[shift.pk])).status_code == 404
    assert client.post(reverse("schedule:bell_schedule_delete", args=[shift.pk])).status_code == 404
    assert "Первая смена" not in client.get(reverse("schedule:bell_list")).content.decode()


def test_the_bell_list_takes_the_same_queries_however_many_schedules(client, world, django_assert_max_num_queries):
    client.force_login(world.admin)
    client.get(reverse("schedule:bell_list"))
    for n in range(5):
        schedule = year_services.bell_schedule_create(actor=None, school=world.school, name=f"Смена {n}")
        year_services.bells_set(actor=None, schedule=schedule, bells=[BellTimes(1, T(8, 0), T(8, 45))])
    with django_assert_max_num_queries(10):
        assert client.get(reverse("schedule:bell_list")).status_code == 200


def test_the_suggested_times_saved_as_they_are_become_the_bells(client, world):
    schedule = year_services.bell_schedule_create(actor=None, school=world.school, name="Первая смена")
    client.force_login(world.admin)
    url = reverse("schedule:bells_edit", args=[schedule.pk])
    formset_on_page = client.get(url).context["formset"]
    rows = [
        (f.initial["number"], f"{f.initial['start']:%H:%M}", f"{f.initial['end']:%H:%M}")
        for f in formset_on_page.forms[:7]
    ]
    rows += [("", "", "")] * 3
    response = client.post(url, formset(rows, initial=7))
    assert response.status_code == 302
    assert times(schedule)[0] == (1, "08:00", "08:45") and len(times(schedule)) == 7
