"""Classes, enrollments with dates, subgroups and the year's close (R-B06, R-B07, R-B17)."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from schedule.models import AcademicYear, Enrollment, GroupMembership, SchoolClass, StudyGroup
from schedule.selectors import class_pupils
from schedule.services import ScheduleError
from schedule.services import classes as class_services
from tests.factories import UserFactory

D = datetime.date


def test_admin_creates_a_class_and_a_duplicate_is_refused(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("schedule:class_add"), {"grade": 6, "letter": "в", "class_teacher": world.teacher.pk}
    )
    assert response.status_code == 302
    assert SchoolClass.objects.get(grade=6, letter="В").class_teacher == world.teacher
    response = client.post(reverse("schedule:class_add"), {"grade": 5, "letter": "А"})
    assert response.status_code == 422
    assert "Класс 5А в этом учебном году уже есть" in response.content.decode()


def test_a_pupil_who_moves_keeps_the_history_in_the_old_class(world):
    """R-B07: lists show pupils on the date; the old class keeps the pupil until the day before."""
    class_services.enrollment_move(
        actor=world.admin, pupil=world.pupil, to_class=world.other_class, since=D(2026, 11, 10)
    )
    assert [e.pupil for e in class_pupils(school_class=world.school_class, day=D(2026, 11, 9))] == [world.pupil]
    assert list(class_pupils(school_class=world.school_class, day=D(2026, 11, 10))) == []
    on_10th = {e.pupil for e in class_pupils(school_class=world.other_class, day=D(2026, 11, 10))}
    assert on_10th == {world.pupil, world.other_pupil}
    assert Enrollment.objects.filter(pupil=world.pupil).count() == 2


def test_moving_to_the_same_class_or_outside_the_year_is_refused(world):
    with pytest.raises(ScheduleError):
        class_services.enrollment_move(
            actor=None, pupil=world.pupil, to_class=world.school_class, since=D(2026, 11, 10)
        )
    with pytest.raises(ScheduleError):
        class_services.enrollment_move(actor=None, pupil=world.pupil, to_class=world.other_class, since=D(2027, 10, 1))
    assert Enrollment.objects.filter(pupil=world.pupil).count() == 1


def test_admin_enrolls_a_new_arrival_from_the_class_page(client, world):
    """R-B07: pupils are enrolled at any time of the year."""
    newcomer = UserFactory(school=world.school, username="newcomer", roles=[Role.PUPIL])
    client.force_login(world.admin)
    page = client.get(reverse("schedule:class_detail", args=[world.school_class.pk])).content.decode()
    assert newcomer.get_full_name() in page
    client.post(
        reverse("schedule:class_enroll", args=[world.school_class.pk]), {"pupil": newcomer.pk, "since": "2026-11-18"}
    )
    assert Enrollment.objects.get(pupil=newcomer).since == D(2026, 11, 18)


def test_a_pupil_leaves_and_stays_in_history(client, world):
    client.force_login(world.admin)
    url = reverse("schedule:pupil_leave", args=[world.school_class.pk])
    client.post(url, {"pupil": world.pupil.pk, "last_day": "2026-11-20"})
    assert Enrollment.objects.get(pupil=world.pupil).until == D(2026, 11, 20)


def test_class_teacher_splits_own_class_into_a_subgroup(client, world):
    """R-B06 (seed 000 §3): the class teacher splits their own class when the school lets them."""
    client.force_login(world.class_teacher)
    response = client.post(
        reverse("schedule:group_add", args=[world.school_class.pk]),
        {"name": "5А английский 1", "since": "2026-11-17", "pupils": [world.pupil.pk]},
    )
    assert response.status_code == 302
    group = StudyGroup.objects.get(name="5А английский 1")
    assert GroupMembership.objects.get(group=group).pupil == world.pupil
    # Not another class, and not when the school's setting says no.
    assert client.get(reverse("schedule:group_add", args=[world.other_class.pk])).status_code == 403
    world.school.settings.class_teacher_splits_groups = False
    world.school.settings.save()
    assert client.get(reverse("schedule:group_add", args=[world.school_class.pk])).status_code == 403


def test_a_subgroup_takes_only_its_class_pupils(world):
    group = class_services.group_create(
        actor=None, year=world.school_class.year, name="5А-1", school_class=world.school_class
    )
    with pytest.raises(ScheduleError, match="можно включить только"):
        class_services.group_members_set(actor=None, group=group, pupils=[world.other_pupil], since=D(2026, 11, 17))
    assert not GroupMembership.objects.exists()


def test_changing_group_members_keeps_who_was_there_before(world):
    group = class_services.group_create(
        actor=None, year=world.school_class.year, name="5А-1", school_class=world.school_class
    )
    second = UserFactory(school=world.school, username="second", roles=[Role.PUPIL])
    class_services.pupils_enroll(actor=None, school_class=world.school_class, pupils=[second], since=D(2026, 9, 1))
    class_services.group_members_set(actor=None, group=group, pupils=[world.pupil, second], since=D(2026, 9, 1))
    joined, left = class_services.group_members_set(actor=None, group=group, pupils=[second], since=D(2026, 11, 1))
    assert (joined, left) == (0, 1)
    assert GroupMembership.objects.get(pupil=world.pupil).until == D(2026, 10, 31)
    assert set(GroupMembership.objects.on(D(2026, 11, 2)).values_list("pupil__username", flat=True)) == {"second"}


def test_year_close_promotes_repeats_and_graduates_and_keeps_the_old_year(client, world):
    """R-B17: the year closes on the director's order; «5А» continues as «6А»; nothing of the old year is lost."""
    year = world.school_class.year
    senior = class_services.school_class_create(actor=None, year=year, grade=11, letter="А")
    graduate = UserFactory(school=world.school, username="graduate", roles=[Role.PUPIL])
    class_services.pupils_enroll(actor=None, school_class=senior, pupils=[graduate], since=D(2026, 9, 1))
    client.force_login(world.admin)
    url = reverse("schedule:year_close", args=[year.pk])
    page = client.get(url).content.decode()
    assert graduate.get_full_name() in page
    form = {
        "order": "Приказ № 101 от 31.08.2027",
        "new_name": "2027/2028",
        "new_start": "2027-09-01",
        "new_end": "2028-08-31",
        f"d{world.pupil.pk}": "promote",
        f"d{world.other_pupil.pk}": "repeat",
        f"d{graduate.pk}": "leave",
    }
    assert client.post(url, {**form, "order": ""}).status_code == 200  # no order, no close
    assert not AcademicYear.objects.get(pk=year.pk).is_archived
    response = client.post(url, form)
    assert response.status_code == 302
    year.refresh_from_db()
    assert year.is_archived and year.closing_order == "Приказ № 101 от 31.08.2027"
    new_year = AcademicYear.objects.get(name="2027/2028")
    six_a = SchoolClass.objects.get(year=new_year, grade=6, letter="А")
    assert six_a.previous == world.school_class and six_a.class_teacher == world.class_teacher
    assert [e.pupil for e in class_pupils(school_class=six_a, day=D(2027, 9, 1))] == [world.pupil]
    five_b = SchoolClass.objects.get(year=new_year, grade=5, letter="Б")
    assert [e.pupil for e in class_pupils(school_class=five_b, day=D(2027, 9, 1))] == [world.other_pupil]
    assert not Enrollment.objects.filter(pupil=graduate, school_class__year=new_year).exists()
    assert not SchoolClass.objects.filter(year=new_year, grade=12).exists()
    # The old year is intact: its classes still list their pupils on its dates.
    assert [e.pupil for e in class_pupils(school_class=world.school_class, day=D(2027, 5, 20))] == [world.pupil]
    # And it no longer changes.
    with pytest.raises(ScheduleError, match="закрыт|closed"):
        class_services.school_class_create(actor=None, year=year, grade=7, letter="А")


def test_year_close_needs_a_decision_for_every_pupil(world):
    with pytest.raises(ScheduleError):
        class_services.year_close(
            actor=None,
            year=world.school_class.year,
            order="№ 1",
            new_name="2027/2028",
            new_start=D(2027, 9, 1),
            new_end=D(2028, 8, 31),
            decisions={world.pupil.pk: "promote"},
        )
    assert AcademicYear.objects.count() == 2  # the two schools' years; nothing new


def test_admin_moves_a_pupil_from_the_class_page(client, world):
    client.force_login(world.admin)
    url = reverse("schedule:pupil_move", args=[world.school_class.pk])
    client.post(url, {"pupil": world.pupil.pk, "to_class": world.other_class.pk, "since": "2026-11-18"})
    assert Enrollment.objects.get(pupil=world.pupil, until=D(2026, 11, 17)).school_class == world.school_class
    assert Enrollment.objects.get(pupil=world.pupil, since=D(2026, 11, 18)).school_class == world.other_class
    # A pupil never enrolled in this class cannot be moved from it.
    response = client.post(
        url, {"pupil": world.foreign_pupil.pk, "to_class": world.other_class.pk, "since": "2026-11-19"}
    )
    assert response.status_code == 302
    assert not Enrollment.objects.filter(pupil=world.foreign_pupil, school_class=world.other_class).exists()


def test_admin_makes_a_group_across_classes_and_keeps_members_of_classes_not_shown(client, world):
    """R-B06: groups across classes (a profile group) with dated memberships."""
    client.force_login(world.admin)
    response = client.post(reverse("schedule:group_add_cross"), {"name": "5 профильная математика"})
    group = StudyGroup.objects.get(name="5 профильная математика")
    assert response["Location"] == reverse("schedule:group_detail", args=[group.pk])
    assert group.school_class is None
    page = client.get(reverse("schedule:group_detail", args=[group.pk]), {"classes": [world.school_class.pk]})
    assert world.pupil.get_full_name() in page.content.decode()
    members = reverse("schedule:group_members", args=[group.pk])
    client.post(members, {"classes": [world.school_class.pk], "since": "2026-11-17", "pupils": [world.pupil.pk]})
    client.post(members, {"classes": [world.other_class.pk], "since": "2026-11-17", "pupils": [world.other_pupil.pk]})
    on_day = set(GroupMembership.objects.on(D(2026, 11, 17)).filter(group=group).values_list("pupil_id", flat=True))
    assert on_day == {world.pupil.pk, world.other_pupil.pk}
    assert world.foreign_pupil.pk not in on_day
    assert client.get(reverse("schedule:group_list")).status_code == 200
