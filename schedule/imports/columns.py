"""The columns of the two files (pupils with parents; staff) and the tolerant matching of a file's headers.

The headers are part of the file format that schools exchange, not of the interface: they are written in Russian
whatever the page's language, so that a file exported in one language imports in the other.
"""

import re
from dataclasses import dataclass

from accounts.models import ImportJob


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # what the template and the exports write
    aliases: tuple[str, ...] = ()  # other spellings secretaries use, compared after norm()


def norm(text) -> str:
    """«Дата рожд.» → «дата рожд», «Родитель1: E-mail» → «родитель 1 e mail»: case, ё, punctuation and spacing
    do not matter."""
    t = str(text or "").casefold().replace("ё", "е")
    t = re.sub(r"[\W_]+", " ", t)
    t = re.sub(r"(?<=[^\W\d])(?=\d)|(?<=\d)(?=[^\W\d])", " ", t)
    return " ".join(t.split())


LAST = Column("last_name", "Фамилия")
FIRST = Column("first_name", "Имя")
MIDDLE = Column("middle_name", "Отчество", ("отч", "отчество при наличии"))
FULL = Column("full_name", "ФИО", ("ф и о", "фамилия имя отчество", "фамилия имя отчество при наличии"))
BIRTH = Column("birth_date", "Дата рождения", ("дата рожд", "д р", "др", "день рождения", "дата рожденья"))
CLASS = Column("school_class", "Класс", ("кл", "класс литера", "класс буква", "класс обучения"))
EMAIL = Column(
    "email",
    "Email",
    ("e mail", "электронная почта", "эл почта", "почта", "адрес электронной почты", "адрес эл почты", "емейл"),
)
PHONE = Column(
    "phone",
    "Телефон",
    ("тел", "моб телефон", "мобильный телефон", "сотовый телефон", "номер телефона", "контактный телефон"),
)
CONSENT_ALIASES = (
    "согласие",
    "согласие на обработку пд",
    "согласие на обработку пдн",
    "согласие на обработку пд документ",
    "согласие на обработку персональных данных",
    "согласие на обработку персональных данных документ",
    "согласие документ",
    "согласие пд",
    "документ согласия",
    "номер согласия",
    "согласие номер",
)
CONSENT_DATE = Column(
    "consent_date", "Дата согласия", ("согласие дата", "дата подписания согласия", "дата согласия пд")
)
SIGNED_BY = Column(
    "consent_signed_by",
    "Кем подписано согласие",
    ("кем подписано", "кто подписал согласие", "согласие подписал", "согласие подписано", "подписант"),
)
RELATION = Column(
    "relation", "Кем приходится", ("степень родства", "родство", "кем является", "кем приходится ребенку")
)
ROLES = Column("roles", "Роли", ("роль", "должность", "должности"))

PUPIL_COLUMNS = (
    LAST,
    FIRST,
    MIDDLE,
    BIRTH,
    CLASS,
    EMAIL,
    PHONE,
    Column("consent_document", "Согласие на обработку ПД (документ)", CONSENT_ALIASES),
    CONSENT_DATE,
    SIGNED_BY,
)
PARENT_COLUMNS = (
    LAST,
    FIRST,
    MIDDLE,
    RELATION,
    EMAIL,
    PHONE,
    Column("consent_document", "Согласие", CONSENT_ALIASES),
    CONSENT_DATE,
)
STAFF_COLUMNS = (
    LAST,
    FIRST,
    MIDDLE,
    BIRTH,
    ROLES,
    EMAIL,
    PHONE,
    Column("consent_document", "Согласие", CONSENT_ALIASES),
    CONSENT_DATE,
)

# A pupil's parents or legal representatives: «Родитель 1: Фамилия» … «Родитель 4: Дата согласия».
TEMPLATE_PARENTS = 2
MAX_PARENTS = 4
PARENT_PREFIX = "Родитель {n}: "
_GROUP_BEFORE = re.compile(r"^(?:родитель законный представитель|законный представитель|представитель|родитель) (\d) ?")
_GROUP_AFTER = re.compile(r"^(.+?) (?:родителя|представителя|законного представителя) (\d)$")

# What must be there (either of a pair: the full name in one column, or the names apart).
REQUIRED = {
    ImportJob.Kind.PUPILS: ("birth_date", "school_class", "consent_document", "consent_date"),
    ImportJob.Kind.STAFF: ("roles", "consent_document", "consent_date"),
}
PERSON_COLUMNS = {ImportJob.Kind.PUPILS: PUPIL_COLUMNS, ImportJob.Kind.STAFF: STAFF_COLUMNS}


def parent_key(n: int, key: str) -> str:
    return f"p{n}.{key}"


def _lookup(columns) -> dict[str, str]:
    table = {}
    for column in (*columns, FULL):
        for spelling in (column.header, *column.aliases):
            table[norm(spelling)] = column.key
    return table


_PERSON_LOOKUP = {kind: _lookup(cols) for kind, cols in PERSON_COLUMNS.items()}
_PARENT_LOOKUP = _lookup(PARENT_COLUMNS)
KNOWN = set(_PERSON_LOOKUP[ImportJob.Kind.PUPILS]) | set(_PERSON_LOOKUP[ImportJob.Kind.STAFF]) | set(_PARENT_LOOKUP)


def header_score(cells) -> int:
    """How many cells of a row look like our headers: finds the header row under a title and the delimiter."""
    return sum(1 for c in cells if norm(c) in KNOWN or classify(c, ImportJob.Kind.PUPILS) is not None)


def classify(header, kind: str) -> str | None:
    """The key a header means in a file of this kind («Родитель 2: Тел.» → «p2.phone»), or None."""
    n = norm(header)
    if not n:
        return None
    key = _PERSON_LOOKUP[kind].get(n)
    if key is not None:
        return key
    if kind != ImportJob.Kind.PUPILS:
        return None
    m = _GROUP_BEFORE.match(n)
    rest, number = (n[m.end() :], m.group(1)) if m else (None, None)
    if m is None:
        m = _GROUP_AFTER.match(n)
        if m is None:
            return None
        rest, number = m.group(1), m.group(2)
    if not 1 <= int(number) <= MAX_PARENTS:
        return None
    key = _PARENT_LOOKUP.get(rest)
    return parent_key(int(number), key) if key else None


def headers(kind: str, parents: int = TEMPLATE_PARENTS) -> list[str]:
    """The headers our files carry, in order."""
    result = [c.header for c in PERSON_COLUMNS[kind]]
    if kind == ImportJob.Kind.PUPILS:
        for n in range(1, parents + 1):
            result += [PARENT_PREFIX.format(n=n) + c.header for c in PARENT_COLUMNS]
    return result


def canonical(key: str) -> str:
    """The header we would write for a key: names a column in messages when the file lacks it."""
    if key.startswith("p") and "." in key:
        number, field = key[1:].split(".", 1)
        header = next((c.header for c in (*PARENT_COLUMNS, FULL) if c.key == field), field)
        return PARENT_PREFIX.format(n=number) + header
    return next((c.header for cols in (*PERSON_COLUMNS.values(), (FULL,)) for c in cols if c.key == key), key)
