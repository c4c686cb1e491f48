"""The diary's week (issue 7; R-I01, R-I02, R-A06, R-A07): the pupil's own lessons from Monday to Saturday with
times, teachers, substitutions, cancellations, topics, homework, marks with comments, appeals and attendance, in a
fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services as accounts_services
from accounts.models import GuardianLink, Role
from attendance.services import absence_set
from diary.models import DiaryVisit
from diary.selectors import pupils_with_class
from diary.selectors_week import diary_week, week_start
from gradebook.appeals import appeal_answer, appeal_file
from gradebook.marks import mark_set
from schedule.services import classes as class_services
from schedule.services import timetable
from tests.factories import UserFactory, make_course
from tests.matrix.diary import MONDAY, diary_world, english_on, filled_week
from tests.matrix.journal import DAY, FIRST, LAST, work_on

TUESDAY, WEDNESDAY = DAY, DAY + datetime.timedelta(days=1)


def week_of(w, pupil=None, monday=MONDAY):
    pupil = pupil or w.pupil
    (pupil,) = pupils_with_class(school=w.school, ids=[pupil.pk], day=MONDAY)
    return diary_week(pupil=pupil, school=w.school, week_start=monday, today=DAY)


def day_of(week, date):
    return next(d for d in week.days if d.date == date)


def url(w, pupil=None, **query):
    base = reverse("diary:pupil", args=[(pupil or w.pupil).pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def filled(world):
    return filled_week(world)


# --- Which lessons --------------------------------------------------------------------------------------------


def test_the_week_has_the_pupils_lessons_in_bell_order_with_their_times(world, filled):
    """R-I01: the timetable of the week: Tuesday is maths at 09:25 and the pupil's English subgroup at 10:30."""
    week = week_of(world)
    assert [d.date for d in week.days] == [MONDAY + datetime.timedelta(days=i) for i in range(6)]
    tuesday = day_of(week, TUESDAY)
    assert [(lesson.subject, lesson.number) for lesson in tuesday.lessons] == [
        ("Математика", 2),
        ("Английский язык", 3),
    ]
    maths, english = tuesday.lessons
    assert (maths.start, maths.end) == (datetime.time(9, 25), datetime.time(10, 10))
    assert english.start == datetime.time(10, 30)
    assert english.id == english_on(world, 1).pk  # the pupil's own subgroup, not the other one
    assert day_of(week, datetime.date(2026, 11, 21)).lessons == []  # no lessons on Saturday
    assert tuesday.is_today and not day_of(week, MONDAY).is_today


def test_a_classmate_of_the_other_subgroup_sees_that_subgroups_lesson(world, filled):
    english = day_of(week_of(world, filled.world.classmate), TUESDAY).lessons[1]
    assert english.id == english_on(world, 2).pk
    assert english.teacher == world.class_teacher.get_full_name()


def test_a_pupil_who_moved_sees_each_class_for_the_days_they_were_in_it(world):
    """Lists follow the enrollment dates: 5А's maths until Tuesday, 5Б's literature from Wednesday."""
    diary_world(world)
    year = world.school_class.year
    literature = make_course(world.other_class, world.other_teacher, "Литература", 5)
    for weekday in range(1, 6):
        timetable.timetable_entry_add(actor=None, course=literature, weekday=weekday, number=1, valid_from=year.start)
    timetable.lessons_generate(actor=None, year=year, start=FIRST, end=LAST)
    mover = UserFactory(school=world.school, username="mover", roles=[Role.PUPIL])
    class_services.pupils_enroll(actor=None, school_class=world.school_class, pupils=[mover], since=year.start)
    class_services.enrollment_move(actor=None, pupil=mover, to_class=world.other_class, since=WEDNESDAY)
    week = week_of(world, mover)
    subjects = {d.date.weekday(): [lesson.subject for lesson in d.lessons] for d in week.days}
    assert subjects == {0: ["Математика"], 1: ["Математика"], 2: ["Литература"], 3: ["Литература"],
                        4: ["Литература"], 5: []}  # fmt: skip


def test_a_pupil_without_a_class_has_an_empty_week(world):
    assert week_of(world).lesson_count == 0


# --- What each lesson shows -------------------------------------------------------------------------------------


def test_a_substituted_lesson_names_the_substitute(world, filled):
    maths = day_of(week_of(world), TUESDAY).lessons[0]
    assert maths.substituted and maths.teacher == world.other_teacher.get_full_name()
    monday = day_of(week_of(world), MONDAY).lessons[0]
    assert not monday.substituted and monday.teacher == world.teacher.get_full_name()


def test_a_cancelled_lesson_is_shown_as_cancelled_with_its_reason(world, filled):
    (maths,) = day_of(week_of(world), WEDNESDAY).lessons
    assert maths.cancelled and maths.cancel_reason == "Карантин по гриппу"


def test_homework_set_at_a_lesson_and_due_for_the_next_one(world, filled):
    """R-I01: the topic and the homework with its pages and file; Tuesday shows Monday's homework as due, Monday
    the homework of the Friday before the week."""
    week = week_of(world)
    monday = day_of(week, MONDAY).lessons[0]
    assert monday.topic == "Сложение дробей"
    assert (monday.homework.text, monday.homework.pages) == ("Упражнения по теме", "с. 45–47")
    assert monday.homework.due_on == TUESDAY
    assert [f.name for f in monday.homework.files] == ["задание.pdf"]
    assert [h.set_on for h in monday.due] == [datetime.date(2026, 11, 13)]
    assert monday.due[0].text == "Повторить таблицу умножения"
    tuesday = day_of(week, TUESDAY).lessons[0]
    assert [h.text for h in tuesday.due] == ["Упражнения по теме"]


def test_marks_come_with_their_work_type_weight_and_the_teachers_comment(world, filled):
    """R-I01, R-I02: marks with what they were for and the teacher's recommendation."""
    week = week_of(world)
    (five,) = day_of(week, MONDAY).lessons[0].marks
    assert (five.value, five.work_type, five.weight, five.comment) == ("5", "Ответ на уроке", "1",
                                                                       "Молодец, так держать")  # fmt: skip
    (four,) = day_of(week, TUESDAY).lessons[0].marks
    assert (four.value, four.work_type, four.weight) == ("4", "Контрольная работа", "3")


def test_another_pupils_marks_are_not_in_the_week(world, filled):
    mark_set(actor=world.teacher, work=filled.answer, pupil_id=filled.world.classmate.pk, value="2")
    assert [m.value for m in day_of(week_of(world), MONDAY).lessons[0].marks] == ["5"]
    assert [m.value for m in day_of(week_of(world, filled.world.classmate), MONDAY).lessons[0].marks] == ["2"]


def test_attendance_shows_the_code_with_minutes_and_what_it_means(world, filled):
    monday = day_of(week_of(world), MONDAY).lessons[0]
    assert (monday.attendance, monday.attendance_title) == ("ОП 10", "опоздал(а), 10 мин")
    absence_set(actor=world.teacher, lesson=english_on(world, 1), pupil=world.pupil, code="ill")
    english = day_of(week_of(world), TUESDAY).lessons[1]
    assert (english.attendance, english.attendance_title) == ("Б", "отсутствовал(а) по болезни")


def test_holidays_are_shown_as_such(world):
    diary_world(world)
    week = week_of(world, monday=datetime.date(2026, 11, 2))
    assert all(d.holiday for d in week.days) and week.lesson_count == 0


def test_the_default_week_is_this_one_or_the_coming_one_on_a_sunday():
    assert week_start(datetime.date(2026, 11, 17)) == MONDAY
    assert week_start(datetime.date(2026, 11, 21)) == MONDAY
    assert week_start(datetime.date(2026, 11, 22)) == datetime.date(2026, 11, 23)


# --- Queries ----------------------------------------------------------------------------------------------------


def test_the_selector_reads_a_week_in_five_queries_however_full(world, filled, django_assert_max_num_queries):
    (pupil,) = pupils_with_class(school=world.school, ids=[world.pupil.pk], day=MONDAY)
    with django_assert_max_num_queries(5):
        diary_week(pupil=pupil, school=world.school, week_start=MONDAY, today=DAY)
    for day in (MONDAY, TUESDAY):
        for kind in ("Самостоятельная работа", "Проверочная работа"):
            mark_set(actor=world.teacher, work=work_on(world, day, kind), pupil_id=world.pupil.pk, value="3")
    with django_assert_max_num_queries(5):
        week = diary_week(pupil=pupil, school=world.school, week_start=MONDAY, today=DAY)
    assert len(day_of(week, MONDAY).lessons[0].marks) == 3


@pytest.mark.parametrize("role", ["pupil", "guardian"])
def test_the_week_page_takes_at_most_ten_queries(client, world, filled, role, django_assert_max_num_queries):
    """The issue's target: ≤ 10 queries for the whole page, session, user and memberships included."""
    client.force_login(getattr(world, role))
    assert client.get(url(world)).status_code == 200  # the day's visit is written once
    with django_assert_max_num_queries(10):
        response = client.get(url(world))
    assert response.status_code == 200


# --- The page ---------------------------------------------------------------------------------------------------


def _main(response) -> str:
    return response.content.decode().split("<main", 1)[1]


def test_the_guardian_reads_the_childs_week(client, world, filled):
    """R-I01, R-I02 on the page: times, room-less lessons, the substitute, the cancellation, topic, homework with its
    file, marks linking to the mark's page, the comment, the attendance."""
    client.force_login(world.guardian)
    response = client.get(url(world))
    assert response.status_code == 200
    page = _main(response)
    for text in ("09:25–10:10", "Сложение дробей", "Упражнения по теме", "Карантин по гриппу", "замена",
                 "Молодец, так держать", "ОП 10", "Опоздал(а), 10 мин", "Контрольная работа", "×3",
                 world.pupil.get_full_name(), "5А", world.class_teacher.get_full_name()):  # fmt: skip
        assert text in page, text
    file_url = reverse("diary:homework_file", args=[world.pupil.pk, filled.file.pk])
    assert f'href="{file_url}"' in page
    assert 'id="today"' in page
    assert f"/diary/{world.pupil.pk}/marks/{filled.answer.pk}/" in page or "dw-mark" in page


def test_the_week_links_to_the_weeks_before_and_after(client, world, filled):
    client.force_login(world.pupil)
    page = _main(client.get(url(world, week="2026-11-11")))  # any day of the week
    assert "?week=2026-11-02" in page and "?week=2026-11-16" in page
    assert "9 ноября" in page and "14 ноября 2026" in page
    assert f'href="{url(world)}#today"' in page  # back to this week
    page = _main(client.get(url(world, week="2026-11-02")))
    assert "Осенние каникулы" in page or "каникулы" in page.lower()


@pytest.mark.parametrize("week", ["2026-02-30", "junk", "0001-01-01", "9999-12-31"])
def test_a_week_that_cannot_be_read_is_this_week(client, world, week):
    client.force_login(world.pupil)
    response = client.get(url(world, week=week))
    assert response.status_code == 200
    assert response.context["week"].monday == MONDAY


def test_on_a_sunday_the_diary_opens_the_coming_week(client, world, clock):
    clock.move_to(datetime.datetime(2026, 11, 22, 9, 0, tzinfo=datetime.UTC))
    client.force_login(world.pupil)
    assert client.get(url(world)).context["week"].monday == datetime.date(2026, 11, 23)


def test_another_pupils_diary_is_not_found_for_a_pupil_or_another_family(client, world, filled):
    """R-A06, R-A07: another family's child answers 404, whatever the week."""
    client.force_login(world.pupil)
    assert client.get(url(world, world.other_pupil)).status_code == 404
    assert client.get(url(world, filled.world.classmate, week="2026-11-09")).status_code == 404
    client.force_login(world.other_guardian)
    assert client.get(url(world)).status_code == 404
    assert client.get(url(world, world.other_pupil)).status_code == 200


def test_a_guardian_of_two_children_switches_between_them_keeping_the_week(client, world, filled):
    """R-A07: both children, and only them; the switcher keeps the week looked at."""
    accounts_services.guardian_link(
        actor=world.admin,
        school=world.school,
        guardian=world.guardian,
        pupil=filled.world.classmate,
        relation=GuardianLink.Relation.MOTHER,
    )
    client.force_login(world.guardian)
    page = _main(client.get(url(world, week="2026-11-09")))
    assert f'href="{url(world, filled.world.classmate, week="2026-11-09")}"' in page
    response = client.get(url(world, filled.world.classmate, week="2026-11-09"))
    assert response.status_code == 200
    assert response.context["pupil"] == filled.world.classmate
    assert client.get(url(world, world.other_pupil)).status_code == 404


@pytest.mark.parametrize("role", ["admin", "director", "deputy", "class_teacher"])
def test_staff_readers_see_the_week_read_only(client, world, filled, role):
    """R-A03, R-A05: the administration and the class teacher read the diary; the page has no form for anyone."""
    client.force_login(getattr(world, role))
    response = client.get(url(world))
    assert response.status_code == 200
    page = _main(response)
    assert "Молодец, так держать" in page
    assert "<form" not in page


def test_families_see_no_form_on_the_week(client, world, filled):
    """R-A06, R-A07: read-only."""
    for user in (world.pupil, world.guardian):
        client.force_login(user)
        assert "<form" not in _main(client.get(url(world)))


def test_an_appeal_shows_its_state_on_the_mark(client, world, filled):
    """The family sees their report «being checked», then the teacher's answer."""
    appeal = appeal_file(actor=world.guardian, pupil=world.pupil, work=filled.answer, text="Я отвечала у доски")
    client.force_login(world.guardian)
    assert "на проверке у учителя" in _main(client.get(url(world)))
    appeal_answer(actor=world.teacher, appeal=appeal, outcome="answered", answer="Отметка верная, за ответ у доски")
    page = _main(client.get(url(world)))
    assert "Отметка верная, за ответ у доски" in page and "на проверке у учителя" not in page


# --- Visits ------------------------------------------------------------------------------------------------------


def test_a_familys_visit_is_recorded_once_a_day(client, world, filled):
    """R-I12: one row per person and day; the other pages of the day cost no query for it."""
    client.force_login(world.guardian)
    client.get(url(world))
    with CaptureQueriesContext(connection) as queries:
        client.get(url(world))
        client.get(reverse("diary:homework", args=[world.pupil.pk]))
    assert not [q for q in queries.captured_queries if "diary_diaryvisit" in q["sql"]]
    assert list(DiaryVisit.objects.values_list("user_id", "day")) == [(world.guardian.pk, DAY)]
    client.force_login(world.pupil)
    client.get(url(world))
    assert DiaryVisit.objects.filter(user=world.pupil, day=DAY).count() == 1


def test_staff_reading_a_diary_is_no_familys_visit(client, world, filled):
    for user in (world.admin, world.class_teacher):
        client.force_login(user)
        assert client.get(url(world)).status_code == 200
    assert not DiaryVisit.objects.exists()


def test_a_new_day_is_a_new_visit(client, world, filled, clock):
    client.force_login(world.pupil)
    client.get(url(world))
    clock.move_to(datetime.datetime(2026, 11, 18, 9, 0, tzinfo=datetime.UTC))
    client.force_login(world.pupil)  # the next day: a new session (sessions end when idle, issue 10 item 5)
    client.get(url(world))
    assert sorted(DiaryVisit.objects.values_list("day", flat=True)) == [DAY, WEDNESDAY]


# --- Files ---------------------------------------------------------------------------------------------------------


def test_a_family_downloads_the_homeworks_file(client, world, filled):
    client.force_login(world.guardian)
    response = client.get(reverse("diary:homework_file", args=[world.pupil.pk, filled.file.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 the task"


def test_a_file_of_another_subgroups_lesson_is_not_found(client, world, filled):
    from tests.matrix.diary import homework_with_file

    other = homework_with_file(world, english_on(world, 2), name="group2.pdf")
    client.force_login(world.pupil)
    assert client.get(reverse("diary:homework_file", args=[world.pupil.pk, other.pk])).status_code == 404
    client.force_login(filled.world.classmate)  # of that subgroup
    assert client.get(reverse("diary:homework_file", args=[filled.world.classmate.pk, other.pk])).status_code == 200
