"""Work types and their weights (R-E01, R-E02) with their own deadlines (R-D02): the admin's pages."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from audit.models import AuditEntry
from gradebook.models import WorkType
from gradebook.services import GradebookError, work_type_create, work_type_update, work_types_add_usual
from tests.factories import UserFactory


@pytest.fixture
def control(world):
    return work_type_create(
        actor=None, school=world.school, name="Контрольная работа", short_name="К/р", weight=3, is_control=True,
        entry_deadline_days=3,
    )  # fmt: skip


def form(**overrides):
    data = {"name": "Проверочная работа", "short_name": "П/р", "weight": "2", "entry_deadline_days": "",
            "edit_window_days": "", "position": ""}  # fmt: skip
    return data | overrides


def test_admin_adds_the_usual_work_types_in_one_click(client, world):
    """R-D02: control works within 3 days, essays within a week; the names are stored in Russian."""
    client.force_login(world.admin)
    page = client.get(reverse("gradebook:worktype_list")).content.decode()
    assert "Ответ на уроке — вес 1" in page and "Самостоятельная работа — вес 1,5" in page
    response = client.post(reverse("gradebook:worktype_add_usual"), follow=True)
    assert "Добавлено видов работ: 6" in response.content.decode()
    rows = list(
        WorkType.objects.for_school(world.school).values_list(
            "name", "short_name", "weight", "is_control", "entry_deadline_days"
        )
    )
    assert rows == [
        ("Ответ на уроке", "Отв", Decimal("1.00"), False, None),
        ("Самостоятельная работа", "С/р", Decimal("1.50"), False, None),
        ("Проверочная работа", "П/р", Decimal("2.00"), False, None),
        ("Контрольная работа", "К/р", Decimal("3.00"), True, 3),
        ("Сочинение", "Соч", Decimal("3.00"), False, 7),
        ("Домашняя работа", "Д/р", Decimal("1.00"), False, None),
    ]
    assert AuditEntry.objects.filter(action="gradebook.work_type.created").count() == 6
    assert reverse("gradebook:worktype_add_usual") not in response.content.decode()


def test_the_usual_work_types_are_russian_whatever_the_admins_language(world):
    with translation.override("en"):
        work_types_add_usual(actor=world.admin, school=world.school)
    assert WorkType.objects.filter(name="Контрольная работа", school=world.school).exists()


def test_the_usual_work_types_need_a_school_without_any(client, world, control):
    client.force_login(world.admin)
    response = client.post(reverse("gradebook:worktype_add_usual"), follow=True)
    assert "уже есть виды работ" in response.content.decode()
    assert WorkType.objects.count() == 1


def test_admin_adds_a_work_type_with_a_decimal_comma(client, world, control):
    client.force_login(world.admin)
    response = client.post(reverse("gradebook:worktype_add"), form(name="Лабораторная работа", weight="1,5"))
    assert response["Location"] == reverse("gradebook:worktype_list")
    lab = WorkType.objects.get(name="Лабораторная работа")
    assert lab.weight == Decimal("1.5")
    assert lab.position == control.position + 1  # at the end of the list


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"weight": "0"}, "Вес должен быть больше 0 и не больше 10"),
        ({"weight": "10,5"}, "errorlist"),
        ({"weight": "много"}, "errorlist"),
        ({"name": "контрольная  работа"}, "Вид работы «контрольная работа» уже есть"),
        ({"entry_deadline_days": "7", "edit_window_days": "3"}, "Срок исправления не может закончиться раньше"),
        ({"entry_deadline_days": "61"}, "errorlist"),
        ({"name": ""}, "errorlist"),
    ],
)
def test_bad_work_types_are_refused_with_a_message_and_nothing_saved(client, world, control, overrides, message):
    client.force_login(world.admin)
    response = client.post(reverse("gradebook:worktype_add"), form(**overrides))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert WorkType.objects.count() == 1


def test_a_weight_of_ten_is_the_most(world):
    work_type_create(actor=None, school=world.school, name="Экзамен", weight="10")
    with pytest.raises(GradebookError, match="не больше 10"):
        work_type_create(actor=None, school=world.school, name="Экзамен 2", weight=Decimal("10.01"))
    with pytest.raises(GradebookError, match="двух знаков"):
        work_type_create(actor=None, school=world.school, name="Экзамен 3", weight=Decimal("1.255"))


def test_admin_changes_a_weight_and_the_audit_keeps_the_old_one(client, world, control):
    client.force_login(world.admin)
    url = reverse("gradebook:worktype_edit", args=[control.pk])
    page = client.get(url).content.decode()
    assert 'value="Контрольная работа"' in page and 'value="3,00"' in page
    data = form(name="Контрольная работа", short_name="К/р", weight="2,5", entry_deadline_days="3", is_control="on")
    data["position"] = str(control.position)
    assert client.post(url, data).status_code == 302
    control.refresh_from_db()
    assert control.weight == Decimal("2.5") and control.is_control
    assert AuditEntry.objects.get(action="gradebook.work_type.changed").data == {"weight": ["3.00", "2.50"]}


def test_saving_without_changes_writes_no_audit_entry(world, control):
    work_type_update(
        actor=None, work_type=control, name="Контрольная работа", short_name="К/р", weight="3",
        entry_deadline_days=3, edit_window_days=None, is_control=True,
    )  # fmt: skip
    assert not AuditEntry.objects.filter(action="gradebook.work_type.changed").exists()


def test_admin_deletes_a_work_type(client, world, control):
    client.force_login(world.admin)
    assert (
        reverse("gradebook:worktype_delete", args=[control.pk])
        in client.get(reverse("gradebook:worktype_edit", args=[control.pk])).content.decode()
    )
    response = client.post(reverse("gradebook:worktype_delete", args=[control.pk]), follow=True)
    assert "Вид работы «Контрольная работа» удалён" in response.content.decode()
    assert not WorkType.objects.exists()
    assert AuditEntry.objects.get(action="gradebook.work_type.deleted").data == {
        "name": "Контрольная работа",
        "weight": "3.00",
    }


@pytest.mark.parametrize("role", ["director", "deputy"])
def test_director_and_deputy_read_the_work_types_without_edit_buttons(client, world, control, role):
    client.force_login(world.persona(role))
    page = client.get(reverse("gradebook:worktype_list")).content.decode()
    assert "Контрольная работа" in page and "3 дня" in page
    assert reverse("gradebook:worktype_edit", args=[control.pk]) not in page
    assert reverse("gradebook:worktype_add") not in page
    assert client.post(reverse("gradebook:worktype_add"), form()).status_code == 403
    assert client.post(reverse("gradebook:worktype_delete", args=[control.pk])).status_code == 403
    assert WorkType.objects.count() == 1


def test_the_list_names_the_schools_own_rules_where_a_type_has_none(client, world, control):
    client.force_login(world.admin)
    page = client.get(reverse("gradebook:worktype_list")).content.decode()
    assert "отметки в течение 2 дней после урока" in page and "исправления в течение 14 дней" in page


@pytest.mark.parametrize("role", ["teacher", "class_teacher", "pupil", "guardian"])
def test_teachers_and_families_get_403(client, world, control, role):
    client.force_login(world.persona(role))
    assert client.get(reverse("gradebook:worktype_list")).status_code == 403
    assert client.get(reverse("gradebook:worktype_edit", args=[control.pk])).status_code == 403


def test_another_schools_work_type_is_404(client, world, control):
    foreign_admin = UserFactory(school=world.other_school, username="foreign_admin", roles=[Role.ADMIN])
    client.force_login(foreign_admin)
    assert client.get(reverse("gradebook:worktype_edit", args=[control.pk])).status_code == 404
    assert client.post(reverse("gradebook:worktype_delete", args=[control.pk])).status_code == 404
    page = client.get(reverse("gradebook:worktype_list")).content.decode()
    assert "Видов работ пока нет" in page and reverse("gradebook:worktype_edit", args=[control.pk]) not in page
    # The other school starts with none: its admin can add the usual ones although ours has some.
    assert client.post(reverse("gradebook:worktype_add_usual")).status_code == 302
    assert WorkType.objects.for_school(world.other_school).count() == 6


def test_the_list_takes_the_same_queries_however_many(client, world, django_assert_max_num_queries):
    client.force_login(world.admin)
    client.get(reverse("gradebook:worktype_list"))
    work_types_add_usual(actor=None, school=world.school)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("gradebook:worktype_list")).status_code == 200


def test_pages_refuse_a_wrong_method(client, world, control):
    client.force_login(world.admin)
    assert client.post(reverse("gradebook:worktype_list")).status_code == 405
    assert client.get(reverse("gradebook:worktype_add_usual")).status_code == 405
    assert client.get(reverse("gradebook:worktype_delete", args=[control.pk])).status_code == 405
