"""State final attestation results (ГИА, R-E12): what each exam holds, who enters them, the one-day rule counted by
the school's clock, and where families and the administration see them."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from gradebook import exams as services
from gradebook.models import ExamResult
from gradebook.services import GradebookError
from tests.matrix.exams import EXAM_DAY, RECEIVED, add_result, exam_class, maths

pytestmark = pytest.mark.django_db


def test_a_result_entered_after_the_day_following_its_arrival_is_counted_late_R_E12(world, clock, client):
    on_time = add_result(world)  # arrived 16.11, entered 17.11 at noon in Moscow: within the day
    assert on_time.late is False
    # 17.11 22:30 UTC is already 18.11 01:30 in Moscow, the school's time zone: more than a day after arrival.
    clock.move_to(datetime.datetime(2026, 11, 17, 22, 30, tzinfo=datetime.UTC))
    late = add_result(world, exam_date=EXAM_DAY - datetime.timedelta(days=1))
    assert late.late is True

    client.force_login(world.deputy)
    page = client.get(reverse("gradebook:exam_results"))
    assert page.status_code == 200
    assert page.context["totals"] == {"total": 2, "late": 1}
    assert page.content.decode().count('class="ex-late"') == 1
    only_late = client.get(reverse("gradebook:exam_results"), {"late": "1"})
    assert [r.pk for r in only_late.context["page"].object_list] == [late.pk]


def test_a_correction_does_not_make_a_timely_entry_late_R_E12(world, clock):
    result = add_result(world)
    clock.move_to(datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC))
    changed = services.exam_result_change(
        actor=world.deputy, result=result, exam_date=EXAM_DAY, received_on=RECEIVED, primary_score=25, mark=5
    )
    assert (changed.mark, changed.late) == (5, False)
    assert [h.mark for h in changed.history.order_by("history_date")] == [4, 5]


@pytest.mark.parametrize(
    ("kind", "scores", "message"),
    [
        ("ege", {"mark": 4}, "не сдают в 9 классе"),  # 9А sits the ОГЭ
        ("oge", {"mark": None}, "отметку от 2 до 5"),
        ("oge", {"mark": 4, "test_score": 70}, "Тестовый балл есть только"),
        ("oge", {"mark": 4, "primary_score": None}, "первичный балл"),
    ],
)
def test_each_exam_holds_its_own_scores(world, kind, scores, message):
    with pytest.raises(GradebookError, match=message):
        add_result(world, kind=kind, **scores)
    assert not ExamResult.objects.exists()


def test_the_profile_ege_has_a_test_score_and_no_mark_basic_maths_a_mark(world):
    from accounts.models import Role
    from schedule.services import classes as class_services
    from tests.factories import UserFactory, make_class

    eleven = make_class(world.school_class.year, 11, "А")
    senior = UserFactory(school=world.school, roles=[Role.PUPIL], username="senior")
    class_services.pupils_enroll(actor=None, school_class=eleven, pupils=[senior], since=datetime.date(2026, 9, 1))
    common = {"actor": world.deputy, "school_class": eleven, "pupil": senior, "subject": maths(world)}
    dates = {"exam_date": EXAM_DAY, "received_on": RECEIVED, "primary_score": 20}
    with pytest.raises(GradebookError, match="не даёт отметки"):
        services.exam_result_set(kind="ege", test_score=72, mark=4, **common, **dates)
    with pytest.raises(GradebookError, match="тестовый балл от 0 до 100"):
        services.exam_result_set(kind="ege", **common, **dates)
    assert services.exam_result_set(kind="ege", test_score=72, **common, **dates).test_score == 72
    assert services.exam_result_set(kind="ege_base", mark=5, **common, **dates).mark == 5


def test_results_cannot_arrive_in_the_future_nor_before_the_exam(world):
    with pytest.raises(GradebookError, match="ещё не наступила"):
        add_result(world, received_on=datetime.date(2026, 11, 20))
    with pytest.raises(GradebookError, match="раньше экзамена"):
        add_result(world, exam_date=datetime.date(2026, 11, 16), received_on=datetime.date(2026, 11, 15))


def test_a_second_result_of_the_same_exam_is_refused(world, client):
    add_result(world)
    client.force_login(world.deputy)
    school_class = exam_class(world)
    data = {
        "pupil": world.exam_pupil.pk,
        "subject": maths(world).pk,
        "kind": "oge",
        "exam_date": EXAM_DAY.isoformat(),
        "received_on": RECEIVED.isoformat(),
        "primary_score": "21",
        "mark": "4",
    }
    response = client.post(reverse("gradebook:exam_result_add", args=[school_class.pk]), data)
    assert response.status_code == 409
    assert "уже есть результат" in response.content.decode()
    assert ExamResult.objects.count() == 1


def test_the_subject_teacher_enters_results_of_their_subject_only(world, client):
    school_class = exam_class(world)
    client.force_login(world.teacher)
    data = {
        "pupil": world.exam_pupil.pk,
        "subject": maths(world).pk,
        "kind": "oge",
        "exam_date": EXAM_DAY.isoformat(),
        "received_on": RECEIVED.isoformat(),
        "primary_score": "21",
        "mark": "4",
    }
    response = client.post(reverse("gradebook:exam_result_add", args=[school_class.pk]), data)
    assert response.status_code == 302
    result = ExamResult.objects.get()
    assert (result.entered_by, result.late) == (world.teacher, False)

    from tests.factories import make_subject

    physics = make_subject(world.school, "Физика")
    response = client.post(
        reverse("gradebook:exam_result_add", args=[school_class.pk]),
        data | {"subject": physics.pk, "exam_date": "2026-11-11"},
    )
    assert response.status_code == 422  # not a subject the teacher may choose
    assert ExamResult.objects.count() == 1


def test_removing_a_result_keeps_its_history_and_names_who_removed_it(world, client):
    result = add_result(world)
    client.force_login(world.deputy)
    response = client.post(reverse("gradebook:exam_result_delete", args=[result.pk]))
    assert response.status_code == 302
    assert not ExamResult.objects.exists()
    assert ExamResult.history.filter(id=result.pk, history_type="-").get().history_user == world.deputy
    assert AuditEntry.objects.filter(action="gradebook.exam_result.deleted", actor=world.deputy).exists()


def test_the_family_sees_the_childs_results_in_the_diary(world, client):
    from accounts import services as accounts_services

    add_result(world)
    accounts_services.guardian_link(actor=None, school=world.school, guardian=world.guardian, pupil=world.exam_pupil)
    client.force_login(world.guardian)
    page = client.get(reverse("diary:exams", args=[world.exam_pupil.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Математика" in text and "10.11.2026" in text
    client.force_login(world.other_guardian)
    assert client.get(reverse("diary:exams", args=[world.exam_pupil.pk])).status_code == 404


def test_the_school_list_reads_in_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    for n in range(12):
        add_result(world, exam_date=EXAM_DAY - datetime.timedelta(days=n))
    client.force_login(world.deputy)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("gradebook:exam_results")).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("gradebook:class_exams", args=[exam_class(world).pk])).status_code == 200


def test_the_pupils_summary_sheet_shows_the_exam_results_R_E12(world):
    from reports.sheets import pupil_sheet

    result = add_result(world)
    sheet = pupil_sheet(
        school=world.school, pupil=world.exam_pupil, start=datetime.date(2026, 11, 1), end=datetime.date(2026, 11, 30)
    )
    assert [r.pk for r in sheet.exams] == [result.pk]
