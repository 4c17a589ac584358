"""Names sorted as the reader's language sorts them: "Çanakkale" among the Cs, not after Z.

PostgreSQL sorts with its ICU collations (``und-x-icu``, ``bg-x-icu``, ``tr-x-icu``; Debian's
PostgreSQL is built with ICU). SQLite has none, so each connection gets collations of the
same names whose order is computed here in Python (``sort_key``): the queries are the same
on both databases, and a paginated list stays paginated in SQL.

The Python order is a small approximation of ICU's, enough for place and country names:
letters compare without their accents (Unidecode), except where the language has a letter
of its own (Turkish ç, ğ, ı, ö, ş, ü come right after c, g, h, o, s, u); Cyrillic keeps
its own order (Unicode's order of the Bulgarian letters is the alphabet's), after Latin
except in Bulgarian; ties are broken by the accents, then by case (tests/common checks it
against PostgreSQL's ICU). PyICU would be exact, but it has no wheel on PyPI and would need
a compiler and libicu-dev on every machine that runs ``make run``.
"""

from __future__ import annotations

from functools import lru_cache

from django.db.models import Expression, F
from django.db.models.functions import Collate
from django.utils.translation import get_language
from unidecode import unidecode

# The ICU collation each language of the site reads in (PostgreSQL's names).
COLLATIONS = {"en": "und-x-icu", "bg": "bg-x-icu", "tr": "tr-x-icu"}
DEFAULT_COLLATION = "und-x-icu"

# Turkish letters of their own, each right after its Latin neighbour ("~" sorts after "z").
_TURKISH = {"ç": "c~", "ğ": "g~", "ı": "h~", "i": "i", "ö": "o~", "ş": "s~", "ü": "u~"}
_TURKISH_CAPITALS = {"I": "ı", "İ": "i"}  # Turkish case: I/ı and İ/i are pairs


def collation_name(language: str | None = None) -> str:
    """The collation of ``language`` (default: the active one)."""
    code = (language or get_language() or "en").split("-")[0]
    return COLLATIONS.get(code, DEFAULT_COLLATION)


def collated(field: str | Expression, language: str | None = None) -> Collate:
    """``field`` under the reader's collation, for ``order_by`` (ascending)."""
    expression = F(field) if isinstance(field, str) else field
    return Collate(expression, collation_name(language))


@lru_cache(maxsize=4096)
def sort_key(value: str, collation: str = DEFAULT_COLLATION) -> tuple[str, str, str]:
    """A key that orders strings as the ICU ``collation`` does, near enough for names."""
    turkish = collation.startswith("tr")
    bulgarian = collation.startswith("bg")
    letters = []
    for char in value:
        if turkish:
            char = _TURKISH_CAPITALS.get(char, char)
        lower = char.lower()
        if turkish and lower in _TURKISH:
            letters.append(_TURKISH[lower])
        elif bulgarian and "а" <= lower <= "я":
            # Bulgarian puts Cyrillic before Latin: а…я go where "A"…"`" sort, after the
            # digits and before the (lower-case) Latin letters.
            letters.append(chr(ord("A") + ord(lower) - ord("а")))
        elif "\u0400" <= lower <= "\u04ff":
            letters.append(lower)
        else:
            letters.append(unidecode(lower))
    primary = "".join(letters)
    # Secondary: the accents (lower-cased text); tertiary: lower case before upper case.
    return primary, value.lower(), value.swapcase()


def _comparison(collation: str):
    def compare(left: str, right: str) -> int:
        a, b = sort_key(left, collation), sort_key(right, collation)
        return (a > b) - (a < b)

    return compare


def register_sqlite_collations(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: give a SQLite connection the ICU collations' names."""
    if connection.vendor != "sqlite":
        return
    for name in {*COLLATIONS.values(), DEFAULT_COLLATION}:
        connection.connection.create_collation(name, _comparison(name))
