"""Reads on membership applications."""

from django.db.models import QuerySet
from django.utils import timezone

from members.enums import CityStatus
from members.models import City, Country
from members.text import fold
from presidency.models import Summit
from secretariat.enums.applications import OPEN_STATES
from secretariat.models.applications import Application, ApplicationEvent
from workinggroups.enums import GroupState
from workinggroups.models import WorkingGroup


def application_by_token(token: str) -> Application | None:
    """The application a private status link points to, or None (never another one)."""
    if not token or len(token) > 64:
        return None
    return (
        Application.objects.select_related("country", "summit", "summit__host_city", "city")
        .filter(token=token)
        .first()
    )


def application_history(application: Application) -> QuerySet[ApplicationEvent]:
    return application.events.select_related("by", "summit", "summit__host_city").order_by(
        "at", "pk"
    )


def member_city_name(*, name: str, country: Country) -> str | None:
    """The name of the member city of this name in this country, whatever its case and
    diacritics, or None (rule M3). A city that left the network may apply again."""
    return (
        City.objects.filter(country=country, search_name=fold(name), status=CityStatus.ACTIVE)
        .values_list("name", flat=True)
        .first()
    )


def former_member(*, name: str, country: Country) -> City | None:
    """The city of this name in this country that left the network, if any: admitting its
    new application makes it a member again (the same row, its history kept)."""
    return City.objects.filter(
        country=country, search_name=fold(name), status=CityStatus.WITHDRAWN
    ).first()


def has_open_application(*, name: str, country: Country, exclude_pk: int | None = None) -> bool:
    qs = Application.objects.filter(
        search_name=fold(name), country=country, state__in=sorted(OPEN_STATES)
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def joinable_groups() -> QuerySet[WorkingGroup]:
    """The working groups a new city may ask to join on the form."""
    return WorkingGroup.objects.filter(state=GroupState.ACTIVE).order_by("name")


def summits_open_for_proposals() -> QuerySet[Summit]:
    """Summits not yet over: an application can be proposed to one of these (rule M2)."""
    return (
        Summit.objects.filter(ends_on__gte=timezone.localdate())
        .select_related("host_city")
        .order_by("starts_on")
    )
