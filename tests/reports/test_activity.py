"""User activity (R-J10): logins, marks, homework and diaries opened per role and ISO week, the school's activity
figure, the staff's own activity; who reads it; a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from gradebook.marks import mark_set
from reports.activity import activity, staff_activity
from schedule.services.homework import homework_set
from tests.factories import PASSWORD, UserFactory
from tests.matrix.journal import journal_course, lesson_of, work_on

MOSCOW = datetime.timezone(datetime.timedelta(hours=3))
NOV = (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))


def login(client, username: str) -> None:
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    client.logout()


def open_diary(client, family_member, pupil) -> None:
    client.force_login(family_member)
    assert client.get(reverse("diary:news", args=[pupil.pk])).status_code == 200
    client.logout()


def row(result, role):
    return next(r for r in result.rows if r.role == role)


def week_events(result, role, kind) -> list[int]:
    return [w[kind].events if kind in w else 0 for w in row(result, role).weeks]


@pytest.fixture
def busy(world, clock, client):
    """Week of 9 November: the teacher logs in and enters two marks and homework; the guardian opens the diary.
    Week of 16 November (today, Tuesday 17th): the teacher logs in twice and changes a mark; the pupil opens the
    diary."""
    journal_course(world)
    clock.move_to(datetime.datetime(2026, 11, 12, 10, 0, tzinfo=MOSCOW))
    login(client, "teacher")
    work = work_on(world, datetime.date(2026, 11, 12))
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")
    other = work_on(world, datetime.date(2026, 11, 11))
    mark_set(actor=world.teacher, work=other, pupil_id=world.pupil.pk, value="4")
    homework_set(actor=world.teacher, lesson=lesson_of(world, datetime.date(2026, 11, 12)), text="№ 1–5", minutes=30)
    open_diary(client, world.guardian, world.pupil)
    clock.move_to(datetime.datetime(2026, 11, 17, 9, 0, tzinfo=MOSCOW))
    login(client, "teacher")
    login(client, "teacher")
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="3")
    open_diary(client, world.pupil, world.pupil)
    return work


def test_activity_counts_each_kind_of_event_per_role_and_iso_week_R_J10(world, busy):
    result = activity(school=world.school, start=NOV[0], end=NOV[1])
    # 1–30 November touches the ISO weeks from Monday 26 October to Monday 30 November.
    assert result.weeks[0] == datetime.date(2026, 10, 26)
    assert result.weeks[-1] == datetime.date(2026, 11, 30)
    nine, sixteen = result.weeks.index(datetime.date(2026, 11, 9)), result.weeks.index(datetime.date(2026, 11, 16))
    logins = week_events(result, Role.TEACHER, "login")
    assert (logins[nine], logins[sixteen], sum(logins)) == (1, 2, 3)
    marks = week_events(result, Role.TEACHER, "mark")
    assert (marks[nine], sum(marks)) == (2, 2)
    assert week_events(result, Role.TEACHER, "mark_changed")[sixteen] == 1
    assert week_events(result, Role.TEACHER, "homework")[nine] == 1
    assert week_events(result, Role.GUARDIAN, "diary")[nine] == 1
    assert week_events(result, Role.PUPIL, "diary")[sixteen] == 1
    assert sum(week_events(result, Role.GUARDIAN, "diary")) == 1
    # Nobody else did anything: the other roles' rows are empty.
    assert row(result, Role.DIRECTOR).active == 0


def test_a_person_is_active_once_per_week_however_much_they_did_R_J10(world, busy):
    result = activity(school=world.school, start=NOV[0], end=NOV[1])
    teachers = row(result, Role.TEACHER)
    # Teachers of the school: class_teacher, teacher, other_teacher: one active (in two weeks).
    assert teachers.members == 3
    assert teachers.active == 1
    actives = [n for n, _pct in teachers.week_active()]
    assert actives[result.weeks.index(datetime.date(2026, 11, 9))] == 1
    assert actives[result.weeks.index(datetime.date(2026, 11, 16))] == 1
    assert teachers.share == 33


def test_activity_figure_is_the_weighted_mean_of_each_roles_active_share_R_J10(world, busy):
    result = activity(school=world.school, start=NOV[0], end=NOV[1])
    terms = {t.label: t for t in result.terms}
    # Teachers 1 of 3 (weight 4), parents 1 of 2 (3), pupils 1 of 2 (2), administration 0 of 3 (1).
    assert [(t.members, t.active, t.weight) for t in result.terms] == [(3, 1, 4), (2, 1, 3), (2, 1, 2), (3, 0, 1)]
    expected = round(100 * (4 * 1 / 3 + 3 * 0.5 + 2 * 0.5 + 1 * 0) / 10)
    assert result.figure == expected == 38
    assert terms


def test_activity_outside_the_range_is_not_counted_R_J10(world, busy):
    result = activity(school=world.school, start=datetime.date(2026, 11, 16), end=datetime.date(2026, 11, 22))
    assert week_events(result, Role.TEACHER, "login") == [2]
    assert week_events(result, Role.TEACHER, "mark") == [0]
    assert week_events(result, Role.GUARDIAN, "diary") == [0]


def test_another_schools_activity_is_never_counted_R_J10(world, busy):
    result = activity(school=world.other_school, start=NOV[0], end=NOV[1])
    assert all(r.active == 0 for r in result.rows)


def test_staff_drill_down_lists_every_staff_member_with_their_own_figures_R_J10(world, busy):
    people = {p.user.pk: p for p in staff_activity(school=world.school, start=NOV[0], end=NOV[1])}
    assert world.pupil.pk not in people and world.guardian.pk not in people
    assert {world.teacher.pk, world.other_teacher.pk, world.deputy.pk, world.admin.pk} <= set(people)
    teacher = people[world.teacher.pk]
    assert teacher.counts == {"login": 3, "mark": 2, "mark_changed": 1, "homework": 1}
    assert teacher.active_weeks == 2
    assert people[world.other_teacher.pk].counts == {} and people[world.other_teacher.pk].active_weeks == 0


def test_the_director_reads_the_activity_page_and_its_figure_R_J10(client, world, busy):
    client.force_login(world.director)
    response = client.get(reverse("reports:activity"), {"start": "2026-11-01", "end": "2026-11-30"})
    assert response.status_code == 200
    page = response.content.decode()
    # The director's own login (force_login sends the login signal too) makes the administration 1 of 3 active:
    # (4 × 1/3 + 3 × 1/2 + 2 × 1/2 + 1 × 1/3) / 10 = 41.7 → 42.
    assert response.context["result"].figure == 42
    assert '<span class="rp-figure">42</span>' in page and "09.11–15.11" in page
    staff = client.get(reverse("reports:activity_staff"), {"start": "2026-11-01", "end": "2026-11-30"})
    assert world.teacher.get_full_name() in staff.content.decode()


def test_the_month_is_the_default_period_R_J10(client, world):
    client.force_login(world.director)
    response = client.get(reverse("reports:activity"))
    assert response.context["result"].start == datetime.date(2026, 11, 1)
    assert response.context["result"].end == datetime.date(2026, 11, 30)


@pytest.mark.parametrize("role", ["teacher", "class_teacher", "pupil", "guardian"])
def test_only_the_administration_reads_the_activity_R_J10(client, world, role):
    client.force_login(getattr(world, role))
    assert client.get(reverse("reports:activity")).status_code == 403
    assert client.get(reverse("reports:activity_staff")).status_code == 403


def test_the_activity_pages_cost_the_same_queries_whatever_the_data_R_J10(
    client, world, busy, django_assert_max_num_queries
):
    client.force_login(world.director)
    query = {"start": "2026-09-01", "end": "2026-11-30"}
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:activity"), query).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:activity_staff"), query).status_code == 200
    for n in range(15):
        UserFactory(school=world.school, username=f"extra.t{n}", roles=[Role.TEACHER])
        login(client, f"extra.t{n}")
    client.force_login(world.director)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:activity"), query).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:activity_staff"), query).status_code == 200
