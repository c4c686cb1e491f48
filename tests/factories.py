"""Factories that go through the services (Zulip's habit: test data is made by real actions)."""

import datetime

import factory

from accounts import services as accounts_services
from accounts.models import Role, School, User
from accounts.services import ConsentData, NewPerson
from schedule.models import AcademicYear, SchoolClass
from schedule.services import classes as class_services
from schedule.services import years as year_services

PASSWORD = "Pa55-word-for-tests"
CONSENT = ConsentData(signed_by="сам(а)", signed_on=datetime.date(2026, 8, 25), document="Согласие № 1")


class SchoolFactory(factory.Factory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"Школа № {n + 1}")
    short_name = factory.LazyAttribute(lambda o: o.name)

    @classmethod
    def _create(cls, model_class, **kwargs):
        return accounts_services.school_create(actor=None, **kwargs)


class UserFactory(factory.Factory):
    """A person of a school with roles: `UserFactory(school=s, roles=[Role.TEACHER])`."""

    class Meta:
        model = User

    school = factory.SubFactory(SchoolFactory)
    roles = (Role.TEACHER,)
    username = factory.Sequence(lambda n: f"user{n:04d}")
    last_name = factory.Iterator(["Иванова", "Петров", "Фёдорова", "Соколов-Римский", "Ёлкин"])
    first_name = factory.Iterator(["Мария", "Сергей", "Алёна", "Пётр"])
    middle_name = factory.Iterator(["Петровна", "Иванович", "Сергеевна"])
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = PASSWORD
    temporary = False

    @classmethod
    def _create(cls, model_class, *, school, roles, password, temporary, **fields):
        user = accounts_services.person_create(
            actor=None, school=school, person=NewPerson(roles=tuple(roles), consent=CONSENT, **fields)
        )
        if password is not None:
            accounts_services.passwords_set(
                actor=None, school=school, users=[user], password=password, temporary=temporary
            )
        return user


def make_year(school: School, start: datetime.date = datetime.date(2026, 9, 1)) -> AcademicYear:
    return year_services.academic_year_create(
        actor=None,
        school=school,
        name=f"{start.year}/{start.year + 1}",
        start=start,
        end=datetime.date(start.year + 1, 8, 31),
    )


def make_class(year: AcademicYear, grade: int, letter: str, class_teacher: User | None = None) -> SchoolClass:
    return class_services.school_class_create(
        actor=None, year=year, grade=grade, letter=letter, class_teacher=class_teacher
    )


def make_subject(school: School, name: str = "Математика", **kwargs):
    from schedule.models import Subject

    existing = Subject.objects.filter(school=school, name=name).first()
    return existing or year_services.subject_create(actor=None, school=school, name=name, **kwargs)


def make_course(
    school_class: SchoolClass | None,
    teacher: User,
    subject: str = "Математика",
    hours: int = 4,
    group=None,
    **kwargs,
):
    """A course of a class (or of a group) taught by one teacher."""
    from schedule.services import timetable

    year = school_class.year if school_class is not None else group.year
    return timetable.course_create(
        actor=None,
        year=year,
        subject=make_subject(year.school, subject),
        teachers=[teacher],
        hours_per_week=hours,
        school_class=school_class,
        group=group,
        **kwargs,
    )
