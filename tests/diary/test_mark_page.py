"""One mark in the diary (`diary:mark`) and the family's report of it (`diary:appeal_new`), seed 004 §7.1, R-I11:
the mark with its lesson, work type, weight, comment and teacher; the form within the school's days, a line saying
until when once they passed; the reports with the teacher's answers; another family's pupil is 404 (R-A07); the
staff who read the diary never report (R-A06).

Set-up from tests/matrix/appeals.py: the pupil's «4» of 17 November (the frozen clock's Tuesday) in maths of 5А."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from gradebook.appeals import appeal_answer, appeal_file
from gradebook.marks import mark_clear, mark_set
from gradebook.models import MarkAppeal
from tests.matrix.appeals import REPORT, appeal_of, appealed_work, other_work, unmarked_work
from tests.matrix.journal import DAY

Status = MarkAppeal.Status
FORM_TITLE = "Сообщить об ошибке"


def _url(w, work=None, pupil=None, name="diary:mark"):
    return reverse(name, kwargs={"pupil_id": (pupil or w.pupil).pk, "work_id": (work or appealed_work(w)).pk})


def _page(client, w, user, **kwargs):
    client.force_login(user)
    response = client.get(_url(w, **kwargs))
    return response, response.content.decode()


def _moscow(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=datetime.UTC) + datetime.timedelta(hours=hour - 3)


def test_the_family_sees_the_mark_and_the_form_to_report_it(client, world):
    for user in (world.guardian, world.pupil):
        response, page = _page(client, world, user)
        assert response.status_code == 200
        assert 'class="ap-big"' in page and ">4</div>" in page
        assert "Математика" in page and "Ответ на уроке" in page and "Ответ у доски" in page
        assert world.teacher.last_name in page
        assert FORM_TITLE in page and "20.11.2026" in page
        assert _url(world, name="diary:appeal_new") in page


def test_a_parent_reports_the_mark_and_sees_it_waiting_R_I11(client, world):
    client.force_login(world.guardian)
    response = client.post(_url(world, name="diary:appeal_new"), {"text": "  Мне поставили 5,\n а не 4 "})
    assert response.status_code == 302 and response["Location"] == _url(world)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Сообщение отправлено учителю. Ответ появится на этой странице."
    ]
    appeal = MarkAppeal.objects.get()
    assert (appeal.author, appeal.pupil, appeal.value, appeal.text) == (
        world.guardian, world.pupil, "4", "Мне поставили 5, а не 4",
    )  # fmt: skip
    page = client.get(_url(world)).content.decode()
    assert "ждёт ответа учителя" in page and "Мне поставили 5, а не 4" in page
    assert FORM_TITLE not in page  # one report at a time


def test_an_empty_report_re_renders_the_page_with_422(client, world):
    client.force_login(world.pupil)
    response = client.post(_url(world, name="diary:appeal_new"), {"text": "   "})
    assert response.status_code == 422
    assert "Напишите, в чём ошибка в отметке." in response.content.decode()
    assert not MarkAppeal.objects.exists()


def test_on_the_fourth_day_the_page_says_until_when_and_refuses_R_I11(client, world, clock):
    appealed_work(world)
    clock.move_to(_moscow(DAY + datetime.timedelta(days=4)))
    response, page = _page(client, world, world.guardian)
    assert response.status_code == 200
    assert FORM_TITLE not in page
    assert "можно было до 20.11.2026 включительно" in page
    response = client.post(_url(world, name="diary:appeal_new"), {"text": REPORT})
    assert response.status_code == 409
    assert "Срок прошёл" in response.content.decode()
    assert not MarkAppeal.objects.exists()


def test_a_second_report_while_one_waits_is_refused(client, world):
    appeal_of(world)
    client.force_login(world.pupil)
    response = client.post(_url(world, name="diary:appeal_new"), {"text": REPORT})
    assert response.status_code == 409
    assert "уже ждёт ответа учителя" in response.content.decode()
    assert MarkAppeal.objects.count() == 1


def test_the_family_sees_the_teachers_answer(client, world):
    appeal = appeal_of(world)
    appeal_answer(actor=world.teacher, appeal=appeal, outcome="answered", answer="Ответ был неполным, поэтому 4.")
    _response, page = _page(client, world, world.guardian)
    assert "Учитель оставил отметку без изменений." in page
    assert "Ответ был неполным, поэтому 4." in page
    assert FORM_TITLE in page  # still within its days: another report is possible


def test_the_family_sees_a_correction_and_the_new_mark(client, world):
    appeal = appeal_of(world)
    mark_set(actor=world.teacher, work=appealed_work(world), pupil_id=world.pupil.pk, value="5")
    appeal_answer(actor=world.teacher, appeal=appeal, outcome="corrected", answer="Исправлено, извините.")
    _response, page = _page(client, world, world.pupil)
    assert ">5</div>" in page and "Учитель исправил отметку." in page and "Исправлено, извините." in page


def test_a_removed_mark_with_a_report_still_opens(client, world):
    appeal = appeal_of(world)
    mark_clear(actor=world.teacher, work=appealed_work(world), pupil_id=world.pupil.pk)
    appeal_answer(actor=world.teacher, appeal=appeal, outcome="corrected")
    response, page = _page(client, world, world.guardian)
    assert response.status_code == 200
    assert "Учитель удалил эту отметку." in page and FORM_TITLE not in page


def test_another_familys_pupil_is_404_R_A07(client, world):
    """R-A07: nothing of another pupil answers, not even whether the mark exists."""
    client.force_login(world.guardian)
    assert client.get(_url(world, pupil=world.other_pupil, work=other_work(world))).status_code == 404
    response = client.post(
        _url(world, pupil=world.other_pupil, work=other_work(world), name="diary:appeal_new"), {"text": REPORT}
    )
    assert response.status_code == 404
    client.force_login(world.pupil)
    assert client.get(_url(world, pupil=world.other_pupil, work=other_work(world))).status_code == 404
    assert not MarkAppeal.objects.exists()


@pytest.mark.parametrize("work", [unmarked_work, other_work])
def test_a_work_without_the_pupils_mark_is_404(client, world, work):
    client.force_login(world.guardian)
    assert client.get(_url(world, work=work(world))).status_code == 404
    assert client.post(_url(world, work=work(world), name="diary:appeal_new"), {"text": REPORT}).status_code == 404


@pytest.mark.parametrize("role", ["class_teacher", "deputy", "admin"])
def test_the_staff_read_the_mark_but_never_report_it_R_A06(client, world, role):
    response, page = _page(client, world, getattr(world, role))
    assert response.status_code == 200 and FORM_TITLE not in page
    assert client.post(_url(world, name="diary:appeal_new"), {"text": REPORT}).status_code == 403
    assert not MarkAppeal.objects.exists()


def test_the_mark_page_costs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    appeal = appeal_of(world)
    client.force_login(world.guardian)
    client.get(_url(world))
    with django_assert_max_num_queries(12) as one:
        client.get(_url(world))
    for _i in range(4):
        appeal_answer(actor=world.teacher, appeal=appeal, outcome="answered", answer="Верно.")
        appeal = appeal_file(actor=world.pupil, pupil=world.pupil, work=appealed_work(world), text=REPORT)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(_url(world)).content.decode().count("Учитель оставил отметку без изменений.") == 4
