"""The course's journal grid (issue 5): the selector's averages, movers and locks, its fixed number of queries, the
page's permissions and the writes of a cell and a column with the time rules."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gradebook.marks import mark_set, work_add
from gradebook.models import LessonWork, Mark, WorkType
from gradebook.selectors import averages, course_periods, journal_grid, period_on
from schedule.models import Course, Lesson
from schedule.services import classes as class_services
from schedule.services import lessons as lesson_services
from tests.factories import UserFactory
from tests.matrix.journal import ANSWER, CONTROL, DAY, journal_course, lesson_of, work_on

D = datetime.date
MONDAY = D(2026, 11, 9)


def _grid(w, day=DAY):
    course = Course.objects.select_related("year", "subject", "school_class", "group").get(pk=journal_course(w).pk)
    period = period_on(course_periods(course), day)
    return journal_grid(course=course, period=period, day=day)


def _row(grid, pupil):
    return next(r for r in grid.rows if r.pupil.pk == pupil.pk)


def _url(name, **kwargs):
    return reverse(f"gradebook:{name}", kwargs=kwargs)


# --- The selector -----------------------------------------------------------------------------------------------


def test_averages_count_numeric_marks_and_weigh_them_by_work_type_R_E02():
    assert averages([("5", Decimal(1)), ("3", Decimal(3)), ("зач", Decimal(1)), ("незач", Decimal(2))]) == (
        Decimal("4.00"),
        Decimal("3.50"),
    )
    assert averages([("зач", Decimal(1))]) == (None, None)


def test_the_grid_shows_lessons_works_marks_and_row_averages(world):
    answer, control, credit = work_on(world, MONDAY), work_on(world, DAY, CONTROL), work_on(world, DAY)
    for work, value in ((answer, "5"), (control, "3"), (credit, "зач")):
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value=value)
    grid = _grid(world)
    assert grid.period.number == 2
    assert [h.date for h in grid.lessons][:2] == [MONDAY, D(2026, 11, 10)]
    assert [c.work_id for c in grid.lessons[0].columns] == [answer.pk]
    assert grid.lessons[1].columns[0].work_id is None  # a lesson without works keeps a blank column
    row = _row(grid, world.pupil)
    values = {c.column.work_id: c.value for c in row.cells if c.column.work_id}
    assert values == {answer.pk: "5", control.pk: "3", credit.pk: "зач"}
    assert (row.average, row.weighted) == (Decimal("4.00"), Decimal("3.50"))
    assert grid.today_lesson_id == lesson_of(world).pk
    assert world.other_pupil.pk not in {r.pupil.pk for r in grid.rows}


def test_a_pupil_who_left_or_came_mid_period_is_shown_with_the_other_dates_off(world):
    """DESIGN §4: a pupil who moves keeps their marks in the old class; lists show pupils on the lesson's date."""
    newcomer = UserFactory(school=world.school, username="newcomer", roles=["pupil"], password=None)
    journal_course(world)
    class_services.pupils_enroll(actor=None, school_class=world.school_class, pupils=[newcomer], since=DAY)
    class_services.enrollment_move(actor=None, pupil=world.pupil, to_class=world.other_class, since=D(2026, 11, 12))
    work_on(world, MONDAY)
    grid = _grid(world)
    dates = [h.date for h in grid.lessons for _c in h.columns]
    left, came = _row(grid, world.pupil), _row(grid, newcomer)
    assert left.partial and came.partial
    on_list = [d for d, c in zip(dates, left.cells, strict=True) if not c.off]
    assert on_list == [MONDAY, D(2026, 11, 10), D(2026, 11, 11)]
    assert [d for d, c in zip(dates, came.cells, strict=True) if not c.off] == [d for d in dates if d >= DAY]
    grid.allow_editing(may_edit_course=True)
    assert not any(c.editable for c in came.cells if c.column.lesson_id == lesson_of(world, MONDAY).pk)


def test_a_column_locks_when_its_window_closes_R_D03(world, clock):
    """R-D03: 14 days after the lesson its marks no longer change; the grid says until when they could."""
    work = work_on(world, MONDAY)
    grid = _grid(world)
    grid.allow_editing(may_edit_course=True)
    column = next(c for c in grid.columns if c.work_id == work.pk)
    assert column.open and column.editable and column.editable_until == D(2026, 11, 23)
    clock.move_to(datetime.datetime(2026, 11, 24, 9, 0, tzinfo=datetime.UTC))
    grid = _grid(world, D(2026, 11, 24))
    grid.allow_editing(may_edit_course=True)
    column = next(c for c in grid.columns if c.work_id == work.pk)
    assert not column.open and not column.editable
    assert "jg-locked" in _row(grid, world.pupil).cells[0].css


def test_a_substituted_lesson_is_read_only_for_the_course_teacher_R_C06(world):
    work = work_on(world)
    lesson_services.substitution_set(actor=world.admin, lesson=lesson_of(world), substitute=world.other_teacher)
    grid = _grid(world)
    grid.allow_editing(may_edit_course=True)
    assert not next(c for c in grid.columns if c.work_id == work.pk).editable
    assert next(h for h in grid.lessons if h.id == work.lesson_id).substituted


def _fill(w, pupils: int, works_per_lesson: int):
    """A course with `pupils` more pupils and marks in every cell."""
    course = journal_course(w)
    extra = [UserFactory(school=w.school, username=f"jg{i}", roles=["pupil"], password=None) for i in range(pupils)]
    if extra:
        class_services.pupils_enroll(actor=None, school_class=w.school_class, pupils=extra, since=D(2026, 9, 1))
    kinds = [ANSWER, CONTROL, "Самостоятельная работа"]
    for lesson in Lesson.objects.filter(course=course, date__lte=DAY):
        for kind in kinds[:works_per_lesson]:
            work = work_add(actor=w.teacher, lesson=lesson, work_type=WorkType.objects.get(school=w.school, name=kind))
            Mark.objects.bulk_create(
                Mark(school=w.school, work=work, pupil=p, value="4", author=w.teacher) for p in [w.pupil, *extra]
            )


def _count(w):
    with CaptureQueriesContext(connection) as ctx:
        grid = _grid(w)
    return len(ctx.captured_queries), grid


def test_the_grid_takes_the_same_few_queries_whatever_its_size(world):
    _fill(world, pupils=0, works_per_lesson=1)
    small, small_grid = _count(world)
    _fill(world, pupils=25, works_per_lesson=2)
    big, big_grid = _count(world)
    assert len(big_grid.rows) == 26 and len(big_grid.columns) > len(small_grid.columns)
    assert sum(1 for r in big_grid.rows for c in r.cells if c.value) > 300
    # The course and its periods, then lessons, works, work types, settings, the list, absences, marks, the period's
    # marks.
    assert small == big <= 10


# --- The page --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["teacher", "class_teacher", "deputy", "director", "admin"])
def test_who_opens_the_grid_and_who_may_type_in_it_R_A03_R_A05(client, world, role):
    work_on(world)
    client.force_login(getattr(world, role))
    response = client.get(_url("journal", course_id=journal_course(world).pk))
    assert response.status_code == 200
    assert (b'data-edit="1"' in response.content) == (role == "teacher")
    assert world.pupil.last_name.encode() in response.content


@pytest.mark.parametrize(
    ("role", "status"), [("other_teacher", 403), ("pupil", 403), ("guardian", 403), ("foreign_teacher", 404)]
)
def test_others_do_not_open_the_grid_R_A06_R_A07(client, world, role, status):
    client.force_login(getattr(world, role))
    assert client.get(_url("journal", course_id=journal_course(world).pk)).status_code == status


def test_a_substitute_fills_their_lesson_in_the_grid_and_nothing_else_R_C06(client, world):
    given, other = work_on(world), work_on(world, DAY - datetime.timedelta(days=1))
    lesson = lesson_of(world)
    lesson_services.substitution_set(actor=world.admin, lesson=lesson, substitute=world.other_teacher)
    url = _url("journal", course_id=journal_course(world).pk)
    client.force_login(world.other_teacher)
    grid = client.get(url).context["grid"]
    assert [h.id for h in grid.lessons if h.editable] == [lesson.pk]
    assert {c.work_id for c in grid.columns if c.editable} == {given.pk}
    assert client.post(_url("mark_set", work_id=given.pk), {"pupil": world.pupil.pk, "value": "4"}).status_code == 200
    assert client.post(_url("mark_set", work_id=other.pk), {"pupil": world.pupil.pk, "value": "4"}).status_code == 403
    att = client.post(_url("attendance_set", lesson_id=lesson.pk), {"pupil": world.pupil.pk, "code": "absent"})
    assert att.status_code == 200 and 'data-att="Н"' in att.content.decode()
    # The course's teacher reads the lesson, locked with the reason.
    client.force_login(world.teacher)
    head = next(h for h in client.get(url).context["grid"].lessons if h.id == lesson.pk)
    assert not head.editable and head.att_lock and head.columns[0].lock_reason
    # The substitution removed, the grid closes to them again.
    lesson_services.substitution_remove(actor=world.admin, lesson=lesson)
    client.force_login(world.other_teacher)
    assert client.get(url).status_code == 403


def test_attendance_typed_in_the_grid_shows_in_each_cell_of_the_lesson_R_H01_R_H02(client, world):
    first, second = work_on(world), work_on(world)
    lesson = lesson_of(world)
    client.force_login(world.teacher)
    answer = client.post(
        _url("attendance_set", lesson_id=lesson.pk), {"pupil": world.pupil.pk, "code": "late", "minutes": "10"}
    )
    assert answer.status_code == 200 and answer["X-Journal-Cell"] == "1"
    assert 'data-att="ОП"' in answer.content.decode()
    row = _row(_grid(world), world.pupil)
    assert [c.att for c in row.cells if c.column.work_id in (first.pk, second.pk)] == ["ОП", "ОП"]
    page = client.get(_url("journal", course_id=journal_course(world).pk)).content.decode()
    assert page.count('data-att="ОП"') == 2
    # Late without minutes is refused with the reason, and changes nothing.
    refused = client.post(_url("attendance_set", lesson_id=lesson.pk), {"pupil": world.pupil.pk, "code": "late"})
    assert refused.status_code == 422 and "data-error" in refused.content.decode()
    assert 'data-att="ОП"' in refused.content.decode()
    # An empty code: the pupil was present after all.
    cleared = client.post(_url("attendance_set", lesson_id=lesson.pk), {"pupil": world.pupil.pk, "code": ""})
    assert cleared.status_code == 200 and 'data-att=""' in cleared.content.decode()
    assert not any(c.att for c in _row(_grid(world), world.pupil).cells)


def test_attendance_in_the_grid_follows_the_window_and_the_list_R_D03(client, world, clock):
    lesson = lesson_of(world)
    client.force_login(world.teacher)
    stranger = world.other_pupil  # of 5Б: not on the list
    refused = client.post(_url("attendance_set", lesson_id=lesson.pk), {"pupil": stranger.pk, "code": "absent"})
    assert refused.status_code == 409 and "data-error" in refused.content.decode()
    clock.move_to(datetime.datetime(2026, 12, 20, 9, 0, tzinfo=datetime.UTC))
    client.force_login(world.teacher)  # weeks later: a new session (sessions end when idle, issue 10 item 5)
    refused = client.post(_url("attendance_set", lesson_id=lesson.pk), {"pupil": world.pupil.pk, "code": "absent"})
    assert refused.status_code == 409 and "01.12.2026" in refused.content.decode()
    head = next(h for h in client.get(_url("journal", course_id=journal_course(world).pk)).context["grid"].lessons
                if h.id == lesson.pk)  # fmt: skip
    assert not head.att_editable and "01.12.2026" in head.att_lock


def test_all_present_in_one_click_R_H01(client, world):
    lesson = lesson_of(world)
    client.force_login(world.teacher)
    url = _url("journal", course_id=journal_course(world).pk)
    assert _url("attendance_taken", lesson_id=lesson.pk).encode() in client.get(url).content
    response = client.post(_url("attendance_taken", lesson_id=lesson.pk), {"next": url})
    assert response.status_code == 302 and response["Location"] == url
    head = next(h for h in client.get(url).context["grid"].lessons if h.id == lesson.pk)
    assert head.taken
    # The lesson's page says so, and offers the button while it is not taken.
    lesson_page = client.get(reverse("schedule:lesson_detail", args=[lesson.pk])).content.decode()
    assert "Все присутствуют" not in lesson_page and url in lesson_page
    other = lesson_of(world, DAY - datetime.timedelta(days=1))
    assert "Все присутствуют" in client.get(reverse("schedule:lesson_detail", args=[other.pk])).content.decode()
    future = lesson_of(world, DAY + datetime.timedelta(days=1))
    refused = client.post(_url("attendance_taken", lesson_id=future.pk))
    assert refused.status_code == 409


@pytest.mark.parametrize("role", ["other_teacher", "deputy", "guardian", "pupil"])
def test_others_do_not_write_attendance_in_the_grid_R_A06(client, world, role):
    lesson = lesson_of(world)
    client.force_login(getattr(world, role))
    url = _url("attendance_set", lesson_id=lesson.pk)
    assert client.post(url, {"pupil": world.pupil.pk, "code": "absent"}).status_code == 403
    assert client.post(_url("attendance_taken", lesson_id=lesson.pk)).status_code == 403


def test_the_page_takes_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    _fill(world, pupils=25, works_per_lesson=2)
    client.force_login(world.teacher)
    url = _url("journal", course_id=journal_course(world).pk)
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.count(b'data-edit="1"') > 100


def test_the_period_switcher_shows_another_period(client, world):
    client.force_login(world.teacher)
    course = journal_course(world)
    first = course_periods(Course.objects.select_related("school_class").get(pk=course.pk))[0]
    response = client.get(_url("journal", course_id=course.pk), {"period": first.pk})
    assert response.status_code == 200
    assert response.context["period"] == first
    assert not response.context["grid"].lessons  # lessons were generated for November only
    print_page = client.get(_url("journal_print", course_id=course.pk))
    assert print_page.status_code == 200 and world.pupil.last_name.encode() in print_page.content


# --- Writes ------------------------------------------------------------------------------------------------------


def test_the_teacher_saves_a_mark_and_gets_the_cell_and_the_row_averages(client, world):
    work, control = work_on(world), work_on(world, DAY, CONTROL)
    mark_set(actor=world.teacher, work=control, pupil_id=world.pupil.pk, value="3")
    client.force_login(world.teacher)
    response = client.post(_url("mark_set", work_id=work.pk), {"pupil": world.pupil.pk, "value": "5"})
    assert response.status_code == 200
    assert response["X-Journal-Cell"] == "1"
    body = response.content.decode()
    assert 'data-value="5"' in body and "jg-late" not in body
    assert re.search(rf'id="jg-avg-{world.pupil.pk}" data-at="\d+">4,00<', body)
    assert re.search(rf'id="jg-wavg-{world.pupil.pk}" data-at="\d+">3,50<', body)
    assert Mark.objects.get(work=work, pupil=world.pupil).value == "5"
    # «з» from the keyboard is «зач»; an empty value clears the cell.
    client.post(_url("mark_set", work_id=work.pk), {"pupil": world.pupil.pk, "value": "з"})
    assert Mark.objects.get(work=work, pupil=world.pupil).value == "зач"
    assert client.post(_url("mark_set", work_id=work.pk), {"pupil": world.pupil.pk, "value": ""}).status_code == 200
    assert not Mark.objects.filter(work=work, pupil=world.pupil).exists()


def test_a_late_mark_is_saved_and_flagged_R_D01(client, world, clock):
    work = work_on(world, MONDAY)
    clock.move_to(datetime.datetime(2026, 11, 18, 9, 0, tzinfo=datetime.UTC))
    client.force_login(world.teacher)
    response = client.post(_url("mark_set", work_id=work.pk), {"pupil": world.pupil.pk, "value": "4"})
    assert response.status_code == 200 and b"jg-late" in response.content


@pytest.mark.parametrize("role", ["class_teacher", "deputy", "admin", "other_teacher", "guardian", "pupil"])
def test_only_the_course_teacher_writes_marks_R_A04(client, world, role):
    work = work_on(world)
    client.force_login(getattr(world, role))
    response = client.post(_url("mark_set", work_id=work.pk), {"pupil": world.pupil.pk, "value": "5"})
    assert response.status_code == 403
    assert not Mark.objects.exists()


def test_after_the_window_a_mark_is_refused_with_the_reason_and_nothing_written_R_D03(client, world, clock):
    work = work_on(world, MONDAY)
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="4")
    clock.move_to(datetime.datetime(2026, 11, 24, 9, 0, tzinfo=datetime.UTC))
    client.force_login(world.teacher)
    response = client.post(_url("mark_set", work_id=work.pk), {"pupil": world.pupil.pk, "value": "2"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "23.11.2026" in body and "jg-error" in body and 'data-value="4"' in body
    assert Mark.objects.get(work=work).value == "4"
    page = client.get(_url("journal", course_id=journal_course(world).pk))
    assert "23.11.2026" in page.content.decode()  # the locked cells say until when they could change


def test_never_means_until_the_year_ends_on_the_page_and_the_server_R_D03_R_D08(client, world, clock):
    """With no edit window the marks change until the year's last day (31.08.2027), then the server refuses and the
    page says until when they could change."""
    from accounts.models import SchoolSettings

    SchoolSettings.objects.filter(school=world.school).update(edit_window_days=None)
    work = work_on(world, MONDAY)
    q2 = Course.objects.get(pk=journal_course(world).pk)
    period = period_on(course_periods(Course.objects.select_related("school_class").get(pk=q2.pk)), MONDAY)
    page_url = _url("journal", course_id=q2.pk) + f"?period={period.pk}"
    clock.move_to(datetime.datetime(2027, 8, 31, 9, 0, tzinfo=datetime.UTC))
    client.force_login(world.teacher)
    saved = client.post(_url("mark_set", work_id=work.pk), {"pupil": world.pupil.pk, "value": "3"})
    assert saved.status_code == 200 and "jg-late" in saved.content.decode()  # long after the deadline: late
    clock.move_to(datetime.datetime(2027, 9, 1, 9, 0, tzinfo=datetime.UTC))
    client.force_login(world.teacher)  # the next day: a new session (sessions end when idle, issue 10 item 5)
    refused = client.post(_url("mark_set", work_id=work.pk), {"pupil": world.pupil.pk, "value": "5"})
    assert refused.status_code == 409 and "31.08.2027" in refused.content.decode()
    assert Mark.objects.get(work=work).value == "3"
    page = client.get(page_url).content.decode()
    assert 'data-edit="1"' not in page and "31.08.2027" in page


def test_a_bad_value_or_a_pupil_off_the_list_is_refused(client, world):
    work = work_on(world)
    client.force_login(world.teacher)
    response = client.post(_url("mark_set", work_id=work.pk), {"pupil": world.pupil.pk, "value": "6"})
    assert response.status_code == 422 and b"jg-error" in response.content
    response = client.post(_url("mark_set", work_id=work.pk), {"pupil": world.other_pupil.pk, "value": "5"})
    assert response.status_code == 409
    assert not Mark.objects.exists()


def test_the_teacher_adds_and_removes_a_column(client, world):
    lesson = lesson_of(world)
    client.force_login(world.teacher)
    kind = WorkType.objects.get(school=world.school, name=CONTROL)
    response = client.post(_url("work_add", lesson_id=lesson.pk), {"work_type": kind.pk, "title": "Дроби"})
    assert response.status_code == 302 and f"#lesson-{lesson.pk}" in response["Location"]
    work = LessonWork.objects.get(lesson=lesson)
    assert work.title == "Дроби"
    assert client.post(_url("work_remove", work_id=work.pk)).status_code == 302
    assert not LessonWork.objects.exists()
    assert client.post(_url("work_add", lesson_id=lesson.pk), {"work_type": ""}).status_code == 422


def test_the_teacher_changes_a_columns_kind_and_its_marks_follow_it_R_E01(client, world):
    work = work_on(world)
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="2")
    control = WorkType.objects.get(school=world.school, name=CONTROL)
    client.force_login(world.teacher)
    url = _url("work_edit", work_id=work.pk)
    page = client.get(_url("journal", course_id=journal_course(world).pk)).content.decode()
    assert url in page  # the column's kind links to its form
    assert client.get(url).status_code == 200
    response = client.post(url, {"work_type": control.pk, "title": "Диктант"})
    assert response.status_code == 302
    work.refresh_from_db()
    assert (work.work_type, work.title) == (control, "Диктант")
    assert Mark.objects.get(work=work).value == "2"
    assert client.post(url, {"work_type": "", "title": ""}).status_code == 422
    client.force_login(world.other_teacher)
    assert client.post(url, {"work_type": control.pk}).status_code == 403


def test_no_column_is_added_after_the_window(client, world, clock):
    clock.move_to(datetime.datetime(2026, 11, 24, 9, 0, tzinfo=datetime.UTC))
    client.force_login(world.teacher)
    monday = lesson_of(world, MONDAY)
    kind = WorkType.objects.get(school=world.school, name=ANSWER)
    response = client.post(_url("work_add", lesson_id=monday.pk), {"work_type": kind.pk})
    assert response.status_code == 409 and "23.11.2026" in response.content.decode()
    assert not LessonWork.objects.exists()


@pytest.mark.parametrize("role", ["class_teacher", "deputy", "other_teacher", "guardian"])
def test_only_the_course_teacher_adds_columns(client, world, role):
    client.force_login(getattr(world, role))
    lesson = lesson_of(world)
    kind = WorkType.objects.get(school=world.school, name=ANSWER)
    response = client.post(_url("work_add", lesson_id=lesson.pk), {"work_type": kind.pk})
    assert response.status_code == 403
    assert not LessonWork.objects.exists()


def test_saving_a_mark_takes_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    """Issue 5: one cell's save is quick however full the grid is: the cell and its row's averages come back."""
    _fill(world, pupils=25, works_per_lesson=2)
    work = work_on(world, kind="Самостоятельная работа")
    client.force_login(world.teacher)
    client.get(_url("journal", course_id=journal_course(world).pk))  # the session as a page has left it
    url = _url("mark_set", work_id=work.pk)
    with django_assert_max_num_queries(15):
        response = client.post(url, {"pupil": world.pupil.pk, "value": "5"})
    assert response.status_code == 200
    with django_assert_max_num_queries(15):
        response = client.post(url, {"pupil": world.pupil.pk, "value": "3"})
    assert re.search(rf'id="jg-avg-{world.pupil.pk}" data-at="\d+">3,93<', response.content.decode())  # 14×4, a 3
