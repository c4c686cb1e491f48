"""Logins made from names: «Соколова-Римская Алёна Петровна» → sokolovarimskaia.ap (ICAO transliteration, as in
Russian passports), made unique with a number: sokolovarimskaia.ap2."""

import re
from collections.abc import Iterable

ICAO = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
}  # fmt: skip

MAX_BASE = 30


def transliterate(text: str) -> str:
    """Lower-case Latin letters and digits only."""
    out = "".join(ICAO.get(ch, ch) for ch in text.lower())
    return re.sub(r"[^a-z0-9]", "", out)


def login_base(last_name: str, first_name: str, middle_name: str = "") -> str:
    surname = transliterate(last_name)[:MAX_BASE] or "user"
    initials = "".join(transliterate(n)[:1] for n in (first_name, middle_name) if n)
    return f"{surname}.{initials}" if initials else surname


def unique_login(base: str, taken: Iterable[str]) -> str:
    """The base, or the base with the smallest number from 2 that is free (case-insensitive)."""
    taken_lower = {t.lower() for t in taken}
    if base not in taken_lower:
        return base
    n = 2
    while f"{base}{n}" in taken_lower:
        n += 1
    return f"{base}{n}"


def generate_logins(names: list[tuple[str, str, str]], taken: Iterable[str]) -> list[str]:
    """Logins for many people at once, unique among themselves and against `taken`."""
    used = {t.lower() for t in taken}
    result = []
    for last, first, middle in names:
        login = unique_login(login_base(last, first, middle), used)
        used.add(login)
        result.append(login)
    return result


def taken_like(bases: Iterable[str]) -> set[str]:
    """Existing logins that could collide with these bases (one query)."""
    from django.db.models import Q

    from .models import User

    query = Q()
    for base in set(bases):
        query |= Q(username__istartswith=base)
    if not query:
        return set()
    return {u.lower() for u in User.objects.filter(query).values_list("username", flat=True)}
