"""One cell at a time: names, dates, classes, roles, relations, contacts, as secretaries type them.

Each parser returns the value or raises `BadValue` with a message for the person who typed it.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from accounts.models import GuardianLink, Role

from .columns import norm


class BadValue(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# Values that Excel would run as formulas are written with a leading apostrophe (exports.py); it is not data.
_FORMULA_START = ("=", "+", "-", "@")


def text(value) -> str:
    """A cell as trimmed text with single spaces; numbers without «.0»; dates as dd.mm.yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"  # a cell's value, not the interface's word: «нет» refuses a consent
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = " ".join(str(value).split())
    if result[:1] == "'" and result[1:2] in _FORMULA_START:
        result = result[1:]
    return result


# --- Names -------------------------------------------------------------------------------------------------

_NAME = re.compile(r"^[^\W\d_]+(?:(?:[-' ’]|\. ?)[^\W\d_]+)*\.?$")


def name(value, *, max_length: int = 150) -> str:
    """«  петрова - водкина » → «Петрова-Водкина»; «ИВАНОВА» → «Иванова»; ё is kept as typed."""
    s = text(value)
    s = re.sub(r"\s*[-‐‑–—]\s*", "-", s)
    if not s:
        return ""
    if not _NAME.match(s):
        raise BadValue(_("«%(value)s» does not look like a name: only letters, spaces and hyphens.") % {"value": s})
    if len(s) > max_length:
        raise BadValue(_("Too long: at most %(n)s characters.") % {"n": max_length})
    if s.isupper() or s.islower():
        # A list typed in capitals (or without them): the school's register writes «Соколова-Римская».
        s = re.sub(r"[^\W\d_]+", lambda m: m.group(0)[:1].upper() + m.group(0)[1:].lower(), s)
    return s


def name_key(*parts: str) -> str:
    """What makes two spellings of one name the same person: case, ё/е, hyphens and spacing do not count."""
    return "|".join(norm(p) for p in parts)


def split_full_name(value) -> tuple[str, str, str]:
    """«Иванова Мария Петровна» → the three parts; «Мамедов Ильхам Гейдар оглы» keeps «Гейдар оглы»."""
    words = re.sub(r"\s*[-‐‑–—]\s*", "-", text(value)).split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        raise BadValue(_("Write the surname and the first name (and the middle name, if any)."))
    return words[0], words[1], " ".join(words[2:])


# --- Dates -------------------------------------------------------------------------------------------------

EXCEL_EPOCH = datetime.date(1899, 12, 30)
_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?:\s*г\.?)?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_SERIAL = re.compile(r"^\d{5}(?:[.,]\d+)?$")


def _serial(number: float) -> datetime.date:
    """Excel's day number: 45170 is 01.09.2023. Below 10000 (1927) it is more likely a year or a typo."""
    if not 10000 <= number < 73416:
        raise ValueError(number)
    return EXCEL_EPOCH + datetime.timedelta(days=int(number))


def date(value, *, today: datetime.date) -> datetime.date | None:
    """dd.mm.yyyy, d.m.yy, yyyy-mm-dd, an Excel date cell or an Excel day number (also in a CSV file)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise BadValue(_("Not a date."))
    try:
        if isinstance(value, int | float):
            return _serial(value)
        s = text(value)
        if not s:
            return None
        if m := _DMY.match(s):
            day, month, year = (int(g) for g in m.groups())
            if len(m.group(3)) == 2:
                # «05.03.15» is 2015; «05.03.85» (a parent, a teacher) is 1985.
                year += 2000 if datetime.date(2000 + year, 1, 1) <= today else 1900
            return datetime.date(year, month, day)
        if m := _YMD.match(s):
            return datetime.date(*(int(g) for g in m.groups()))
        if m := _SERIAL.match(s):
            return _serial(float(s.replace(",", ".")))
    except ValueError:
        pass
    raise BadValue(_("«%(value)s» is not a date: write it as DD.MM.YYYY.") % {"value": text(value)})


# --- Classes -----------------------------------------------------------------------------------------------

# Latin letters that look like Cyrillic ones: «5A» typed on an English keyboard is «5А».
LOOKALIKES = str.maketrans("ABCEHKMOPTXY", "АВСЕНКМОРТХУ")
_CLASS = re.compile(r"^(\d{1,2})\s*[-‐‑–—./]?\s*([^\W\d_]{1,8})$")


def school_class(value) -> tuple[int, str] | None:
    """«5А», «5 А», «5-а», «5A», «5 "А" класс» → (5, «А»)."""
    s = text(value).upper()
    if not s:
        return None
    s = re.sub(r"[«»\"'“”„()]", "", s)
    s = re.sub(r"\s*КЛ(?:АСС|\.)?$", "", s).strip()
    m = _CLASS.match(s)
    if not m:
        raise BadValue(_("«%(value)s» is not a class: write it as 5А.") % {"value": text(value)})
    return int(m.group(1)), m.group(2).translate(LOOKALIKES)


# --- Roles and relations -----------------------------------------------------------------------------------

ROLE_WORDS = {
    Role.TEACHER: "учитель",
    Role.ADMIN: "администратор",
    Role.DEPUTY: "заместитель директора",
    Role.DIRECTOR: "директор",
}
_ROLE_EXACT = {
    "учитель": Role.TEACHER,
    "педагог": Role.TEACHER,
    "преподаватель": Role.TEACHER,
    "классный руководитель": Role.TEACHER,
    "администратор": Role.ADMIN,
    "админ": Role.ADMIN,
    "оператор": Role.ADMIN,
    "школьный оператор": Role.ADMIN,
    "администратор системы": Role.ADMIN,
    "директор": Role.DIRECTOR,
    "директор школы": Role.DIRECTOR,
    "заместитель директора": Role.DEPUTY,
    "зам директора": Role.DEPUTY,
    "замдиректора": Role.DEPUTY,
    "завуч": Role.DEPUTY,
}
# «учитель математики», «педагог-психолог», «заместитель директора по УВР»: the start decides.
_ROLE_STARTS = (
    ("заместитель директора", Role.DEPUTY),
    ("зам директора", Role.DEPUTY),
    ("учитель", Role.TEACHER),
    ("педагог", Role.TEACHER),
    ("преподаватель", Role.TEACHER),
    ("социальный педагог", Role.TEACHER),
    ("психолог", Role.TEACHER),
    ("логопед", Role.TEACHER),
    ("учитель логопед", Role.TEACHER),
    ("дефектолог", Role.TEACHER),
    ("тьютор", Role.TEACHER),
    ("классный руководитель", Role.TEACHER),
    ("администратор", Role.ADMIN),
)


def roles(value) -> tuple[str, ...]:
    """«учитель, заместитель директора» → (teacher, deputy); separated by commas, semicolons, slashes, «и»."""
    found: list[str] = []
    unknown: list[str] = []
    for part in re.split(r"[,;/+\n]|\s+и\s+", text(value)):
        n = norm(part)
        if not n:
            continue
        role = _ROLE_EXACT.get(n) or next((r for start, r in _ROLE_STARTS if n.startswith(start)), None)
        if role is None:
            unknown.append(part.strip())
        elif role not in found:
            found.append(role)
    if not found and not unknown and text(value):
        unknown.append(text(value))  # «-», «?», «,»
    if unknown:
        raise BadValue(
            _("Unknown role «%(roles)s»: write учитель, администратор, заместитель директора or директор.")
            % {"roles": ", ".join(unknown)}
        )
    return tuple(found)


RELATION_WORDS = {
    GuardianLink.Relation.MOTHER: "мать",
    GuardianLink.Relation.FATHER: "отец",
    GuardianLink.Relation.OTHER: "законный представитель",
}
_RELATIONS = {"мать": GuardianLink.Relation.MOTHER, "мама": GuardianLink.Relation.MOTHER,
              "отец": GuardianLink.Relation.FATHER, "папа": GuardianLink.Relation.FATHER}  # fmt: skip


def relation(value) -> str:
    """мать/мама, отец/папа; anyone else (опекун, бабушка, законный представитель) is a legal representative."""
    return _RELATIONS.get(norm(value), GuardianLink.Relation.OTHER)


# --- Contacts ----------------------------------------------------------------------------------------------


def email(value) -> str:
    s = text(value)
    if not s:
        return ""
    if len(s) > 254:
        raise BadValue(_("Too long: at most %(n)s characters.") % {"n": 254})
    try:
        validate_email(s)
    except ValidationError:
        raise BadValue(_("«%(value)s» is not an email address.") % {"value": s}) from None
    return s


def phone(value) -> str:
    s = text(value)
    if len(s) > 32:
        raise BadValue(_("Too long for a phone number: at most 32 characters."))
    if s and not any(ch.isdigit() for ch in s):
        raise BadValue(_("«%(value)s» is not a phone number.") % {"value": s})
    return s


def phone_key(value: str) -> str:
    """+7 (912) 345-67-89, 8 912 345 67 89 and 9123456789 are one number."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    return digits


# --- Consents (R-B09) --------------------------------------------------------------------------------------

_REFUSALS = {"нет", "не", "не дано", "не получено", "не подписано", "отказ", "отсутствует", "нет согласия", "0",
             "false", "no"}  # fmt: skip


def consent_document(value, *, max_length: int = 300) -> str:
    """The consent's paper as the school names it. «нет», «отказ», «-» mean there is none."""
    s = text(value)
    if not s or norm(s) in _REFUSALS or not norm(s):
        return ""
    if len(s) > max_length:
        raise BadValue(_("Too long: at most %(n)s characters.") % {"n": max_length})
    return s
