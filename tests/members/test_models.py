import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from members.enums import PersonRole
from members.models import City, Person
from members.services import appoint_person, create_city
from tests.factories import CityFactory


def test_one_current_mayor_per_city_is_a_database_constraint(db):
    city = CityFactory()
    Person.objects.create(city=city, role=PersonRole.MAYOR, name="A")
    with pytest.raises(IntegrityError):
        Person.objects.create(city=city, role=PersonRole.MAYOR, name="B")


def test_a_person_is_named_with_the_translated_role_and_the_city(db):
    person = Person(city=CityFactory(name="Tirana"), role=PersonRole.MAYOR, name="Erion")
    for language in ("en", "bg", "tr"):
        with translation.override(language):
            assert str(person) == f"Erion ({person.get_role_display()}, Tirana)"
    person.role = "unknown"  # a value no choice has: shown as it is, as the field's display
    assert person.get_role_display() == "unknown"
    assert str(person) == "Erion (unknown, Tirana)"


def test_appointing_a_new_mayor_keeps_the_old_one_in_history(db):
    city = CityFactory()
    old = appoint_person(
        city=city, role=PersonRole.MAYOR, name="Old", started_on=datetime.date(2020, 1, 1)
    )
    new = appoint_person(
        city=city, role=PersonRole.MAYOR, name="New", started_on=datetime.date(2025, 6, 1)
    )
    old.refresh_from_db()
    assert old.ended_on == datetime.date(2025, 5, 31)
    assert new.is_current
    assert list(city.people.filter(role=PersonRole.MAYOR).order_by("started_on")) == [old, new]


def test_new_mayor_cannot_start_before_the_current_one(db):
    city = CityFactory()
    appoint_person(
        city=city, role=PersonRole.MAYOR, name="Old", started_on=datetime.date(2025, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        appoint_person(
            city=city, role=PersonRole.MAYOR, name="New", started_on=datetime.date(2024, 1, 1)
        )
    assert "started_on" in exc.value.message_dict


def test_bad_phone_is_refused_with_a_clear_message(db):
    city = CityFactory()
    with pytest.raises(ValidationError) as exc:
        appoint_person(
            city=city,
            role=PersonRole.CONTACT,
            name="X",
            started_on=datetime.date(2025, 1, 1),
            phone="<script>",
        )
    assert "phone" in exc.value.message_dict


def test_create_city_makes_an_ascii_slug_and_refuses_a_duplicate(db):
    from members.models import Country

    country = Country.objects.get(code="SI")
    city = create_city(name="Ljubljana", country=country, joined_on=datetime.date(2026, 11, 20))
    assert city.slug == "ljubljana"
    assert city.search_name == "ljubljana"
    with pytest.raises(ValidationError):
        create_city(name="LJUBLJANA", country=country, joined_on=datetime.date(2026, 11, 20))


def test_founding_flag_and_signatory_go_together(db):
    city = City.objects.get(slug="tirana")
    city.founding_signatory = ""
    with pytest.raises(IntegrityError):
        city.save()
