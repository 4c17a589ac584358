"""Parallel submits against PostgreSQL (RELIABILITY 15): SQLite would hide the race."""

import importlib
import threading
import uuid

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection

from members.models import Country
from secretariat.models.applications import Application
from tests.e2e.conftest import DATA_MIGRATIONS
from tests.secretariat.test_applications_services import submit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def founding_data(postgres_only):
    if not Country.objects.exists():  # a transactional test starts from a flushed database
        for module in DATA_MIGRATIONS:
            importlib.import_module(module).load(apps, None)


def run_in_parallel(calls: list) -> list:
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int, call) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except Exception as exc:  # collected and asserted on below
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_the_same_form_posted_in_parallel_creates_one_application(founding_data):
    key = uuid.uuid4()
    results = run_in_parallel([lambda: submit(submission_key=key) for _ in range(4)])
    assert Application.objects.count() == 1
    application = Application.objects.get()
    assert sorted(created for _, created in results) == [False, False, False, True]
    assert {found.pk for found, _ in results} == {application.pk}


def test_two_parallel_applications_of_one_city_leave_one_open(founding_data):
    results = run_in_parallel(
        [lambda n=n: submit(contact_email=f"person{n}@ljubljana.example") for n in range(3)]
    )
    assert Application.objects.count() == 1
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 2
    assert all("already has an open application" in str(r) for r in refused)
