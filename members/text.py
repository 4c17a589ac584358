"""Folding names for search: "Kırklareli", "KIRKLARELI" and "kirklareli" are one city."""

from unidecode import unidecode


def fold(value: str) -> str:
    """Return ``value`` without diacritics, lower-cased, with single spaces."""
    return " ".join(unidecode(value or "").lower().split())
