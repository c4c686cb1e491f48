"""Every export writes a text that a spreadsheet would run as a formula as text (issue 10 item 5): a pupil whose
surname is `=HYPERLINK("http://x","y")` reaches Excel as those characters, in CSV with a leading apostrophe, in XLSX
as a string cell; numbers and dates stay numbers and dates."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from ejournal.spreadsheets import csv_text, xlsx_append
from reports.xlsx import Table, as_xlsx
from schedule import exports

pytestmark = pytest.mark.django_db

SURNAME = '=HYPERLINK("http://x","y")'


@pytest.fixture
def formula_pupil(world):
    world.pupil.last_name = SURNAME
    world.pupil.save(update_fields=["last_name"])
    return world.pupil


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def xlsx_cells(response) -> list:
    book = load_workbook(io.BytesIO(response.content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_text_in_xlsx(response) -> None:
    assert response.status_code == 200
    found = [cell for cell in xlsx_cells(response) if isinstance(cell.value, str) and cell.value.startswith(SURNAME)]
    assert found, "the pupil is not in the file"
    for cell in found:
        assert cell.data_type == "s", (cell.coordinate, cell.data_type)
    formulas = [cell.coordinate for cell in xlsx_cells(response) if cell.data_type == "f"]
    assert not formulas


@pytest.mark.parametrize("by_class", [False, True])
def test_the_people_export_writes_the_surname_as_text_in_csv_and_xlsx(client, world, formula_pupil, by_class):
    client.force_login(world.admin)
    if by_class:
        urls = {
            fmt: reverse("schedule:export_class_pupils", args=[world.school_class.pk, fmt]) for fmt in ("csv", "xlsx")
        }
    else:
        urls = {fmt: reverse("schedule:export_pupils", args=[fmt]) for fmt in ("csv", "xlsx")}

    response = client.get(urls["csv"])
    assert response.status_code == 200
    rows = read_csv(response)
    surnames = [row[0] for row in rows[1:]]
    assert "'" + SURNAME in surnames
    assert SURNAME not in surnames
    # Nothing else in the file starts like a formula either (the guardian's phone «+7…» included).
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]

    assert_text_in_xlsx(client.get(urls["xlsx"]))


def test_the_people_export_reads_back_through_the_import_unchanged(world, formula_pupil):
    """The apostrophe is the spreadsheet's sign, not data: the import drops it again (an export imported again finds
    everyone already there)."""
    from schedule.imports.values import text

    columns, rows = exports.pupil_table(school=world.school, day=datetime.date(2026, 11, 17))
    (row,) = [r for r in rows if r[0] == SURNAME]
    _header, written = csv.reader(io.StringIO(exports.as_csv(columns, [row]).decode("utf-8-sig")), delimiter=";")
    assert written[0] == "'" + SURNAME
    assert text(written[0]) == SURNAME


@pytest.mark.parametrize("report", ["reports:class_performance", "reports:class_attendance"])
def test_a_reports_spreadsheet_writes_the_surname_as_text(client, world, formula_pupil, report):
    client.force_login(world.class_teacher)
    response = client.get(reverse(report, args=[world.school_class.pk]), {"format": "xlsx"})
    assert_text_in_xlsx(response)


def test_every_kind_of_formula_start_is_text_and_numbers_stay_numbers():
    texts = ["=1+1", "+7 912 000-00-00", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1", "\r=1"]
    assert [csv_text(t) for t in texts] == ["'" + t for t in texts]
    assert csv_text("Иванова") == "Иванова"

    content = as_xlsx([Table(title="t", columns=["a", "b", "c"], rows=[[t, -3, 4.5] for t in texts])])
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    body = list(sheet.iter_rows(min_row=2))
    # XML keeps no carriage return: it comes back as a line feed, as text all the same.
    assert [row[0].value for row in body] == [t.replace("\r", "\n") for t in texts]
    assert {row[0].data_type for row in body} == {"s"}
    assert {(row[1].value, row[1].data_type, row[2].value, row[2].data_type) for row in body} == {(-3, "n", 4.5, "n")}

    book = Workbook()
    xlsx_append(book.active, ["=A1", datetime.date(2026, 11, 17), 5])
    out = io.BytesIO()
    book.save(out)
    (row,) = load_workbook(io.BytesIO(out.getvalue())).active.iter_rows()
    assert (row[0].value, row[0].data_type) == ("=A1", "s")
    assert row[1].value.date() == datetime.date(2026, 11, 17) and row[2].value == 5
