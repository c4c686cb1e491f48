"""Pupils in family education or self-education (R-E11): no journal rows, no attendance, their intermediate
attestation recorded by the commission from its protocol and shown on the class's attestation sheets."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from gradebook.family_education import family_attestation_set
from gradebook.models import PeriodMark
from gradebook.selectors import journal_grid
from gradebook.services import GradebookError
from schedule.models import Enrollment, Lesson, StudyPeriod
from schedule.selectors_lessons import lesson_pupils
from schedule.services import classes as class_services
from tests.matrix.journal import DAY, journal_course

pytestmark = pytest.mark.django_db
PROTOCOL_DAY = datetime.date(2026, 11, 16)


def at_home(world, form=Enrollment.Form.FAMILY):
    """`pupil` of 5А learns at home (the admin's action on the class page)."""
    class_services.enrollment_form_set(
        actor=world.admin, pupil=world.pupil, school_class=world.school_class, form=form, day=DAY
    )
    return world.pupil


def first_quarter(course) -> StudyPeriod:
    return StudyPeriod.objects.get(year=course.year, number=1, grade_from__lte=5, grade_to__gte=5)


def test_a_pupil_in_family_education_has_no_journal_row_and_appears_attested_on_the_class_sheet_R_E11(world, client):
    course = journal_course(world)
    pupil = at_home(world)
    grid = journal_grid(course=course, period=None, day=DAY)
    assert pupil.pk not in [row.pupil.pk for row in grid.rows]
    assert pupil.pk not in [p.pk for p in lesson_pupils(Lesson.objects.filter(course=course).first())]

    period = first_quarter(course)
    family_attestation_set(
        actor=world.deputy,
        pupil=pupil,
        course=course,
        period=period,
        value="4",
        protocol="ПА-7",
        protocol_date=PROTOCOL_DAY,
    )
    mark = PeriodMark.objects.get(pupil=pupil, course=course, period=period)
    assert (mark.value, mark.protocol, mark.author) == ("4", "ПА-7", world.deputy)
    assert AuditEntry.objects.filter(action="gradebook.family_attestation.recorded", actor=world.deputy).exists()

    client.force_login(world.deputy)
    sheet = client.get(reverse("reports:final_marks", args=[world.school_class.pk]))
    assert sheet.status_code == 200
    line = next(line for line in sheet.context["sheet"].lines if line.name == pupil.get_full_name())
    assert line.home == "семейное образование"
    assert "4" in line.cells
    assert "семейное образование" in sheet.content.decode()

    page = client.get(reverse("gradebook:period_marks", args=[course.pk]))
    assert "семейное образование" in page.content.decode()


def test_the_teacher_cannot_set_a_period_mark_of_a_pupil_learning_at_home_R_E11(world):
    from gradebook.period_marks import period_mark_set

    course = journal_course(world)
    at_home(world, Enrollment.Form.SELF)
    second = StudyPeriod.objects.get(year=course.year, number=2, grade_from__lte=5, grade_to__gte=5)
    with pytest.raises(GradebookError, match="нет в списке по предмету"):
        period_mark_set(actor=world.teacher, course=course, period=second, pupil_id=world.pupil.pk, value="5")


def test_the_commission_needs_a_protocol_and_a_pupil_learning_at_home(world):
    course = journal_course(world)
    period = first_quarter(course)
    with pytest.raises(GradebookError, match="не обучается в классе этого предмета"):
        family_attestation_set(
            actor=world.deputy,
            pupil=world.pupil,
            course=course,
            period=period,
            value="5",
            protocol="1",
            protocol_date=PROTOCOL_DAY,
        )
    at_home(world)
    with pytest.raises(GradebookError, match="номер протокола"):
        family_attestation_set(
            actor=world.deputy,
            pupil=world.pupil,
            course=course,
            period=period,
            value="5",
            protocol=" ",
            protocol_date=PROTOCOL_DAY,
        )
    assert not PeriodMark.objects.exists()


def test_the_deputy_records_a_result_on_the_class_page(world, client):
    course = journal_course(world)
    at_home(world)
    client.force_login(world.deputy)
    url = reverse("gradebook:family_attestation", args=[world.school_class.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        reverse("gradebook:family_attestation_record", args=[world.school_class.pk]),
        {
            "pupil": world.pupil.pk,
            "course": course.pk,
            "period": "year",
            "value": "5",
            "protocol": "ПА-9",
            "protocol_date": "2026-11-16",
        },
    )
    assert response.status_code == 302
    assert PeriodMark.objects.get(pupil=world.pupil, course=course, period=None).value == "5"
    assert "ПА-9" in client.get(url).content.decode()


def test_the_admin_sets_the_form_of_education_on_the_class_page(world, client):
    client.force_login(world.admin)
    response = client.post(
        reverse("schedule:pupil_education_form", args=[world.school_class.pk]),
        {"pupil": world.pupil.pk, "form": "self"},
    )
    assert response.status_code == 302
    assert Enrollment.objects.get(pupil=world.pupil).form == Enrollment.Form.SELF
    assert AuditEntry.objects.filter(action="schedule.enrollment.form_changed").exists()


def test_the_diary_of_a_pupil_learning_at_home_shows_no_class_lessons_R_E11(world, client):
    """R-E11: the family reads no timetable of lessons the pupil does not attend; the class's own pupils still do."""
    from diary.selectors_week import diary_week, week_start

    journal_course(world)
    monday = week_start(DAY)
    before = diary_week(school=world.school, pupil=world.pupil, week_start=monday)
    assert before.lesson_count, "the class's lessons are in the week while the pupil learns at school"
    at_home(world)
    after = diary_week(school=world.school, pupil=world.pupil, week_start=monday)
    assert after.lesson_count == 0
    client.force_login(world.guardian)
    assert client.get(reverse("diary:pupil", args=[world.pupil.pk])).status_code == 200
