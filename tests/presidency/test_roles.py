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
    presidency_roles_under,
)
from presidency.selectors import CityMandates, city_mandates
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


@pytest.mark.parametrize(
    ("slug", "role"),
    [("tirana", CityRole.MAYOR), ("tirana", CityRole.DELEGATE), ("edirne", CityRole.MAYOR)],
)
def test_presidency_roles_under_the_presiding_city_are_the_two_roles(slug, role):
    today = timezone.localdate()
    tirana = City.objects.get(slug="tirana")
    Mandate.objects.create(year=today.year, city=tirana)
    user = CityUserFactory(city=City.objects.get(slug=slug), city_role=role)
    assert presidency_roles_under(user, presiding_city_id=tirana.pk) == presidency_roles(
        user, on=today
    )
    assert presidency_roles_under(user, presiding_city_id=None) == PresidencyRoles(
        acts_for_presidency=False, is_presiding_mayor=False
    )


def test_city_mandates_reads_this_years_and_the_won_one_in_one_query(django_assert_num_queries):
    today = timezone.localdate()
    tirana, edirne = City.objects.get(slug="tirana"), City.objects.get(slug="edirne")
    this_year = Mandate.objects.create(year=today.year, city=edirne)
    won = Mandate.objects.create(year=today.year + 1, city=tirana)
    Mandate.objects.create(year=today.year + 3, city=tirana)  # never consecutive: a constraint
    Mandate.objects.create(year=today.year - 1, city=tirana)
    with django_assert_num_queries(1):
        mandates = city_mandates(tirana, on=today)
    assert mandates == CityMandates(current=this_year, won=won)
    assert city_mandates(edirne, on=today) == CityMandates(current=this_year, won=None)
    this_year.delete()
    assert city_mandates(tirana, on=today) == CityMandates(current=None, won=won)
