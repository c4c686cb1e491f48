"""Study periods and holidays of a year, and the usual Russian school calendar in one click (R-B01)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from audit.models import AuditEntry
from schedule.models import AcademicYear, Holiday, StudyPeriod
from schedule.services import ScheduleError
from schedule.services import years as year_services
from tests.factories import UserFactory, make_year

D = datetime.date


def quarter(year, number, start, end, grades=(1, 11), kind="quarter"):
    return year_services.period_create(
        actor=None, year=year, kind=kind, number=number, start=start, end=end, grade_from=grades[0], grade_to=grades[1]
    )


def as_rows(periods):
    return [(p.kind, p.number, p.start, p.end, p.grade_from, p.grade_to) for p in periods]


# --- The usual calendar --------------------------------------------------------------------------------------


def test_the_usual_calendar_of_2026_2027(world):
    """Quarters for grades 1–9 and halves for 10–11; holidays between them; weekends decide the exact days."""
    periods, holidays = year_services.usual_calendar(world.school_class.year)
    assert [(p.kind, p.number, p.start, p.end, p.grade_from, p.grade_to) for p in periods] == [
        ("quarter", 1, D(2026, 9, 1), D(2026, 10, 30), 1, 9),
        ("quarter", 2, D(2026, 11, 9), D(2026, 12, 28), 1, 9),
        ("quarter", 3, D(2027, 1, 11), D(2027, 3, 19), 1, 9),
        ("quarter", 4, D(2027, 3, 29), D(2027, 5, 26), 1, 9),
        ("half", 1, D(2026, 9, 1), D(2026, 12, 28), 10, 11),
        ("half", 2, D(2027, 1, 11), D(2027, 5, 26), 10, 11),
    ]
    assert [(h.name, h.start, h.end) for h in holidays] == [
        ("Осенние каникулы", D(2026, 10, 31), D(2026, 11, 8)),
        ("Зимние каникулы", D(2026, 12, 29), D(2027, 1, 10)),
        ("Весенние каникулы", D(2027, 3, 20), D(2027, 3, 28)),
    ]


def test_the_usual_calendar_of_2024_2025_matches_the_ministrys(world):
    """The 2024/2025 recommendation: I 02.09–25.10, autumn 26.10–04.11, II 05.11–28.12, winter 29.12–08.01."""
    year = AcademicYear(school=world.school, name="2024/2025", start=D(2024, 9, 1), end=D(2025, 8, 31))
    periods, holidays = year_services.usual_calendar(year)
    assert (periods[0].start, periods[0].end) == (D(2024, 9, 2), D(2024, 10, 25))
    assert (periods[1].start, periods[1].end) == (D(2024, 11, 5), D(2024, 12, 28))
    assert (holidays[0].start, holidays[0].end) == (D(2024, 10, 26), D(2024, 11, 4))
    assert (holidays[1].start, holidays[1].end) == (D(2024, 12, 29), D(2025, 1, 8))
    assert periods[3].end == D(2025, 5, 26)


@pytest.mark.parametrize("first", range(2024, 2040))
def test_the_usual_calendar_is_sound_every_year(world, first):
    """Every year: terms start on a weekday, holidays last a week or more and sit between the quarters."""
    year = AcademicYear(school=world.school, name="x", start=D(first, 9, 1), end=D(first + 1, 8, 31))
    periods, holidays = year_services.usual_calendar(year)
    quarters = periods[:4]
    for before, h, after in zip(quarters[:-1], holidays, quarters[1:], strict=True):
        assert before.end + datetime.timedelta(days=1) == h.start
        assert h.end + datetime.timedelta(days=1) == after.start
        assert 9 <= (h.end - h.start).days + 1 <= 16
    for p in periods:
        assert p.start.weekday() < 6 and p.end.weekday() < 6 and p.start < p.end
    assert periods[4].end == quarters[1].end and periods[5].start == quarters[2].start


def test_admin_fills_the_usual_calendar_in_one_click(client, world):
    year = world.school_class.year
    client.force_login(world.admin)
    page = client.get(reverse("schedule:year_detail", args=[year.pk])).content.decode()
    # The dates are shown before the click.
    assert "1 четверть (1–9 кл.): 01.09.2026 — 30.10.2026" in page
    assert "Осенние каникулы: 31.10.2026 — 08.11.2026" in page
    response = client.post(reverse("schedule:year_fill_usual", args=[year.pk]), follow=True)
    assert "Добавлено учебных периодов: 6, каникул: 3" in response.content.decode()
    assert StudyPeriod.objects.filter(year=year).count() == 6
    assert list(Holiday.objects.filter(year=year).values_list("name", flat=True)) == [
        "Осенние каникулы",
        "Зимние каникулы",
        "Весенние каникулы",
    ]
    # The same services as by hand: one audit entry per period and holiday, and one for the click.
    assert AuditEntry.objects.filter(action="schedule.period.created").count() == 6
    assert AuditEntry.objects.get(action="schedule.year.filled").data == {"periods": 6, "holidays": 3}
    assert reverse("schedule:year_fill_usual", args=[year.pk]) not in response.content.decode()


def test_the_usual_calendar_is_stored_in_russian_whatever_the_admins_language(world):
    with translation.override("en"):
        year_services.year_fill_usual(actor=world.admin, year=world.school_class.year)
    assert Holiday.objects.filter(name="Зимние каникулы").exists()


def test_the_usual_calendar_needs_a_year_without_periods(client, world):
    year = world.school_class.year
    quarter(year, 1, D(2026, 9, 1), D(2026, 10, 25))
    client.force_login(world.admin)
    response = client.post(reverse("schedule:year_fill_usual", args=[year.pk]), follow=True)
    assert "уже есть учебные периоды" in response.content.decode()
    assert StudyPeriod.objects.filter(year=year).count() == 1
    assert not Holiday.objects.exists()


def test_the_usual_calendar_keeps_holidays_entered_before(world):
    year = world.school_class.year
    year_services.holiday_create(actor=None, year=year, name="Осенние", start=D(2026, 10, 26), end=D(2026, 11, 3))
    periods, holidays = year_services.year_fill_usual(actor=None, year=year)
    assert len(periods) == 6 and holidays == []
    assert list(Holiday.objects.filter(year=year).values_list("name", flat=True)) == ["Осенние"]


def test_the_usual_calendar_refuses_a_year_it_does_not_fit_and_leaves_nothing(world):
    year = year_services.academic_year_create(
        actor=None, school=world.school, name="короткий", start=D(2027, 9, 1), end=D(2028, 3, 1)
    )
    with pytest.raises(ScheduleError, match="внутри учебного года"):
        year_services.year_fill_usual(actor=None, year=year)
    assert not StudyPeriod.objects.filter(year=year).exists()
    assert not Holiday.objects.filter(year=year).exists()


# --- Periods by hand -------------------------------------------------------------------------------------------


def test_admin_adds_a_period_from_the_page(client, world):
    year = world.school_class.year
    client.force_login(world.admin)
    form = client.get(reverse("schedule:period_add", args=[year.pk])).content.decode()
    assert 'value="2026-09-01"' in form
    response = client.post(
        reverse("schedule:period_add", args=[year.pk]),
        {"kind": "trimester", "number": 1, "start": "01.09.2026", "end": "30.11.2026", "grade_from": 1, "grade_to": 11},
        follow=True,
    )
    assert "Добавлено: 1 триместр (1–11 кл.)" in response.content.decode()
    period = StudyPeriod.objects.get(year=year)
    assert (period.kind, period.start, period.end) == ("trimester", D(2026, 9, 1), D(2026, 11, 30))
    # The next one's form starts where this one ends.
    form = client.get(reverse("schedule:period_add", args=[year.pk])).content.decode()
    assert 'value="2026-12-01"' in form and 'value="2"' in form


def test_a_bad_period_is_refused_with_a_message_and_nothing_saved(client, world):
    year = world.school_class.year
    client.force_login(world.admin)
    response = client.post(
        reverse("schedule:period_add", args=[year.pk]),
        {"kind": "quarter", "number": 1, "start": "2026-08-01", "end": "2026-10-25", "grade_from": 1, "grade_to": 9},
    )
    assert response.status_code == 422
    assert "внутри учебного года (01.09.2026–31.08.2027)" in response.content.decode()
    response = client.post(
        reverse("schedule:period_add", args=[year.pk]),
        {"kind": "quarter", "number": 1, "start": "2026-09-01", "end": "2026-10-25", "grade_from": 9, "grade_to": 5},
    )
    assert response.status_code == 422
    assert not StudyPeriod.objects.exists()


def test_periods_of_the_same_grades_do_not_overlap(world):
    """R-B01: one grade's year is split into periods that do not overlap; other grades may have their own."""
    year = world.school_class.year
    quarter(year, 1, D(2026, 9, 1), D(2026, 10, 25), grades=(1, 9))
    with pytest.raises(
        ScheduleError, match=r"пересекаются с периодом «1 четверть \(1–9 кл.\)» \(01.09.2026–25.10.2026\)"
    ):
        quarter(year, 1, D(2026, 10, 1), D(2026, 12, 28), grades=(5, 11), kind="half")
    # Grades 10–11 are not among 1–9: their half-year may cover the same dates.
    quarter(year, 1, D(2026, 9, 1), D(2026, 12, 28), grades=(10, 11), kind="half")
    assert StudyPeriod.objects.filter(year=year).count() == 2


def test_period_numbers_are_unique_per_kind_and_grades_and_follow_the_dates(world):
    year = world.school_class.year
    quarter(year, 1, D(2026, 9, 1), D(2026, 10, 25), grades=(1, 4))
    quarter(year, 1, D(2026, 9, 1), D(2026, 10, 25), grades=(5, 9))  # other grades: their own first quarter
    with pytest.raises(ScheduleError, match="уже есть"):
        quarter(year, 1, D(2026, 11, 5), D(2026, 12, 28), grades=(1, 4))
    quarter(year, 3, D(2027, 1, 11), D(2027, 3, 20), grades=(1, 4))
    with pytest.raises(ScheduleError, match="по порядку дат"):
        quarter(year, 2, D(2027, 3, 29), D(2027, 5, 26), grades=(1, 4))
    with pytest.raises(ScheduleError, match="по порядку дат"):
        quarter(year, 4, D(2026, 11, 5), D(2026, 12, 28), grades=(1, 4))
    with pytest.raises(ScheduleError, match="от 1 до 2"):
        quarter(year, 3, D(2027, 4, 1), D(2027, 5, 26), grades=(10, 11), kind="half")


def test_admin_edits_a_period_and_the_audit_keeps_the_old_dates(client, world):
    year = world.school_class.year
    year_services.year_fill_usual(actor=None, year=year)
    first = StudyPeriod.objects.get(year=year, kind="quarter", number=1)
    client.force_login(world.admin)
    url = reverse("schedule:period_edit", args=[first.pk])
    assert 'value="2026-10-30"' in client.get(url).content.decode()
    data = {"kind": "quarter", "number": 1, "start": "2026-09-01", "end": "2026-10-24", "grade_from": 1, "grade_to": 9}
    response = client.post(url, data)
    assert response["Location"] == reverse("schedule:year_detail", args=[year.pk])
    first.refresh_from_db()
    assert first.end == D(2026, 10, 24)
    entry = AuditEntry.objects.get(action="schedule.period.changed", object_id=str(first.pk))
    assert entry.data == {"end": ["2026-10-30", "2026-10-24"]}
    # Into the second quarter: refused, and the period keeps its dates.
    data["end"] = "2026-11-10"
    response = client.post(url, data)
    assert response.status_code == 422 and "пересекаются" in response.content.decode()
    first.refresh_from_db()
    assert first.end == D(2026, 10, 24)


def test_admin_deletes_a_period(client, world):
    year = world.school_class.year
    period = quarter(year, 1, D(2026, 9, 1), D(2026, 10, 25))
    client.force_login(world.admin)
    response = client.post(reverse("schedule:period_delete", args=[period.pk]), follow=True)
    assert "Удалено: 1 четверть (1–11 кл.)" in response.content.decode()
    assert not StudyPeriod.objects.exists()
    assert AuditEntry.objects.filter(action="schedule.period.deleted").exists()


def test_another_schools_period_is_404_and_director_cannot_edit(client, world):
    foreign_admin = UserFactory(school=world.other_school, username="foreign_admin", roles=[Role.ADMIN])
    period = quarter(world.school_class.year, 1, D(2026, 9, 1), D(2026, 10, 25))
    client.force_login(foreign_admin)
    assert client.get(reverse("schedule:period_edit", args=[period.pk])).status_code == 404
    assert client.post(reverse("schedule:period_delete", args=[period.pk])).status_code == 404
    assert client.get(reverse("schedule:period_add", args=[period.year_id])).status_code == 404
    client.force_login(world.director)
    assert client.get(reverse("schedule:period_edit", args=[period.pk])).status_code == 403
    assert client.post(reverse("schedule:period_delete", args=[period.pk])).status_code == 403
    assert StudyPeriod.objects.filter(pk=period.pk).exists()


# --- Holidays ------------------------------------------------------------------------------------------------


def test_admin_adds_edits_and_deletes_holidays(client, world):
    year = world.school_class.year
    client.force_login(world.admin)
    response = client.post(
        reverse("schedule:holiday_add", args=[year.pk]),
        {"name": "Осенние каникулы", "start": "26.10.2026", "end": "03.11.2026"},
        follow=True,
    )
    page = response.content.decode()
    assert "«Осенние каникулы» добавлены" in page and "26.10.2026 — 03.11.2026" in page
    holiday = Holiday.objects.get(year=year)
    response = client.post(
        reverse("schedule:holiday_edit", args=[holiday.pk]),
        {"name": "Осенние каникулы", "start": "2026-10-26", "end": "2026-11-04"},
    )
    assert response.status_code == 302
    holiday.refresh_from_db()
    assert holiday.end == D(2026, 11, 4)
    assert AuditEntry.objects.get(action="schedule.holiday.changed").data == {"end": ["2026-11-03", "2026-11-04"]}
    client.post(reverse("schedule:holiday_delete", args=[holiday.pk]))
    assert not Holiday.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-10-30", "2026-11-06", "пересекаются с «Осенние каникулы» (26.10.2026–03.11.2026)"),
        ("2027-08-20", "2027-09-05", "внутри учебного года"),
        ("2026-12-31", "2026-12-29", "не могут заканчиваться раньше"),
    ],
)
def test_bad_holidays_are_refused_with_a_message(client, world, start, end, message):
    year = world.school_class.year
    year_services.holiday_create(
        actor=None, year=year, name="Осенние каникулы", start=D(2026, 10, 26), end=D(2026, 11, 3)
    )
    client.force_login(world.admin)
    response = client.post(reverse("schedule:holiday_add", args=[year.pk]), {"name": "Ещё", "start": start, "end": end})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Holiday.objects.count() == 1


def test_a_one_day_holiday_is_fine(world):
    year = world.school_class.year
    holiday = year_services.holiday_create(actor=None, year=year, name="День", start=D(2027, 2, 22), end=D(2027, 2, 22))
    assert holiday.start == holiday.end


def test_another_schools_holidays_are_404(client, world):
    foreign_admin = UserFactory(school=world.other_school, username="foreign_admin", roles=[Role.ADMIN])
    holiday = year_services.holiday_create(
        actor=None, year=world.school_class.year, name="Осенние", start=D(2026, 10, 26), end=D(2026, 11, 3)
    )
    client.force_login(foreign_admin)
    assert client.get(reverse("schedule:holiday_edit", args=[holiday.pk])).status_code == 404
    assert client.post(reverse("schedule:holiday_delete", args=[holiday.pk])).status_code == 404
    assert Holiday.objects.filter(pk=holiday.pk).exists()


def test_nothing_changes_in_a_closed_year(client, world):
    year = make_year(world.school, D(2027, 9, 1))
    year_services.year_fill_usual(actor=None, year=year)
    AcademicYear.objects.filter(pk=year.pk).update(is_archived=True)
    period = StudyPeriod.objects.filter(year=year).first()
    holiday = Holiday.objects.filter(year=year).first()
    client.force_login(world.admin)
    client.post(reverse("schedule:period_delete", args=[period.pk]))
    client.post(reverse("schedule:holiday_delete", args=[holiday.pk]))
    assert StudyPeriod.objects.filter(pk=period.pk).exists() and Holiday.objects.filter(pk=holiday.pk).exists()
    response = client.get(reverse("schedule:holiday_add", args=[year.pk]))
    assert response.status_code == 302
