"""A city's coordinates: the founders' real ones, inside the Balkans, whatever the door."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from members.models import City
from members.validators import (
    BALKANS_EAST,
    BALKANS_NORTH,
    BALKANS_SOUTH,
    BALKANS_WEST,
)
from secretariat.enums.applications import ApplicationState as S
from secretariat.services import applications as services
from tests.factories import ApplicationFactory, CityFactory, SecretariatUserFactory
from tests.factories.applications import SummitFactory
from tests.secretariat.test_applications_views import form_data

pytestmark = pytest.mark.django_db


def test_every_founder_has_real_coordinates_in_the_balkans():
    founders = City.objects.filter(is_founding=True)
    assert founders.count() == 25
    for city in founders:
        assert city.has_coordinates, city
        assert BALKANS_SOUTH <= city.latitude <= BALKANS_NORTH, city
        assert BALKANS_WEST <= city.longitude <= BALKANS_EAST, city
    istanbul = City.objects.get(slug="istanbul")
    assert (round(istanbul.latitude, 1), round(istanbul.longitude, 1)) == (
        Decimal("41.0"),
        Decimal("29.0"),
    )
    # East of west: Constanța on the Black Sea lies east of Pula on the Adriatic.
    assert City.objects.get(slug="constanta").longitude > City.objects.get(slug="pula").longitude


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [
        (Decimal("28.97836"), Decimal("41.00824"), "latitude"),  # swapped
        (Decimal("41.00824"), Decimal("-28.97836"), "longitude"),  # a sign lost
        (Decimal("51.50735"), Decimal("-0.12776"), "latitude"),  # London
    ],
)
def test_coordinates_outside_the_balkans_are_refused_with_a_translated_message(
    latitude, longitude, field
):
    city = CityFactory.build(latitude=latitude, longitude=longitude)
    with pytest.raises(ValidationError) as caught:
        city.full_clean()
    assert "in the Balkans are between 34.5 and 48.5 degrees north" in str(
        caught.value.message_dict[field]
    )
    with translation.override("tr"):
        with pytest.raises(ValidationError) as caught:
            city.full_clean()
        assert "Balkanlar" in str(caught.value.message_dict[field])


def test_one_coordinate_without_the_other_is_refused():
    city = CityFactory.build(latitude=Decimal("42.0"), longitude=None)
    with pytest.raises(ValidationError) as caught:
        city.full_clean()
    assert "both coordinates, or neither" in " ".join(caught.value.messages)


def test_the_database_refuses_coordinates_outside_the_balkans_from_any_door():
    city = CityFactory()
    city.latitude, city.longitude = Decimal("51.5"), Decimal("-0.1")
    with pytest.raises(IntegrityError), transaction.atomic():
        city.save()  # no full_clean: the shell, a bulk update
    with pytest.raises(IntegrityError), transaction.atomic():
        City.objects.filter(pk=city.pk).update(latitude=Decimal("42.0"))  # longitude missing


def test_the_application_form_takes_coordinates_and_wants_both(client, settings):
    settings.APPLICATION_MIN_FILL_SECONDS = 0
    url = reverse("secretariat:application-create")
    response = client.post(url, form_data(latitude="46.05", longitude=""))
    assert response.status_code == 200
    assert "Give both the latitude and the longitude, or neither." in response.content.decode()
    response = client.post(url, form_data(latitude="4605", longitude="14.5"))
    assert "between 34.5 and 48.5 degrees north" in response.content.decode()
    response = client.post(url, form_data(latitude="46.05108", longitude="14.50513"))
    assert response.status_code == 302
    from secretariat.models.applications import Application

    application = Application.objects.get(city_name="Ljubljana")
    assert (application.latitude, application.longitude) == (
        Decimal("46.05108"),
        Decimal("14.50513"),
    )


def test_admission_copies_the_coordinates_to_the_new_city():
    summit = SummitFactory(starts_on=timezone.localdate() - datetime.timedelta(days=1))
    application = ApplicationFactory(
        city_name="Novo Mesto", latitude=Decimal("45.80397"), longitude=Decimal("15.16886")
    )
    staff = SecretariatUserFactory()
    for step in (S.UNDER_REVIEW, S.PROPOSED, S.ADMITTED):
        services.transition_application(
            application=application, to_state=step, by=staff, summit=summit
        )
    application.refresh_from_db()
    assert (application.city.latitude, application.city.longitude) == (
        Decimal("45.80397"),
        Decimal("15.16886"),
    )


def test_the_secretariat_edits_the_coordinates_in_the_city_admin(secretariat_client):
    city = City.objects.get(slug="kotor")
    url = reverse("admin:members_city_change", args=[city.pk])
    page = secretariat_client.get(url).content.decode()
    assert 'name="latitude"' in page and 'name="longitude"' in page
