"""Permission-matrix rows of the credentials pages (R-B11, R-B12).

Printing or emailing changes the person's password, and a persona whose password was reset must change it before
anything else; so the rows that really issue credentials aim at a pupil made for the request, not at a persona.
"""

import datetime

from accounts.models import Role
from schedule.services import classes as class_services
from tests.factories import UserFactory

from . import REDIRECT, Case, only


def own_class(w):
    return {"class_id": w.school_class.pk}


def fresh_pupil_of_5a(w):
    """A new pupil of 5А (the class teacher's class), so that each role's request issues to somebody new."""
    pupil = UserFactory(school=w.school, roles=[Role.PUPIL])
    class_services.pupils_enroll(
        actor=None, school_class=w.school_class, pupils=[pupil], since=datetime.date(2026, 9, 1)
    )
    return {"user_id": pupil.pk}


CLASS_PAGE = only("admin", "class_teacher") | {"foreign_teacher": 404}
CLASS_ACTION = only("admin", "class_teacher", ok=REDIRECT) | {"foreign_teacher": 404}

ROWS: dict[str, list[Case]] = {
    "schedule:credentials_class": [
        Case("own class", CLASS_PAGE, kwargs=own_class),
        Case(
            "another class of the school",
            only("admin") | {"foreign_teacher": 404},
            kwargs=lambda w: {"class_id": w.other_class.pk},
        ),
        Case(
            "a class of another school",
            only(default=404) | {"foreign_teacher": 200},
            kwargs=lambda w: {"class_id": w.foreign_class.pk},
        ),
    ],
    # Nothing ticked: refused with a message and a redirect, nothing issued.
    "schedule:credentials_class_print": [
        Case("own class, nothing ticked", CLASS_ACTION, kwargs=own_class, method="post")
    ],
    "schedule:credentials_class_email": [
        Case("own class, nothing ticked", CLASS_ACTION, kwargs=own_class, method="post")
    ],
    "schedule:credentials_staff": [Case("staff", only("admin"))],
    "schedule:credentials_staff_print": [Case("nothing ticked", only("admin", ok=REDIRECT), method="post")],
    "schedule:credentials_staff_email": [Case("nothing ticked", only("admin", ok=REDIRECT), method="post")],
    "schedule:credentials_person": [
        Case("own class's pupil", CLASS_PAGE, kwargs=lambda w: {"user_id": w.pupil.pk}),
        Case("own class's parent", CLASS_PAGE, kwargs=lambda w: {"user_id": w.guardian.pk}),
        Case(
            "another class's parent",
            only("admin") | {"foreign_teacher": 404},
            kwargs=lambda w: {"user_id": w.other_guardian.pk},
        ),
        Case("a teacher", only("admin") | {"foreign_teacher": 404}, kwargs=lambda w: {"user_id": w.teacher.pk}),
        Case(
            "a pupil of another school",
            only(default=404) | {"foreign_teacher": 200},
            kwargs=lambda w: {"user_id": w.foreign_pupil.pk},
        ),
    ],
    "schedule:credentials_person_print": [
        Case("own class's pupil", CLASS_PAGE, kwargs=fresh_pupil_of_5a, method="post"),
        Case(
            "another class's pupil",
            only("admin") | {"foreign_teacher": 404},
            kwargs=lambda w: {"user_id": w.other_pupil.pk},
            method="post",
        ),
    ],
    "schedule:credentials_person_email": [
        Case("own class's pupil", CLASS_ACTION, kwargs=fresh_pupil_of_5a, method="post"),
    ],
}
