"""Services refuse bad input with a Russian message and change nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from accounts import services
from accounts.models import Membership, Role, User
from accounts.services import AccountsError, NewPerson
from schedule.models import AcademicYear, Enrollment, SchoolClass
from schedule.services import ScheduleError
from schedule.services import classes as class_services
from schedule.services import years as year_services
from tests.factories import CONSENT


@pytest.fixture(autouse=True)
def russian():
    with translation.override("ru"):
        yield


def test_a_taken_login_is_refused_and_nothing_is_written(world):
    before = User.objects.count()
    with pytest.raises(AccountsError, match="Эти логины уже заняты: teacher"):
        services.person_create(
            actor=world.admin,
            school=world.school,
            person=NewPerson("Иванов", "Иван", username="teacher", roles=(Role.TEACHER,), consent=CONSENT),
        )
    assert User.objects.count() == before


def test_bulk_create_refuses_the_whole_batch_on_one_duplicate(world):
    before = User.objects.count()
    people = [
        NewPerson("А", "Б", roles=(Role.PUPIL,), consent=CONSENT),
        NewPerson("В", "Г", roles=(Role.PUPIL,), consent=CONSENT, username="pupil"),
        NewPerson("Д", "Е", roles=(Role.PUPIL,), consent=CONSENT),
    ]
    with pytest.raises(AccountsError, match="pupil"):
        services.people_create(actor=None, school=world.school, people=people)
    assert User.objects.count() == before


def test_a_guardian_link_needs_a_guardian_and_a_pupil_of_the_school(world):
    with pytest.raises(AccountsError, match="не является родителем"):
        services.guardian_link(actor=None, school=world.school, guardian=world.teacher, pupil=world.pupil)
    with pytest.raises(AccountsError, match="не является обучающимся"):
        services.guardian_link(actor=None, school=world.school, guardian=world.guardian, pupil=world.foreign_pupil)


def test_new_school_gets_the_seeds_default_time_rules(world):
    s = world.school.settings
    assert (s.mark_entry_days, s.edit_window_days, s.period_mark_entry_days, s.period_mark_edit_days) == (2, 14, 3, 14)
    assert (s.min_marks_one_hour, s.min_marks_more_hours, s.appeal_days, s.homework_entry_hours) == (3, 5, 3, 4)
    assert s.forbid_two_as_year_mark and s.forbid_two_as_period_mark and s.lock_journal_after_period_mark
    assert not s.corrections_need_approval  # R-F07: off by default (seeds 000, 001)


def test_years_may_not_overlap(world):
    with pytest.raises(ScheduleError, match="пересекаются"):
        year_services.academic_year_create(
            actor=None, school=world.school, name="x", start=datetime.date(2027, 5, 1), end=datetime.date(2027, 12, 1)
        )
    with pytest.raises(ScheduleError, match="заканчиваться позже"):
        year_services.academic_year_create(
            actor=None, school=world.school, name="y", start=datetime.date(2030, 5, 1), end=datetime.date(2030, 4, 1)
        )
    assert AcademicYear.objects.for_school(world.school).count() == 1


def test_class_rules(world):
    year = world.school_class.year
    with pytest.raises(ScheduleError, match="уже есть"):
        class_services.school_class_create(actor=None, year=year, grade=5, letter="а")
    with pytest.raises(ScheduleError, match="от 1 до 11"):
        class_services.school_class_create(actor=None, year=year, grade=12, letter="А")
    with pytest.raises(ScheduleError, match="только учитель этой школы"):
        class_services.school_class_create(actor=None, year=year, grade=6, letter="А", class_teacher=world.pupil)
    assert SchoolClass.objects.filter(year=year).count() == 2


def test_enrollment_rules(world):
    since = datetime.date(2026, 9, 1)
    with pytest.raises(ScheduleError, match="только обучающихся этой школы"):
        class_services.pupils_enroll(actor=None, school_class=world.school_class, pupils=[world.teacher], since=since)
    with pytest.raises(ScheduleError, match="уже зачислены"):
        class_services.pupils_enroll(actor=None, school_class=world.other_class, pupils=[world.pupil], since=since)
    assert Enrollment.objects.filter(pupil=world.pupil).count() == 1
    assert not Membership.objects.filter(user=world.teacher, role=Role.PUPIL).exists()


def test_nobody_is_written_without_a_consent(world):
    """R-B09: a person's data cannot be stored before their consent is recorded."""
    before = User.objects.count()
    people = [
        NewPerson("Новикова", "Анна", roles=(Role.PUPIL,), consent=CONSENT),
        NewPerson("Новиков", "Пётр", roles=(Role.PUPIL,), consent=None),
    ]
    with pytest.raises(AccountsError, match="Новиков Пётр: Согласие на обработку персональных данных"):
        services.people_create(actor=world.admin, school=world.school, people=people)
    assert User.objects.count() == before


def test_a_consent_signed_in_the_future_or_without_a_document_is_refused(world):
    import datetime

    from accounts.services import ConsentData

    future = ConsentData(signed_by="Новикова А. П.", signed_on=datetime.date(2026, 12, 1), document="№ 5")
    blank = ConsentData(signed_by="Новикова А. П.", signed_on=datetime.date(2026, 9, 1), document=" ")
    for consent, words in ((future, "в будущем"), (blank, "документ")):
        with pytest.raises(AccountsError, match=words):
            services.person_create(
                actor=None,
                school=world.school,
                person=NewPerson("Новиков", "Пётр", roles=(Role.PUPIL,), consent=consent),
            )


def test_people_get_logins_from_their_names_unique_in_the_school(world):
    a, b = services.people_create(
        actor=world.admin,
        school=world.school,
        people=[
            NewPerson("Соколова-Римская", "Алёна", "Петровна", roles=(Role.PUPIL,), consent=CONSENT),
            NewPerson("Соколова-Римская", "Анна", "Павловна", roles=(Role.PUPIL,), consent=CONSENT),
        ],
    )
    assert (a.username, b.username) == ("sokolovarimskaia.ap", "sokolovarimskaia.ap2")
    assert not a.has_usable_password()  # a password comes with the credentials


def test_person_data_is_corrected_only_under_a_consent_in_force(world):
    """R-B09, R-B10."""
    from accounts.models import PersonalDataConsent

    services.person_update(
        actor=world.admin, school=world.school, person=world.pupil, last_name="Ёлкина", first_name="Мария"
    )
    world.pupil.refresh_from_db()
    assert world.pupil.last_name == "Ёлкина"
    PersonalDataConsent.objects.filter(person=world.pupil).update(withdrawn_on=datetime.date(2026, 11, 1))
    with pytest.raises(AccountsError, match="нет действующего согласия"):
        services.person_update(
            actor=world.admin, school=world.school, person=world.pupil, last_name="Иванова", first_name="Мария"
        )


def test_a_parent_who_chose_paper_sheets_needs_a_way_to_get_them(world):
    from accounts.models import GuardianProfile

    with pytest.raises(AccountsError, match="почтовый адрес"):
        services.guardian_profile_set(
            actor=world.admin, school=world.school, guardian=world.guardian, diary_opt_out=True, paper_channel="post"
        )
    profile = services.guardian_profile_set(
        actor=world.admin, school=world.school, guardian=world.guardian, diary_opt_out=True, paper_channel="in_person"
    )
    assert profile.diary_opt_out
    assert GuardianProfile.objects.count() == 1


def test_a_parent_who_opts_out_without_a_login_loses_it_until_they_opt_back_in(world, client, password):
    """Issue 7, item 8: a parent who opted out keeps an account only if they want one."""
    profile = services.guardian_profile_set(
        actor=world.admin,
        school=world.school,
        guardian=world.guardian,
        diary_opt_out=True,
        paper_channel="in_person",
        keeps_account=False,
    )
    world.guardian.refresh_from_db()
    assert not profile.keeps_account
    assert not world.guardian.is_active
    login = reverse("accounts:login")
    assert client.post(login, {"username": "guardian", "password": password}).status_code == 200  # refused
    # Opting back in opens the account again: the parent can log in and be issued credentials.
    services.guardian_profile_set(actor=world.admin, school=world.school, guardian=world.guardian, diary_opt_out=False)
    world.guardian.refresh_from_db()
    assert world.guardian.is_active
    assert client.post(login, {"username": "guardian", "password": password}).status_code == 302


def test_a_parent_who_opts_out_may_keep_the_login(world):
    services.guardian_profile_set(
        actor=world.admin, school=world.school, guardian=world.guardian, diary_opt_out=True, keeps_account=True
    )
    world.guardian.refresh_from_db()
    assert world.guardian.is_active
    # Asking for the login again after closing it opens the account.
    services.guardian_profile_set(
        actor=world.admin, school=world.school, guardian=world.guardian, diary_opt_out=True, keeps_account=False
    )
    services.guardian_profile_set(
        actor=world.admin, school=world.school, guardian=world.guardian, diary_opt_out=True, keeps_account=True
    )
    world.guardian.refresh_from_db()
    assert world.guardian.is_active


def test_a_parent_in_the_diary_always_keeps_the_login(world):
    profile = services.guardian_profile_set(
        actor=world.admin, school=world.school, guardian=world.guardian, diary_opt_out=False, keeps_account=False
    )
    world.guardian.refresh_from_db()
    assert profile.keeps_account and world.guardian.is_active


def test_the_login_of_a_parent_with_another_role_is_never_closed(world):
    """One login serves every role and school: a parent who also teaches keeps it."""
    from accounts.models import GuardianProfile

    services.role_grant(actor=None, school=world.school, user=world.teacher, role=Role.GUARDIAN)
    services.guardian_link(actor=None, school=world.school, guardian=world.teacher, pupil=world.other_pupil)
    with pytest.raises(AccountsError, match="в другой роли или другой школе"):
        services.guardian_profile_set(
            actor=world.admin, school=world.school, guardian=world.teacher, diary_opt_out=True, keeps_account=False
        )
    world.teacher.refresh_from_db()
    assert world.teacher.is_active
    assert not GuardianProfile.objects.filter(guardian=world.teacher).exists()
    # A parent of children in two schools shares one login too.
    services.role_grant(actor=None, school=world.other_school, user=world.guardian, role=Role.GUARDIAN)
    with pytest.raises(AccountsError, match="в другой роли или другой школе"):
        services.guardian_profile_set(
            actor=world.admin, school=world.school, guardian=world.guardian, diary_opt_out=True, keeps_account=False
        )
