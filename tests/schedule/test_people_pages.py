"""People pages: staff, pupils and parents with their consents (R-B08, R-B09, R-B10)."""

import datetime

from django.urls import reverse

from accounts.models import GuardianLink, GuardianProfile, Membership, PersonalDataConsent, Role, User
from schedule.models import Enrollment

CONSENT = {"consent_document": "Согласие № 77", "consent_signed_on": "01.09.2026", "consent_signed_by": "Петрова А. А."}


def test_admin_adds_a_pupil_with_a_consent_and_a_class(client, world):
    """R-B07, R-B09: the pupil, their consent and their class are written together."""
    client.force_login(world.admin)
    response = client.post(
        reverse("schedule:pupil_add"),
        {
            "last_name": "Петрова-Водкина",
            "first_name": "Алёна",
            "middle_name": "Игоревна",
            "birth_date": "2015-03-08",
            **CONSENT,
            "school_class": world.school_class.pk,
            "since": "2026-11-17",
        },
    )
    assert response.status_code == 302
    pupil = User.objects.get(last_name="Петрова-Водкина")
    assert pupil.username == "petrovavodkina.ai"
    assert Membership.objects.filter(user=pupil, role=Role.PUPIL, school=world.school).exists()
    assert PersonalDataConsent.objects.get(person=pupil).document == "Согласие № 77"
    assert Enrollment.objects.get(pupil=pupil).school_class == world.school_class


def test_a_pupil_without_a_consent_is_not_saved(client, world):
    """R-B09: no consent, no personal data."""
    client.force_login(world.admin)
    before = User.objects.count()
    response = client.post(
        reverse("schedule:pupil_add"),
        {"last_name": "Петрова", "first_name": "Алёна", "school_class": world.school_class.pk, "since": "2026-11-17"},
    )
    assert response.status_code == 200
    assert "Обязательное поле" in response.content.decode()
    assert User.objects.count() == before


def test_a_consent_dated_in_the_future_is_refused_with_a_message(client, world):
    client.force_login(world.admin)
    before = User.objects.count()
    data = {"last_name": "Петрова", "first_name": "Алёна", "school_class": world.school_class.pk, "since": "2026-11-17"}
    response = client.post(reverse("schedule:pupil_add"), {**data, **CONSENT, "consent_signed_on": "2027-01-01"})
    assert "Согласие не может быть подписано в будущем" in response.content.decode()
    assert User.objects.count() == before


def test_admin_adds_staff_with_roles(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("schedule:staff_add"),
        {"last_name": "Зайцева", "first_name": "Ольга", "roles": [Role.TEACHER, Role.DEPUTY], **CONSENT},
    )
    assert response.status_code == 302
    person = User.objects.get(last_name="Зайцева")
    assert set(Membership.objects.filter(user=person).values_list("role", flat=True)) == {Role.TEACHER, Role.DEPUTY}


def test_class_teacher_corrects_own_pupils_data_but_not_others(client, world):
    """R-B10: the class teacher corrects the data of their own class's pupils and parents."""
    client.force_login(world.class_teacher)
    data = {"last_name": "Иванова", "first_name": "Мария", "middle_name": "", "phone": "+7 900 000-00-00"}
    assert client.post(reverse("schedule:person_edit", args=[world.pupil.pk]), data).status_code == 302
    world.pupil.refresh_from_db()
    assert world.pupil.phone == "+7 900 000-00-00"
    assert client.post(reverse("schedule:person_edit", args=[world.other_pupil.pk]), data).status_code == 403
    assert client.get(reverse("schedule:staff_add")).status_code == 403


def test_class_teacher_adds_a_parent_to_own_pupil(client, world):
    client.force_login(world.class_teacher)
    response = client.post(
        reverse("schedule:guardian_add", args=[world.pupil.pk]),
        {"last_name": "Иванов", "first_name": "Пётр", "relation": "father", **CONSENT},
    )
    assert response.status_code == 302
    father = User.objects.get(last_name="Иванов", first_name="Пётр")
    assert GuardianLink.objects.get(guardian=father).pupil == world.pupil
    assert Membership.objects.filter(user=father, role=Role.GUARDIAN).exists()


def test_a_parent_already_in_the_school_is_linked_by_login(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("schedule:guardian_link", args=[world.other_pupil.pk]), {"login": "GUARDIAN", "relation": "mother"}
    )
    assert response.status_code == 302
    assert GuardianLink.objects.filter(guardian=world.guardian, pupil=world.other_pupil).exists()
    response = client.post(
        reverse("schedule:guardian_link", args=[world.other_pupil.pk]),
        {"login": "nobody", "relation": "mother"},
        follow=True,
    )
    assert "Родителя с таким логином в школе нет" in response.content.decode()


def test_consent_and_diary_choice_from_the_person_page(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("schedule:consent_add", args=[world.guardian.pk]),
        {"document": "Согласие № 9", "signed_on": "2026-09-02", "signed_by": "лично"},
    )
    assert response.status_code == 302
    assert PersonalDataConsent.objects.filter(person=world.guardian, document="Согласие № 9").exists()
    response = client.post(
        reverse("schedule:diary_choice", args=[world.guardian.pk]),
        {"diary_opt_out": "on", "paper_channel": "post", "postal_address": ""},
        follow=True,
    )
    assert "нужен почтовый адрес" in response.content.decode()
    assert not GuardianProfile.objects.exists()
    client.post(
        reverse("schedule:diary_choice", args=[world.guardian.pk]),
        {"diary_opt_out": "on", "paper_channel": "post", "postal_address": "г. Чита, ул. Ленина, 1"},
    )
    assert GuardianProfile.objects.get(guardian=world.guardian).diary_opt_out


def test_people_list_shows_a_class_teacher_only_own_families(client, world):
    client.force_login(world.class_teacher)
    text = client.get(reverse("schedule:people_list")).content.decode()
    assert world.pupil.get_full_name() in text
    assert world.other_pupil.get_full_name() not in text
    text = client.get(reverse("schedule:people_list"), {"tab": "guardians"}).content.decode()
    assert world.guardian.get_full_name() in text
    assert world.other_guardian.get_full_name() not in text
    # No staff tab for a class teacher, whatever the URL says.
    text = client.get(reverse("schedule:people_list"), {"tab": "staff"}).content.decode()
    assert world.director.get_full_name() not in text


def test_people_list_searches_and_pages_in_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("schedule:people_list"), {"tab": "pupils", "q": "other"})
    text = response.content.decode()
    assert world.other_pupil.get_full_name() in text
    assert world.pupil.get_full_name() not in text
    assert "5Б" in text


def test_person_page_shows_consents_classes_and_parents(client, world, django_assert_max_num_queries):
    client.force_login(world.admin)
    with django_assert_max_num_queries(16):
        text = client.get(reverse("schedule:person_detail", args=[world.pupil.pk])).content.decode()
    assert "Согласие № 1" in text
    assert "5А" in text
    assert world.guardian.get_full_name() in text


def test_readers_see_people_but_do_not_edit(client, world):
    client.force_login(world.director)
    assert client.get(reverse("schedule:person_detail", args=[world.pupil.pk])).status_code == 200
    assert client.get(reverse("schedule:person_edit", args=[world.pupil.pk])).status_code == 403


def test_a_date_of_birth_in_the_future_is_refused(client, world):
    client.force_login(world.admin)
    data = {"last_name": "Иванова", "first_name": "Мария", "birth_date": datetime.date(2030, 1, 1).isoformat()}
    response = client.post(reverse("schedule:person_edit", args=[world.pupil.pk]), data)
    assert "Дата рождения не может быть в будущем" in response.content.decode()
    world.pupil.refresh_from_db()
    assert world.pupil.birth_date is None


def test_the_diary_choice_closes_and_reopens_the_parents_login(client, world):
    """Issue 7, item 8: «Сохранить вход в систему» unticked with an opt-out closes the account; opting back in
    opens it."""
    client.force_login(world.class_teacher)
    url = reverse("schedule:person_detail", args=[world.guardian.pk])
    assert "Сохранить вход в систему" in client.get(url).content.decode()
    choice = reverse("schedule:diary_choice", args=[world.guardian.pk])
    client.post(choice, {"diary_opt_out": "on", "paper_channel": "in_person", "postal_address": ""})
    world.guardian.refresh_from_db()
    assert not world.guardian.is_active
    page = client.get(url).content.decode()
    assert "Вход в систему закрыт по желанию родителя" in page
    assert reverse("schedule:credentials_person", args=[world.guardian.pk]) not in page  # no credentials to issue
    client.post(choice, {"paper_channel": "in_person", "postal_address": "", "keeps_account": "on"})
    world.guardian.refresh_from_db()
    assert world.guardian.is_active
    assert not GuardianProfile.objects.get(guardian=world.guardian).diary_opt_out
    client.post(choice, {"diary_opt_out": "on", "paper_channel": "in_person", "keeps_account": "on"})
    world.guardian.refresh_from_db()
    assert world.guardian.is_active
