import datetime

import pytest
from django.utils import timezone

from members.models import City


@pytest.fixture
def tirana(db):
    return City.objects.get(slug="tirana")


@pytest.fixture
def presidency(db, tirana):
    """Tirana presides this year (rule W5: the presidency is a user of the presiding city)."""
    from presidency.models import Mandate

    return Mandate.objects.create(year=timezone.localdate().year, city=tirana)


@pytest.fixture
def ist():
    return timezone.get_default_timezone()


@pytest.fixture
def at(ist):
    def make(*args) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime(*args), ist)

    return make
