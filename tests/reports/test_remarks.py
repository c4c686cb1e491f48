"""Remarks of journal control (R-J02, seed 001 «Анализ работы с классными журналами»): a reader leaves a remark on a
course's journal with a deadline, the course's teacher fixes the journal and marks it done, the reader sees open and
done remarks and may reopen one. Nothing is deleted; every change is in the audit log."""

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse

from audit.models import AuditEntry
from ejournal.demo_remarks import add_remarks
from reports import receivers
from reports.models import Remark
from reports.services import RemarkStateError, ReportsError, remark_create, remark_done, remark_reopen
from schedule.models import Lesson
from schedule.selectors import taught_courses
from tests.factories import make_course
from tests.matrix.journal import DAY, journal_course, lesson_of

NEXT_WEEK = DAY + datetime.timedelta(days=7)


def _remark(world, *, course=None, due=NEXT_WEEK, text="Не заполнена тема урока.", lesson=None, actor=None):
    return remark_create(
        actor=actor or world.deputy, course=course or journal_course(world), lesson=lesson, text=text, due=due
    )


def _actions(remark) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(remark.pk), action__startswith="reports.remark.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


# --- Services ----------------------------------------------------------------------------------------------------


def test_the_deputy_leaves_a_remark_and_the_teacher_marks_it_done_R_J02(world):
    lesson = lesson_of(world)
    remark = _remark(world, lesson=lesson, text="  Не заполнена тема урока.  ")
    assert (remark.status, remark.text, remark.lesson, remark.author) == ("open", "Не заполнена тема урока.", lesson,
                                                                          world.deputy)  # fmt: skip
    assert remark.school == world.school
    remark_done(actor=world.teacher, remark=remark, answer="Тема заполнена.")
    remark.refresh_from_db()
    assert (remark.status, remark.done_by, remark.answer) == ("done", world.teacher, "Тема заполнена.")
    assert remark.done_at is not None
    assert _actions(remark) == ["reports.remark.created", "reports.remark.done"]


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("", NEXT_WEEK),
        ("   ", NEXT_WEEK),
        ("x" * 2001, NEXT_WEEK),
        ("Нет отметок.", DAY - datetime.timedelta(days=1)),
        ("Нет отметок.", DAY + datetime.timedelta(days=400)),
    ],
    ids=["empty", "blank", "too long", "due in the past", "due too far"],
)
def test_it_refuses_a_remark_with_bad_input(world, text, due):
    with pytest.raises(ReportsError):
        _remark(world, text=text, due=due)
    assert not Remark.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="reports.remark.").exists()


def test_it_refuses_a_lesson_of_another_course(world):
    other = make_course(world.other_class, world.other_teacher, "История", 2)
    foreign_lesson = Lesson.objects.create(school=world.school, course=other, date=DAY, number=3)
    with pytest.raises(ReportsError):
        _remark(world, lesson=foreign_lesson)
    assert not Remark.objects.exists()


def test_a_deadline_of_today_is_accepted_and_is_overdue_tomorrow_R_J02(world, clock):
    remark = _remark(world, due=DAY)
    assert not remark.is_overdue(DAY)
    assert remark.is_overdue(DAY + datetime.timedelta(days=1))
    remark_done(actor=world.teacher, remark=remark)
    assert not remark.is_overdue(DAY + datetime.timedelta(days=1))  # done is never overdue


def test_a_remark_is_done_once_and_reopened_only_when_done(world):
    remark = _remark(world)
    with pytest.raises(RemarkStateError):
        remark_reopen(actor=world.deputy, remark=remark)
    remark_done(actor=world.teacher, remark=remark)
    with pytest.raises(RemarkStateError):
        remark_done(actor=world.teacher, remark=Remark.objects.get(pk=remark.pk), answer="ещё раз")
    remark.refresh_from_db()
    assert remark.answer == ""
    assert _actions(remark) == ["reports.remark.created", "reports.remark.done"]


def test_the_deputy_reopens_a_done_remark_with_a_note_and_a_new_deadline_R_J02(world, clock):
    remark = _remark(world, due=DAY)
    remark_done(actor=world.teacher, remark=remark, answer="Готово.")
    clock.move_to(datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC))
    with pytest.raises(ReportsError):
        remark_reopen(actor=world.deputy, remark=remark, due=DAY)  # a new deadline cannot be in the past
    remark_reopen(actor=world.deputy, remark=remark, note="Тема так и не заполнена.", due=datetime.date(2026, 11, 23))
    remark.refresh_from_db()
    assert (remark.status, remark.reopened_count, remark.reopened_by) == ("open", 1, world.deputy)
    assert (remark.reopen_note, remark.due) == ("Тема так и не заполнена.", datetime.date(2026, 11, 23))
    assert remark.done_by == world.teacher  # the last round's "done" is kept, not erased
    remark_done(actor=world.teacher, remark=remark)
    remark_reopen(actor=world.deputy, remark=remark)  # without a new deadline: the old one stays
    remark.refresh_from_db()
    assert (remark.reopened_count, remark.due) == (2, datetime.date(2026, 11, 23))
    assert _actions(remark) == ["reports.remark.created", "reports.remark.done", "reports.remark.reopened",
                                "reports.remark.done", "reports.remark.reopened"]  # fmt: skip


# --- Pages -------------------------------------------------------------------------------------------------------


def test_the_form_proposes_a_week_and_preselects_the_lesson(client, world):
    lesson = lesson_of(world)
    client.force_login(world.deputy)
    response = client.get(reverse("reports:remark_add", args=[journal_course(world).pk]), {"lesson": lesson.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["due"] == NEXT_WEEK
    assert form["lesson"].value() == lesson.pk


def test_the_deputy_sends_a_remark_and_goes_back_to_the_journal(client, world):
    course, lesson = journal_course(world), lesson_of(world)
    client.force_login(world.deputy)
    response = client.post(
        reverse("reports:remark_add", args=[course.pk]),
        {"lesson": lesson.pk, "text": "Нет темы урока.", "due": "24.11.2026"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("gradebook:journal", args=[course.pk])
    remark = Remark.objects.get()
    assert (remark.course, remark.lesson, remark.due, remark.author) == (course, lesson, NEXT_WEEK, world.deputy)


@pytest.mark.parametrize(
    "data",
    [
        {"text": "", "due": "2026-11-24"},
        {"text": "Нет темы.", "due": ""},
        {"text": "Нет темы.", "due": "2026-11-16"},
        {"text": "Нет темы.", "due": "завтра"},
        {"text": "x" * 2001, "due": "2026-11-24"},
        {"text": "Нет темы.", "due": "2026-11-24", "lesson": "999999"},
    ],
    ids=["no text", "no deadline", "deadline in the past", "not a date", "too long", "not a lesson of the course"],
)
def test_the_form_refuses_bad_input_and_changes_nothing(client, world, data):
    client.force_login(world.deputy)
    response = client.post(reverse("reports:remark_add", args=[journal_course(world).pk]), data)
    assert response.status_code == 422
    assert not Remark.objects.exists()


def test_a_lesson_of_another_course_is_not_offered(client, world):
    other = make_course(world.other_class, world.other_teacher, "История", 2)
    foreign_lesson = Lesson.objects.create(school=world.school, course=other, date=DAY, number=3)
    client.force_login(world.deputy)
    url = reverse("reports:remark_add", args=[journal_course(world).pk])
    response = client.post(url, {"text": "Нет темы.", "due": "2026-11-24", "lesson": foreign_lesson.pk})
    assert response.status_code == 422
    assert not Remark.objects.exists()


def test_another_schools_course_and_remark_are_404(client, world):
    foreign_course = make_course(world.foreign_class, world.foreign_teacher, "Математика", 4)
    foreign = remark_create(
        actor=world.foreign_teacher, course=foreign_course, text="Чужое замечание.", due=NEXT_WEEK
    )  # a service does not ask who may: the permission layer does, in the views
    client.force_login(world.deputy)
    assert client.get(reverse("reports:remark_add", args=[foreign_course.pk])).status_code == 404
    assert client.post(reverse("reports:remark_add", args=[foreign_course.pk]), {"text": "x"}).status_code == 404
    for name in ("remark_detail",):
        assert client.get(reverse(f"reports:{name}", args=[foreign.pk])).status_code == 404
    for name in ("remark_done", "remark_reopen"):
        assert client.post(reverse(f"reports:{name}", args=[foreign.pk])).status_code == 404
    assert foreign not in client.get(reverse("reports:remark_list")).context["remarks"]


def test_a_closed_years_journal_takes_no_remarks(client, world):
    course = journal_course(world)
    course.year.is_archived = True
    course.year.save(update_fields=["is_archived"])
    client.force_login(world.deputy)
    assert client.get(reverse("reports:remark_add", args=[course.pk])).status_code == 403
    with pytest.raises(ReportsError):
        _remark(world, course=course)


def test_the_teacher_of_another_course_can_neither_see_nor_close_it(client, world):
    remark = _remark(world)
    client.force_login(world.other_teacher)
    assert client.get(reverse("reports:remark_detail", args=[remark.pk])).status_code == 403
    assert client.post(reverse("reports:remark_done", args=[remark.pk])).status_code == 403
    # The class teacher of the course's class reads its journal, but the remarks are the course teacher's.
    client.force_login(world.class_teacher)
    assert client.get(reverse("reports:remark_detail", args=[remark.pk])).status_code == 403
    assert client.post(reverse("reports:remark_done", args=[remark.pk])).status_code == 403
    remark.refresh_from_db()
    assert remark.status == "open"


def test_the_teacher_marks_it_done_from_the_detail_page_and_the_deputy_reopens_it_R_J02(client, world):
    remark = _remark(world)
    url = reverse("reports:remark_detail", args=[remark.pk])
    client.force_login(world.teacher)
    page = client.get(url)
    assert page.context["can_close"] and not page.context["can_reopen"]
    response = client.post(reverse("reports:remark_done", args=[remark.pk]), {"answer": "Тема заполнена."})
    assert response.status_code == 302 and response["Location"] == url
    # Pressed again on a stale page: a conflict, nothing changes.
    response = client.post(reverse("reports:remark_done", args=[remark.pk]), {"answer": "ещё раз"})
    assert response.status_code == 409
    remark.refresh_from_db()
    assert (remark.status, remark.answer) == ("done", "Тема заполнена.")

    client.force_login(world.deputy)
    page = client.get(url)
    assert page.context["can_reopen"] and not page.context["can_close"]
    assert "Тема заполнена." in page.content.decode()
    response = client.post(reverse("reports:remark_reopen", args=[remark.pk]), {"note": "Нет домашнего задания."})
    assert response.status_code == 302
    remark.refresh_from_db()
    assert (remark.status, remark.reopened_count, remark.reopen_note) == ("open", 1, "Нет домашнего задания.")
    assert client.post(reverse("reports:remark_reopen", args=[remark.pk])).status_code == 409


def test_the_teacher_cannot_reopen_and_the_deputy_cannot_close(client, world):
    remark = _remark(world)
    client.force_login(world.deputy)
    assert client.post(reverse("reports:remark_done", args=[remark.pk])).status_code == 403
    remark_done(actor=world.teacher, remark=remark)
    client.force_login(world.teacher)
    assert client.post(reverse("reports:remark_reopen", args=[remark.pk])).status_code == 403
    remark.refresh_from_db()
    assert remark.status == "done"


def test_pages_refuse_a_wrong_method(client, world):
    remark = _remark(world)
    client.force_login(world.deputy)
    assert client.delete(reverse("reports:remark_add", args=[journal_course(world).pk])).status_code == 405
    assert client.post(reverse("reports:remark_list")).status_code == 405
    assert client.post(reverse("reports:remark_detail", args=[remark.pk])).status_code == 405
    assert client.get(reverse("reports:remark_done", args=[remark.pk])).status_code == 405
    assert client.get(reverse("reports:remark_reopen", args=[remark.pk])).status_code == 405


# --- The list: scope per role, order, filters, queries --------------------------------------------------------------


@pytest.fixture
def two_courses(world):
    """Remarks on the teacher's maths of 5А (one done, one open and overdue, one open) and on other_teacher's
    history of 5Б (open)."""
    maths = journal_course(world)
    history = make_course(world.other_class, world.other_teacher, "История", 2)
    done = _remark(world, course=maths, text="Исправлено давно.")
    remark_done(actor=world.teacher, remark=done)
    overdue = _remark(world, course=maths, due=DAY, text="Просроченное.")
    later = _remark(world, course=maths, due=NEXT_WEEK, text="Ещё не срок.")
    other = _remark(world, course=history, due=NEXT_WEEK, text="По истории.")
    Remark.objects.filter(pk=overdue.pk).update(due=DAY - datetime.timedelta(days=2))
    return {"maths": maths, "history": history, "done": done, "overdue": overdue, "later": later, "other": other}


def _listed(client, **query) -> list[int]:
    response = client.get(reverse("reports:remark_list"), query)
    assert response.status_code == 200
    return [r.pk for r in response.context["remarks"]]


def test_readers_see_every_remark_open_first_overdue_marked_R_J02(client, world, two_courses):
    r = two_courses
    for reader in (world.deputy, world.director, world.admin):
        client.force_login(reader)
        assert _listed(client) == [r["overdue"].pk, r["other"].pk, r["later"].pk, r["done"].pk]
    response = client.get(reverse("reports:remark_list"))
    overdue = [x.pk for x in response.context["remarks"] if x.overdue]
    assert overdue == [r["overdue"].pk]
    assert response.context["counts"] == {"open": 3, "overdue": 1, "done": 1}
    assert "rm-overdue" in response.content.decode()


def test_the_list_filters_by_status_and_course(client, world, two_courses):
    r = two_courses
    client.force_login(world.deputy)
    assert _listed(client, status="done") == [r["done"].pk]
    assert _listed(client, status="open") == [r["overdue"].pk, r["other"].pk, r["later"].pk]
    assert _listed(client, status="open", course=r["history"].pk) == [r["other"].pk]
    assert _listed(client, status="nonsense", course="abc") == _listed(client)
    assert _listed(client, course=999999) == []


def test_teachers_see_only_the_remarks_on_their_own_courses(client, world, two_courses):
    r = two_courses
    client.force_login(world.teacher)
    assert _listed(client) == [r["overdue"].pk, r["later"].pk, r["done"].pk]
    assert _listed(client, course=r["history"].pk) == []
    client.force_login(world.other_teacher)
    assert _listed(client) == [r["other"].pk]
    client.force_login(world.class_teacher)  # the class teacher of 5А teaches neither course
    assert _listed(client) == []
    client.force_login(world.pupil)
    assert client.get(reverse("reports:remark_list")).status_code == 403


def test_the_list_takes_the_same_queries_however_many(client, world, django_assert_max_num_queries):
    course = journal_course(world)
    client.force_login(world.deputy)
    _remark(world)
    client.get(reverse("reports:remark_list"))
    history = make_course(world.other_class, world.other_teacher, "История", 2)
    for i in range(30):
        on_maths = i % 2 == 0
        remark = _remark(world, course=course if on_maths else history, lesson=lesson_of(world) if on_maths else None)
        if i % 4 == 0:
            remark_done(actor=world.teacher if on_maths else world.other_teacher, remark=remark)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("reports:remark_list"))
    assert len(response.context["remarks"]) == 31
    client.force_login(world.teacher)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("reports:remark_list"), {"course": course.pk}).status_code == 200


# --- The panels on the journal and on "my day" ---------------------------------------------------------------------


def _request(world, user, path="/"):
    request = RequestFactory().get(path)
    request.user, request.school = user, world.school
    return request


def test_the_journal_shows_its_open_remarks_with_a_done_button_for_its_teacher_R_J02(client, world, two_courses):
    r = two_courses
    url = reverse("gradebook:journal", args=[r["maths"].pk])
    client.force_login(world.teacher)
    html = client.get(url).content.decode()
    assert "Просроченное." in html and "Ещё не срок." in html
    assert "Исправлено давно." not in html and "По истории." not in html
    assert reverse("reports:remark_done", args=[r["later"].pk]) in html
    assert reverse("reports:remark_add", args=[r["maths"].pk]) not in html

    client.force_login(world.deputy)
    html = client.get(url).content.decode()
    assert "Просроченное." in html
    assert reverse("reports:remark_add", args=[r["maths"].pk]) in html
    assert reverse("reports:remark_done", args=[r["later"].pk]) not in html

    client.force_login(world.class_teacher)  # reads the journal of own class, not the remarks to its teacher
    html = client.get(url).content.decode()
    assert client.get(url).status_code == 200
    assert "Просроченное." not in html and reverse("reports:remark_add", args=[r["maths"].pk]) not in html


def test_each_panel_takes_one_query(world, two_courses, django_assert_num_queries):
    course = journal_course(world)
    course = type(course).objects.select_related("year", "subject", "school_class", "group").get(pk=course.pk)
    for user in (world.teacher, world.deputy):
        request = _request(world, user)
        user.has_perm("gradebook.view_journal", course)  # what the journal page has asked before the panels
        taught_courses(user)
        with django_assert_num_queries(1):
            panel = receivers.journal_remarks(None, request=request, course=course)
        assert [x.pk for x in panel.context["remarks"]] == [two_courses["overdue"].pk, two_courses["later"].pk]
        assert panel.context["can_close"] == (user == world.teacher)
    request = _request(world, world.teacher)
    with django_assert_num_queries(1):
        panel = receivers.my_day_remarks(None, request=request, day=DAY)
    assert [x.pk for x in panel.context["remarks"]] == [two_courses["overdue"].pk, two_courses["later"].pk]
    assert panel.context["remarks"][0].overdue


def test_my_day_shows_the_teachers_open_remarks_and_nothing_without_them(client, world, two_courses):
    client.force_login(world.other_teacher)
    html = client.get(reverse("gradebook:my_day")).content.decode()
    assert "По истории." in html and "Просроченное." not in html
    client.force_login(world.class_teacher)
    html = client.get(reverse("gradebook:my_day")).content.decode()
    assert "rm-panel" not in html


# --- The demo ------------------------------------------------------------------------------------------------------


def test_the_demo_adds_open_overdue_and_done_remarks_by_the_deputy(world):
    course = journal_course(world)  # the `teacher` login's maths of 5А; the world's logins are the demo's
    history = make_course(world.other_class, world.other_teacher, "История", 2)
    remarks = add_remarks(school=world.school, today=DAY)
    assert len(remarks) == 5
    assert {r.author for r in remarks} == {world.deputy}
    assert {r.course for r in remarks} == {course, history}
    open_ = [r for r in remarks if r.status == "open"]
    done = [r for r in remarks if r.status == "done"]
    assert len(open_) == 3 and len(done) == 2
    assert [r.is_overdue(DAY) for r in open_].count(True) == 1
    for r in done:
        assert r.done_by in {world.teacher, world.other_teacher} and r.done_at >= r.created_at and r.answer
    for r in remarks:
        assert r.lesson is None or (r.lesson.course_id == r.course_id and r.lesson.date < r.created_at.date())
        assert r.created_at.date() < DAY
    assert AuditEntry.objects.filter(action="reports.remark.created").count() == 5


def test_the_demo_adds_nothing_without_a_deputy_or_courses(world):
    assert add_remarks(school=world.other_school, today=DAY) == []
