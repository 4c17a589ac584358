"""Parallel writes on PostgreSQL (SQLite hides races, RELIABILITY 23): two adoptions get
two numbers; a double submit of a follow-up leaves one row and no error."""

import datetime
import threading

import pytest
from django.db import connection

from secretariat.enums.workspace import AdoptedBy, FollowUpState
from secretariat.models import FollowUp, Recommendation
from secretariat.services import workspace as services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def in_parallel(target, n: int = 2) -> list[BaseException]:
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def run():
        try:
            barrier.wait()
            target()
        except BaseException as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_parallel_adoptions_get_distinct_numbers(postgres_only):
    def adopt():
        services.adopt_recommendation(
            year=2030,
            title="Parallel",
            text="x",
            adopted_by=AdoptedBy.PRESIDENCY,
            adopted_on=datetime.date(2030, 1, 1),
        )

    assert in_parallel(adopt, n=4) == []
    assert sorted(Recommendation.objects.values_list("number", flat=True)) == [1, 2, 3, 4]


def test_double_submitted_follow_up_leaves_one_row(postgres_only):
    from members.models import Country
    from tests.factories import CityFactory, CityUserFactory, RecommendationFactory

    country, _ = Country.objects.get_or_create(code="RS", defaults={"name": "Serbia"})
    user = CityUserFactory(city=CityFactory(country=country))
    recommendation = RecommendationFactory()

    def submit():
        services.record_follow_up(
            recommendation=recommendation, by=user, state=FollowUpState.IN_PROGRESS
        )

    assert in_parallel(submit, n=3) == []
    assert FollowUp.objects.count() == 1
