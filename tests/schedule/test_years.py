"""Academic years and the structure index: the admin's pages, read-only for the director and the deputy (R-B01)."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEntry
from schedule.models import AcademicYear, Holiday, StudyPeriod
from schedule.services import ScheduleError
from schedule.services import classes as class_services
from schedule.services import years as year_services
from tests.factories import UserFactory, make_year

D = datetime.date


@pytest.fixture
def foreign_admin(world):
    return UserFactory(school=world.other_school, username="foreign_admin", roles=[Role.ADMIN])


def test_admin_creates_the_next_year_from_the_page(client, world):
    """R-B01: the admin enters the academic year; the form suggests the year after the school's latest one."""
    client.force_login(world.admin)
    page = client.get(reverse("schedule:year_add")).content.decode()
    assert 'value="2027/2028"' in page and 'value="2027-09-01"' in page and 'value="2028-08-31"' in page
    response = client.post(
        reverse("schedule:year_add"), {"name": " 2027/2028 ", "start": "01.09.2027", "end": "2028-08-31"}
    )
    year = AcademicYear.objects.get(school=world.school, name="2027/2028")
    assert response.status_code == 302 and response["Location"] == reverse("schedule:year_detail", args=[year.pk])
    assert (year.start, year.end) == (D(2027, 9, 1), D(2028, 8, 31))
    assert AuditEntry.objects.filter(action="schedule.year.created", object_id=str(year.pk), actor=world.admin).exists()


def test_an_overlapping_year_is_refused_with_a_message_and_nothing_saved(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("schedule:year_add"), {"name": "2027/2028", "start": "2027-08-01", "end": "2028-07-31"}
    )
    assert response.status_code == 422
    assert "пересекаются с другим учебным годом" in response.content.decode()
    assert AcademicYear.objects.for_school(world.school).count() == 1


def test_unreadable_dates_are_shown_on_the_form_not_a_server_error(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("schedule:year_add"), {"name": "2027/2028", "start": "31.02.2027", "end": ""})
    assert response.status_code == 422
    assert 'class="errorlist"' in response.content.decode()
    assert AcademicYear.objects.for_school(world.school).count() == 1


@pytest.mark.parametrize(
    ("name", "start", "end", "message"),
    [
        ("2026/2027", D(2030, 9, 1), D(2031, 8, 31), "уже есть"),
        ("  ", D(2030, 9, 1), D(2031, 8, 31), "Укажите название"),
        ("2030/2031", D(2030, 9, 1), D(2032, 8, 31), "длиннее календарного"),
        ("2030/2031", D(2030, 9, 1), D(2030, 9, 1), "заканчиваться позже"),
    ],
)
def test_year_rules(world, name, start, end, message):
    with pytest.raises(ScheduleError, match=message):
        year_services.academic_year_create(actor=None, school=world.school, name=name, start=start, end=end)
    assert AcademicYear.objects.for_school(world.school).count() == 1


def test_the_same_name_in_another_school_is_fine(world):
    year_services.academic_year_create(
        actor=None, school=world.other_school, name="2030/2031", start=D(2030, 9, 1), end=D(2031, 8, 31)
    )
    year_services.academic_year_create(
        actor=None, school=world.school, name="2030/2031", start=D(2030, 9, 1), end=D(2031, 8, 31)
    )


def test_admin_renames_and_moves_a_year_and_the_audit_keeps_the_old_values(client, world):
    year = world.school_class.year
    client.force_login(world.admin)
    response = client.post(
        reverse("schedule:year_edit", args=[year.pk]), {"name": "2026-2027", "start": "2026-09-01", "end": "2027-06-30"}
    )
    assert response.status_code == 302
    year.refresh_from_db()
    assert (year.name, year.end) == ("2026-2027", D(2027, 6, 30))
    entry = AuditEntry.objects.get(action="schedule.year.changed", object_id=str(year.pk))
    assert entry.data == {"name": ["2026/2027", "2026-2027"], "end": ["2027-08-31", "2027-06-30"]}


def test_a_year_cannot_start_after_its_pupils_were_enrolled(client, world):
    """Pupils of 5А are enrolled from 01.09.2026: the year cannot start on the 2nd."""
    year = world.school_class.year
    client.force_login(world.admin)
    response = client.post(
        reverse("schedule:year_edit", args=[year.pk]), {"name": year.name, "start": "2026-09-02", "end": "2027-08-31"}
    )
    assert response.status_code == 422
    assert "зачислены в классы этого года с 01.09.2026" in response.content.decode()
    year.refresh_from_db()
    assert year.start == D(2026, 9, 1)


def test_a_year_cannot_end_before_a_later_enrollment(world):
    year = world.school_class.year
    class_services.enrollment_move(actor=None, pupil=world.pupil, to_class=world.other_class, since=D(2027, 5, 10))
    with pytest.raises(ScheduleError, match="не может заканчиваться раньше"):
        year_services.academic_year_update(actor=None, year=year, name=year.name, start=year.start, end=D(2027, 5, 1))


def test_a_year_cannot_shrink_away_from_its_periods_and_holidays(world):
    year = world.school_class.year
    year_services.holiday_create(actor=None, year=year, name="Летние", start=D(2027, 6, 1), end=D(2027, 8, 31))
    with pytest.raises(ScheduleError, match="Некоторые каникулы"):
        year_services.academic_year_update(actor=None, year=year, name=year.name, start=year.start, end=D(2027, 7, 31))
    year_services.period_create(actor=None, year=year, kind="half", number=2, start=D(2027, 1, 11), end=D(2027, 5, 26))
    with pytest.raises(ScheduleError, match="учебные периоды"):
        year_services.academic_year_update(actor=None, year=year, name=year.name, start=year.start, end=D(2027, 5, 20))
    year.refresh_from_db()
    assert year.end == D(2027, 8, 31)


def test_a_closed_year_keeps_its_structure(client, world):
    """R-B17: a closed year stays as it was."""
    year = world.school_class.year
    AcademicYear.objects.filter(pk=year.pk).update(is_archived=True)
    year.refresh_from_db()
    with pytest.raises(ScheduleError, match="закрыт"):
        year_services.academic_year_update(actor=None, year=year, name="x", start=year.start, end=year.end)
    client.force_login(world.admin)
    response = client.get(reverse("schedule:year_edit", args=[year.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("schedule:year_detail", args=[year.pk])
    page = response.content.decode()
    assert "структура больше не меняется" in page
    assert reverse("schedule:period_add", args=[year.pk]) not in page


def test_a_year_with_classes_is_not_deleted(client, world):
    year = world.school_class.year
    client.force_login(world.admin)
    response = client.post(reverse("schedule:year_delete", args=[year.pk]), follow=True)
    assert "есть классы: удалить его нельзя" in response.content.decode()
    assert AcademicYear.objects.filter(pk=year.pk).exists()
    assert reverse("schedule:year_delete", args=[year.pk]) not in response.content.decode()


def test_an_empty_year_is_deleted_with_its_periods_and_holidays(client, world):
    year = make_year(world.school, D(2027, 9, 1))
    year_services.year_fill_usual(actor=None, year=year)
    client.force_login(world.admin)
    page = client.get(reverse("schedule:year_detail", args=[year.pk])).content.decode()
    assert reverse("schedule:year_delete", args=[year.pk]) in page
    response = client.post(reverse("schedule:year_delete", args=[year.pk]))
    assert response["Location"] == reverse("schedule:year_list")
    assert not AcademicYear.objects.filter(pk=year.pk).exists()
    assert (
        not StudyPeriod.objects.filter(year_id=year.pk).exists()
        and not Holiday.objects.filter(year_id=year.pk).exists()
    )
    assert AuditEntry.objects.get(action="schedule.year.deleted").data["name"] == "2027/2028"


@pytest.mark.parametrize("role", ["director", "deputy"])
def test_director_and_deputy_read_the_years_without_edit_buttons(client, world, role):
    year = world.school_class.year
    year_services.year_fill_usual(actor=None, year=year)
    client.force_login(world.persona(role))
    listing = client.get(reverse("schedule:year_list")).content.decode()
    assert "2026/2027" in listing and "01.09.2026 — 31.08.2027" in listing
    assert reverse("schedule:year_add") not in listing
    detail = client.get(reverse("schedule:year_detail", args=[year.pk])).content.decode()
    assert "Осенние каникулы" in detail and "1 четверть" in detail
    for name in ("schedule:year_edit", "schedule:period_add", "schedule:holiday_add"):
        assert reverse(name, args=[year.pk]) not in detail
    assert "Изменить" not in detail and "Удалить" not in detail
    assert client.get(reverse("schedule:year_edit", args=[year.pk])).status_code == 403
    assert client.post(reverse("schedule:year_fill_usual", args=[year.pk])).status_code == 403


@pytest.mark.parametrize("role", ["teacher", "class_teacher", "pupil", "guardian"])
def test_teachers_and_families_do_not_see_the_years(client, world, role):
    client.force_login(world.persona(role))
    assert client.get(reverse("schedule:year_list")).status_code == 403
    assert client.get(reverse("schedule:year_detail", args=[world.school_class.year_id])).status_code == 403


def test_anonymous_goes_to_login(client, world):
    response = client.get(reverse("schedule:year_detail", args=[world.school_class.year_id]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_another_schools_admin_gets_404_for_our_year(client, world, foreign_admin):
    year = world.school_class.year
    client.force_login(foreign_admin)
    assert client.get(reverse("schedule:year_detail", args=[year.pk])).status_code == 404
    assert client.get(reverse("schedule:year_edit", args=[year.pk])).status_code == 404
    assert client.post(reverse("schedule:year_fill_usual", args=[year.pk])).status_code == 404
    assert client.post(reverse("schedule:year_delete", args=[year.pk])).status_code == 404
    assert AcademicYear.objects.filter(pk=year.pk).exists()


def test_the_year_list_shows_only_the_schools_own_years(client, world):
    year_services.academic_year_create(
        actor=None, school=world.other_school, name="2031/2032", start=D(2031, 9, 1), end=D(2032, 8, 31)
    )
    client.force_login(world.admin)
    assert "2031/2032" not in client.get(reverse("schedule:year_list")).content.decode()


def test_pages_refuse_a_wrong_method(client, world):
    client.force_login(world.admin)
    year = world.school_class.year
    assert client.post(reverse("schedule:year_list")).status_code == 405
    assert client.post(reverse("schedule:year_detail", args=[year.pk])).status_code == 405
    assert client.get(reverse("schedule:year_delete", args=[year.pk])).status_code == 405
    assert client.get(reverse("schedule:year_fill_usual", args=[year.pk])).status_code == 405


def test_year_pages_take_the_same_queries_however_many_periods(client, world, django_assert_max_num_queries):
    year = world.school_class.year
    client.force_login(world.admin)
    client.get(reverse("schedule:year_detail", args=[year.pk]))  # warm the session and the permission cache
    year_services.year_fill_usual(actor=None, year=year)
    for n in range(3):
        make_year(world.school, D(2028 + n, 9, 1))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("schedule:year_detail", args=[year.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("schedule:year_list")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("schedule:structure")).status_code == 200


def test_the_structure_page_links_every_part(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("schedule:structure")).content.decode()
    for name, args in [
        ("schedule:year_detail", [world.school_class.year_id]),
        ("schedule:year_list", []),
        ("schedule:bell_list", []),
        ("schedule:subject_list", []),
        ("gradebook:worktype_list", []),
        ("accounts:rules", []),
    ]:
        assert reverse(name, args=args) in page
    assert "учебных периодов пока нет" in page


def test_the_set_up_checklist_reaches_these_pages(client, world):
    """The checklist at /setup/ links its steps by URL name: those names resolve to the pages here."""
    client.force_login(world.admin)
    page = client.get(reverse("setup")).content.decode()
    for name in ("schedule:year_list", "schedule:bell_list", "schedule:subject_list", "gradebook:worktype_list"):
        assert reverse(name) in page
    assert reverse("accounts:rules") in page
