"""Reads on the member-city registry."""

from itertools import groupby

from django.db.models import Case, Count, F, Prefetch, QuerySet, Value, When

from common.collation import collated
from members.countries import COUNTRY_NAMES
from members.enums import CityStatus, PersonRole
from members.models import City, Country, Person
from members.text import fold


def active_cities() -> QuerySet[City]:
    return City.objects.filter(status=CityStatus.ACTIVE).select_related("country")


def search_cities(query: str, queryset: QuerySet[City] | None = None) -> QuerySet[City]:
    """Find cities by name with or without diacritics ("Durres" finds Durrës)."""
    qs = City.objects.all() if queryset is None else queryset
    folded = fold(query)
    return qs.filter(search_name__contains=folded) if folded else qs


def country_local_name(prefix: str = "") -> Case:
    """The country's name in the active language (members/countries.py) as SQL, to sort by."""
    return Case(
        *(
            When(**{f"{prefix}code": code}, then=Value(str(name)))
            for code, name in COUNTRY_NAMES.items()
        ),
        default=F(f"{prefix}name"),
    )


def cities_for_list(query: str = "") -> QuerySet[City]:
    """Active member cities (found by ``query``) in the member list's order: country, name,
    each as the reader's language sorts them ("Çanakkale" before "Edirne")."""
    return search_cities(query, active_cities()).order_by(
        collated(country_local_name("country__")), collated("name"), "pk"
    )


def former_cities(query: str = "") -> QuerySet[City]:
    """Cities that left the network, the latest first: the member list shows them apart."""
    withdrawn = City.objects.filter(status=CityStatus.WITHDRAWN).select_related("country")
    return search_cities(query, withdrawn).order_by("-left_on", "name")


def group_by_country(cities) -> list[tuple[Country, list[City]]]:
    """Cities already ordered by country, grouped by it."""
    return [(country, list(group)) for country, group in groupby(cities, key=lambda c: c.country)]


def cities_by_country(query: str = "") -> list[tuple[Country, list[City]]]:
    """Active member cities grouped by country."""
    return group_by_country(cities_for_list(query))


def network_numbers() -> dict[str, int]:
    counts = active_cities().aggregate(
        cities=Count("id"), countries=Count("country", distinct=True)
    )
    return {"cities": counts["cities"], "countries": counts["countries"]}


def current_people_of(city: City) -> QuerySet[Person]:
    """The people serving ``city`` now, by role and name."""
    return Person.objects.filter(city=city, ended_on__isnull=True).order_by("role", "name")


def current_people_prefetch() -> Prefetch:
    return Prefetch(
        "people",
        queryset=Person.objects.filter(ended_on__isnull=True).order_by("role", "name"),
        to_attr="current_people",
    )


def city_with_people(slug: str) -> City:
    return (
        City.objects.select_related("country")
        .prefetch_related(current_people_prefetch())
        .get(slug=slug)
    )


def current_mayor(city: City) -> Person | None:
    return Person.objects.filter(city=city, role=PersonRole.MAYOR, ended_on__isnull=True).first()


def eligible_countries() -> QuerySet[Country]:
    return Country.objects.filter(eligible=True)


def mapped_cities(queryset: QuerySet[City] | None = None) -> QuerySet[City]:
    """Active member cities that have coordinates, with what the map draws."""
    qs = active_cities() if queryset is None else queryset.filter(status=CityStatus.ACTIVE)
    return (
        qs.filter(latitude__isnull=False, longitude__isnull=False)
        .select_related("country")
        .only(
            "name",
            "slug",
            "status",
            "latitude",
            "longitude",
            "is_founding",
            "joined_on",
            "country__code",
        )
        .order_by("name")
    )


def contact_emails_of(cities) -> dict[int, list[str]]:
    """The addresses of each city's current people (mayor, delegates, contact points),
    sorted, by city id."""
    emails: dict[int, set[str]] = {}
    people = Person.objects.filter(
        city__in=[city.pk for city in cities], ended_on__isnull=True
    ).exclude(email="")
    for city_id, email in people.values_list("city_id", "email"):
        emails.setdefault(city_id, set()).add(email)
    return {city_id: sorted(found) for city_id, found in emails.items()}
