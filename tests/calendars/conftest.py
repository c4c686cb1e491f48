"""A timetable for the calendar feed's tests: 5А has maths with `teacher` (Tuesdays, 2nd lesson) and 5Б Russian with
`other_teacher` (Tuesdays, 3rd lesson), each class on its own bells (1st lesson 08:30–09:15, then every 55 minutes),
lessons generated from 2 November 2026 to the end of January; the frozen clock's day is Tuesday 17 November."""

import datetime
import zoneinfo
from dataclasses import dataclass

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from calendars import services as feed_services
from schedule.models import Course, Lesson
from schedule.services import classes as class_services
from schedule.services import timetable as timetable_services
from schedule.services import years as year_services
from tests.factories import make_course

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
DAY = datetime.date(2026, 11, 17)
NEXT = DAY + datetime.timedelta(days=7)
FIRST, LAST = datetime.date(2026, 11, 2), datetime.date(2027, 1, 31)


def _t(minutes: int) -> datetime.time:
    return datetime.time(minutes // 60, minutes % 60)


def ring(world, school_class):
    schedule = year_services.bell_schedule_create(actor=None, school=world.school, name=f"Звонки {school_class}")
    year_services.bells_set(
        actor=None,
        schedule=schedule,
        bells=[year_services.BellTimes(n, _t(510 + 55 * (n - 1)), _t(555 + 55 * (n - 1))) for n in range(1, 8)],
    )
    class_services.school_class_update(
        actor=None,
        school_class=school_class,
        letter=school_class.letter,
        class_teacher=school_class.class_teacher,
        bell_schedule=schedule,
    )


@dataclass
class Timetable:
    maths: Course  # 5А, teacher, Tuesdays 2nd lesson (09:25–10:10)
    russian: Course  # 5Б, other_teacher, Tuesdays 3rd lesson (10:20–11:05)

    def lesson(self, course: Course, day: datetime.date = DAY) -> Lesson:
        return Lesson.objects.select_related("course__year", "school").get(course=course, date=day)


@pytest.fixture
def timetable(world) -> Timetable:
    year = world.school_class.year
    ring(world, world.school_class)
    ring(world, world.other_class)
    maths = make_course(world.school_class, world.teacher, "Математика", 4)
    russian = make_course(world.other_class, world.other_teacher, "Русский язык", 4)
    for course, number, room in ((maths, 2, "12"), (russian, 3, "7")):
        timetable_services.timetable_entry_add(
            actor=None, course=course, weekday=2, number=number, valid_from=year.start, room=room
        )
    timetable_services.lessons_generate(actor=None, year=year, start=FIRST, end=LAST)
    return Timetable(maths=maths, russian=russian)


def token_of(user, school=None) -> str:
    return feed_services.feed_create(actor=user, school=school)[1]


def fetch(client, token: str):
    """As a calendar app asks: no session (a fresh client, whoever the test's client is logged in as)."""
    return Client().get(reverse("calendars:feed", kwargs={"token": token}))


def events_of(client, user, school=None) -> dict[str, icalendar.Event]:
    """The user's feed parsed by a real iCalendar parser: UID → VEVENT."""
    response = fetch(client, token_of(user, school))
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@ejournal"
