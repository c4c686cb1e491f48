"""The reports' shared file formats: spreadsheets never run a formula from the data; PDFs carry the school, the page
numbers and the date of generation, in a font with Cyrillic served from `static/`."""

import datetime
import io
import subprocess

from openpyxl import load_workbook

from reports.pdf import generated_on, render_pdf
from reports.xlsx import Table, as_xlsx


def test_spreadsheet_cells_that_look_like_formulas_stay_text():
    table = Table(
        title="Заполняемость",
        caption="Гимназия № 5, 09.11.2026–17.11.2026",
        columns=["Учитель", "Тема", "Уроков"],
        rows=[
            ['=HYPERLINK("http://evil")', "+7 (900) 000", 12],
            ["@SUM(A1)", "-1+2", datetime.date(2026, 11, 17)],
        ],
    )
    book = load_workbook(io.BytesIO(as_xlsx([table])))
    sheet = book["Заполняемость"]
    assert sheet["A1"].value == "Гимназия № 5, 09.11.2026–17.11.2026"
    assert [c.value for c in sheet[3]] == ["Учитель", "Тема", "Уроков"]
    assert sheet["A4"].value == '=HYPERLINK("http://evil")'
    assert sheet["A4"].data_type == "s"  # text, not a formula
    assert sheet["B5"].data_type == "s"
    assert sheet["C4"].value == 12
    assert sheet["C5"].value.date() == datetime.date(2026, 11, 17)


def _text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_a_pdf_has_the_school_page_numbers_and_the_date(world):
    pdf = render_pdf(
        "reports/pdf/base.html",
        {"school": world.school, "title": "Сводная ведомость", "generated": generated_on(datetime.date(2026, 11, 17))},
    )
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    assert "МБОУ «Гимназия № 5»" in text
    assert "Сводная ведомость" in text
    assert "стр. 1 из 1" in text
    assert "Сформировано 17.11.2026" in text
