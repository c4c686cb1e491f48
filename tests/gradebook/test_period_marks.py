"""Period and year marks (issue 6): the attestation rules of DESIGN §5, each moved through by the clock (R-D06,
R-D07, R-E03..R-E06, R-E08), the forecasts (R-E02, R-E13), the page's all-or-nothing save, and the selectors the
diary uses."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import SchoolSettings
from accounts.settings_services import school_settings_update
from gradebook.marks import mark_clear, mark_set, work_add, work_update
from gradebook.models import Mark, PeriodMark, WorkType
from gradebook.period_marks import TwoRefused, period_mark_set
from gradebook.selectors import forecast_of, journal_grid
from gradebook.selectors_periods import period_sheet, pupil_results
from gradebook.services import GradebookError, work_types_add_usual
from schedule.models import Lesson, StudyPeriod
from schedule.services import classes as class_services
from schedule.services import timetable
from schedule.services import years as year_services
from tests.factories import UserFactory, make_course

D = datetime.date
UTC = datetime.UTC


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@pytest.fixture
def course(world):
    """Maths of 5А, 4 hours a week, taught by `teacher`: Mondays' lessons from September to December."""
    year = world.school_class.year
    year_services.year_fill_usual(actor=None, year=year)
    work_types_add_usual(actor=None, school=world.school)
    maths = make_course(world.school_class, world.teacher, "Математика", hours=4)
    timetable.timetable_entry_add(actor=None, course=maths, weekday=1, number=1, valid_from=year.start)
    timetable.lessons_generate(actor=None, year=year, start=D(2026, 9, 1), end=D(2026, 12, 28))
    return maths


def quarter(course, number: int) -> StudyPeriod:
    return StudyPeriod.objects.get(year=course.year, number=number, grade_from__lte=5, grade_to__gte=5)


def second_pupil(world):
    pupil = UserFactory(school=world.school, username="pupil2", roles=["pupil"])
    class_services.pupils_enroll(actor=None, school_class=world.school_class, pupils=[pupil], since=D(2026, 9, 1))
    return pupil


def give_marks(world, course, day: datetime.date, values: list[str], kind="Ответ на уроке", pupil=None):
    """Marks of one pupil, one column each, on the Monday lessons from `day` on (entered with the clock at each)."""
    pupil = pupil or world.pupil
    lessons = list(Lesson.objects.filter(course=course, date__gte=day).order_by("date")[: len(values)])
    work_type = WorkType.objects.get(school=world.school, name=kind)
    for lesson, value in zip(lessons, values, strict=True):
        work = work_add(actor=world.teacher, lesson=lesson, work_type=work_type)
        mark_set(actor=world.teacher, work=work, pupil_id=pupil.pk, value=value)
    return lessons


# --- Forecasts (R-E02, R-E13) ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weighted", "threshold", "forecast"),
    [
        ("4.50", "0.50", "5"),
        ("4.49", "0.50", "4"),
        ("4.50", "0.60", "4"),
        ("4.60", "0.60", "5"),
        ("4.00", "0.00", "4"),
        ("2.51", "0.50", "3"),
        ("1.20", "0.50", "1"),
    ],
)
def test_the_forecast_rounds_the_weighted_average_by_the_schools_rule(weighted, threshold, forecast):
    assert forecast_of(Decimal(weighted), Decimal(threshold)) == forecast
    assert forecast_of(None, Decimal("0.5")) == ""


# --- Setting period marks (R-E03, R-E05, R-D06) ------------------------------------------------------------------


def test_a_period_mark_keeps_history_with_its_author_R_E03(world, course):
    q2 = quarter(course, 2)
    saved = period_mark_set(actor=world.teacher, course=course, period=q2, pupil_id=world.pupil.pk, value="4")
    assert not saved.late
    period_mark_set(actor=world.teacher, course=course, period=q2, pupil_id=world.pupil.pk, value="5")
    mark = PeriodMark.objects.get(course=course, period=q2, pupil=world.pupil)
    assert [h.value for h in mark.history.order_by("history_date")] == ["4", "5"]
    assert {h.history_user for h in mark.history.all()} == {world.teacher}


def test_a_year_mark_is_a_period_mark_without_a_period(world, course, clock):
    clock.move_to(at(D(2027, 5, 28)))
    period_mark_set(actor=world.teacher, course=course, period=None, pupil_id=world.pupil.pk, value="осв")
    assert PeriodMark.objects.get(course=course, period=None, pupil=world.pupil).value == "осв"


def test_period_marks_after_the_deadline_are_accepted_and_counted_late_R_E05(world, course, clock):
    """R-E05: due 3 days after the period (28.12 → 31.12); later ones are accepted and recorded as late."""
    q2 = quarter(course, 2)
    assert q2.end == D(2026, 12, 28)
    clock.move_to(at(D(2026, 12, 31), 20))
    assert not period_mark_set(actor=world.teacher, course=course, period=q2, pupil_id=world.pupil.pk, value="4").late
    other = second_pupil(world)
    clock.move_to(at(D(2027, 1, 1)))
    saved = period_mark_set(actor=world.teacher, course=course, period=q2, pupil_id=other.pk, value="5")
    assert saved.late and PeriodMark.objects.get(pupil=other).entered_late


def test_period_marks_lock_fourteen_days_after_the_period_R_D06(world, course, clock):
    """R-D06: editable until 14 days after the period ends (28.12 → 11.01); then only a late-change request."""
    q2 = quarter(course, 2)
    clock.move_to(at(D(2027, 1, 11), 20))
    period_mark_set(actor=world.teacher, course=course, period=q2, pupil_id=world.pupil.pk, value="4")
    clock.move_to(at(D(2027, 1, 12)))
    with pytest.raises(GradebookError, match="только по заявке"):
        period_mark_set(actor=world.teacher, course=course, period=q2, pupil_id=world.pupil.pk, value="5")
    assert PeriodMark.objects.get(period=q2).value == "4"


def test_the_windows_are_the_schools_settings_R_D06(world, course, clock):
    school_settings_update(actor=None, school=world.school, values={"period_mark_edit_days": 30})
    clock.move_to(at(D(2027, 1, 20)))
    period_mark_set(actor=world.teacher, course=course, period=quarter(course, 2), pupil_id=world.pupil.pk, value="5")


def test_the_first_quarters_marks_are_closed_in_the_second_R_D06(world, course):
    """The frozen clock (17.11) is past the first quarter's window (30.10 + 14 days = 13.11)."""
    with pytest.raises(GradebookError, match="13.11.2026"):
        period_mark_set(
            actor=world.teacher, course=course, period=quarter(course, 1), pupil_id=world.pupil.pk, value="4"
        )


def test_a_subject_without_attestation_has_no_period_marks_R_E04(world, course):
    course.subject.no_attestation = True
    course.subject.save(update_fields=["no_attestation"])
    with pytest.raises(GradebookError, match="без аттестации"):
        period_mark_set(
            actor=world.teacher, course=course, period=quarter(course, 2), pupil_id=world.pupil.pk, value="5"
        )
    assert not journal_grid(course=course, period=quarter(course, 2), day=D(2026, 11, 17)).attested


def test_a_pupil_off_the_list_gets_no_period_mark(world, course):
    with pytest.raises(GradebookError, match="нет в списке"):
        period_mark_set(
            actor=world.teacher, course=course, period=quarter(course, 2), pupil_id=world.other_pupil.pk, value="5"
        )


def test_values_of_attestation_are_accepted_and_others_refused(world, course):
    q2 = quarter(course, 2)
    for value in ("н/а", "осв", "зач", "незач", "долг", "3"):
        period_mark_set(actor=world.teacher, course=course, period=q2, pupil_id=world.pupil.pk, value=value)
    with pytest.raises(GradebookError, match="1–5"):
        period_mark_set(actor=world.teacher, course=course, period=q2, pupil_id=world.pupil.pk, value="6")


# --- No «2»: an academic debt instead (R-E08) --------------------------------------------------------------------


def test_a_two_as_a_year_mark_is_refused_with_the_academic_debt_offered_R_E08(world, course, clock):
    clock.move_to(at(D(2027, 5, 28)))
    with pytest.raises(TwoRefused) as refused:
        period_mark_set(actor=world.teacher, course=course, period=None, pupil_id=world.pupil.pk, value="2")
    assert refused.value.suggestion == PeriodMark.Value.DEBT
    assert "долг" in refused.value.message
    assert not PeriodMark.objects.exists()
    period_mark_set(actor=world.teacher, course=course, period=None, pupil_id=world.pupil.pk, value="долг")


def test_a_two_as_a_period_mark_is_refused_by_default_and_allowed_when_the_school_says_so_R_E08(world, course):
    q2 = quarter(course, 2)
    assert SchoolSettings.of(world.school).forbid_two_as_period_mark
    with pytest.raises(TwoRefused):
        period_mark_set(actor=world.teacher, course=course, period=q2, pupil_id=world.pupil.pk, value="2")
    school_settings_update(actor=None, school=world.school, values={"forbid_two_as_period_mark": False})
    world.school.refresh_from_db()
    course.school.refresh_from_db()
    saved = period_mark_set(actor=world.teacher, course=course, period=q2, pupil_id=world.pupil.pk, value="2")
    assert saved.mark.value == "2"


def test_the_page_refuses_a_two_and_offers_the_academic_debt_R_E08(client, world, course):
    q2 = quarter(course, 2)
    client.force_login(world.teacher)
    url = reverse("gradebook:period_marks_save", args=[course.pk])
    response = client.post(url, {f"pm-{q2.pk}-{world.pupil.pk}": "2"})
    assert response.status_code == 409
    assert not PeriodMark.objects.exists()
    html = response.content.decode()
    assert "seed 002 §2.2" in html or "002 §2.2" in html
    # The cell now offers the academic debt, chosen, to be saved with one more click.
    assert '<option value="долг" selected>' in html
    response = client.post(url, {f"pm-{q2.pk}-{world.pupil.pk}": "долг"})
    assert response.status_code == 302
    assert PeriodMark.objects.get().value == "долг"


# --- Objective attestation (R-E06) -----------------------------------------------------------------------------


def test_setting_a_period_mark_with_too_few_marks_warns_R_E06(world, course):
    """4 hours a week: 5 marks are needed; with 4 the mark is set and a warning says so."""
    q2 = quarter(course, 2)
    give_marks(world, course, D(2026, 11, 9), ["5", "4"])
    saved = period_mark_set(actor=world.teacher, course=course, period=q2, pupil_id=world.pupil.pk, value="5")
    assert saved.mark is not None and "за период: 2" in saved.warning and "5" in saved.warning


def test_one_hour_a_week_needs_three_marks_R_E06(world, clock):
    year = world.school_class.year
    year_services.year_fill_usual(actor=None, year=year)
    work_types_add_usual(actor=None, school=world.school)
    music = make_course(world.school_class, world.teacher, "Музыка", hours=1)
    timetable.timetable_entry_add(actor=None, course=music, weekday=1, number=3, valid_from=year.start)
    timetable.lessons_generate(actor=None, year=year, start=D(2026, 11, 9), end=D(2026, 12, 28))
    q2 = quarter(music, 2)
    other = second_pupil(world)
    give_marks(world, music, D(2026, 11, 9), ["4", "5"])
    clock.move_to(at(D(2026, 11, 23)))
    give_marks(world, music, D(2026, 11, 9), ["4", "4", "3"], pupil=other)
    assert period_mark_set(actor=world.teacher, course=music, period=q2, pupil_id=world.pupil.pk, value="5").warning
    assert not period_mark_set(actor=world.teacher, course=music, period=q2, pupil_id=other.pk, value="4").warning
    sheet = period_sheet(course=music, day=D(2026, 11, 23))
    assert sheet.needed == 3
    warned = {row.pupil.pk: bool(row.slots[1].warning) for row in sheet.rows}
    assert warned == {world.pupil.pk: True, other.pk: False}


def test_the_page_shows_the_warning_and_the_control_works_marks_R_E06(world, course):
    give_marks(world, course, D(2026, 11, 9), ["3"], kind="Контрольная работа")
    sheet = period_sheet(course=course, day=D(2026, 11, 17))
    slot = sheet.rows[0].slots[1]
    assert slot.warning and slot.controls == ["3"] and slot.count == 1


# --- The period's journal closes with its mark (R-D07) --------------------------------------------------------


def test_a_period_mark_closes_the_pupils_marks_of_the_period_to_the_teacher_R_D07(world, course):
    q2 = quarter(course, 2)
    other = second_pupil(world)
    lesson = Lesson.objects.get(course=course, date=D(2026, 11, 16))
    work = work_add(actor=world.teacher, lesson=lesson, work_type=WorkType.objects.get(name="Ответ на уроке"))
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="3")
    period_mark_set(actor=world.teacher, course=course, period=q2, pupil_id=world.pupil.pk, value="4")
    with pytest.raises(GradebookError, match="закрыт для учителя"):
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")
    with pytest.raises(GradebookError, match="закрыт для учителя"):
        mark_clear(actor=world.teacher, work=work, pupil_id=world.pupil.pk)
    # The pupil whose period mark is not set yet is still open; so is the next period.
    mark_set(actor=world.teacher, work=work, pupil_id=other.pk, value="5")
    assert Mark.objects.get(work=work, pupil=world.pupil).value == "3"
    # The grid shows the row closed, with the period's mark and the forecast next to it.
    grid = journal_grid(course=course, period=q2, day=D(2026, 11, 17))
    grid.allow_editing(may_edit_course=True)
    row = next(r for r in grid.rows if r.pupil == world.pupil)
    assert row.closed and row.period_mark == "4" and row.forecast == "3"
    assert not any(c.editable for c in row.cells)
    assert any(c.editable for r in grid.rows if r.pupil == other for c in r.cells)


def test_a_works_kind_no_longer_changes_once_period_marks_are_set_R_D07(world, course):
    q2 = quarter(course, 2)
    lesson = Lesson.objects.get(course=course, date=D(2026, 11, 16))
    work = work_add(actor=world.teacher, lesson=lesson, work_type=WorkType.objects.get(name="Ответ на уроке"))
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="3")
    period_mark_set(actor=world.teacher, course=course, period=q2, pupil_id=world.pupil.pk, value="3")
    with pytest.raises(GradebookError, match="вес"):
        work_update(actor=world.teacher, work=work, work_type=WorkType.objects.get(name="Контрольная работа"))


def test_the_closing_is_a_school_setting_R_D07(world, course):
    school_settings_update(actor=None, school=world.school, values={"lock_journal_after_period_mark": False})
    course.school.refresh_from_db()
    q2 = quarter(course, 2)
    lesson = Lesson.objects.get(course=course, date=D(2026, 11, 16))
    lesson.school.refresh_from_db()
    work = work_add(actor=world.teacher, lesson=lesson, work_type=WorkType.objects.get(name="Ответ на уроке"))
    period_mark_set(actor=world.teacher, course=course, period=q2, pupil_id=world.pupil.pk, value="4")
    work.lesson.school = course.school
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")


# --- The page -------------------------------------------------------------------------------------------------


def test_the_page_saves_every_changed_cell_or_none(client, world, course):
    """Promise 5: one refused cell (a pupil off the list) and nothing of the page is saved."""
    q2 = quarter(course, 2)
    other = second_pupil(world)
    client.force_login(world.teacher)
    url = reverse("gradebook:period_marks_save", args=[course.pk])
    response = client.post(url, {f"pm-{q2.pk}-{world.pupil.pk}": "5", f"pm-{q2.pk}-{other.pk}": "9"})
    assert response.status_code == 409
    assert not PeriodMark.objects.exists()
    assert "1–5" in response.content.decode()
    response = client.post(url, {f"pm-{q2.pk}-{world.pupil.pk}": "5", f"pm-{q2.pk}-{other.pk}": "4"})
    assert response.status_code == 302
    assert set(PeriodMark.objects.values_list("value", flat=True)) == {"5", "4"}
    # Clearing a set mark is refused: it would reopen the period's journal (R-D07).
    response = client.post(url, {f"pm-{q2.pk}-{world.pupil.pk}": ""})
    assert response.status_code == 422
    assert PeriodMark.objects.count() == 2


def test_the_page_ignores_cells_of_other_courses_and_unknown_fields(client, world, course):
    client.force_login(world.teacher)
    url = reverse("gradebook:period_marks_save", args=[course.pk])
    response = client.post(url, {f"pm-999999-{world.pupil.pk}": "5", "pm-year-x": "5", "other": "1"})
    assert response.status_code == 302
    assert not PeriodMark.objects.exists()


def test_the_page_reads_in_a_fixed_number_of_queries(client, world, course, django_assert_max_num_queries):
    for n in range(5):
        second = UserFactory(school=world.school, username=f"p{n}", roles=["pupil"])
        class_services.pupils_enroll(actor=None, school_class=world.school_class, pupils=[second], since=D(2026, 9, 1))
        give_marks(world, course, D(2026, 11, 9), ["4", "5"], pupil=second)
    client.force_login(world.teacher)
    client.get(reverse("gradebook:period_marks", args=[course.pk]))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("gradebook:period_marks", args=[course.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Прогноз" in html or "Forecast" in html


def test_the_page_of_a_subject_without_attestation_says_so_R_E04(client, world, course):
    course.subject.no_attestation = True
    course.subject.save(update_fields=["no_attestation"])
    client.force_login(world.teacher)
    response = client.get(reverse("gradebook:period_marks", args=[course.pk]))
    assert response.status_code == 200
    assert 'name="pm-' not in response.content.decode()


# --- For the diary: the forecast and the period marks (seed 003) ------------------------------------------------


def test_the_diarys_selector_gives_each_subjects_forecast_and_marks(world, course, django_assert_num_queries):
    give_marks(world, course, D(2026, 11, 9), ["5", "4", "4"], kind="Контрольная работа")
    period_mark_set(actor=world.teacher, course=course, period=quarter(course, 2), pupil_id=world.pupil.pk, value="4")
    settings = SchoolSettings.of(world.school)
    with django_assert_num_queries(3):
        results = pupil_results(pupil=world.pupil, courses=[course], settings=settings, grade=5)
    (result,) = results
    q2 = result.slots[1]
    assert q2.weighted == Decimal("4.33") and q2.forecast == "4" and q2.value == "4"
    year = result.slots[-1]
    assert year.period is None and year.forecast == "4" and year.value == ""


def test_the_diary_shows_the_family_each_subjects_forecast_and_period_mark(client, world, course):
    """Seed 003: teachers inform pupils and parents of the forecast; the diary reads it through the selector."""
    give_marks(world, course, D(2026, 11, 9), ["5", "5"])
    period_mark_set(actor=world.teacher, course=course, period=quarter(course, 2), pupil_id=world.pupil.pk, value="5")
    client.force_login(world.guardian)
    response = client.get(reverse("diary:marks", args=[world.pupil.pk]))
    assert response.status_code == 200
    results = response.context["results"]
    assert [r.course for r in results] == [course]
    assert (results[0].slots[1].forecast, results[0].slots[1].value) == ("5", "5")
    client.force_login(world.other_guardian)
    assert client.get(reverse("diary:marks", args=[world.pupil.pk])).status_code == 404


def test_no_mark_for_a_period_that_has_not_begun(world, course, clock):
    """A period's mark from its first day; the year's from the first day of the last period."""
    with pytest.raises(GradebookError, match="с "):
        period_mark_set(
            actor=world.teacher, course=course, period=quarter(course, 3), pupil_id=world.pupil.pk, value="5"
        )
    with pytest.raises(GradebookError, match=quarter(course, 4).start.strftime("%d.%m.%Y")):
        period_mark_set(actor=world.teacher, course=course, period=None, pupil_id=world.pupil.pk, value="5")
    clock.move_to(at(quarter(course, 4).start))
    period_mark_set(actor=world.teacher, course=course, period=None, pupil_id=world.pupil.pk, value="5")
    assert not PeriodMark.objects.exclude(period=None).exists()
