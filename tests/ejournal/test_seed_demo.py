import datetime

import pytest
from django.core.management import CommandError, call_command

from accounts.models import GuardianLink, Membership, Role, User
from ejournal.demo import DEMO_LOGINS
from schedule.models import Enrollment, SchoolClass


def test_seed_demo_refuses_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", "--pupils", "5")
    assert not User.objects.exists()


def test_seed_demo_builds_a_school_with_stable_logins(db, settings, clock, client):
    settings.DEBUG = True
    call_command("seed_demo", "--pupils", "60", "--password", "demo-pass-1")
    assert set(User.objects.filter(username__in=DEMO_LOGINS).values_list("username", flat=True)) == set(DEMO_LOGINS)
    assert Membership.objects.filter(role=Role.PUPIL).count() == 60
    assert SchoolClass.objects.count() == 22
    assert Enrollment.objects.count() == 60
    guardian = User.objects.get(username="guardian")
    pupil = User.objects.get(username="pupil")
    assert GuardianLink.objects.filter(guardian=guardian, pupil=pupil).exists()
    assert GuardianLink.objects.filter(guardian=guardian).count() == 2  # two children: the switcher has work to do
    five_a = SchoolClass.objects.get(grade=5, letter="А")
    assert five_a.class_teacher.username == "class_teacher"
    assert Enrollment.objects.get(pupil=pupil).school_class == five_a
    assert Enrollment.objects.get(pupil=pupil).since == datetime.date(2026, 9, 1)
    # The year's structure, as an admin would set it up (issue 3): periods, holidays, bells, subjects, work types,
    # subgroups; everyone with a consent (R-B09).
    from accounts.models import PersonalDataConsent
    from gradebook.models import WorkType
    from schedule.models import BellSchedule, Holiday, StudyGroup, StudyPeriod, Subject

    assert StudyPeriod.objects.filter(kind="quarter").count() == 4
    assert StudyPeriod.objects.filter(kind="half").count() == 2
    assert Holiday.objects.count() >= 3
    assert BellSchedule.objects.count() == 2
    assert Subject.objects.filter(no_attestation=True).count() == 2
    assert WorkType.objects.filter(name="Контрольная работа").exists()
    assert StudyGroup.objects.filter(name="5А английский 1").exists()
    assert PersonalDataConsent.objects.values("person").distinct().count() == User.objects.count()
    # Issue 4: every class has its load and a week's timetable, lessons are generated, 5А's timetable changed after
    # the autumn holidays, the demo teacher teaches 5А's maths and has a substitution on the first school day.
    from schedule.models import Course, Lesson, Substitution, TimetableEntry

    for school_class in SchoolClass.objects.all():
        assert TimetableEntry.objects.filter(course__school_class=school_class).count() >= 20, school_class
    assert Course.objects.get(school_class=five_a, subject__name="Математика").teachers.get().username == "teacher"
    assert TimetableEntry.objects.filter(course__school_class=five_a, valid_to__isnull=False).exists()
    assert Lesson.objects.filter(date__lte=datetime.date(2026, 11, 17)).count() > 5000
    assert Substitution.objects.filter(substitute__username="teacher").exists()
    assert Lesson.objects.filter(status=Lesson.Status.CANCELLED).exists()
    # Parents of one, two and three children (issue 7: the diary's child switcher).
    for login, count in (("guardian1", 1), ("guardian", 2), ("guardian3", 3)):
        assert GuardianLink.objects.filter(guardian__username=login).count() == count, login
    # Every stable login works with the printed password.
    for login in DEMO_LOGINS:
        response = client.post("/accounts/login/", {"username": login, "password": "demo-pass-1"})
        assert response.status_code == 302, login
        client.logout()
    # Running it again changes nothing.
    call_command("seed_demo", "--pupils", "60")
    assert User.objects.filter(username="pupil").count() == 1
    assert Membership.objects.filter(role=Role.PUPIL).count() == 60
