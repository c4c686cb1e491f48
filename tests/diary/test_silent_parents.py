"""The parents who have not opened the diary for two weeks, for their class teacher to call (R-I12, seed 003)."""

import datetime

from django.urls import reverse

from accounts import services as accounts_services
from accounts.models import GuardianLink, Role, SchoolSettings
from diary.models import DiaryVisit
from diary.notices import silent_parents
from schedule.services import classes as class_services
from tests.factories import UserFactory

DAY = datetime.date(2026, 11, 17)  # the frozen clock's day


def visit(world, user, day):
    DiaryVisit.objects.create(school=world.school, user=user, day=day)


def parent_of(world, pupil, login, **kwargs):
    user = UserFactory(school=world.school, username=login, roles=[Role.GUARDIAN], **kwargs)
    accounts_services.guardian_link(
        actor=None, school=world.school, guardian=user, pupil=pupil, relation=GuardianLink.Relation.FATHER
    )
    return user


def report(world, days=14):
    return silent_parents(school_class=world.school_class, day=DAY, silence_days=days)


def test_parents_silent_for_two_weeks_or_never_are_flagged_R_I12(world):
    father = parent_of(world, world.pupil, "father")
    grandma = parent_of(world, world.pupil, "grandma")
    visit(world, world.guardian, DAY - datetime.timedelta(days=20))
    visit(world, world.guardian, DAY - datetime.timedelta(days=3))  # the last one counts
    visit(world, father, DAY - datetime.timedelta(days=14))
    visit(world, world.pupil, DAY)
    visit(world, world.other_guardian, DAY - datetime.timedelta(days=30))  # 5Б: not on 5А's list
    r = report(world)
    by_person = {v.person.pk: v for v in r.parents}
    assert set(by_person) == {world.guardian.pk, father.pk, grandma.pk}
    assert by_person[world.guardian.pk].last_visit == DAY - datetime.timedelta(days=3)
    assert not by_person[world.guardian.pk].silent
    assert by_person[father.pk].silent and by_person[father.pk].days == 14
    assert by_person[grandma.pk].silent and by_person[grandma.pk].last_visit is None
    # Whom to call first: never opened, then the longest silence.
    assert [v.person.pk for v in r.parents] == [grandma.pk, father.pk, world.guardian.pk]
    assert r.silent_count == 2
    [pupil] = r.pupils
    assert pupil.person == world.pupil and pupil.last_visit == DAY and not pupil.silent


def test_the_schools_setting_sets_the_silence(world):
    visit(world, world.guardian, DAY - datetime.timedelta(days=7))
    assert not report(world, days=14).parents[0].silent
    assert report(world, days=7).parents[0].silent


def test_a_parent_with_two_children_in_the_class_is_listed_once(world):
    brother = UserFactory(school=world.school, username="brother", roles=[Role.PUPIL])
    class_services.pupils_enroll(
        actor=None, school_class=world.school_class, pupils=[brother], since=datetime.date(2026, 9, 1)
    )
    accounts_services.guardian_link(actor=None, school=world.school, guardian=world.guardian, pupil=brother)
    [parent] = report(world).parents
    assert {pupil.pk for pupil, _relation in parent.children} == {world.pupil.pk, brother.pk}


def test_parents_who_opted_out_are_listed_apart(world):
    accounts_services.guardian_profile_set(
        actor=world.admin, school=world.school, guardian=world.guardian, diary_opt_out=True, paper_channel="in_person"
    )
    r = report(world)
    assert r.parents == []
    [parent] = r.opted_out
    assert parent.person == world.guardian
    assert parent.paper_channel == "выдавать в школе"


def test_the_page_lists_them_for_the_class_teacher_R_I12(client, world):
    world.guardian.phone = "+7 900 123-45-67"
    world.guardian.save()
    client.force_login(world.class_teacher)
    response = client.get(reverse("diary:silent_parents", args=[world.school_class.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert world.guardian.get_full_name() in text
    assert "+7 900 123-45-67" in text
    assert world.guardian.email in text
    assert "ни разу" in text
    assert "не заходит" in text
    assert world.other_guardian.get_full_name() not in text


def test_the_page_costs_the_same_queries_for_a_bigger_class(client, world, django_assert_max_num_queries):
    client.force_login(world.class_teacher)
    url = reverse("diary:silent_parents", args=[world.school_class.pk])
    client.get(url)  # warm the session
    with django_assert_max_num_queries(9) as small:
        client.get(url)
    pupils = [UserFactory(school=world.school, username=f"p{i}", roles=[Role.PUPIL]) for i in range(8)]
    class_services.pupils_enroll(
        actor=None, school_class=world.school_class, pupils=pupils, since=datetime.date(2026, 9, 1)
    )
    for i, pupil in enumerate(pupils):
        parent = parent_of(world, pupil, f"g{i}")
        visit(world, parent, DAY - datetime.timedelta(days=i * 3))
        visit(world, pupil, DAY - datetime.timedelta(days=i))
        if i % 3 == 0:
            accounts_services.guardian_profile_set(
                actor=None, school=world.school, guardian=parent, diary_opt_out=True, paper_channel="in_person"
            )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("не заходит") >= 3


def parents_section(html: str) -> str:
    return html.split("<h2>Родители</h2>", 1)[1].split("<h2>", 1)[0]


def test_the_silence_setting_reaches_the_page(client, world):
    visit(world, world.guardian, DAY - datetime.timedelta(days=7))
    client.force_login(world.class_teacher)
    url = reverse("diary:silent_parents", args=[world.school_class.pk])
    assert "не заходит" not in parents_section(client.get(url).content.decode())
    SchoolSettings.objects.filter(school=world.school).update(diary_silence_days=7)
    assert "не заходит" in parents_section(client.get(url).content.decode())
