"""The school's time rules (DESIGN §5): the admin edits them on one page; the director and the deputy read them
(R-D01, R-D03, R-E05, R-E06, R-B06 settings)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.forms_settings import HELP, SECTIONS
from accounts.models import SchoolSettings
from accounts.services import AccountsError
from accounts.settings_services import EDITABLE_FIELDS, school_settings_update
from audit.models import AuditEntry

URL = "accounts:rules"


def posted(**overrides) -> dict:
    """The defaults as the form posts them; a ticked box is "on", an unticked one is absent."""
    data = {
        "mark_entry_days": "2", "edit_window_days": "14", "homework_entry_hours": "4", "period_mark_entry_days": "3",
        "period_mark_edit_days": "14", "lock_journal_after_period_mark": "on", "forbid_two_as_year_mark": "on",
        "forbid_two_as_period_mark": "on",
        "min_marks_one_hour": "3", "min_marks_more_hours": "5", "rounding_threshold": "0,50", "appeal_days": "3",
        "diary_silence_days": "14", "mark_digest_hour": "18", "weekly_sheets_hour": "7",
        "preliminary_report_days": "14", "medal_max_fours": "0",
        "class_teacher_splits_groups": "on", "deputy_splits_groups": "on",
        "deputy_edits_timetable": "on", "class_teacher_edits_timetable": "on",
        "session_idle_minutes": "30", "audit_retention_days": "1095",
    }  # fmt: skip
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_every_rule_is_on_the_page_with_its_explanation():
    listed = [name for _title, names in SECTIONS for name in names]
    assert sorted(listed) == sorted(EDITABLE_FIELDS)
    assert set(HELP) == set(EDITABLE_FIELDS)


def test_admin_sees_every_rule_with_its_help(client, world):
    client.force_login(world.admin)
    page = client.get(reverse(URL)).content.decode()
    for name in EDITABLE_FIELDS:
        assert f'name="{name}"' in page
    assert "Пусто — без ограничения до закрытия учебного года" in page
    assert 'value="0,50"' in page


def test_admin_changes_rules_and_the_audit_lists_what_changed(client, world):
    """R-D03: "never" (empty) = editable until the year ends; R-E05: period marks within N days."""
    client.force_login(world.admin)
    response = client.post(
        reverse(URL), posted(edit_window_days="", period_mark_entry_days="5", deputy_splits_groups=None)
    )
    assert response.status_code == 302 and response["Location"] == reverse(URL)
    s = SchoolSettings.objects.get(school=world.school)
    assert (s.edit_window_days, s.period_mark_entry_days, s.deputy_splits_groups) == (None, 5, False)
    entry = AuditEntry.objects.get(action="accounts.settings.changed", school=world.school)
    assert entry.actor == world.admin
    assert entry.data == {
        "edit_window_days": [14, None],
        "period_mark_entry_days": [3, 5],
        "deputy_splits_groups": [True, False],
    }


def test_saving_the_same_values_writes_no_audit_entry(client, world):
    client.force_login(world.admin)
    assert client.post(reverse(URL), posted()).status_code == 302
    assert not AuditEntry.objects.filter(action="accounts.settings.changed").exists()


def test_a_decimal_comma_is_read(client, world):
    client.force_login(world.admin)
    client.post(reverse(URL), posted(rounding_threshold="0,6"))
    assert SchoolSettings.objects.get(school=world.school).rounding_threshold == Decimal("0.6")
    assert AuditEntry.objects.get(action="accounts.settings.changed").data == {"rounding_threshold": ["0.50", "0.6"]}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"edit_window_days": "1"}, "Срок исправления отметок не может закончиться раньше срока их выставления"),
        ({"period_mark_edit_days": "2"}, "отметок за период не может закончиться раньше"),
        ({"min_marks_more_hours": "2"}, "нельзя требовать меньше отметок"),
        ({"mark_entry_days": "400"}, "errorlist"),
        ({"rounding_threshold": "1,5"}, "errorlist"),
        ({"homework_entry_hours": "четыре"}, "errorlist"),
    ],
)
def test_contradicting_or_impossible_rules_are_refused_and_nothing_changes(client, world, overrides, message):
    client.force_login(world.admin)
    response = client.post(reverse(URL), posted(**overrides))
    assert response.status_code == 422
    assert message in response.content.decode()
    s = SchoolSettings.objects.get(school=world.school)
    assert (s.mark_entry_days, s.edit_window_days, s.period_mark_edit_days, s.min_marks_more_hours) == (2, 14, 14, 5)
    assert not AuditEntry.objects.filter(action="accounts.settings.changed").exists()


def test_the_service_refuses_unknown_fields_and_out_of_range_values(world):
    with pytest.raises(AccountsError, match="Неизвестные настройки: school"):
        school_settings_update(actor=None, school=world.school, values={"school": world.other_school})
    with pytest.raises(AccountsError):
        school_settings_update(actor=None, school=world.school, values={"appeal_days": 1000})
    assert SchoolSettings.objects.get(school=world.school).appeal_days == 3


@pytest.mark.parametrize("role", ["director", "deputy"])
def test_director_and_deputy_read_the_rules_and_cannot_change_them(client, world, role):
    client.force_login(world.persona(role))
    page = client.get(reverse(URL)).content.decode()
    assert "<form" not in page.split('class="content"')[1].split("</main>")[0]
    assert "<dt>Срок исправления отметок и посещаемости (дней после урока)</dt>" in page
    assert "<dd><strong>14</strong>" in page and "<dd><strong>да</strong>" in page
    assert "Эти правила изменяет администратор" in page
    assert client.post(reverse(URL), posted(mark_entry_days="7")).status_code == 403
    assert SchoolSettings.objects.get(school=world.school).mark_entry_days == 2


def test_the_read_only_page_says_no_limit_for_an_empty_window(client, world):
    school_settings_update(actor=None, school=world.school, values={"edit_window_days": None})
    client.force_login(world.director)
    assert "без ограничения" in client.get(reverse(URL)).content.decode()


@pytest.mark.parametrize("role", ["teacher", "class_teacher", "pupil", "guardian", "foreign_teacher"])
def test_teachers_and_families_get_403(client, world, role):
    client.force_login(world.persona(role))
    assert client.get(reverse(URL)).status_code == 403
    assert client.post(reverse(URL), posted()).status_code == 403


def test_anonymous_goes_to_login(client, world):
    response = client.get(reverse(URL))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_each_school_has_its_own_rules(client, world):
    client.force_login(world.admin)
    client.post(reverse(URL), posted(mark_entry_days="1"))
    assert SchoolSettings.objects.get(school=world.other_school).mark_entry_days == 2


def test_the_page_refuses_a_wrong_method(client, world):
    client.force_login(world.admin)
    assert client.delete(reverse(URL)).status_code == 405
