"""Small text helpers every app may use."""

from django.db.models import Model
from django.utils.text import slugify
from unidecode import unidecode


def unique_slug(model: type[Model], name: str, *, max_length: int, fallback: str) -> str:
    """A slug for ``name`` (transliterated: "Šibenik" → "sibenik") that no row of ``model``
    has yet: ``-2``, ``-3``… added when needed."""
    base = slugify(unidecode(name))[: max_length - 10] or fallback
    slug, n = base, 2
    while model._default_manager.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
