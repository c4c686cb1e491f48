"""The calendar feed (issue 12 item 4): what a link shows, parsed with the `icalendar` parser as a calendar app
would, for each kind of person; its times in the school's zone; its stable UIDs; a revoked link's 401."""

import datetime

import icalendar
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services as accounts_services
from accounts.models import Membership, Role
from calendars import services as feed_services
from calendars.models import CalendarFeed
from diary import news
from schedule.services import classes as class_services
from schedule.services import homework as homework_services
from schedule.services import lessons as lesson_services
from tests.factories import UserFactory, make_course

from .conftest import DAY, MOSCOW, NEXT, events_of, fetch, token_of, uid


def test_the_feed_is_a_calendar_with_the_pupils_lesson_at_its_moscow_time(client, world, timetable):
    lesson = timetable.lesson(timetable.maths)
    response = fetch(client, token_of(world.pupil))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Moscow"]
    event = {str(e["uid"]): e for e in calendar.walk("VEVENT")}[uid("lesson", lesson.pk)]
    assert event.decoded("dtstart") == datetime.datetime(2026, 11, 17, 9, 25, tzinfo=MOSCOW)
    assert event.decoded("dtstart").astimezone(datetime.UTC).hour == 6  # 09:25 in Moscow is 06:25 UTC
    assert event.decoded("dtend") == datetime.datetime(2026, 11, 17, 10, 10, tzinfo=MOSCOW)
    assert event["dtstart"].params["TZID"] == "Europe/Moscow"
    assert str(event["summary"]) == "Математика"
    assert str(event["location"]) == "12"
    assert str(event["status"]) == "CONFIRMED"
    assert world.teacher.get_short_name() in str(event["description"])


def test_the_window_is_two_weeks_back_and_eight_ahead(client, world, timetable):
    dates = sorted(e.decoded("dtstart").date() for e in events_of(client, world.pupil).values())
    assert dates[0] == datetime.date(2026, 11, 3)  # 17.11 − 14 days
    assert dates[-1] == datetime.date(2027, 1, 12)  # 17.11 + 56 days
    assert len(dates) == 11  # the Tuesdays from 03.11 to 12.01 (this year has no holidays entered)


def test_a_substituted_lesson_is_in_the_substitutes_feed_and_struck_out_in_the_teachers(client, world, timetable):
    lesson = timetable.lesson(timetable.maths)
    lesson_services.substitution_set(actor=world.deputy, lesson=lesson, substitute=world.other_teacher)
    substitute_feed = events_of(client, world.other_teacher)
    taken = substitute_feed[uid("lesson", lesson.pk)]
    assert str(taken["summary"]) == "Замена: Математика, 5А"
    assert str(taken["status"]) == "CONFIRMED"
    assert taken.decoded("dtstart") == datetime.datetime(2026, 11, 17, 9, 25, tzinfo=MOSCOW)
    # The substitute's own lessons are there too; the colleague's other maths lessons are not.
    assert uid("lesson", timetable.lesson(timetable.russian).pk) in substitute_feed
    assert uid("lesson", timetable.lesson(timetable.maths, NEXT).pk) not in substitute_feed

    given = events_of(client, world.teacher)[uid("lesson", lesson.pk)]
    assert str(given["status"]) == "CANCELLED"
    assert str(given["transp"]) == "TRANSPARENT"
    assert world.other_teacher.get_short_name() in str(given["summary"])

    for_pupil = events_of(client, world.pupil)[uid("lesson", lesson.pk)]
    assert str(for_pupil["status"]) == "CONFIRMED"
    assert f"Замена: {world.other_teacher.get_short_name()}" in str(for_pupil["description"])


def test_a_cancelled_lesson_is_cancelled_and_a_moved_one_at_its_new_time(client, world, timetable):
    cancelled = timetable.lesson(timetable.maths)
    lesson_services.lesson_cancel(actor=world.deputy, lesson=cancelled, reason="Карантин")
    moved = timetable.lesson(timetable.maths, NEXT)
    lesson_services.lesson_move(actor=world.deputy, lesson=moved, date=NEXT + datetime.timedelta(days=1), number=4)
    events = events_of(client, world.pupil)
    assert str(events[uid("lesson", cancelled.pk)]["status"]) == "CANCELLED"
    assert "Карантин" in str(events[uid("lesson", cancelled.pk)]["description"])
    assert events[uid("lesson", moved.pk)].decoded("dtstart") == datetime.datetime(2026, 11, 25, 11, 15, tzinfo=MOSCOW)
    assert str(events_of(client, world.teacher)[uid("lesson", cancelled.pk)]["status"]) == "CANCELLED"


def test_homework_is_an_all_day_event_on_its_due_date(client, world, timetable):
    lesson = timetable.lesson(timetable.maths)
    homework = homework_services.homework_set(
        actor=world.teacher, lesson=lesson, text="Решить задачи 1–5", pages="с. 45", exercises="№ 312"
    )
    event = events_of(client, world.pupil)[uid("homework", homework.pk)]
    assert str(event["summary"]) == "ДЗ: Математика"
    assert event.decoded("dtstart") == NEXT  # due by the next maths lesson, a date: an all-day event
    assert "Решить задачи 1–5" in str(event["description"])
    assert "№ 312" in str(event["description"])
    assert uid("homework", homework.pk) in events_of(client, world.guardian)
    assert uid("homework", homework.pk) not in events_of(client, world.other_pupil)


def test_class_events_reach_the_class_its_families_and_its_teachers_only(client, world, timetable):
    event_day = datetime.date(2026, 11, 20)
    theatre = news.event_add(
        actor=world.class_teacher,
        school=world.school,
        school_class=world.school_class,
        date=event_day,
        title="Театр юного зрителя",
        start=datetime.time(18, 30),
        end=datetime.time(20, 0),
        place="ТЮЗ",
    )
    assembly = news.event_add(
        actor=world.deputy, school=world.school, school_class=None, date=event_day, title="Линейка"
    )
    pupil_feed = events_of(client, world.pupil)
    event = pupil_feed[uid("event", theatre.pk)]
    assert str(event["summary"]) == "Театр юного зрителя"
    assert event.decoded("dtstart") == datetime.datetime(2026, 11, 20, 18, 30, tzinfo=MOSCOW)
    assert str(event["location"]) == "ТЮЗ"
    assert pupil_feed[uid("event", assembly.pk)].decoded("dtstart") == event_day
    assert uid("event", theatre.pk) in events_of(client, world.guardian)
    # The class teacher teaches nothing here: their feed is their class's events and the school's.
    led = events_of(client, world.class_teacher)
    assert set(led) == {uid("event", theatre.pk), uid("event", assembly.pk)}
    assert str(led[uid("event", theatre.pk)]["summary"]) == "5А: Театр юного зрителя"
    # 5А's maths teacher gets it too; another class's pupil and teacher only the school's.
    assert uid("event", theatre.pk) in events_of(client, world.teacher)
    for outsider in (world.other_pupil, world.other_guardian, world.other_teacher):
        feed = events_of(client, outsider)
        assert uid("event", theatre.pk) not in feed
        assert uid("event", assembly.pk) in feed
    # The administration without lessons: the school's events.
    assert set(events_of(client, world.director)) == {uid("event", assembly.pk)}


def test_uids_are_stable_between_two_fetches(client, world, timetable):
    homework_services.homework_set(actor=world.teacher, lesson=timetable.lesson(timetable.maths), text="№ 1")
    token = token_of(world.pupil)
    first, second = (
        [str(e["uid"]) for e in icalendar.Calendar.from_ical(fetch(client, token).content).walk("VEVENT")]
        for _ in range(2)
    )
    assert first == second
    assert len(first) == len(set(first)) > 5


def test_a_guardian_of_two_children_sees_both_named_and_never_another_family(client, world, timetable):
    sibling = UserFactory(school=world.school, username="sibling", roles=[Role.PUPIL], first_name="Ярослав")
    class_services.pupils_enroll(actor=world.admin, school_class=world.other_class, pupils=[sibling], since=DAY)
    accounts_services.guardian_link(actor=world.admin, school=world.school, guardian=world.guardian, pupil=sibling)
    maths, russian = timetable.lesson(timetable.maths), timetable.lesson(timetable.russian)
    homework = homework_services.homework_set(actor=world.other_teacher, lesson=russian, text="Упражнение 5")
    events = events_of(client, world.guardian)
    assert str(events[uid("lesson", maths.pk)]["summary"]) == f"{world.pupil.first_name}: Математика"
    assert str(events[uid("lesson", russian.pk)]["summary"]) == "Ярослав: Русский язык"
    assert str(events[uid("homework", homework.pk)]["summary"]) == "Ярослав: ДЗ: Русский язык"
    # The sibling came on 17.11: 5Б's Russian of 10.11 is nobody's in this family.
    assert uid("lesson", timetable.lesson(timetable.russian, DAY - datetime.timedelta(days=7)).pk) not in events
    # The other family's parent: 5Б's lessons only, unprefixed; never 5А's.
    theirs = events_of(client, world.other_guardian)
    assert uid("lesson", maths.pk) not in theirs
    assert str(theirs[uid("lesson", russian.pk)]["summary"]) == "Русский язык"


def test_a_guardian_sees_a_child_in_another_school_too(client, world, timetable):
    accounts_services.role_grant(actor=None, school=world.other_school, user=world.guardian, role=Role.GUARDIAN)
    accounts_services.guardian_link(
        actor=None, school=world.other_school, guardian=world.guardian, pupil=world.foreign_pupil
    )
    course = make_course(world.foreign_class, world.foreign_teacher, "Физика", 2)
    lesson_services.lesson_add(actor=None, course=course, date=DAY, number=5)
    events = events_of(client, world.guardian)
    summaries = {str(e["summary"]) for e in events.values()}
    assert f"{world.foreign_pupil.first_name}: Урок 5: Физика" in summaries  # no bells there: an all-day event
    assert f"{world.pupil.first_name}: Математика" in summaries


def test_a_pupil_moved_to_another_class_sees_the_new_class_from_the_move_R_B07(client, world, timetable):
    class_services.enrollment_move(actor=world.admin, pupil=world.pupil, to_class=world.other_class, since=NEXT)
    events = events_of(client, world.pupil)
    assert uid("lesson", timetable.lesson(timetable.maths).pk) in events  # 5А until the day before
    assert uid("lesson", timetable.lesson(timetable.russian).pk) not in events
    assert uid("lesson", timetable.lesson(timetable.maths, NEXT).pk) not in events
    assert uid("lesson", timetable.lesson(timetable.russian, NEXT).pk) in events  # 5Б from the move


def test_a_revoked_or_unknown_link_gets_401_and_a_reset_one_works(client, world, timetable):
    feed, token = feed_services.feed_create(actor=world.pupil, school=world.school)
    assert fetch(client, token).status_code == 200
    _new_feed, new_token = feed_services.feed_reset(actor=world.pupil, feed=feed)
    old = fetch(client, token)
    assert old.status_code == 401
    assert old["Content-Type"].startswith("text/plain")
    assert "не работает" in old.content.decode()
    assert fetch(client, new_token).status_code == 200
    feed_services.feed_revoke(actor=world.pupil, feed=CalendarFeed.objects.get(revoked_at__isnull=True))
    assert fetch(client, new_token).status_code == 401
    assert fetch(client, "x" * 43).status_code == 401
    assert fetch(client, "y" * 500).status_code == 401


def test_a_link_stops_when_its_owner_leaves_the_school_or_is_closed(client, world, timetable):
    token = token_of(world.teacher)
    Membership.objects.filter(user=world.teacher, school=world.school).delete()
    assert fetch(client, token).status_code == 401
    token = token_of(world.pupil)
    world.pupil.is_active = False
    world.pupil.save(update_fields=["is_active"])
    assert fetch(client, token).status_code == 401


def test_the_feed_costs_a_fixed_number_of_queries_whatever_the_window(
    client, world, timetable, settings, django_assert_max_num_queries
):
    homework_services.homework_set(actor=world.teacher, lesson=timetable.lesson(timetable.maths), text="№ 1")
    news.event_add(actor=world.class_teacher, school=world.school, school_class=world.school_class, date=DAY, title="Т")
    token = token_of(world.guardian)
    fetch(client, token)  # notes the first read (one write, then none for an hour)
    counts = []
    for weeks in (1, 12):
        settings.CALENDAR_WEEKS_AHEAD = weeks
        with CaptureQueriesContext(connection) as queries:
            assert fetch(client, token).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(10):
        fetch(client, token)


def test_a_read_is_noted_at_most_once_an_hour(client, world, timetable, clock):
    feed, token = feed_services.feed_create(actor=world.pupil, school=world.school)
    fetch(client, token)
    feed.refresh_from_db()
    first = feed.last_used_at
    assert first is not None
    clock.shift(datetime.timedelta(minutes=50))
    with CaptureQueriesContext(connection) as queries:
        fetch(client, token)
    assert not [q for q in queries if q["sql"].startswith("UPDATE")]
    feed.refresh_from_db()
    assert feed.last_used_at == first
    clock.shift(datetime.timedelta(minutes=20))
    fetch(client, token)
    feed.refresh_from_db()
    assert feed.last_used_at > first


@pytest.mark.parametrize("weeks", [0])
def test_an_empty_feed_is_still_a_valid_calendar(client, world, settings, weeks):
    settings.CALENDAR_WEEKS_AHEAD = weeks
    response = fetch(client, token_of(world.admin))
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar.walk("VEVENT") == []
    assert str(calendar["version"]) == "2.0"


def test_a_group_across_classes_rings_by_the_pupils_class_bells_and_reaches_its_members_only(client, world, timetable):
    group = class_services.group_create(actor=None, year=world.school_class.year, name="Робототехника")
    class_services.group_members_set(actor=None, group=group, pupils=[world.pupil], since=DAY)
    course = make_course(None, world.teacher, "Робототехника", 1, group=group)
    lesson = lesson_services.lesson_add(actor=None, course=course, date=DAY, number=6)
    event = events_of(client, world.pupil)[uid("lesson", lesson.pk)]
    assert event.decoded("dtstart") == datetime.datetime(2026, 11, 17, 13, 5, tzinfo=MOSCOW)  # 5А's 6th bell
    assert uid("lesson", lesson.pk) not in events_of(client, world.other_pupil)
    # The teacher has no class to take bells from: an all-day event that names the lesson.
    assert str(events_of(client, world.teacher)[uid("lesson", lesson.pk)]["summary"]) == (
        "Урок 6: Робототехника, Робототехника"
    )


def test_calendar_apps_may_ask_with_head(world):
    token = token_of(world.pupil)
    assert Client().head(reverse("calendars:feed", kwargs={"token": token})).status_code == 200


def parsed(response) -> dict[str, icalendar.Event]:
    return {str(e["uid"]): e for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}


def test_a_pupil_in_family_education_has_no_class_lessons_but_keeps_the_class_events_R_E11(client, world, timetable):
    """R-E11: as in the diary's week, a pupil taught at home has no lessons with the class, nor their homework; the
    class's events stay theirs, and the teacher's feed is untouched."""
    lesson = timetable.lesson(timetable.maths)
    homework = homework_services.homework_set(actor=world.teacher, lesson=lesson, text="Решить задачи 1–5")
    theatre = news.event_add(
        actor=world.class_teacher,
        school=world.school,
        school_class=world.school_class,
        date=DAY,
        title="Театр юного зрителя",
    )
    pupil_link, guardian_link = token_of(world.pupil), token_of(world.guardian)
    assert uid("lesson", lesson.pk) in parsed(fetch(client, pupil_link))
    class_services.enrollment_form_set(
        actor=world.admin, pupil=world.pupil, school_class=world.school_class, form="family", day=DAY
    )
    for feed in (parsed(fetch(client, pupil_link)), parsed(fetch(client, guardian_link))):
        assert uid("lesson", lesson.pk) not in feed
        assert uid("lesson", timetable.lesson(timetable.maths, NEXT).pk) not in feed
        assert uid("homework", homework.pk) not in feed
        assert uid("event", theatre.pk) in feed
    assert uid("lesson", lesson.pk) in events_of(client, world.teacher)
