import datetime

import factory

from members.models import City
from presidency.enums import ElectionState, SummitState
from presidency.models import Election, Summit


class SummitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Summit
        django_get_or_create = ("year",)

    year = 2026
    host_city = factory.LazyFunction(lambda: City.objects.get(slug="athens"))
    starts_on = factory.LazyAttribute(lambda s: datetime.date(s.year, 11, 20))
    ends_on = factory.LazyAttribute(lambda s: datetime.date(s.year, 11, 21))
    venue = "Town hall"
    state = SummitState.OPEN


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Election

    summit = factory.SubFactory(SummitFactory)
    is_secret = True
    state = ElectionState.PLANNED
