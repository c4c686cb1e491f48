"""Text that a spreadsheet would run as a formula, written as text (issue 10 item 5; OWASP's "CSV injection").

A pupil's name, a topic or a comment is typed by people: `=HYPERLINK("http://…","…")` in a surname must reach the
admin's Excel as those characters, not as a link that sends the row elsewhere. Excel and LibreOffice run a cell that
starts with `=`, `+`, `-` or `@` (and skip a leading tab or carriage return first), so every export goes through
here: in CSV such a text gets a leading apostrophe (the spreadsheet's own sign for "this is text"; the people import
drops it again, schedule/imports/values.py); in XLSX it is stored as a string cell, which no spreadsheet evaluates.
Numbers and dates stay what they are: only text is touched.
"""

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def runs_as_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_text(value: str) -> str:
    """A text cell for CSV: with a leading apostrophe when a spreadsheet would run it."""
    return "'" + value if runs_as_formula(value) else value


def xlsx_text(cell) -> None:
    """An openpyxl cell whose value is set: a text that looks like a formula is stored as a string (openpyxl itself
    takes any str starting with "=" for a formula), marked with the quote prefix that Excel keeps when it is edited."""
    if runs_as_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def xlsx_append(sheet, values: list) -> None:
    """sheet.append(values), with every text written as text."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        xlsx_text(cell)
