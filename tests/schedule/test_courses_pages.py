"""The teaching-load pages (R-B05): the year's load by class, adding, editing and deleting courses, a class's and a
teacher's load."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from schedule.models import Course
from schedule.services import classes as class_services
from schedule.services import lessons as lesson_services
from schedule.services import timetable
from tests.factories import UserFactory, make_class, make_course, make_subject

D = datetime.date
YEAR_START = D(2026, 9, 1)


def add_entries(course, *places, since=YEAR_START, until=None):
    for weekday, number in places:
        timetable.timetable_entry_add(
            actor=None, course=course, weekday=weekday, number=number, valid_from=since, valid_to=until
        )


def subgroup(world, name="5А английский 1", school_class=None):
    return class_services.group_create(
        actor=None, year=world.school_class.year, name=name, school_class=school_class or world.school_class
    )


def ru(message: str) -> str:
    with translation.override("ru"):
        return translation.gettext(message)


@pytest.fixture
def load(world):
    """5А: maths 4 h with 3 lessons in today's timetable, English in a subgroup; 5Б: physics; a profile group."""
    maths = make_course(world.school_class, world.teacher, "Математика", hours=4)
    add_entries(maths, (1, 1), (2, 1), (3, 1))
    add_entries(maths, (4, 1), until=D(2026, 10, 30))  # ended before today: not counted
    english = make_course(None, world.other_teacher, "Английский язык", hours=3, group=subgroup(world))
    add_entries(english, (1, 2), (2, 2), (3, 2))
    physics = make_course(world.other_class, world.teacher, "Физика", hours=2)
    profile = class_services.group_create(actor=None, year=world.school_class.year, name="Профильная химия")
    chemistry = make_course(None, world.class_teacher, "Химия", hours=Decimal("1.5"), group=profile)
    return {"maths": maths, "english": english, "physics": physics, "chemistry": chemistry}


def test_the_load_page_groups_courses_by_class_and_warns_where_the_timetable_differs_R_B05(client, world, load):
    """R-B05: the year's load is recorded by class (subgroups under their class), with the hours a week; a course
    whose timetable has fewer lessons than its hours stands out."""
    client.force_login(world.director)
    response = client.get(reverse("schedule:course_list"))
    assert response.status_code == 200
    sections = {s.school_class: s for s in response.context["sections"]}
    assert [c.subject.name for c in sections[world.school_class].courses] == ["Математика", "Английский язык"]
    assert sections[world.school_class].total == 7
    assert sections[world.school_class].in_groups == 3
    assert [c.subject.name for c in sections[world.other_class].courses] == ["Физика"]
    assert [c.subject.name for c in response.context["cross"].courses] == ["Химия"]
    maths, english = sections[world.school_class].courses
    assert (maths.in_timetable, maths.mismatch) == (3, True)
    assert (english.in_timetable, english.mismatch) == (3, False)
    page = response.content.decode()
    assert "расходится с планом" in page
    assert "4 ч в неделю по плану, 3 в расписании" in page
    assert world.teacher.get_short_name() in page
    assert "5А английский 1" in page and "Профильная химия" in page
    assert "1,5" in page
    # The director reads the load but does not change it.
    assert response.context["form"] is None
    assert reverse("schedule:course_edit", args=[load["maths"].pk]) not in page


def test_the_load_page_costs_a_fixed_number_of_queries(client, world, load, django_assert_max_num_queries):
    client.force_login(world.admin)
    with django_assert_max_num_queries(13):
        assert client.get(reverse("schedule:course_list")).status_code == 200
    for grade in (6, 7, 8):
        school_class = make_class(world.school_class.year, grade, "А")
        for number, subject in enumerate(("Русский язык", "Литература", "История"), start=1):
            course = make_course(school_class, UserFactory(school=world.school), subject, hours=2)
            add_entries(course, (grade - 5, number))
    with django_assert_max_num_queries(13):
        assert client.get(reverse("schedule:course_list")).status_code == 200


def test_the_deputy_adds_a_course_with_hours_written_with_a_comma(client, world):
    make_subject(world.school, "Информатика")
    subject = make_subject(world.school, "Основы проектной деятельности", no_attestation=True)
    client.force_login(world.deputy)
    response = client.post(
        reverse("schedule:course_add"),
        {
            "subject": subject.pk,
            "school_class": world.school_class.pk,
            "teachers": [world.teacher.pk, world.other_teacher.pk],
            "hours_per_week": "1,5",
            "kind": Course.Kind.LESSON,
            "attested": "",
            "title": "",
        },
    )
    assert response.status_code == 302
    course = Course.objects.get(subject=subject)
    assert course.hours_per_week == Decimal("1.5")
    assert course.attested is False  # the subject is taught without attestation
    assert set(course.teachers.all()) == {world.teacher, world.other_teacher}
    assert "добавлен" in client.get(response["Location"]).content.decode()


def test_a_course_of_a_subgroup_is_listed_under_its_class(client, world):
    group = subgroup(world)
    client.force_login(world.admin)
    data = {
        "subject": make_subject(world.school, "Английский язык").pk,
        "group": group.pk,
        "teachers": [world.teacher.pk],
        "hours_per_week": "3",
        "kind": Course.Kind.LESSON,
    }
    assert client.post(reverse("schedule:course_add"), data).status_code == 302
    course = Course.objects.get(group=group)
    assert course.school_class == world.school_class and course.attested is True
    response = client.get(reverse("schedule:class_load", args=[world.school_class.pk]))
    assert list(response.context["section"].courses) == [course]


def test_a_bad_form_is_shown_again_with_422(client, world):
    client.force_login(world.admin)
    data = {"subject": make_subject(world.school).pk, "school_class": world.school_class.pk, "hours_per_week": "x"}
    response = client.post(reverse("schedule:course_add"), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Курс не добавлен: проверьте форму ниже." in page
    assert "Обязательное поле." in page  # no teacher
    assert "Введите число." in page
    assert not Course.objects.exists()


def test_a_refusal_of_the_service_is_shown_with_422(client, world):
    """A group of 5А with the class 5Б: the service refuses, the page keeps the form and says why."""
    group = subgroup(world)
    client.force_login(world.admin)
    data = {
        "subject": make_subject(world.school).pk,
        "school_class": world.other_class.pk,
        "group": group.pk,
        "teachers": [world.teacher.pk],
        "hours_per_week": "2",
        "kind": Course.Kind.LESSON,
    }
    response = client.post(reverse("schedule:course_add"), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Курс не добавлен: проверьте форму ниже." in page
    message = ru("The group «%(group)s» is not a group of this class.") % {"group": group}
    assert message in page
    assert not Course.objects.exists()


def test_a_teacher_of_another_school_cannot_be_chosen(client, world):
    client.force_login(world.admin)
    data = {
        "subject": make_subject(world.school).pk,
        "school_class": world.school_class.pk,
        "teachers": [world.foreign_teacher.pk],
        "hours_per_week": "2",
        "kind": Course.Kind.LESSON,
    }
    response = client.post(reverse("schedule:course_add"), data)
    assert response.status_code == 422
    assert "Выберите корректный вариант." in response.content.decode()
    assert not Course.objects.exists()


def test_the_admin_edits_a_course(client, world, load):
    maths = load["maths"]
    client.force_login(world.admin)
    url = reverse("schedule:course_edit", args=[maths.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"].initial["teachers"] == [world.teacher]
    data = {"teachers": [world.other_teacher.pk], "hours_per_week": "3,0", "kind": Course.Kind.LESSON,
            "attested": "on", "title": "Алгебра"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    maths.refresh_from_db()
    assert (maths.hours_per_week, maths.title) == (Decimal(3), "Алгебра")
    assert list(maths.teachers.all()) == [world.other_teacher]


def test_editing_refuses_marks_for_a_subject_without_attestation(client, world):
    course = make_course(
        world.school_class, world.teacher, "Основы проектной деятельности", hours=1, kind=Course.Kind.LESSON
    )
    course.subject.no_attestation = True
    course.subject.save(update_fields=["no_attestation"])
    client.force_login(world.deputy)
    data = {"teachers": [world.teacher.pk], "hours_per_week": "1", "kind": Course.Kind.LESSON, "attested": "on"}
    response = client.post(reverse("schedule:course_edit", args=[course.pk]), data)
    assert response.status_code == 422
    message = ru("The subject «%(subject)s» is taught without attestation.") % {"subject": course.subject}
    assert message in response.content.decode()
    empty = client.post(reverse("schedule:course_edit", args=[course.pk]), {})
    assert empty.status_code == 422 and "Обязательное поле." in empty.content.decode()


def test_a_course_with_lessons_is_not_deleted(client, world, load):
    maths, physics = load["maths"], load["physics"]
    lesson_services.lesson_add(actor=None, course=maths, date=D(2026, 11, 21), number=5)
    client.force_login(world.admin)
    response = client.post(reverse("schedule:course_delete", args=[maths.pk]), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("schedule:course_list"))
    assert ru("The course «%(course)s» already has lessons: it cannot be deleted.") % {"course": maths} in (
        response.content.decode()
    )
    assert Course.objects.filter(pk=maths.pk).exists()
    response = client.post(reverse("schedule:course_delete", args=[physics.pk]))
    assert response.status_code == 302
    assert not Course.objects.filter(pk=physics.pk).exists()
    assert client.get(reverse("schedule:course_delete", args=[maths.pk])).status_code == 405


def test_the_class_teacher_sees_own_class_load_only(client, world, load):
    client.force_login(world.class_teacher)
    response = client.get(reverse("schedule:class_load", args=[world.school_class.pk]))
    assert response.status_code == 200
    assert response.context["section"].total == 7
    assert "Математика" in response.content.decode()
    assert client.get(reverse("schedule:class_load", args=[world.other_class.pk])).status_code == 403
    assert client.get(reverse("schedule:course_list")).status_code == 403


def test_a_teacher_sees_own_load_but_not_a_colleagues(client, world, load):
    client.force_login(world.teacher)
    response = client.get(reverse("schedule:my_load"))
    assert response.status_code == 302
    assert response["Location"] == reverse("schedule:teacher_load", args=[world.teacher.pk])
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert [c.audience for c in response.context["section"].courses] == ["5А", "5Б"]
    assert response.context["section"].total == 6
    assert client.get(reverse("schedule:teacher_load", args=[world.other_teacher.pk])).status_code == 403
    client.force_login(world.pupil)
    assert client.get(reverse("schedule:my_load")).status_code == 403


def test_the_load_by_teacher_lists_hours_and_courses(client, world, load, django_assert_max_num_queries):
    client.force_login(world.deputy)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("schedule:teacher_loads"))
    assert response.status_code == 200
    rows = {t: (t.hours, t.course_count) for t in response.context["teachers"]}
    assert rows[world.teacher] == (Decimal(6), 2)
    assert rows[world.other_teacher] == (Decimal(3), 1)
    assert rows[world.class_teacher] == (Decimal("1.5"), 1)
    assert world.admin not in rows
    assert reverse("schedule:teacher_load", args=[world.teacher.pk]) in response.content.decode()


def test_teacher_and_class_load_pages_cost_a_fixed_number_of_queries(
    client, world, load, django_assert_max_num_queries
):
    client.force_login(world.admin)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("schedule:teacher_load", args=[world.teacher.pk])).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(reverse("schedule:class_load", args=[world.school_class.pk])).status_code == 200


def test_a_closed_year_shows_no_add_form(client, world, load):
    year = world.school_class.year
    year.is_archived = True
    year.save(update_fields=["is_archived"])
    client.force_login(world.admin)
    response = client.get(reverse("schedule:course_list"), {"year": year.pk})
    assert response.status_code == 200
    assert response.context["form"] is None and not response.context["can_edit"]
