"""Import of staff, pupils and parents from the files schools have (R-B08, R-B09): reading, checking, applying."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from accounts.models import GuardianLink, ImportJob, Membership, PersonalDataConsent, Role, User
from accounts.services import AccountsError
from audit.models import AuditEntry
from schedule import imports
from schedule.imports import values
from schedule.imports.reading import read_table
from schedule.models import Enrollment
from tests.factories import make_class, make_year

from .import_files import PUPILS, STAFF, as_csv, as_xlsx, many_pupils, parent, pupil, staff

MOTHER = parent("Смирнова", "Ольга", "Ивановна", phone="+7 912 000-00-01", email="olga@example.org")
FATHER = parent("Смирнов", "Игорь", "Петрович", relation="отец", phone="8 913 000-00-02")


def db_state():
    """What an import may write: people, roles, consents, enrollments, links."""
    return (
        User.objects.count(),
        Membership.objects.count(),
        PersonalDataConsent.objects.count(),
        Enrollment.objects.count(),
        GuardianLink.objects.count(),
    )


def check(world, content, kind="pupils"):
    return imports.check(school=world.school, kind=kind, content=content)


def problems(report):
    return {(p.row, p.column, p.message) for p in report.errors}


def apply(world, content, kind="pupils"):
    job, report = imports.import_upload(
        actor=world.admin, school=world.school, kind=kind, filename="список.csv", content=content
    )
    return job, imports.import_apply(actor=world.admin, school=world.school, job=job)


# --- Reading files ---------------------------------------------------------------------------------------------


def test_reads_a_windows_1251_file_separated_by_semicolons():
    table = read_table(as_csv(PUPILS, [pupil(parents=[MOTHER])]))
    assert table.source == "CSV, Windows-1251, «;»"
    assert table.headers == PUPILS
    assert table.rows[0][0] == 2
    assert table.rows[0][1][:3] == ["Смирнова", "Алёна", "Игоревна"]


@pytest.mark.parametrize("bom", [True, False])
def test_reads_utf8_with_or_without_a_bom_separated_by_commas(bom):
    table = read_table(as_csv(PUPILS, [pupil(last="Соколова-Римская")], encoding="utf-8", delimiter=",", bom=bom))
    assert table.source == "CSV, UTF-8, «,»"
    assert table.headers[0] == "Фамилия"
    assert table.rows[0][1][0] == "Соколова-Римская"


def test_reads_excels_unicode_text_tab_separated():
    table = read_table(as_csv(PUPILS, [pupil()], encoding="utf-16", delimiter="\t"))
    assert table.source.startswith("CSV, UTF-16")
    assert table.rows[0][1][1] == "Алёна"


def test_commas_inside_a_staff_files_roles_do_not_make_the_comma_the_separator():
    people = [staff(roles="учитель, заместитель директора"), staff("Орлова", roles="учитель, директор")]
    table = read_table(as_csv(STAFF, people))
    assert table.source == "CSV, Windows-1251, «;»"
    assert table.rows[0][1][4] == "учитель, заместитель директора"


def test_reads_the_first_sheet_of_a_workbook_with_date_cells_and_day_numbers():
    book = Workbook()
    sheet = book.active
    sheet.append(PUPILS)
    excel_date = datetime.datetime(2015, 3, 8)  # noqa: DTZ001 - Excel's dates have no time zone
    sheet.append(["Смирнова", "Алёна", "", excel_date, "5А", "", 79120000001, "С-1", 46266])
    book.create_sheet("Другое").append(["не читается"])
    out = io.BytesIO()
    book.save(out)
    table = read_table(out.getvalue())
    assert table.source == "XLSX"
    cells = table.rows[0][1]
    assert values.date(cells[3], today=datetime.date(2026, 11, 17)) == datetime.date(2015, 3, 8)
    assert values.date(cells[8], today=datetime.date(2026, 11, 17)) == datetime.date(2026, 9, 1)
    assert values.text(cells[6]) == "79120000001"


def test_a_title_above_the_header_is_skipped_and_rows_keep_the_spreadsheets_numbers():
    table = read_table(as_csv(PUPILS, [pupil(), pupil("Орлова")], title="Список 5А класса на 2026/2027 год"))
    assert table.header_row == 3
    assert [n for n, _cells in table.rows] == [4, 5]
    table = read_table(as_xlsx(PUPILS, [pupil()], title="Список"))
    assert (table.header_row, table.rows[0][0]) == (2, 3)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Файл пустой."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "старого формата Excel (.xls)"),
        (b"PK\x03\x04" + b"\x00" * 100, "не удалось прочитать как книгу Excel"),
        (bytes(range(256)) * 4, "не похож ни на таблицу CSV"),
        (b"x" * (5 * 1024 * 1024 + 1), "Файл больше 5 МБ"),
        (b"\r\n;;\r\n", "В файле нет ни одной строки."),
    ],
    ids=["empty", "xls", "broken-zip", "binary", "too-big", "blank"],
)
def test_a_file_that_cannot_be_read_is_one_clear_problem(world, content, message):
    report = check(world, content)
    assert [message in p.message for p in report.problems] == [True]
    assert report.rows == []


# --- Cells ---------------------------------------------------------------------------------------------------

TODAY = datetime.date(2026, 11, 17)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("08.03.2015", datetime.date(2015, 3, 8)),
        ("8.3.15", datetime.date(2015, 3, 8)),
        ("8.3.85", datetime.date(1985, 3, 8)),
        ("08/03/2015", datetime.date(2015, 3, 8)),
        ("2015-03-08", datetime.date(2015, 3, 8)),
        ("2015-03-08 00:00:00", datetime.date(2015, 3, 8)),
        ("08.03.2015 г.", datetime.date(2015, 3, 8)),
        (" 08.03.2015 ", datetime.date(2015, 3, 8)),
        ("42071", datetime.date(2015, 3, 8)),
        ("42071,0", datetime.date(2015, 3, 8)),
        (42071, datetime.date(2015, 3, 8)),
        (42071.5, datetime.date(2015, 3, 8)),
        (datetime.datetime(2015, 3, 8, 0, 0), datetime.date(2015, 3, 8)),  # noqa: DTZ001 - as openpyxl gives it
        ("", None),
        (None, None),
    ],
)
def test_dates_as_schools_write_them(cell, expected):
    assert values.date(cell, today=TODAY) == expected


@pytest.mark.parametrize("cell", ["32.13.2015", "31.02.2015", "весной", "2015", "08.03", "15.2015"])
def test_a_bad_date_is_named(cell):
    with pytest.raises(values.BadValue):
        values.date(cell, today=TODAY)


@pytest.mark.parametrize("cell", ["5А", "5 А", "5-а", "5a", "5A", " 5 «А» ", "5А класс", "5 а кл."])
def test_class_names_are_read_tolerantly(cell):
    assert values.school_class(cell) == (5, "А")


def test_a_class_with_a_long_letter_and_a_two_digit_grade():
    assert values.school_class("10 Инж") == (10, "ИНЖ")
    with pytest.raises(values.BadValue):
        values.school_class("пятый")


def test_names_keep_yo_and_double_surnames_and_lose_stray_spaces_and_capitals():
    assert values.name("  Петрова - Водкина ") == "Петрова-Водкина"
    assert values.name("СОКОЛОВА-РИМСКАЯ") == "Соколова-Римская"
    assert values.name("алёна") == "Алёна"
    assert values.name("Гейдар оглы") == "Гейдар оглы"
    assert values.name_key("Алёна", "Петрова-Водкина") == values.name_key("АЛЕНА", "петрова - водкина")
    with pytest.raises(values.BadValue):
        values.name("Иванова2")


def test_roles_are_read_with_their_usual_spellings():
    assert values.roles("Учитель, заместитель директора по УВР") == (Role.TEACHER, Role.DEPUTY)
    assert values.roles("директор; администратор") == (Role.DIRECTOR, Role.ADMIN)
    assert values.roles("педагог-психолог") == (Role.TEACHER,)
    with pytest.raises(values.BadValue, match="повар"):
        values.roles("учитель, повар")
    with pytest.raises(values.BadValue):
        values.roles("-")


def test_relations_and_phones():
    assert values.relation("Мама") == GuardianLink.Relation.MOTHER
    assert values.relation("отец") == GuardianLink.Relation.FATHER
    assert values.relation("опекун") == GuardianLink.Relation.OTHER
    assert values.phone_key("+7 (912) 345-67-89") == values.phone_key("89123456789") == "9123456789"


def test_a_consent_written_as_no_is_no_consent():
    """R-B09: «нет», «отказ», «-» in the consent column mean there is no consent."""
    for cell in ("нет", "Отказ", "-", "не дано"):
        assert values.consent_document(cell) == ""
    assert values.consent_document("Согласие № 5 от 01.09.2026") == "Согласие № 5 от 01.09.2026"


# --- Headers -------------------------------------------------------------------------------------------------


def test_headers_are_matched_whatever_their_case_spacing_and_yo(world):
    columns = ["ФАМИЛИЯ", "имя", "Отчество ", "Дата рожд.", "класс", "E-mail", "Тел.", "Согласие на обработку ПД",
               "Дата  согласия", "Кем подписано", "Родитель1 фамилия", "Родитель 1: Имя", "Отчество родителя 1",
               "Родитель 1 - степень родства", "Родитель 1: e-mail", "Родитель 1: Согласие",
               "Родитель 1: Дата согласия", "Примечание"]  # fmt: skip
    row = ["Смирнова", "Алёна", "", "08.03.2015", "5а", "", "", "С-1", "01.09.2026", "", "Смирнова", "Ольга", "",
           "мать", "", "С-2", "01.09.2026", "любит рисовать"]  # fmt: skip
    content = as_csv(columns, [dict(zip(columns, row, strict=True))])
    report = check(world, content)
    assert report.errors == []
    assert report.ignored == ["Примечание"]
    assert report.counts()["new_guardians"] == 1
    assert report.links[0][2] == GuardianLink.Relation.MOTHER


def test_missing_required_columns_are_named(world):
    columns = ["Фамилия", "Имя", "Класс"]
    report = check(world, as_csv(columns, [{"Фамилия": "Смирнова", "Имя": "Алёна", "Класс": "5А"}]))
    assert len(report.problems) == 1
    message = report.problems[0].message
    for name in ("«Дата рождения»", "«Согласие на обработку ПД (документ)»", "«Дата согласия»"):
        assert name in message
    assert report.rows == []


def test_one_column_with_the_full_name_will_do(world):
    columns = ["№", "ФИО", "Дата рождения", "Класс", "Согласие", "Дата согласия", "Кем подписано согласие"]
    person = {"№": "1", "ФИО": "Смирнова Алёна Игоревна", "Дата рождения": "08.03.2015", "Класс": "5А",
              "Согласие": "С-1", "Дата согласия": "01.09.2026", "Кем подписано согласие": "Смирнова О. И."}  # fmt: skip
    report = check(world, as_csv(columns, [person]))
    assert report.errors == []
    assert (report.people[0].last_name, report.people[0].first_name, report.people[0].middle_name) == (
        "Смирнова",
        "Алёна",
        "Игоревна",
    )


# --- Checking rows -------------------------------------------------------------------------------------------


def test_every_error_is_named_by_row_and_column(world):
    people = [
        pupil(parents=[MOTHER]),  # row 2: fine
        pupil("Орлова", consent="", parents=[MOTHER]),  # 3: no consent (R-B09)
        pupil("Лебедева", cls="5Г"),  # 4: unknown class
        pupil(),  # 5: the same pupil as row 2
        pupil("Котова", birth="31.02.2015"),  # 6: bad date
        pupil("Котова", first="Ирина", birth="01.01.2027"),  # 7: future date
        pupil("Зуева", parents=[parent("Зуева", "", consent="", phone="+7 900 1")]),  # 8: half-filled parent
        pupil("Белова", email="belova@", day="01.01.2027"),  # 9: bad email, consent in the future
        pupil("Рыбкина", parents=[MOTHER, MOTHER]),  # 10: the same parent twice
        pupil("Нет", consent="нет", signed_by="Нет О. И."),  # 11: consent refused
    ]
    report = check(world, as_csv(PUPILS, people))
    found = {(p.row, p.column) for p in report.errors}
    assert found == {
        (3, "Согласие на обработку ПД (документ)"),
        (4, "Класс"),
        (5, "Фамилия"),
        (6, "Дата рождения"),
        (7, "Дата рождения"),
        (8, "Родитель 1: Имя"),
        (8, "Родитель 1: Согласие"),
        (9, "Email"),
        (9, "Дата согласия"),
        (10, "Родитель 2: Фамилия"),
        (11, "Согласие на обработку ПД (документ)"),
    }
    messages = {(p.row, p.column): p.message for p in report.errors}
    assert "Нет согласия на обработку персональных данных" in messages[(3, "Согласие на обработку ПД (документ)")]
    assert messages[(4, "Класс")] == "Класса 5Г нет в 2026/2027 учебном году."
    assert messages[(5, "Фамилия")] == "Этот же обучающийся уже есть в строке 2."
    assert "«31.02.2015» — не дата" in messages[(6, "Дата рождения")]
    assert messages[(7, "Дата рождения")] == "Дата рождения не может быть в будущем."
    assert "другие столбцы этого родителя заполнены" in messages[(8, "Родитель 1: Имя")]
    assert messages[(9, "Email")] == "«belova@» — не адрес электронной почты."
    assert messages[(9, "Дата согласия")] == "Согласие не может быть подписано в будущем."
    assert messages[(10, "Родитель 2: Фамилия")] == "Родитель 2 — тот же человек, что и родитель 1."
    assert "Согласие не дано" in messages[(11, "Согласие на обработку ПД (документ)")]
    assert [r.status for r in report.rows][:2] == ["new", "error"]


def test_one_person_cannot_be_both_parents_even_without_contacts(world):
    bare = parent("Смирнова", "Ольга", "Ивановна")
    report = check(world, as_csv(PUPILS, [pupil(parents=[bare, bare])]))
    assert [(p.row, p.column) for p in report.errors] == [(2, "Родитель 2: Фамилия")]


def test_a_pupils_consent_is_signed_by_the_first_parent_when_the_file_does_not_say(world):
    report = check(world, as_csv(PUPILS, [pupil(signed_by="", parents=[MOTHER]), pupil("Орлова", signed_by="")]))
    assert report.people[0].consent.signed_by == "Смирнова Ольга Ивановна"
    assert {(p.row, p.column) for p in report.errors} == {(3, "Кем подписано согласие")}


def test_a_class_written_with_a_latin_letter_and_a_hyphen_is_found(world):
    report = check(world, as_csv(PUPILS, [pupil(cls="5-a"), pupil("Орлова", cls="5 б")]))
    assert report.errors == []
    assert [str(c) for _p, c in report.enrollments] == ["5А", "5Б"]


def test_the_class_must_be_of_the_current_year(world):
    """A class of the next year (already created for the next September) is not the current one."""
    next_year = make_year(world.school, start=datetime.date(2027, 9, 1))
    make_class(next_year, 6, "В")
    report = check(world, as_csv(PUPILS, [pupil(cls="6В", signed_by="мать")]))
    assert {(p.row, p.column) for p in report.errors} == {(2, "Класс")}


def test_staff_rows_are_checked_for_roles_consents_and_duplicates(world):
    people = [
        staff(roles="учитель, заместитель директора"),
        staff("Орлова", roles="повар"),
        staff("Лебедева", consent=""),
        staff(),
        staff("Котова", roles=""),
    ]
    report = check(world, as_csv(STAFF, people), kind="staff")
    assert {(p.row, p.column) for p in report.errors} == {
        (3, "Роли"),
        (4, "Согласие"),
        (5, "Фамилия"),
        (6, "Роли"),
    }
    assert report.people[0].roles == (Role.TEACHER, Role.DEPUTY)


def test_a_parent_for_two_children_is_one_person_linked_to_both(world):
    mother = parent("Смирнова", "Ольга", "Ивановна", phone="+7 912 000-00-01")
    same_mother = parent("СМИРНОВА", "Ольга", "Ивановна", phone="89120000001")
    report = check(world, as_csv(PUPILS, [pupil(parents=[mother]), pupil(first="Пётр", parents=[same_mother])]))
    assert report.errors == []
    assert report.counts()["new_guardians"] == 1
    assert report.rows[1].notes[-1] == "Родитель 1: тот же человек, что в строке 2."
    _job, result = apply(world, as_csv(PUPILS, [pupil(parents=[mother]), pupil(first="Пётр", parents=[same_mother])]))
    assert result.errors == []
    olga = User.objects.get(first_name="Ольга", last_name="Смирнова")
    assert set(GuardianLink.objects.filter(guardian=olga).values_list("pupil__first_name", flat=True)) == {
        "Алёна",
        "Пётр",
    }


def test_namesake_parents_without_contacts_are_two_people_and_the_preview_warns(world):
    bare = parent("Смирнова", "Ольга", "Ивановна")
    report = check(world, as_csv(PUPILS, [pupil(parents=[bare]), pupil("Орлова", parents=[bare])]))
    assert report.errors == []
    assert report.counts()["new_guardians"] == 2
    assert "Родитель с такими же ФИО есть в строке 2" in report.rows[1].warnings[0].message


def test_a_parent_already_in_the_school_is_found_by_child_or_by_phone(world):
    """The world's guardian is the mother of the world's pupil: a row for that pupil and that mother writes
    nothing; the same mother named (with her phone) for a new child is linked, not created again."""
    world.guardian.phone = "+7 900 111-22-33"
    world.guardian.save(update_fields=["phone"])
    g, p = world.guardian, world.pupil
    known_mother = parent(g.last_name, g.first_name, g.middle_name)
    with_phone = parent(g.last_name, g.first_name, g.middle_name, phone="8 900 111 22 33")
    rows = [
        pupil(p.last_name, p.first_name, p.middle_name, birth="", parents=[known_mother]),
        pupil(parents=[with_phone]),
    ]
    report = check(world, as_csv(PUPILS, rows))
    assert report.errors == []
    assert report.rows[0].status == "same"
    assert report.counts()["new_guardians"] == 0
    assert [(gd.user.pk, pp.is_new) for gd, pp, _r in report.links] == [(g.pk, True)]


def test_a_pupil_of_the_school_in_another_class_is_not_moved_by_an_import(world):
    p = world.pupil
    report = check(world, as_csv(PUPILS, [pupil(p.last_name, p.first_name, p.middle_name, birth="", cls="5Б")]))
    assert [(e.row, e.column) for e in report.errors] == [(2, "Класс")]
    assert "уже учится в 5А: переведите" in report.errors[0].message


def test_a_pupil_of_the_school_in_no_class_is_enrolled(world):
    lone = User.objects.get(pk=world.pupil.pk)
    Enrollment.objects.filter(pupil=lone).delete()
    report = check(world, as_csv(PUPILS, [pupil(lone.last_name, lone.first_name, lone.middle_name, birth="")]))
    assert report.errors == []
    assert [(pp.user.pk, str(c)) for pp, c in report.enrollments] == [(lone.pk, "5А")]
    assert report.counts()["new_pupils"] == 0


def test_a_known_staff_member_gets_only_the_missing_roles(world):
    t = world.teacher
    rows = [staff(t.last_name, t.first_name, t.middle_name, birth="", roles="учитель, заместитель директора")]
    _job, report = apply(world, as_csv(STAFF, rows), kind="staff")
    assert report.errors == []
    assert report.counts()["new_staff"] == 0
    assert set(Membership.objects.filter(user=t, school=world.school).values_list("role", flat=True)) == {
        Role.TEACHER,
        Role.DEPUTY,
    }


def test_a_namesake_with_another_date_of_birth_is_a_new_person_with_a_warning(world):
    first = as_csv(STAFF, [staff()])
    apply(world, first, kind="staff")
    report = check(world, as_csv(STAFF, [staff(birth="13.04.1980")]), kind="staff")
    assert report.errors == []
    assert report.counts()["new_staff"] == 1
    assert "12.04.1980" in report.rows[0].warnings[0].message


def test_no_open_year_is_one_problem_for_the_whole_file(world):
    from schedule.models import AcademicYear

    AcademicYear.objects.filter(school=world.school).update(is_archived=True)
    report = check(world, as_csv(PUPILS, [pupil()]))
    assert [p.message for p in report.problems] == [
        "В школе нет открытого учебного года: сначала создайте год и его классы."
    ]


# --- Applying -----------------------------------------------------------------------------------------------


def test_apply_writes_people_with_consents_classes_links_and_an_audit_entry(world):
    """R-B09: every person written has their consent; R-B07: pupils enrolled from today."""
    content = as_csv(PUPILS, [pupil(parents=[MOTHER, FATHER], email="alena@example.org", signed_by="")])
    job, report = apply(world, content)
    assert report.errors == []
    alena = User.objects.get(last_name="Смирнова", first_name="Алёна")
    assert (alena.middle_name, alena.birth_date, alena.email) == (
        "Игоревна",
        datetime.date(2015, 3, 5),
        "alena@example.org",
    )
    assert alena.username == "smirnova.ai"
    assert not alena.has_usable_password()
    consent = PersonalDataConsent.objects.get(person=alena)
    assert (consent.document, consent.signed_on, consent.signed_by) == (
        "Согласие № 1",
        datetime.date(2026, 9, 1),
        "Смирнова Ольга Ивановна",
    )
    enrollment = Enrollment.objects.get(pupil=alena)
    assert (str(enrollment.school_class), enrollment.since) == ("5А", datetime.date(2026, 11, 17))
    links = GuardianLink.objects.filter(pupil=alena).select_related("guardian")
    assert {(link.guardian.first_name, link.relation) for link in links} == {("Ольга", "mother"), ("Игорь", "father")}
    for link in links:
        assert Membership.objects.filter(user=link.guardian, role=Role.GUARDIAN, school=world.school).exists()
        assert PersonalDataConsent.objects.get(person=link.guardian).signed_by == link.guardian.get_full_name()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.APPLIED
    assert job.result["new_pupils"] == 1 and job.result["new_guardians"] == 2
    entry = AuditEntry.objects.get(action="accounts.import.applied")
    assert (entry.actor_id, entry.school_id, entry.data["links"]) == (world.admin.pk, world.school.pk, 2)


def test_reimporting_the_same_file_changes_nothing(world):
    content = as_csv(PUPILS, many_pupils(30))
    apply(world, content)
    before = db_state()
    report = check(world, content)
    assert report.errors == []
    assert {r.status for r in report.rows} == {"same"}
    assert not report.changes
    _job, again = apply(world, content)
    assert again.counts()["same_rows"] == 30
    assert db_state() == before


def test_a_file_with_errors_is_refused_whole(world):
    before = db_state()
    job, report = apply(world, as_csv(PUPILS, [pupil(parents=[MOTHER]), pupil("Орлова", cls="9Я")]))
    assert len(report.errors) == 1
    assert db_state() == before
    job.refresh_from_db()
    assert job.status == ImportJob.Status.REFUSED


def test_a_failure_half_way_leaves_nothing_written(world, monkeypatch):
    """All or nothing: the links fail after the people and enrollments were written; all of it is rolled back."""
    from accounts import services as accounts_services

    def broken(**kwargs):
        raise AccountsError("сбой")

    monkeypatch.setattr(accounts_services, "guardian_links_bulk_create", broken)
    before = db_state()
    with pytest.raises(AccountsError):
        apply(world, as_csv(PUPILS, [pupil(parents=[MOTHER])]))
    assert db_state() == before


def test_an_applied_import_cannot_be_applied_again(world):
    job, _report = apply(world, as_csv(PUPILS, [pupil(signed_by="мать")]))
    with pytest.raises(AccountsError, match="уже выполнен"):
        imports.import_apply(actor=world.admin, school=world.school, job=job)


def test_applying_500_pupils_with_parents_takes_a_fixed_number_of_queries(world):
    content = as_csv(PUPILS, many_pupils(500))
    job, report = imports.import_upload(
        actor=world.admin, school=world.school, kind="pupils", filename="500.csv", content=content
    )
    assert report.errors == []
    with CaptureQueriesContext(connection) as queries:
        result = imports.import_apply(actor=world.admin, school=world.school, job=job)
    assert result.errors == []
    assert len(queries) <= 60, len(queries)
    assert Enrollment.objects.filter(school_class__in=[world.school_class, world.other_class]).count() == 502


# --- Pages ---------------------------------------------------------------------------------------------------


def upload(client, content, *, kind="pupils", name="список.csv"):
    return client.post(
        reverse("schedule:import_upload"), {"kind": kind, "file": SimpleUploadedFile(name, content)}, follow=True
    )


def test_admin_imports_500_pupils_with_parents_from_a_windows_1251_file_through_the_pages(client, world):
    client.force_login(world.admin)
    content = as_csv(PUPILS, many_pupils(500))
    response = upload(client, content)
    page = response.content.decode()
    job = ImportJob.objects.get()
    assert response.redirect_chain[-1][0] == reverse("schedule:import_preview", args=[job.pk])
    assert "CSV, Windows-1251, «;»" in page
    assert page.count('data-row="') == 500
    assert "Выполнить импорт" in page
    assert User.objects.filter(last_name="Ёжиков").count() == 0  # nothing written before the confirmation

    response = client.post(reverse("schedule:import_apply", args=[job.pk]), follow=True)
    page = response.content.decode()
    assert "Импорт выполнен: новых обучающихся — 500" in page
    assert Enrollment.objects.count() == 3 + 500
    pupils = Membership.objects.filter(school=world.school, role=Role.PUPIL).count()
    assert pupils == 2 + 500
    # A family of a pupil and a younger sibling has one mother, linked to both.
    mother = User.objects.get(email="mother8@example.org")
    assert GuardianLink.objects.filter(guardian=mother).count() == 2
    assert User.objects.filter(last_name="Фёдоров-Римская", first_name="Алёна", middle_name="Петрович").exists()

    response = upload(client, content)
    page = response.content.decode()
    assert "Все из этого файла уже есть в школе: записывать нечего." in page
    assert "Выполнить импорт" not in page


def test_a_file_with_bad_rows_is_refused_with_every_error_named_and_the_database_unchanged(client, world):
    client.force_login(world.admin)
    before = db_state()
    people = [pupil(parents=[MOTHER]), pupil("Орлова", birth="30.02.2015", cls="7Я"), pupil("Котова", consent="")]
    response = upload(client, as_xlsx(PUPILS, people), name="список.xlsx")
    page = response.content.decode()
    assert "3 ошибки: файл не принят" in page
    assert "Строка 3</a>, «Дата рождения»: «30.02.2015» — не дата" in page
    assert "Строка 3</a>, «Класс»: Класса 7Я нет в 2026/2027 учебном году." in page
    assert "Строка 4</a>, «Согласие на обработку ПД (документ)»: Нет согласия" in page
    assert "Выполнить импорт" not in page
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REFUSED

    response = client.post(reverse("schedule:import_apply", args=[job.pk]), follow=True)
    assert "В файле есть ошибки: ничего не записано" in response.content.decode()
    assert db_state() == before

    response = client.get(reverse("schedule:import_preview", args=[job.pk]), {"show": "errors"})
    assert response.content.decode().count('data-row="') == 2


def test_an_oversized_file_gets_a_clear_message_and_nothing_is_kept(client, world, settings):
    client.force_login(world.admin)
    big = as_csv(PUPILS, [pupil()]) + b" " * (5 * 1024 * 1024)
    response = upload(client, big)
    assert response.status_code == 200
    assert "допускается не больше 5 МБ" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.xls", "старого формата Excel (.xls)"),
        (b"PK\x03\x04not a workbook", "book.xlsx", "не удалось прочитать как книгу Excel"),
        (bytes(range(256)) * 8, "photo.jpg", "не похож ни на таблицу CSV"),
    ],
)
def test_an_unreadable_file_gets_a_clear_message_and_nothing_is_kept(client, world, content, name, message):
    client.force_login(world.admin)
    response = upload(client, content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_without_the_required_columns_names_them_on_the_preview(client, world):
    client.force_login(world.admin)
    response = upload(client, as_csv(["Фамилия", "Имя"], [{"Фамилия": "Смирнова", "Имя": "Алёна"}]))
    page = response.content.decode()
    assert "В файле нет обязательных столбцов: «Дата рождения», «Класс»" in page
    assert ImportJob.objects.get().status == ImportJob.Status.REFUSED


def test_staff_import_through_the_pages(client, world):
    client.force_login(world.admin)
    people = [staff(roles="учитель, заместитель директора"), staff("Орлова", "Нина", roles="директор")]
    job_page = upload(client, as_xlsx(STAFF, people), kind="staff", name="сотрудники.xlsx")
    job = ImportJob.objects.get()
    assert "Новый сотрудник." in job_page.content.decode()
    client.post(reverse("schedule:import_apply", args=[job.pk]))
    zaitseva = User.objects.get(last_name="Зайцева")
    assert set(Membership.objects.filter(user=zaitseva).values_list("role", flat=True)) == {Role.TEACHER, Role.DEPUTY}


def test_the_preview_of_500_rows_takes_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.admin)
    job, _report = imports.import_upload(
        actor=world.admin,
        school=world.school,
        kind="pupils",
        filename="500.csv",
        content=as_csv(PUPILS, many_pupils(500)),
    )
    with django_assert_max_num_queries(15):
        response = client.get(reverse("schedule:import_preview", args=[job.pk]))
    assert response.status_code == 200


def test_past_imports_are_listed(client, world):
    client.force_login(world.admin)
    apply(world, as_csv(PUPILS, [pupil(signed_by="мать")]))
    page = client.get(reverse("schedule:import_upload")).content.decode()
    assert "список.csv" in page
    assert 'class="badge im-applied"' in page


@pytest.mark.parametrize("role", ["director", "deputy", "class_teacher", "teacher", "guardian"])
def test_import_pages_are_the_admins(client, world, role):
    client.force_login(world.persona(role))
    job, _r = imports.import_upload(
        actor=world.admin, school=world.school, kind="pupils", filename="a.csv", content=as_csv(PUPILS, [pupil()])
    )
    assert client.get(reverse("schedule:import_upload")).status_code == 403
    assert client.get(reverse("schedule:import_preview", args=[job.pk])).status_code == 403
    assert client.post(reverse("schedule:import_apply", args=[job.pk])).status_code == 403
    assert client.get(reverse("schedule:import_template", args=["pupils", "xlsx"])).status_code == 403


def test_another_schools_import_is_not_found(client, world):
    from tests.factories import UserFactory

    foreign_admin = UserFactory(school=world.other_school, username="foreign_admin", roles=[Role.ADMIN])
    job, _r = imports.import_upload(
        actor=foreign_admin, school=world.other_school, kind="pupils", filename="a.csv", content=b"x;y"
    )
    client.force_login(world.admin)
    assert client.get(reverse("schedule:import_preview", args=[job.pk])).status_code == 404
    assert client.post(reverse("schedule:import_apply", args=[job.pk])).status_code == 404


def test_apply_refuses_get(client, world):
    client.force_login(world.admin)
    job, _r = imports.import_upload(
        actor=world.admin, school=world.school, kind="pupils", filename="a.csv", content=as_csv(PUPILS, [pupil()])
    )
    assert client.get(reverse("schedule:import_apply", args=[job.pk])).status_code == 405


@pytest.mark.parametrize("kind", ["pupils", "staff"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_templates_are_the_export_of_an_empty_list(client, world, kind, fmt):
    client.force_login(world.admin)
    response = client.get(reverse("schedule:import_template", args=[kind, fmt]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    table = read_table(response.content)
    assert table.headers == (PUPILS if kind == "pupils" else STAFF)
    assert table.rows == []
    assert client.get(reverse("schedule:import_template", args=[kind, "pdf"])).status_code == 404
