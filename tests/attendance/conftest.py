"""A school week of 5А for the attendance tests (the world's frozen day is Tue 2026-11-17, the 2nd quarter):

- maths of 5А (`teacher`): Tuesdays and Wednesdays, 1st lesson;
- history of 5А (`other_teacher`): Tuesdays, 2nd lesson;
- English in two subgroups, Tuesdays 3rd lesson: group 1 (`pupil`, `english_1` taught by `other_teacher`) and group 2
  (`classmate`, `english_2` taught by a third teacher);
- physics of 5Б (`other_teacher`): Tuesdays, 4th lesson.
Lessons are generated for the 2nd quarter's first weeks (from 2026-11-09).
"""

import datetime
from dataclasses import dataclass

import pytest

from accounts.models import Role, User
from schedule.models import Course, Lesson
from schedule.services import classes as class_services
from schedule.services import timetable
from schedule.services import years as year_services
from tests.factories import UserFactory, make_course

D = datetime.date
TUE, WED = 2, 3
DAY = D(2026, 11, 17)  # the frozen Tuesday
LAST_TUESDAY = D(2026, 11, 10)
YEAR_START = D(2026, 9, 1)


@dataclass
class Week:
    maths: Course
    history: Course
    english_1: Course
    english_2: Course
    physics: Course
    classmate: User
    english_teacher: User

    def lesson(self, course: Course, day: datetime.date) -> Lesson:
        return Lesson.objects.select_related("course__year", "school").get(course=course, date=day)


def _add(course, weekday, number):
    timetable.timetable_entry_add(
        actor=None, course=course, weekday=weekday, number=number, room="", valid_from=YEAR_START
    )


@pytest.fixture
def week(world) -> Week:
    year = world.school_class.year
    year_services.year_fill_usual(actor=None, year=year)
    classmate = UserFactory(school=world.school, username="classmate", roles=[Role.PUPIL], last_name="Яковлева")
    class_services.pupils_enroll(actor=None, school_class=world.school_class, pupils=[classmate], since=YEAR_START)
    english_teacher = UserFactory(school=world.school, username="english", roles=[Role.TEACHER])
    g1 = class_services.group_create(actor=None, year=year, name="5А англ 1", school_class=world.school_class)
    g2 = class_services.group_create(actor=None, year=year, name="5А англ 2", school_class=world.school_class)
    class_services.group_members_set(actor=None, group=g1, pupils=[world.pupil], since=YEAR_START)
    class_services.group_members_set(actor=None, group=g2, pupils=[classmate], since=YEAR_START)
    maths = make_course(world.school_class, world.teacher, "Математика", 4)
    history = make_course(world.school_class, world.other_teacher, "История", 2)
    english_1 = make_course(world.school_class, world.other_teacher, "Английский язык", 3, group=g1)
    english_2 = make_course(world.school_class, english_teacher, "Английский язык", 3, group=g2)
    physics = make_course(world.other_class, world.other_teacher, "Физика", 2)
    _add(maths, TUE, 1)
    _add(maths, WED, 1)
    _add(history, TUE, 2)
    _add(english_1, TUE, 3)
    _add(english_2, TUE, 3)
    _add(physics, TUE, 4)
    timetable.lessons_generate(actor=None, year=year, start=D(2026, 11, 9), end=D(2026, 11, 25))
    return Week(
        maths=maths,
        history=history,
        english_1=english_1,
        english_2=english_2,
        physics=physics,
        classmate=classmate,
        english_teacher=english_teacher,
    )
