"""The group pages' buttons come from the services' own checks (rules W4, W5)."""

import pytest
from django.urls import reverse

from members.enums import CityRole
from members.models import City
from tests.factories import CityUserFactory, GroupMembershipFactory
from workinggroups import services
from workinggroups.models import WorkingGroup

REQUEST = "Request an extra session"


@pytest.fixture
def climate(db):
    return WorkingGroup.objects.get(slug="local-climate-action")


def detail(client, group) -> str:
    return client.get(reverse("workinggroups:group-detail", args=[group.slug])).content.decode()


def test_the_extra_session_link_is_for_member_cities_of_an_active_group(
    client, climate, mayor, secretariat_user
):
    client.force_login(mayor)
    assert REQUEST not in detail(client, climate)  # Tirana is not a member yet
    GroupMembershipFactory(group=climate, city=mayor.city)
    assert REQUEST in detail(client, climate)
    services.close_group(group=climate, by=secretariat_user)
    assert REQUEST not in detail(client, climate)


def test_the_presidencys_key_on_the_dashboard_is_the_presiding_citys(client, presidency, db):
    propose = reverse("workinggroups:group-propose")
    for role in (CityRole.MAYOR, CityRole.DELEGATE):
        client.force_login(CityUserFactory(city=presidency.city, city_role=role))
        assert propose in client.get(reverse("secretariat:dashboard")).content.decode()
    client.force_login(CityUserFactory(city=City.objects.get(slug="skopje")))
    assert propose not in client.get(reverse("secretariat:dashboard")).content.decode()
