"""Personas (STYLE): admin, director, deputy, class_teacher, teacher, other_teacher, pupil, guardian,
other_pupil, other_guardian, and a teacher and a pupil of another school."""

import datetime
import os
from dataclasses import dataclass

import pytest
import time_machine

from accounts import services as accounts_services
from accounts.models import GuardianLink, Role, School, User
from schedule.models import SchoolClass
from schedule.services import classes as class_services
from tests.factories import PASSWORD, SchoolFactory, UserFactory, make_class, make_year

# Playwright runs an event loop in the test process; Django's ORM calls from the live server's tests are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The school day the personas live in: a Tuesday of the first quarter.
SCHOOL_DAY = datetime.datetime(2026, 11, 17, 9, 0, tzinfo=datetime.UTC)


@dataclass
class World:
    school: School
    other_school: School
    admin: User
    director: User
    deputy: User
    class_teacher: User
    teacher: User
    other_teacher: User
    pupil: User
    guardian: User
    other_pupil: User
    other_guardian: User
    foreign_teacher: User
    foreign_pupil: User
    school_class: SchoolClass
    other_class: SchoolClass
    foreign_class: SchoolClass

    def persona(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


@pytest.fixture
def clock():
    """The school's clock, frozen on SCHOOL_DAY; tests move it with clock.move_to(...)."""
    with time_machine.travel(SCHOOL_DAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(db, clock) -> World:
    school = SchoolFactory(name="МБОУ «Гимназия № 5»", short_name="Гимназия № 5")
    other_school = SchoolFactory(name="МБОУ «СОШ № 7»", short_name="СОШ № 7")

    def person(login, roles, at=school):
        return UserFactory(school=at, username=login, roles=roles)

    admin = person("admin", [Role.ADMIN])
    director = person("director", [Role.DIRECTOR])
    deputy = person("deputy", [Role.DEPUTY])
    class_teacher = person("class_teacher", [Role.TEACHER])
    teacher = person("teacher", [Role.TEACHER])
    other_teacher = person("other_teacher", [Role.TEACHER])
    pupil = person("pupil", [Role.PUPIL])
    guardian = person("guardian", [Role.GUARDIAN])
    other_pupil = person("other_pupil", [Role.PUPIL])
    other_guardian = person("other_guardian", [Role.GUARDIAN])
    foreign_teacher = person("foreign_teacher", [Role.TEACHER], at=other_school)
    foreign_pupil = person("foreign_pupil", [Role.PUPIL], at=other_school)

    year = make_year(school)
    school_class = make_class(year, 5, "А", class_teacher)
    other_class = make_class(year, 5, "Б", other_teacher)
    foreign_class = make_class(make_year(other_school), 5, "А", foreign_teacher)
    since = datetime.date(2026, 9, 1)
    class_services.pupils_enroll(actor=admin, school_class=school_class, pupils=[pupil], since=since)
    class_services.pupils_enroll(actor=admin, school_class=other_class, pupils=[other_pupil], since=since)
    class_services.pupils_enroll(actor=None, school_class=foreign_class, pupils=[foreign_pupil], since=since)
    accounts_services.guardian_link(
        actor=admin, school=school, guardian=guardian, pupil=pupil, relation=GuardianLink.Relation.MOTHER
    )
    accounts_services.guardian_link(actor=admin, school=school, guardian=other_guardian, pupil=other_pupil)
    return World(
        school=school,
        other_school=other_school,
        admin=admin,
        director=director,
        deputy=deputy,
        class_teacher=class_teacher,
        teacher=teacher,
        other_teacher=other_teacher,
        pupil=pupil,
        guardian=guardian,
        other_pupil=other_pupil,
        other_guardian=other_guardian,
        foreign_teacher=foreign_teacher,
        foreign_pupil=foreign_pupil,
        school_class=school_class,
        other_class=other_class,
        foreign_class=foreign_class,
    )


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """The system's Chromium (Debian package); `playwright install` is neither needed nor possible offline."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }
