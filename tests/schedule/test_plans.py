"""Thematic plans (КТП): reading the tables teachers keep, posting a plan whole, applying it to the lessons, the
pages (R-C08 the plan posted before each period, R-C09 the lessons' topics, R-J07 programme completion)."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from audit.models import AuditEntry
from schedule.models import AcademicYear, Course, Lesson, PlanItem
from schedule.services import ScheduleError, plans, timetable
from schedule.services import lessons as lesson_services
from schedule.services import years as year_services
from schedule.services.plans import PlanLine
from tests.factories import UserFactory, make_class, make_course

D = datetime.date
MON, WED = 1, 3
QUARTER_2 = (D(2026, 11, 9), D(2026, 12, 28))


@pytest.fixture
def year(world):
    year = world.school_class.year
    year_services.year_fill_usual(actor=None, year=year)
    return year


@pytest.fixture
def maths(world, year):
    """Maths of 5А taught by `teacher`, on Mondays and Wednesdays of the 2nd quarter: 15 lessons."""
    course = make_course(world.school_class, world.teacher, "Математика", hours=2)
    for weekday, number in ((MON, 1), (WED, 2)):
        timetable.timetable_entry_add(
            actor=None, course=course, weekday=weekday, number=number, valid_from=D(2026, 9, 1)
        )
    timetable.lessons_generate(actor=None, year=year, start=QUARTER_2[0], end=QUARTER_2[1])
    return course


def lessons_of(course):
    return list(Lesson.objects.filter(course=course).in_journal().order_by("date", "number"))


def xlsx(rows, merge=()) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cells in merge:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def lines(*topics_hours):
    return [PlanLine(topic=t, hours=h) for t, h in topics_hours]


# --- Reading ----------------------------------------------------------------------------------------------------

CSV_1251 = (
    "Календарно-тематическое планирование по математике, 5 класс\n"
    "Учитель: Иванова М. П.\n"
    "\n"
    "№ п/п;Тема урока;Кол-во часов;Дата (план);Дата (факт);Вид контроля\n"
    "Раздел 1. Натуральные числа;;;;;\n"
    "1;Ряд натуральных чисел;1;02.09.2026;;\n"
    "2;Десятичная запись, сравнение чисел;2;03.09.2026;;Самостоятельная работа\n"
    "Действия с натуральными числами;;;;;\n"
    "3;Сложение и вычитание;1;;;\n"
    "4;Контрольная работа № 1;;;;Контрольная работа\n"
    ";Итого;5;;;\n"
)


def test_it_reads_a_windows_1251_csv_with_a_title_and_section_rows_R_C08():
    preview = plans.plan_read(CSV_1251.encode("cp1251"))
    assert preview.errors == []
    assert [(i.section, i.topic, i.hours, i.control) for i in preview.items] == [
        ("Раздел 1. Натуральные числа", "Ряд натуральных чисел", 1, ""),
        ("Раздел 1. Натуральные числа", "Десятичная запись, сравнение чисел", 2, "Самостоятельная работа"),
        ("Действия с натуральными числами", "Сложение и вычитание", 1, ""),
        ("Действия с натуральными числами", "Контрольная работа № 1", 1, "Контрольная работа"),
    ]
    assert preview.rows == [6, 7, 9, 10]
    assert preview.total_hours == 5 and preview.sections == 2
    assert "Windows-1251" in preview.source


def test_it_reads_a_utf8_csv_with_commas_and_a_section_column_in_another_order():
    content = (
        "\ufeffВид контроля,Часы,Раздел,Наименование разделов и тем,Домашнее задание\n"
        ",1,Дроби,Понятие дроби,§ 1\n"
        "Тест,2 ч,,Сравнение дробей,§ 2\n"
        ",,Проценты,Что такое процент,\n"
    ).encode()
    preview = plans.plan_read(content)
    assert preview.errors == []
    assert [(i.section, i.topic, i.hours, i.control) for i in preview.items] == [
        ("Дроби", "Понятие дроби", 1, ""),
        ("Дроби", "Сравнение дробей", 2, "Тест"),
        ("Проценты", "Что такое процент", 1, ""),
    ]


CELL_DATE = datetime.datetime(2026, 9, 1)  # noqa: DTZ001 (a spreadsheet's date has no time zone)


def test_it_reads_an_xlsx_with_a_title_merged_section_rows_and_a_two_row_date_header():
    content = xlsx(
        [
            ["Рабочая программа. КТП. Русский язык, 5А"],
            ["№ урока", "Тема", "Кол-во часов", "Дата", None, "Контроль"],
            [None, None, None, "план", "факт", None],
            ["Глава 1. Язык и общение", None, None, None, None, None],
            [1, "Язык и человек", 1, CELL_DATE, D(2026, 9, 2), None],
            [2, "Общение устное и письменное", 2.0, None, None, "Диктант"],
            ["Синтаксис", None, None, None, None, None],
            [3, "Словосочетание", 1, None, None, None],
            [4, None, None, None, None, None],  # a numbered row of the empty template
        ],
        merge=["A4:F4", "A7:F7", "D2:E2"],
    )
    preview = plans.plan_read(content)
    assert preview.errors == []
    assert [(i.section, i.topic, i.hours, i.control) for i in preview.items] == [
        ("Глава 1. Язык и общение", "Язык и человек", 1, ""),
        ("Глава 1. Язык и общение", "Общение устное и письменное", 2, "Диктант"),
        ("Синтаксис", "Словосочетание", 1, ""),
    ]
    assert preview.source == "XLSX"


def test_every_bad_row_is_listed_at_once():
    content = (
        "№;Тема урока;Кол-во часов\n"
        "1;Натуральные числа;1,5\n"
        "2;;1\n"
        "3;Сложение;0\n"
        "4;Вычитание;51\n"
        "5;Умножение;два\n"
        "6;" + "Т" * 501 + ";1\n"
        "7;Деление;3\n"
    ).encode()
    preview = plans.plan_read(content)
    assert [e.row for e in preview.errors] == [2, 3, 4, 5, 6, 7]
    assert "1,5" in preview.errors[0].message
    assert [i.topic for i in preview.items] == ["Деление"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        ("Фамилия;Имя\nИванов;Иван\n".encode(), "no column of lesson topics"),
        ("Тема урока;Часы\n".encode(), "no topics"),
        (b"\xd0\xcf\x11\xe0old excel", "xls"),
    ],
)
def test_a_file_that_is_not_a_plan_says_why(content, words):
    import re

    with translation.override("en"):
        preview = plans.plan_read(content)
    assert preview.items == [] and len(preview.errors) == 1 and preview.errors[0].row is None
    assert re.search(words, preview.errors[0].message, re.IGNORECASE)


# --- Posting ----------------------------------------------------------------------------------------------------


def test_posting_replaces_the_plan_whole_and_records_it_R_C08(world, maths, clock):
    plans.plan_replace(actor=world.teacher, course=maths, items=lines(("Первая", 1), ("Вторая", 2)))
    clock.move_to(datetime.datetime(2026, 11, 18, 10, 0, tzinfo=datetime.UTC))
    created = plans.plan_replace(actor=world.teacher, course=maths, items=lines(("Одна", 3)))
    assert [(i.position, i.topic, i.hours) for i in PlanItem.objects.filter(course=maths)] == [(1, "Одна", 3)]
    assert [i.pk for i in created] == list(PlanItem.objects.filter(course=maths).values_list("pk", flat=True))
    maths.refresh_from_db()
    assert maths.plan_updated_at == datetime.datetime(2026, 11, 18, 10, 0, tzinfo=datetime.UTC)
    entry = AuditEntry.objects.filter(action="schedule.plan.replaced").first()
    assert entry.actor == world.teacher and entry.data == {"items": 1, "hours": 3, "previous_items": 2}


def test_posting_writes_nothing_when_an_item_is_wrong(world, maths):
    plans.plan_replace(actor=world.teacher, course=maths, items=lines(("Первая", 1)))
    with pytest.raises(ScheduleError):
        plans.plan_replace(actor=world.teacher, course=maths, items=lines(("Хорошая", 1), ("Плохая", 51)))
    with pytest.raises(ScheduleError):
        plans.plan_replace(actor=world.teacher, course=maths, items=[])
    assert list(PlanItem.objects.filter(course=maths).values_list("topic", flat=True)) == ["Первая"]


def test_a_closed_year_refuses_plans_R_D08(world, maths):
    plans.plan_replace(actor=world.teacher, course=maths, items=lines(("Первая", 1)))
    AcademicYear.objects.filter(pk=maths.year_id).update(is_archived=True)
    course = Course.objects.get(pk=maths.pk)
    with pytest.raises(ScheduleError):
        plans.plan_replace(actor=world.teacher, course=course, items=lines(("Вторая", 1)))
    with pytest.raises(ScheduleError):
        plans.plan_apply(actor=world.teacher, course=course)


# --- Applying ---------------------------------------------------------------------------------------------------


def test_applying_fills_the_lessons_in_order_each_item_taking_its_hours_R_C09(world, maths):
    plans.plan_replace(actor=world.teacher, course=maths, items=lines(("Дроби", 2), ("Проценты", 1), ("Уравнения", 2)))
    result = plans.plan_apply(actor=world.teacher, course=maths)
    lessons = lessons_of(maths)
    assert len(lessons) == 15
    assert [lesson.topic for lesson in lessons[:6]] == ["Дроби", "Дроби", "Проценты", "Уравнения", "Уравнения", ""]
    assert all(lesson.topic_from_plan for lesson in lessons[:5])
    assert lessons[0].plan_item == lessons[1].plan_item == PlanItem.objects.get(course=maths, position=1)
    assert (result.filled, result.kept, result.cleared, result.without_topic, result.items_without_lessons) == (
        5,
        0,
        0,
        10,
        0,
    )


def test_applying_again_after_a_plan_change_keeps_topics_typed_by_hand(world, maths):
    plans.plan_replace(actor=world.teacher, course=maths, items=lines(*[(f"Тема {n}", 1) for n in range(1, 11)]))
    plans.plan_apply(actor=world.teacher, course=maths)
    lessons = lessons_of(maths)
    lesson_services.lesson_topic_set(actor=world.teacher, lesson=lessons[2], topic="Экскурсия в музей")
    cancelled = lessons[5]
    lesson_services.lesson_cancel(actor=world.admin, lesson=cancelled, reason="Карантин")

    plans.plan_replace(actor=world.teacher, course=maths, items=lines(("Новая 1", 2), ("Новая 2", 1), ("Новая 3", 2)))
    result = plans.plan_apply(actor=world.deputy, course=maths)
    topics = [lesson.topic for lesson in lessons_of(maths)]
    # The hand-typed topic keeps its place in the sequence: «Новая 2» falls on it and is not written.
    assert topics[:6] == ["Новая 1", "Новая 1", "Экскурсия в музей", "Новая 3", "Новая 3", ""]
    assert all(t == "" for t in topics[5:]), "topics the old plan gave past the new plan's end are cleared"
    assert (result.filled, result.kept, result.cleared, result.items_without_lessons) == (4, 1, 4, 0)
    cancelled.refresh_from_db()
    assert cancelled.topic == "Тема 6", "a cancelled lesson is out of the journal and left alone"
    assert Lesson.objects.get(pk=lessons[2].pk).plan_item.topic == "Новая 2"


def test_a_plan_longer_than_the_lessons_says_how_many_items_got_none(world, maths):
    plans.plan_replace(actor=world.teacher, course=maths, items=lines(("Долгая", 14), ("Вторая", 1), ("Третья", 1)))
    result = plans.plan_apply(actor=world.teacher, course=maths)
    assert (result.filled, result.without_topic, result.items_without_lessons) == (15, 0, 1)
    assert "1" in plans.applied_message(result)


def test_every_topic_change_keeps_its_history_with_its_author(world, maths):
    plans.plan_replace(actor=world.teacher, course=maths, items=lines(("Дроби", 2)))
    plans.plan_apply(actor=world.teacher, course=maths)
    plans.plan_replace(actor=world.deputy, course=maths, items=lines(("Проценты", 1)))
    plans.plan_apply(actor=world.deputy, course=maths)
    first, second = lessons_of(maths)[:2]
    topics = [(h.topic, h.history_user) for h in first.history.order_by("history_date", "history_id")]
    assert ("Дроби", world.teacher) in topics and topics[-1] == ("Проценты", world.deputy)
    assert second.history.order_by("-history_date", "-history_id").first().history_user == world.deputy
    assert second.topic == ""


def test_applying_takes_a_fixed_number_of_queries(world, maths, django_assert_max_num_queries):
    plans.plan_replace(actor=world.teacher, course=maths, items=lines(*[(f"Тема {n}", 1) for n in range(1, 30)]))
    with django_assert_max_num_queries(10):
        plans.plan_apply(actor=world.teacher, course=maths)


# --- Files ------------------------------------------------------------------------------------------------------


def test_the_export_uploaded_again_gives_the_same_plan(client, world, maths):
    items = [
        PlanLine(topic="Натуральные числа", hours=2, section="Числа", control=""),
        PlanLine(topic="=СУММ(A1)", hours=1, section="Числа", control="Тест"),
        PlanLine(topic="Дроби", hours=3, section="Дроби", control=""),
    ]
    plans.plan_replace(actor=world.teacher, course=maths, items=items)
    plans.plan_apply(actor=world.teacher, course=maths)
    client.force_login(world.class_teacher)
    response = client.get(reverse("schedule:plan_export", args=[maths.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["E3"].value == "09.11.2026, 11.11.2026"  # the dates of the item's lessons
    assert plans.plan_read(content).items == items


def test_the_sample_file_is_read_as_a_plan_once_filled_in(client, world):
    client.force_login(world.teacher)
    response = client.get(reverse("schedule:plan_sample"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    for row in book["Пример"].iter_rows(min_row=2, values_only=True):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    preview = plans.plan_read(out.getvalue())
    assert preview.errors == [] and len(preview.items) == len(plans.SAMPLE_ROWS)


# --- Pages ------------------------------------------------------------------------------------------------------


def upload(client, course, content, name="ктп.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("schedule:plan_upload", args=[course.pk]), {"file": SimpleUploadedFile(name, content)})


def test_the_teacher_uploads_checks_posts_and_applies_the_plan(client, world, maths):
    client.force_login(world.teacher)
    response = upload(client, maths, CSV_1251.encode("cp1251"))
    assert response.status_code == 200
    assert "Десятичная запись, сравнение чисел" in response.content.decode()
    assert not PlanItem.objects.filter(course=maths).exists(), "the preview writes nothing"
    token = response.context["confirm"].initial["plan"]

    response = client.post(reverse("schedule:plan_confirm", args=[maths.pk]), {"plan": token})
    assert response.status_code == 302
    assert PlanItem.objects.filter(course=maths).count() == 4

    response = client.post(reverse("schedule:plan_apply", args=[maths.pk]))
    assert response.status_code == 302
    assert [lesson.topic for lesson in lessons_of(maths)][:3] == [
        "Ряд натуральных чисел",
        "Десятичная запись, сравнение чисел",
        "Десятичная запись, сравнение чисел",
    ]
    page = client.get(reverse("schedule:plan", args=[maths.pk]))
    assert page.status_code == 200 and page.context["can_change"]
    assert page.context["coverage"].pending == 0
    assert "16.11" in page.content.decode()


def test_a_file_with_errors_is_refused_whole_with_every_error_listed(client, world, maths):
    client.force_login(world.teacher)
    content = "Тема урока;Часы\nПервая;1\n;2\nТретья;сто\n".encode()
    response = upload(client, maths, content)
    assert response.status_code == 422
    assert [p.row for p in response.context["problems"]] == [3, 4]
    assert not PlanItem.objects.filter(course=maths).exists()


def test_a_tampered_or_foreign_preview_is_refused(client, world, maths):
    other = make_course(world.school_class, world.teacher, "Физика", hours=1)
    token = plans.plan_sign(course=other, items=lines(("Чужая", 1)))
    client.force_login(world.teacher)
    url = reverse("schedule:plan_confirm", args=[maths.pk])
    assert client.post(url, {"plan": token}).status_code == 422
    assert client.post(url, {"plan": token[:-2] + "xx"}).status_code == 422
    assert not PlanItem.objects.filter(course=maths).exists()


def test_who_may_see_and_change_a_plan(client, world, maths):
    url = reverse("schedule:plan", args=[maths.pk])
    for user, status, can_change in (
        (world.teacher, 200, True),
        (world.deputy, 200, True),
        (world.admin, 200, True),
        (world.class_teacher, 200, False),
        (world.director, 200, False),
        (world.other_teacher, 403, None),
        (world.pupil, 403, None),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert response.context["can_change"] is can_change, user
    client.force_login(world.other_teacher)
    assert upload(client, maths, CSV_1251.encode("cp1251")).status_code == 403
    assert client.post(reverse("schedule:plan_apply", args=[maths.pk])).status_code == 403
    client.force_login(world.deputy)
    assert upload(client, maths, CSV_1251.encode("cp1251")).status_code == 200


def test_the_list_shows_a_teacher_only_their_courses_and_those_of_their_class(client, world, maths):
    physics = make_course(world.other_class, world.other_teacher, "Физика", hours=1)
    client.force_login(world.other_teacher)
    courses = [row.course for row in client.get(reverse("schedule:plan_list")).context["rows"]]
    assert courses == [physics]
    client.force_login(world.class_teacher)  # leads 5А, teaches nothing
    assert [row.course for row in client.get(reverse("schedule:plan_list")).context["rows"]] == [maths]
    client.force_login(world.director)
    assert {row.course for row in client.get(reverse("schedule:plan_list")).context["rows"]} == {maths, physics}


def test_the_list_says_whether_each_plan_was_posted_a_week_before_the_period_R_C08(client, world, maths, clock):
    late = make_course(world.school_class, world.other_teacher, "Физика", hours=1)
    missing = make_course(world.school_class, world.other_teacher, "История", hours=1)
    clock.move_to(datetime.datetime(2026, 10, 20, 9, 0, tzinfo=datetime.UTC))  # Q2 starts 09.11: due by 02.11
    plans.plan_replace(actor=world.teacher, course=maths, items=lines(("Дроби", 40)))
    clock.move_to(datetime.datetime(2026, 11, 5, 9, 0, tzinfo=datetime.UTC))
    plans.plan_replace(actor=world.other_teacher, course=late, items=lines(("Механика", 20)))
    plans.plan_replace(actor=world.other_teacher, course=maths, items=lines(("Дроби", 30)))  # a later correction
    clock.move_to(datetime.datetime(2026, 11, 17, 9, 0, tzinfo=datetime.UTC))
    client.force_login(world.deputy)
    response = client.get(reverse("schedule:plan_list"))
    rows = {row.course: row for row in response.context["rows"]}
    html = response.content.decode()
    assert html.count('class="badge ok"') == 1 and html.count('class="badge late"') == 2
    assert rows[maths].posting.state == plans.Posting.ON_TIME
    assert rows[late].posting.state == plans.Posting.LATE
    assert rows[missing].posting.state == plans.Posting.MISSING
    assert rows[maths].posting.deadline == D(2026, 11, 2)
    assert (rows[maths].items, rows[maths].hours, rows[maths].lessons) == (1, 30, 15)
    # 2 hours a week over the four quarters of grade 5, holidays left out: about 34 weeks.
    assert 60 <= rows[maths].expected_hours <= 72
    clock.move_to(datetime.datetime(2026, 12, 20, 9, 0, tzinfo=datetime.UTC))  # Q3 starts 12.01: due by 05.01
    client.force_login(world.deputy)  # a new session (sessions end when idle, issue 10 item 5)
    rows = {row.course: row for row in client.get(reverse("schedule:plan_list")).context["rows"]}
    assert rows[missing].posting.state == plans.Posting.MISSING
    assert rows[late].posting.state == plans.Posting.LATE


def test_the_list_takes_a_fixed_number_of_queries(client, world, year, django_assert_max_num_queries):
    teachers = [UserFactory(school=world.school, username=f"t{n}") for n in range(6)]
    for n in range(6):
        school_class = make_class(year, 6 + n, "А")
        for subject in ("Математика", "Русский язык", "История"):
            course = make_course(school_class, teachers[n], subject, hours=2)
            plans.plan_replace(actor=None, course=course, items=lines(("Тема", 2)))
    client.force_login(world.deputy)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("schedule:plan_list"))
    assert len(response.context["rows"]) == 18


def test_the_plan_page_takes_a_fixed_number_of_queries(client, world, maths, django_assert_max_num_queries):
    plans.plan_replace(actor=world.teacher, course=maths, items=lines(*[(f"Тема {n}", 1) for n in range(1, 30)]))
    plans.plan_apply(actor=world.teacher, course=maths)
    client.force_login(world.teacher)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("schedule:plan", args=[maths.pk]))
    assert response.status_code == 200
    coverage = response.context["coverage"]
    # R-J07: by 17.11 the lessons of 09.11, 11.11, 16.11 have been given, with their topics.
    assert (coverage.items, coverage.lessons, coverage.given, coverage.given_with_topic) == (29, 15, 3, 3)
    assert coverage.covered_items == coverage.expected_items == 3
