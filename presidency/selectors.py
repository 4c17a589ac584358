"""Reads on summits and mandates."""

from django.db.models import QuerySet
from django.utils import timezone

from members.models import City
from presidency.models import Mandate, Summit


def mandate_for_year(year: int) -> Mandate | None:
    return Mandate.objects.select_related("city", "mayor").filter(year=year).first()


def current_mandate() -> Mandate | None:
    return mandate_for_year(timezone.localdate().year)


def presiding_city(year: int | None = None) -> City | None:
    mandate = mandate_for_year(year or timezone.localdate().year)
    return mandate.city if mandate else None


def summits() -> QuerySet[Summit]:
    return Summit.objects.select_related("host_city", "host_city__country")


def mandates_of_city(city: City) -> QuerySet[Mandate]:
    return Mandate.objects.filter(city=city).order_by("-year")


def mandates() -> QuerySet[Mandate]:
    return Mandate.objects.select_related("city", "city__country", "mayor", "elected_at")
