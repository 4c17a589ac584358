import datetime
import secrets

import factory
from django.utils import timezone

from members.models import City, Country
from presidency.models import Summit
from secretariat.models.applications import Application


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted application of a Slovenian city (Slovenia: eligible, not a founder)."""

    class Meta:
        model = Application

    reference = factory.Sequence(lambda n: f"B40-2026-T{n:05d}")
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    city_name = factory.Sequence(lambda n: f"Novo Mesto {n}")
    country = factory.LazyFunction(lambda: Country.objects.get(code="SI"))
    mayor_name = "Ana Novak"
    contact_name = "Luka Kranjc"
    contact_position = "Head of international relations"
    contact_email = factory.Sequence(lambda n: f"international{n}@novo-mesto.example")
    contact_phone = "+386 7 39 39 200"
    website = "https://www.novo-mesto.example"
    population = 37000
    motivation = "We share the network's goals on climate action and local democracy."
    consent = True


class SummitFactory(factory.django.DjangoModelFactory):
    """A summit that opens today (in Athens) unless told otherwise."""

    class Meta:
        model = Summit
        django_get_or_create = ("year",)  # one summit a year; its year is its first day's

    starts_on = factory.LazyFunction(timezone.localdate)
    year = factory.LazyAttribute(lambda s: s.starts_on.year)  # the summit's year (rule S6)
    host_city = factory.LazyFunction(lambda: City.objects.get(slug="athens"))
    ends_on = factory.LazyAttribute(lambda s: s.starts_on + datetime.timedelta(days=1))
    venue = "Athens"
