"""Set-up shared by the messaging tests and the permission matrix: people and courses made through the services."""

import datetime

from accounts import services as accounts_services
from accounts.models import Role, User
from messaging import services
from schedule.services import classes as class_services
from tests.factories import UserFactory, make_course

SINCE = datetime.date(2026, 9, 1)


def pupil_of(world, school_class, login: str, guardians: tuple[str, ...] = ()):
    """A pupil enrolled in the class since September, with parents of the given logins (created or reused)."""
    pupil = UserFactory(school=world.school, username=login, roles=[Role.PUPIL], email="")
    class_services.pupils_enroll(actor=world.admin, school_class=school_class, pupils=[pupil], since=SINCE)
    parents = []
    for name in guardians:
        parent = User.objects.filter(username=name).first() or UserFactory(
            school=world.school, username=name, roles=[Role.GUARDIAN]
        )
        accounts_services.guardian_link(actor=world.admin, school=world.school, guardian=parent, pupil=pupil)
        parents.append(parent)
    return pupil, parents


def teaches_class(world, teacher=None, subject: str = "Математика"):
    """The subject teacher teaches the whole 5А."""
    return make_course(world.school_class, teacher or world.teacher, subject)


def teaches_group(world, pupils, teacher=None, name: str = "5А английский 1"):
    """The subject teacher teaches a group of 5А with these pupils only."""
    group = class_services.group_create(
        actor=None, year=world.school_class.year, name=name, school_class=world.school_class
    )
    class_services.group_members_set(actor=None, group=group, pupils=list(pupils), since=SINCE)
    return make_course(None, teacher or world.teacher, "Иностранный язык (английский)", group=group)


def thread_between(world, sender, recipient, subject="Вопрос", text="Здравствуйте!", uploads=()):
    return services.message_send(
        actor=sender, school=world.school, recipient=recipient, subject=subject, text=text, uploads=uploads
    )
