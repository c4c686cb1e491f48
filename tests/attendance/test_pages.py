"""The class teacher's daily attendance page (R-H04), one pupil's mark on a lesson (R-H01, R-H03) and notices of
several days (R-H03, R-H05): happy paths, refusals, permissions and the page's fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from attendance import services
from attendance.models import Absence, AbsenceNotice
from schedule.services import classes as class_services
from schedule.services import lessons as lesson_services
from tests.factories import UserFactory

from .conftest import DAY, LAST_TUESDAY, YEAR_START

D = datetime.date
HTMX = {"HTTP_HX_REQUEST": "true"}


def day_url(world, day=DAY):
    return f"{reverse('attendance:class_day', args=[world.school_class.pk])}?date={day.isoformat()}"


def set_url(lesson):
    return reverse("attendance:absence_set", args=[lesson.pk])


def clear_url(lesson):
    return reverse("attendance:absence_clear", args=[lesson.pk])


# --- The class's day -------------------------------------------------------------------------------------------


def test_the_class_teacher_sees_the_class_day_R_H04(client, world, week):
    services.absence_set(
        actor=world.teacher, lesson=week.lesson(week.maths, DAY), pupil=world.pupil, code="late", minutes=7
    )
    client.force_login(world.class_teacher)
    response = client.get(day_url(world))
    assert response.status_code == 200
    text = response.content.decode()
    assert world.pupil.get_full_name() in text and week.classmate.get_full_name() in text
    assert "ОП 7" in text
    assert "5А англ 1" in text and "5А англ 2" in text
    assert "Физика" not in text  # 5Б's lesson
    assert set_url(week.lesson(week.maths, DAY)) in text  # the class teacher corrects the cells


def test_a_day_without_lessons_says_so(client, world, week):
    client.force_login(world.class_teacher)
    response = client.get(day_url(world, D(2026, 11, 3)))  # the autumn holidays
    assert response.status_code == 200
    assert "нет уроков" in response.content.decode()


def test_a_closed_lesson_has_no_form_and_says_why_R_D03(client, world, week, clock):
    clock.move_to(datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC))
    client.force_login(world.class_teacher)
    text = client.get(day_url(world, LAST_TUESDAY)).content.decode()
    assert "24.11.2026" in text
    assert set_url(week.lesson(week.maths, LAST_TUESDAY)) not in text


def test_readers_see_the_day_without_forms(client, world, week):
    client.force_login(world.director)
    response = client.get(day_url(world))
    assert response.status_code == 200
    assert set_url(week.lesson(week.maths, DAY)) not in response.content.decode()
    assert reverse("attendance:notice_add", args=[world.school_class.pk]) not in response.content.decode()


def test_another_teacher_cannot_open_the_class_day(client, world, week):
    client.force_login(world.other_teacher)  # the class teacher of 5Б
    assert client.get(day_url(world)).status_code == 403
    client.force_login(world.teacher)
    assert client.get(day_url(world)).status_code == 403


def test_another_schools_class_is_404(client, world, week):
    client.force_login(world.foreign_teacher)
    assert client.get(day_url(world)).status_code == 404


def test_the_page_refuses_a_wrong_method(client, world, week):
    client.force_login(world.class_teacher)
    assert client.post(day_url(world)).status_code == 405
    assert client.get(set_url(week.lesson(week.maths, DAY))).status_code == 405


def test_the_class_day_costs_a_fixed_number_of_queries(client, world, week, django_assert_max_num_queries):
    client.force_login(world.class_teacher)
    client.get(day_url(world))  # warm the session and the content types
    with django_assert_max_num_queries(15) as small:
        assert client.get(day_url(world)).status_code == 200
    # Twelve more pupils, with absences and a notice: the same number of queries.
    pupils = [UserFactory(school=world.school, username=f"p{n}", roles=[Role.PUPIL]) for n in range(12)]
    class_services.pupils_enroll(actor=None, school_class=world.school_class, pupils=pupils, since=YEAR_START)
    for pupil in pupils[:6]:
        services.absence_set(actor=world.teacher, lesson=week.lesson(week.maths, DAY), pupil=pupil, code="absent")
        services.absence_set(actor=world.admin, lesson=week.lesson(week.history, DAY), pupil=pupil, code="ill")
    services.absence_notice_create(
        actor=world.class_teacher, pupil=pupils[7], start=DAY, end=DAY, code="ill", reason="ОРВИ"
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(day_url(world))
    assert response.content.decode().count('class="at-cell') == 14 * 4


# --- One pupil on one lesson -----------------------------------------------------------------------------------


def test_the_class_teacher_sets_and_clears_a_cell_R_H04(client, world, week):
    lesson = week.lesson(week.maths, DAY)
    client.force_login(world.class_teacher)
    response = client.post(set_url(lesson), {"pupil": world.pupil.pk, "code": "ill", "next": day_url(world)})
    assert response.status_code == 302 and response["Location"] == day_url(world)
    absence = Absence.objects.get(lesson=lesson, pupil=world.pupil)
    assert (absence.code, absence.author) == ("ill", world.class_teacher)
    assert absence.history.first().history_user == world.class_teacher
    response = client.post(clear_url(lesson), {"pupil": world.pupil.pk})
    assert response.status_code == 302 and response["Location"] == day_url(world)
    assert not Absence.objects.exists()


def test_htmx_gets_the_cell_back_and_a_refusal_with_its_reason(client, world, week):
    lesson = week.lesson(week.maths, DAY)
    client.force_login(world.teacher)
    response = client.post(set_url(lesson), {"pupil": world.pupil.pk, "code": "absent"}, **HTMX)
    assert response.status_code == 200
    assert f'id="at-{lesson.pk}-{world.pupil.pk}"' in response.content.decode() and "Н" in response.content.decode()
    # Late without minutes: the cell comes back with the reason, 422.
    response = client.post(set_url(lesson), {"pupil": world.pupil.pk, "code": "late"}, **HTMX)
    assert response.status_code == 422
    assert "минут" in response.content.decode()
    # A pupil of another class: refused by the service, 422 with the reason.
    response = client.post(set_url(lesson), {"pupil": world.other_pupil.pk, "code": "absent"})
    assert response.status_code == 422
    assert "нет в списке" in response.content.decode()


def test_a_write_after_the_window_is_422_with_the_date_R_D03(client, world, week, clock):
    lesson = week.lesson(week.maths, LAST_TUESDAY)
    clock.move_to(datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC))
    client.force_login(world.teacher)
    response = client.post(set_url(lesson), {"pupil": world.pupil.pk, "code": "absent"}, **HTMX)
    assert response.status_code == 422 and "24.11.2026" in response.content.decode()
    assert not Absence.objects.exists()


def test_a_teacher_of_another_course_cannot_mark(client, world, week):
    lesson = week.lesson(week.maths, DAY)
    data = {"pupil": world.pupil.pk, "code": "absent"}
    client.force_login(world.other_teacher)  # teaches history and English in 5А, not maths
    assert client.post(set_url(lesson), data).status_code == 403
    assert client.post(clear_url(lesson), data).status_code == 403
    assert not Absence.objects.exists()


@pytest.mark.parametrize("persona", ["pupil", "guardian"])
def test_pupils_and_guardians_never_write_R_A06(client, world, week, persona):
    lesson = week.lesson(week.maths, DAY)
    client.force_login(getattr(world, persona))
    assert client.post(set_url(lesson), {"pupil": world.pupil.pk, "code": "absent"}).status_code == 403
    assert client.get(day_url(world)).status_code == 403
    notice = {"pupil": world.pupil.pk, "start": DAY, "end": DAY, "code": "ill", "reason": "ОРВИ"}
    assert client.post(reverse("attendance:notice_add", args=[world.school_class.pk]), notice).status_code == 403


def test_the_substitute_marks_and_the_course_teacher_no_longer_does(client, world, week):
    lesson = week.lesson(week.maths, DAY)
    substitute = UserFactory(school=world.school, username="substitute", roles=[Role.TEACHER])
    lesson_services.substitution_set(actor=world.admin, lesson=lesson, substitute=substitute, reason="Болезнь")
    data = {"pupil": world.pupil.pk, "code": "absent"}
    client.force_login(world.teacher)
    assert client.post(set_url(lesson), data).status_code == 403
    client.force_login(substitute)
    response = client.post(set_url(lesson), data)
    assert response.status_code == 302
    # The substitute cannot see the class's day, so they go back to the lesson.
    assert response["Location"] == reverse("schedule:lesson_detail", args=[lesson.pk])
    assert Absence.objects.get().author == substitute


# --- Notices ---------------------------------------------------------------------------------------------------


def test_the_class_teacher_records_and_deletes_a_notice_R_H03_R_H05(client, world, week):
    client.force_login(world.class_teacher)
    url = reverse("attendance:notice_add", args=[world.school_class.pk])
    data = {
        "pupil": world.pupil.pk,
        "start": "17.11.2026",
        "end": "2026-11-18",
        "code": "ill",
        "reason": "ОРВИ",
        "document": "справка № 123 от 19.11.2026",
        "date": DAY.isoformat(),
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == day_url(world)
    notice = AbsenceNotice.objects.get()
    assert Absence.objects.filter(notice=notice).count() == 4
    text = client.get(day_url(world)).content.decode()
    assert "справка № 123 от 19.11.2026" in text
    assert reverse("attendance:notice_delete", args=[notice.pk]) in text
    response = client.post(reverse("attendance:notice_delete", args=[notice.pk]), {"date": DAY.isoformat()})
    assert response.status_code == 302
    assert not AbsenceNotice.objects.exists() and not Absence.objects.exists()


def test_a_wrong_notice_comes_back_with_its_errors(client, world, week):
    client.force_login(world.admin)
    url = reverse("attendance:notice_add", args=[world.school_class.pk])
    response = client.post(url, {"pupil": world.pupil.pk, "start": "18.11.2026", "end": "17.11.2026", "code": "ill"})
    assert response.status_code == 422
    assert "раньше первого" in response.content.decode()
    # A pupil of 5Б is no choice on 5А's page.
    data = {"pupil": world.other_pupil.pk, "start": "17.11.2026", "end": "17.11.2026", "code": "ill", "reason": "x"}
    assert client.post(url, data).status_code == 422
    assert not AbsenceNotice.objects.exists()


def test_the_other_class_teacher_cannot_record_a_notice_for_5a(client, world, week):
    client.force_login(world.other_teacher)
    url = reverse("attendance:notice_add", args=[world.school_class.pk])
    data = {"pupil": world.pupil.pk, "start": "17.11.2026", "end": "17.11.2026", "code": "ill", "reason": "ОРВИ"}
    assert client.post(url, data).status_code == 403
    client.force_login(world.deputy)  # reads, does not record (the admin and the class teacher do)
    assert client.post(url, data).status_code == 403
