"""Bytes of an uploaded file → rows of cells, as the spreadsheet shows them (header = its own row number).

CSV in UTF-8 (with or without a BOM), UTF-16 (Excel's «Unicode text») or Windows-1251, separated by «;», «,» or a
tab; XLSX (the first sheet). A title above the header row («Список 5А класса») is skipped.
"""

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .columns import header_score

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
HEADER_SEARCH = 10  # rows to look through for the header
BLANK_RUN_END = 2000


class FileProblem(Exception):
    """The file as a whole cannot be read: nothing in it is looked at further."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    headers: list[str]
    header_row: int
    rows: list[tuple[int, list]] = field(default_factory=list)  # (row number, cells), blank rows left out
    source: str = ""  # how it was read, for the preview: «CSV, Windows-1251, «;»»


def read_table(content: bytes) -> Table:
    if not content:
        raise FileProblem(_("The file is empty."))
    if len(content) > MAX_BYTES:
        raise FileProblem(_("The file is larger than 5 MB. Split it into several files."))
    if content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(
            _("This is an old Excel file (.xls). Save it as «Excel workbook (.xlsx)» or CSV and upload it again.")
        )
    return _read_csv(content)


def _not_a_table() -> str:
    return _("The file is neither a table in CSV (UTF-8 or Windows-1251) nor an Excel workbook (.xlsx).")


def _not_a_workbook() -> str:
    return _("The file could not be read as an Excel workbook (.xlsx). Save it again as .xlsx or CSV.")


def _decode(content: bytes) -> tuple[str, str]:
    if content.startswith(codecs.BOM_UTF8):
        try:
            return content[len(codecs.BOM_UTF8) :].decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            raise FileProblem(_("The file says it is UTF-8 but is not: save it again as CSV (UTF-8).")) from None
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise FileProblem(_("The file could not be read as text.")) from None
    try:
        return content.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1251"), "Windows-1251"
    except UnicodeDecodeError:
        raise FileProblem(_not_a_table()) from None


DELIMITERS = (";", ",", "\t")
DELIMITER_NAMES = {";": "«;»", ",": "«,»", "\t": "tab"}


def _read_csv(content: bytes) -> Table:
    text, encoding = _decode(content)
    if "\x00" in text:
        raise FileProblem(_not_a_table())
    sample = "\n".join(text.splitlines()[: HEADER_SEARCH + 20])
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    # The sniffer guesses from how regular the lines are; a header that names our columns decides for sure
    # (a staff file's «учитель, директор» in every row must not turn «,» into the separator).
    best: tuple[int, str, list[list[str]]] | None = None
    for delimiter in dict.fromkeys((sniffed, *DELIMITERS)):
        if delimiter is None:
            continue
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error:
            continue
        score = max((header_score(r) for r in rows[:HEADER_SEARCH]), default=0)
        if best is None or score > best[0]:
            best = (score, delimiter, rows)
    if best is None:
        raise FileProblem(_("The file could not be read as a CSV table."))
    _score, delimiter, rows = best
    table = _table([(i, r) for i, r in enumerate(rows, start=1)])
    table.source = f"CSV, {encoding}, {DELIMITER_NAMES[delimiter]}"
    return table


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError):
        raise FileProblem(_not_a_workbook()) from None
    except Exception as e:  # openpyxl raises its own kinds for files of other programs (.ods, .docx)
        if type(e).__module__.startswith(("openpyxl", "xml", "zipfile")):
            raise FileProblem(_not_a_workbook()) from None
        raise
    try:
        if not book.worksheets:
            raise FileProblem(_("The workbook has no sheets."))
        sheet = book.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # some programs write wrong dimensions; read what is there
        rows, blank_run = [], 0
        for i, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if _blank(row):
                # Sheets formatted down to row 1 048 576 are common: a long run of empty rows is the end.
                blank_run += 1
                if blank_run > BLANK_RUN_END:
                    break
                continue
            blank_run = 0
            rows.append((i, list(row)))
            if len(rows) > MAX_ROWS + HEADER_SEARCH:
                break
    finally:
        book.close()
    table = _table(rows)
    table.source = "XLSX"
    return table


def _blank(cells) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _table(rows: list[tuple[int, list]]) -> Table:
    rows = [(i, r) for i, r in rows if not _blank(r)]
    if not rows:
        raise FileProblem(_("The file has no rows."))
    head = rows[:HEADER_SEARCH]
    scores = [header_score(r) for _i, r in head]
    at = max(range(len(head)), key=lambda k: (scores[k], -k)) if max(scores) > 0 else 0
    header_row, header_cells = head[at]
    data = rows[at + 1 :]
    if len(data) > MAX_ROWS:
        raise FileProblem(_("The file has more than %(n)s rows. Split it into several files.") % {"n": MAX_ROWS})
    headers = ["" if c is None else " ".join(str(c).split()) for c in header_cells]
    width = len(headers)
    return Table(
        headers=headers,
        header_row=header_row,
        rows=[(i, (list(r) + [None] * width)[: max(width, len(r))]) for i, r in data],
    )
