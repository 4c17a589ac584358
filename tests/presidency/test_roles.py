"""The roles that come from a mandate, and the dashboard's reading of both at once."""

import pytest
from django.utils import timezone

from members.enums import CityRole
from members.models import City
from presidency.models import Mandate
from presidency.roles import (
    PresidencyRoles,
    acts_for_presidency,
    is_presiding_mayor,
    presidency_roles,
)
from tests.factories import CityUserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("slug", "role", "expected"),
    [
        (
            "tirana",
            CityRole.MAYOR,
            PresidencyRoles(acts_for_presidency=True, is_presiding_mayor=True),
        ),
        (
            "tirana",
            CityRole.DELEGATE,
            PresidencyRoles(acts_for_presidency=True, is_presiding_mayor=False),
        ),
        (
            "edirne",
            CityRole.MAYOR,
            PresidencyRoles(acts_for_presidency=False, is_presiding_mayor=False),
        ),
    ],
)
def test_presidency_roles_are_the_two_roles_in_one_query(
    slug, role, expected, django_assert_num_queries
):
    today = timezone.localdate()
    Mandate.objects.create(year=today.year, city=City.objects.get(slug="tirana"))
    user = CityUserFactory(city=City.objects.get(slug=slug), city_role=role)
    assert user.acts_for_city  # its person is read once per request, before
    with django_assert_num_queries(1):  # the mandate
        roles = presidency_roles(user, on=today)
    assert roles == expected
    assert roles.acts_for_presidency == acts_for_presidency(user, on=today)
    assert roles.is_presiding_mayor == is_presiding_mayor(user, on=today)


def test_presidency_roles_without_a_mandate(db):
    user = CityUserFactory(city=City.objects.get(slug="tirana"))
    assert presidency_roles(user, on=timezone.localdate()) == PresidencyRoles(
        acts_for_presidency=False, is_presiding_mayor=False
    )
