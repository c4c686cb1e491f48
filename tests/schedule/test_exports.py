"""Export of staff and of pupils with parents in the import's format (R-B08): files that round-trip, and every
download of personal data in the audit log."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts import services as accounts_services
from accounts.models import GuardianLink, Role
from accounts.services import ConsentData, NewPerson
from audit.models import AuditEntry
from schedule import exports, imports
from schedule.imports.reading import read_table
from tests.factories import CONSENT

from .import_files import PUPILS, STAFF, as_csv, many_pupils

DAY = datetime.date(2026, 11, 17)


def add_father(world):
    consent = ConsentData("Кротов И. Л.", datetime.date(2026, 9, 2), "С-7")
    father = NewPerson(last_name="Кротов", first_name="Игорь", middle_name="Львович", phone="+7 913 000-00-02",
                       roles=(Role.GUARDIAN,), consent=consent)  # fmt: skip
    return accounts_services.guardian_admit(
        actor=world.admin, school=world.school, pupil=world.pupil, person=father, relation=GuardianLink.Relation.FATHER
    ).guardian


def download(client, name, **kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200, response.status_code
    return response


def test_staff_export_lists_roles_and_consents_in_the_import_format(world):
    columns, rows = exports.staff_table(school=world.school)
    assert columns == STAFF
    assert len(rows) == 6  # admin, director, deputy, class teacher and two teachers
    deputy = next(r for r in rows if r[0] == world.deputy.last_name and r[1] == world.deputy.first_name)
    assert deputy[4] == "заместитель директора"
    assert deputy[7:] == [CONSENT.document, CONSENT.signed_on]
    accounts_services.role_grant(actor=None, school=world.school, user=world.teacher, role=Role.ADMIN)
    _columns, rows = exports.staff_table(school=world.school)
    assert "администратор, учитель" in [r[4] for r in rows]


def test_a_class_is_exported_with_its_pupils_parents_mother_first(world):
    father = add_father(world)
    columns, rows = exports.pupil_table(school=world.school, day=DAY, school_class=world.school_class)
    assert columns == PUPILS
    assert len(rows) == 1
    row = dict(zip(columns, rows[0], strict=True))
    p, g = world.pupil, world.guardian
    assert (row["Фамилия"], row["Имя"], row["Класс"]) == (p.last_name, p.first_name, "5А")
    assert (row["Согласие на обработку ПД (документ)"], row["Кем подписано согласие"]) == ("Согласие № 1", "сам(а)")
    assert (row["Родитель 1: Фамилия"], row["Родитель 1: Кем приходится"]) == (g.last_name, "мать")
    assert (row["Родитель 2: Фамилия"], row["Родитель 2: Кем приходится"]) == (father.last_name, "отец")
    assert (row["Родитель 2: Согласие"], row["Родитель 2: Дата согласия"]) == ("С-7", datetime.date(2026, 9, 2))


def test_a_pupil_with_three_parents_widens_the_file_and_a_pupil_in_no_class_comes_last(world):
    add_father(world)
    grandma = NewPerson(last_name="Кротова", first_name="Нина", roles=(Role.GUARDIAN,), consent=CONSENT)
    accounts_services.guardian_admit(
        actor=None, school=world.school, pupil=world.pupil, person=grandma, relation=GuardianLink.Relation.OTHER
    )
    lone = accounts_services.person_create(
        actor=None,
        school=world.school,
        person=NewPerson(last_name="Яковлева", first_name="Ася", roles=(Role.PUPIL,), consent=CONSENT),
    )
    columns, rows = exports.pupil_table(school=world.school, day=DAY)
    assert columns == imports.headers("pupils", parents=3)
    assert [r[0] for r in rows][-1] == lone.last_name
    assert rows[-1][4] == ""
    mine = next(r for r in rows if r[0] == world.pupil.last_name and r[1] == world.pupil.first_name)
    assert mine[columns.index("Родитель 3: Кем приходится")] == "законный представитель"


def test_the_csv_is_utf8_with_a_bom_semicolons_and_russian_dates(client, world):
    client.force_login(world.admin)
    response = download(client, "schedule:export_class_pupils", class_id=world.school_class.pk, fmt="csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert "5%D0%90" in response["Content-Disposition"]  # «5А» in the file's name
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Фамилия;Имя;Отчество;Дата рождения;Класс;")
    assert ";25.08.2026;" in text


def test_the_workbook_has_date_cells_and_a_bold_header(client, world):
    client.force_login(world.admin)
    response = download(client, "schedule:export_staff", fmt="xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == STAFF
    assert sheet["A1"].font.bold
    assert sheet.cell(row=2, column=9).value == datetime.datetime(2026, 8, 25)  # noqa: DTZ001 - a cell's date
    assert sheet.cell(row=2, column=9).number_format == "DD.MM.YYYY"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("what", ["staff", "pupils", "class"])
def test_an_export_imported_again_finds_everyone_already_there(client, world, fmt, what):
    """R-B08: export → import round-trips with «already there» and writes nothing."""
    add_father(world)
    client.force_login(world.admin)
    if what == "staff":
        content = download(client, "schedule:export_staff", fmt=fmt).content
    elif what == "pupils":
        content = download(client, "schedule:export_pupils", fmt=fmt).content
    else:
        content = download(client, "schedule:export_class_pupils", class_id=world.school_class.pk, fmt=fmt).content
    kind = "staff" if what == "staff" else "pupils"
    report = imports.check(school=world.school, kind=kind, content=content)
    assert report.errors == []
    assert report.rows
    assert {r.status for r in report.rows} == {"same"}
    assert not report.changes


def test_an_imported_school_round_trips(world):
    content = as_csv(PUPILS, many_pupils(40))
    job, _r = imports.import_upload(
        actor=world.admin, school=world.school, kind="pupils", filename="a", content=content
    )
    assert imports.import_apply(actor=world.admin, school=world.school, job=job).errors == []
    columns, rows = exports.pupil_table(school=world.school, day=DAY)
    for fmt in exports.FORMATS:
        again = exports.as_file(fmt, columns, rows, title="Обучающиеся")
        report = imports.check(school=world.school, kind="pupils", content=again)
        assert report.errors == []
        assert len(report.rows) == 42
        assert not report.changes


def test_every_download_is_in_the_audit_log(client, world):
    client.force_login(world.admin)
    download(client, "schedule:export_staff", fmt="csv")
    download(client, "schedule:export_class_pupils", class_id=world.school_class.pk, fmt="xlsx")
    entries = AuditEntry.objects.filter(action="accounts.export.downloaded").order_by("pk")
    assert [(e.actor_id, e.data["what"], e.data["format"], e.data["rows"]) for e in entries] == [
        (world.admin.pk, "staff", "csv", 6),
        (world.admin.pk, "pupils", "xlsx", 1),
    ]
    assert entries[1].data["class"] == "5А"
    assert entries[1].object_repr == "5А"


def test_templates_are_not_personal_data_and_leave_no_audit_entry(client, world):
    client.force_login(world.admin)
    download(client, "schedule:import_template", kind="pupils", fmt="xlsx")
    assert not AuditEntry.objects.filter(action="accounts.export.downloaded").exists()


def test_a_value_that_looks_like_a_formula_stays_text_and_comes_back_as_it_was(world):
    accounts_services.consent_record(
        actor=None,
        school=world.school,
        person=world.teacher,
        consent=ConsentData("=HYPERLINK(1)", datetime.date(2026, 9, 3), "=1+1"),
    )
    columns, rows = exports.staff_table(school=world.school)
    csv_bytes = exports.as_csv(columns, rows)
    assert b";'=1+1;" in csv_bytes
    book = load_workbook(io.BytesIO(exports.as_xlsx(columns, rows, title="Сотрудники")))
    cells = [c for row in book.active.iter_rows() for c in row if c.value == "=1+1"]
    assert cells and cells[0].data_type == "s"
    for content in (csv_bytes, exports.as_xlsx(columns, rows, title="Сотрудники")):
        table = read_table(content)
        assert "=1+1" in [imports.values.text(c) for _n, r in table.rows for c in r]


def test_the_export_of_a_big_school_takes_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    job, _r = imports.import_upload(
        actor=world.admin, school=world.school, kind="pupils", filename="a", content=as_csv(PUPILS, many_pupils(200))
    )
    imports.import_apply(actor=world.admin, school=world.school, job=job)
    client.force_login(world.admin)
    with django_assert_max_num_queries(15):
        response = download(client, "schedule:export_pupils", fmt="csv")
    assert response.content.decode("utf-8-sig").count("\r\n") == 1 + 202
    with django_assert_max_num_queries(12):
        download(client, "schedule:export_index")


def test_the_export_page_lists_the_classes_with_their_pupils(client, world):
    client.force_login(world.admin)
    page = download(client, "schedule:export_index").content.decode()
    assert reverse("schedule:export_class_pupils", args=[world.school_class.pk, "xlsx"]) in page
    assert "Класс 5А" in page


@pytest.mark.parametrize("role", ["director", "deputy", "class_teacher", "teacher", "guardian"])
def test_exports_are_the_admins(client, world, role):
    client.force_login(world.persona(role))
    assert client.get(reverse("schedule:export_index")).status_code == 403
    assert client.get(reverse("schedule:export_pupils", args=["csv"])).status_code == 403
    url = reverse("schedule:export_class_pupils", args=[world.school_class.pk, "csv"])
    assert client.get(url).status_code == 403
    assert not AuditEntry.objects.filter(action="accounts.export.downloaded").exists()


def test_a_class_of_another_school_is_not_found(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("schedule:export_class_pupils", args=[world.foreign_class.pk, "csv"])).status_code == 404
    assert client.get(reverse("schedule:export_staff", args=["pdf"])).status_code == 404
