"""The mark-change report (issue 10 item 1; seed 000 §12, seed 001 «таблица изменений»; R-F01, R-F05): every change
after the first entry, with the teacher's name, the values and the reason; never a first entry; a removal shows
as value → empty; the admin, the director and the deputy read it, nobody else.

The school is tests/conftest.py's (5А, maths taught by `teacher`, the clock on Tuesday 17 November 2026); the late
change is tests/matrix/late_changes.py's (the pupil's «3» of 13 October, locked since 27 October)."""

import datetime
import io

import pytest
from django.urls import reverse

from attendance.services import absence_clear, absence_set
from audit.changes import ABSENCE, HOMEWORK, MARK, PERIOD_MARK, TOPIC, Cursor, Filters, changes_page, reason
from gradebook.late_changes import late_change_approve, retake_protocol_enter
from gradebook.marks import mark_clear, mark_set
from gradebook.period_marks import period_mark_set
from reports.models import ReportJob
from schedule.services.homework import homework_clear, homework_set
from schedule.services.lessons import lesson_topic_set
from tests.factories import make_course
from tests.matrix.journal import DAY, journal_course, lesson_of, work_on
from tests.matrix.late_changes import DOCUMENT_DAY, closed_work, file_request, first_quarter, mark_cell, scan

YEAR_START = datetime.date(2026, 9, 1)


def at(clock, day: datetime.date, hour: int, minute: int = 0) -> None:
    """The clock at hour:minute UTC of the day (Moscow is 3 hours ahead)."""
    clock.move_to(datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=datetime.UTC))


def report(w, **kwargs):
    return changes_page(Filters(**{"school": w.school, "start": YEAR_START, "end": DAY} | kwargs), limit=500).rows


def the_three_changes(w, clock):
    """A «4» changed to «5» within the window, a «3» of 13 October changed to «5» after the window through the
    director's approval of the teacher's request, a «2» removed within the window."""
    at(clock, DAY, 6)
    work = work_on(w)
    mark_set(actor=w.teacher, work=work, pupil_id=w.pupil.pk, value="4")
    at(clock, DAY, 6, 10)
    mark_set(actor=w.teacher, work=work, pupil_id=w.pupil.pk, value="5")
    closed_work(w)  # the «3» of 13 October, entered then (a first entry: not a change)
    at(clock, DAY, 7)
    request = file_request(w, value="5")
    at(clock, DAY, 8)
    late_change_approve(actor=w.director, request=request, comment="Справка приложена.")
    at(clock, DAY, 9)
    other = work_on(w, DAY - datetime.timedelta(days=1))
    mark_set(actor=w.teacher, work=other, pupil_id=w.pupil.pk, value="2")
    at(clock, DAY, 9, 5)
    mark_clear(actor=w.teacher, work=other, pupil_id=w.pupil.pk)
    return request


def test_a_change_in_the_window_a_late_change_and_a_removal_with_names_values_and_reasons_R_F01(world, clock):
    """R-K01, R-F01. Done means: the three rows, newest first, with the teacher's full name, the old and new values
    and the reason (the request with its document and who approved it; "within the window" otherwise)."""
    request = the_three_changes(world, clock)
    rows = report(world)
    assert [(r.kind, r.old, r.new) for r in rows] == [(MARK, "2", ""), (MARK, "3", "5"), (MARK, "4", "5")]
    removed, late, inside = rows
    assert {r.user for r in rows} == {world.teacher}
    assert removed.pupil == late.pupil == inside.pupil == world.pupil
    assert (removed.lesson_date, late.lesson_date, inside.lesson_date) == (
        DAY - datetime.timedelta(days=1), datetime.date(2026, 10, 13), DAY,
    )  # fmt: skip
    assert (inside.subject, inside.group) == ("Математика", "5А")
    assert reason(inside) == reason(removed) == "в пределах срока"
    assert late.late_change == request and late.after_window
    why = reason(late)
    assert f"Заявка № {request.pk}" in why and "17-у" in why and DOCUMENT_DAY.strftime("%d.%m.%Y") in why
    assert world.director.get_short_name() in why
    # The moments are the changes' own (Moscow is UTC+3).
    assert [r.at.astimezone(datetime.UTC).hour for r in rows] == [9, 8, 6]


def test_first_entries_are_not_changes(world, clock):
    at(clock, DAY, 6)
    mark_set(actor=world.teacher, work=work_on(world), pupil_id=world.pupil.pk, value="4")
    lesson_topic_set(actor=world.teacher, lesson=lesson_of(world), topic="Дроби")
    homework_set(actor=world.teacher, lesson=lesson_of(world), text="№ 1–3")
    absence_set(actor=world.teacher, lesson=lesson_of(world), pupil=world.pupil, code="absent")
    assert report(world) == []


def test_a_deleted_mark_entered_again_shows_both_changes(world, clock):
    at(clock, DAY, 6)
    work = work_on(world)
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="4")
    at(clock, DAY, 6, 1)
    mark_clear(actor=world.teacher, work=work, pupil_id=world.pupil.pk)
    at(clock, DAY, 6, 2)
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="3")
    at(clock, DAY, 6, 3)
    mark_clear(actor=world.teacher, work=work, pupil_id=world.pupil.pk)
    at(clock, DAY, 6, 4)
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")
    assert [(r.old, r.new) for r in report(world)] == [("", "5"), ("3", ""), ("", "3"), ("4", "")]


def test_a_comment_alone_is_not_a_change(world, clock):
    work = work_on(world)
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="4")
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="4", comment="у доски")
    assert report(world) == []


def test_period_marks_attendance_topics_and_homework_changes(world, clock):
    course = journal_course(world)
    quarter = first_quarter(world)  # «4» set on the quarter's last day
    at(clock, quarter.end, 12)
    period_mark_set(actor=world.teacher, course=course, period=quarter, pupil_id=world.pupil.pk, value="5")
    at(clock, DAY, 6)
    lesson = lesson_of(world)
    lesson_topic_set(actor=world.teacher, lesson=lesson, topic="Дроби")
    homework_set(actor=world.teacher, lesson=lesson, text="№ 1–3")
    absence_set(actor=world.teacher, lesson=lesson, pupil=world.pupil, code="absent")
    at(clock, DAY, 7)
    lesson_topic_set(actor=world.teacher, lesson=lesson, topic="Десятичные дроби")
    homework_set(actor=world.teacher, lesson=lesson, text="№ 4–6", pages="с. 12")
    absence_set(actor=world.teacher, lesson=lesson, pupil=world.pupil, code="late", minutes=10)
    at(clock, DAY, 8)
    absence_clear(actor=world.teacher, lesson=lesson, pupil=world.pupil)
    homework_clear(actor=world.teacher, lesson=lesson)
    rows = report(world)
    assert {(r.kind, r.old, r.new) for r in rows} == {
        (TOPIC, "Дроби", "Десятичные дроби"),
        (HOMEWORK, "№ 1–3", "№ 4–6 · с. 12"),
        (HOMEWORK, "№ 4–6 · с. 12", ""),
        (ABSENCE, "Н", "ОП (10 мин)"),
        (ABSENCE, "ОП (10 мин)", ""),
        (PERIOD_MARK, "4", "5"),
    }
    period_row = next(r for r in rows if r.kind == PERIOD_MARK)
    assert period_row.what == str(quarter) and period_row.lesson_date is None
    topic = next(r for r in rows if r.kind == TOPIC)
    assert (topic.lesson_date, topic.pupil, topic.user) == (DAY, None, world.teacher)


def test_a_retake_protocol_and_a_late_period_mark_name_their_documents_R_F05(world, clock):
    closed_work(world)
    quarter = first_quarter(world)
    at(clock, DAY, 7)
    protocol = retake_protocol_enter(
        actor=world.deputy, cell=mark_cell(world), new_value="4", document_number="П-3", document_date=DOCUMENT_DAY,
        scan=scan(),
    )  # fmt: skip
    rows = report(world, late_only=True)
    assert [(r.old, r.new, r.late_change) for r in rows] == [("3", "4", protocol)]
    assert reason(rows[0]).startswith(f"Протокол пересдачи № {protocol.pk}")
    assert quarter is not None


def test_filters_teacher_class_subject_pupil_and_after_the_window(world, clock):
    request = the_three_changes(world, clock)
    # English of 5Б by other_teacher: a change of other_pupil's mark.
    english = make_course(world.other_class, world.other_teacher, "Английский язык", 3)
    from schedule.services import timetable

    timetable.timetable_entry_add(actor=None, course=english, weekday=2, number=3, valid_from=YEAR_START)
    timetable.lessons_generate(actor=None, year=english.year, start=DAY, end=DAY)
    from gradebook.marks import work_add
    from gradebook.models import WorkType
    from schedule.models import Lesson

    lesson = Lesson.objects.get(course=english, date=DAY)
    work = work_add(actor=world.other_teacher, lesson=lesson, work_type=WorkType.objects.filter(school=world.school)[0])
    at(clock, DAY, 10)
    mark_set(actor=world.other_teacher, work=work, pupil_id=world.other_pupil.pk, value="3")
    mark_set(actor=world.other_teacher, work=work, pupil_id=world.other_pupil.pk, value="4")
    everything = report(world)
    assert len(everything) == 4
    assert [r.pupil for r in report(world, teacher_id=world.other_teacher.pk)] == [world.other_pupil]
    assert len(report(world, teacher_id=world.teacher.pk)) == 3
    assert [r.pupil for r in report(world, class_id=world.other_class.pk)] == [world.other_pupil]
    assert len(report(world, class_id=world.school_class.pk)) == 3
    assert [r.subject for r in report(world, subject_id=english.subject_id)] == ["Английский язык"]
    assert {r.pupil for r in report(world, pupil_id=world.pupil.pk)} == {world.pupil}
    assert [r.late_change for r in report(world, late_only=True)] == [request]
    # The dates are those of the changes (all made on 17 November), not of the lessons.
    assert report(world, end=DAY - datetime.timedelta(days=1)) == []


def test_keyset_pages_cover_every_row_once(world, clock):
    at(clock, DAY, 6)
    work = work_on(world)
    for minute, value in enumerate(["1", "2", "3", "4", "5", "4", "3"]):
        at(clock, DAY, 6, minute)
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value=value)
    filters = Filters(school=world.school, start=YEAR_START, end=DAY)
    seen, after = [], None
    while True:
        page = changes_page(filters, after=after, limit=2)
        seen.extend((r.old, r.new) for r in page.rows)
        if page.next is None:
            break
        after = Cursor.decode(page.next.encode())
    assert seen == [("4", "3"), ("5", "4"), ("4", "5"), ("3", "4"), ("2", "3"), ("1", "2")]


def test_the_page_for_the_readers_and_403_for_the_others(world, clock, client):
    """R-F08, R-K01: the deputy, the director and the admin build the table of changes; teachers and families do
    not."""
    the_three_changes(world, clock)
    url = reverse("audit:changes")
    for user in (world.teacher, world.pupil, world.guardian, world.class_teacher):
        client.force_login(user)
        assert client.get(url).status_code == 403, user
    for user in (world.admin, world.director, world.deputy):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        text = response.content.decode()
        assert world.teacher.get_full_name() in text and "в пределах срока" in text and "(удалено)" in text


def test_the_page_pages_by_keyset_with_constant_queries(world, clock, client, django_assert_max_num_queries):
    the_three_changes(world, clock)
    client.force_login(world.deputy)
    url = reverse("audit:changes")
    client.get(url)  # the session and the caches
    with django_assert_max_num_queries(11):
        response = client.get(url, {"start": "01.09.2026", "end": "17.11.2026", "teacher": world.teacher.pk})
    assert response.status_code == 200
    assert response.content.decode().count("<tr") == 4  # the header and the three changes


@pytest.mark.parametrize(
    "params",
    [{"start": "31.02.2026", "end": "17.11.2026"}, {"start": "17.11.2026", "end": "01.09.2026"}, {"teacher": "x"}],
)
def test_bad_filters_get_a_russian_message(world, client, params):
    client.force_login(world.deputy)
    response = client.get(reverse("audit:changes"), {"start": "01.09.2026", "end": "17.11.2026"} | params)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'role="alert"' in text


def test_a_pupil_of_another_school_is_refused(world, client):
    client.force_login(world.deputy)
    response = client.get(reverse("audit:changes"), {"start": "01.09.2026", "end": "17.11.2026",
                                                     "pupil": world.foreign_pupil.pk})  # fmt: skip
    assert "Нет такого обучающегося" in response.content.decode()


def test_the_export_as_xlsx_and_pdf(world, clock, client, django_capture_on_commit_callbacks):
    request = the_three_changes(world, clock)
    client.force_login(world.deputy)
    from openpyxl import load_workbook

    query = "start=2026-09-01&end=2026-11-17"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{reverse('audit:changes_export')}?{query}", {"format": "xlsx"})
    assert response.status_code == 302
    job = ReportJob.objects.latest("pk")
    assert job.state == ReportJob.State.DONE, job.error
    sheet = load_workbook(io.BytesIO(job.file.read())).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    flat = [v for row in values for v in row if v]
    assert world.teacher.get_full_name() in flat and "в пределах срока" in flat
    assert any(isinstance(v, str) and f"Заявка № {request.pk}" in v for v in flat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{reverse('audit:changes_export')}?{query}", {"format": "pdf"})
    job = ReportJob.objects.latest("pk")
    assert job.state == ReportJob.State.DONE and job.file.read().startswith(b"%PDF")
