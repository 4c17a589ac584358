"""Mandates (rules S1, S4): one per year, never two consecutive for one city — from the
service, the admin and the shell, and on PostgreSQL in the database itself."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from presidency.models import Mandate
from presidency.services import record_mandate
from tests.presidency.conftest import city


def test_record_mandate(db):
    mandate = record_mandate(year=2023, city=city("split"))
    assert (mandate.year, mandate.city.slug) == (2023, "split")


@pytest.mark.parametrize("other_year", [2022, 2024])
def test_record_mandate_consecutive_names_rule_s4(db, other_year):
    record_mandate(year=other_year, city=city("split"))
    with pytest.raises(ValidationError, match="Rule S4: Split holds the mandate of"):
        record_mandate(year=2023, city=city("split"))


def test_record_mandate_with_a_gap_year_allowed(db):
    record_mandate(year=2022, city=city("split"))
    assert record_mandate(year=2024, city=city("split")).year == 2024


def test_record_mandate_one_per_year(db):
    record_mandate(year=2023, city=city("split"))
    with pytest.raises(ValidationError, match="already a mandate for this year"):
        record_mandate(year=2023, city=city("kotor"))


def test_mandate_clean_applies_rule_s4_on_edit(db):
    record_mandate(year=2022, city=city("split"))
    mandate = record_mandate(year=2023, city=city("kotor"))
    mandate.city = city("split")
    with pytest.raises(ValidationError, match="Rule S4"):
        mandate.full_clean()


def test_admin_refuses_a_consecutive_historical_mandate(secretariat_client):
    record_mandate(year=2022, city=city("split"))
    response = secretariat_client.post(
        reverse("admin:presidency_mandate_add"), {"year": 2023, "city": city("split").pk}
    )
    assert response.status_code == 200
    assert "Rule S4: Split holds the mandate of 2022" in response.content.decode()
    assert not Mandate.objects.filter(year=2023).exists()


def test_admin_records_a_valid_mandate(secretariat_client):
    response = secretariat_client.post(
        reverse("admin:presidency_mandate_add"), {"year": 2023, "city": city("split").pk}
    )
    assert response.status_code == 302
    assert Mandate.objects.get(year=2023).city == city("split")


def test_database_refuses_consecutive_mandates_written_past_the_service(postgres_only):
    # rule S4: the shell's bare create() skips clean(); PostgreSQL's exclusion constraint holds.
    Mandate.objects.create(year=2022, city=city("split"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Mandate.objects.create(year=2023, city=city("split"))
    Mandate.objects.create(year=2024, city=city("split"))  # a gap year is fine
    Mandate.objects.create(year=2023, city=city("kotor"))
