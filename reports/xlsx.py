"""Spreadsheet exports of the reports: one workbook, a sheet per table, with every text cell that a spreadsheet
would run as a formula written as text (a name or a topic starting with `=`, `+`, `-` or `@`: ejournal.spreadsheets).
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from ejournal.spreadsheets import xlsx_append, xlsx_text

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    title: str  # the sheet's name (31 characters at most are kept)
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    caption: str = ""  # a line above the header: the report's scope (school, dates)


def as_xlsx(tables: list[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.title[:31] or "1")
        if table.caption:
            xlsx_append(sheet, [table.caption])
            sheet.append([])
        xlsx_append(sheet, table.columns)
        header_row = sheet.max_row
        for cell in sheet[header_row]:
            cell.font = Font(bold=True)
        for values in table.rows:
            sheet.append([_value(v) for v in values])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, datetime.date):
                    cell.number_format = "DD.MM.YYYY"
                xlsx_text(cell)  # a name or a topic, never run as a formula
        for c, header in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(c)].width = max(10, min(45, len(str(header)) + 2))
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _value(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (int, float, datetime.date, str)):
        return value
    return str(value)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=f"{filename}.xlsx")
    return response
