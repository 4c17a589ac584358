"""One city, one ballot per round under parallel requests, on PostgreSQL (RELIABILITY 9, 10).

SQLite serialises writers and hides these races, so these tests need PostgreSQL
(``postgres_only``); in CI's PostgreSQL run a skip fails the build.
"""

import importlib
import threading

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.models import City
from presidency import services
from presidency.counting import decide, tally
from presidency.models import BallotAttempt, BallotRecord, Round, Vote
from tests.factories import CityUserFactory, ElectionFactory, SecretariatUserFactory, SummitFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6


@pytest.fixture
def founding(postgres_only):
    # Transactional tests start from an empty database: put the founders back.
    for module in ("members.migrations.0002_founding_members",):
        importlib.import_module(module).load(apps, None)
    from django.contrib.auth.models import Group

    from members.permissions import SECRETARIAT_GROUP

    Group.objects.get_or_create(name=SECRETARIAT_GROUP)


@pytest.fixture
def open_round(founding, clock):
    staff = SecretariatUserFactory()
    summit = SummitFactory(year=2026, host_city=City.objects.get(slug="athens"))
    election = services.open_candidacy(election=ElectionFactory(summit=summit), by=staff)
    for slug in ("split", "kotor"):
        services.submit_candidacy(election=election, city=City.objects.get(slug=slug), by=staff)
    services.close_candidacy(election=election, by=staff)
    clock.to_summit()
    return services.open_round(election=election, by=staff), staff


def run_in_parallel(target, n: int) -> list:
    """Run ``target(i, barrier)`` in ``n`` threads, each on its own database connection."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def worker(i: int) -> None:
        try:
            results[i] = target(i, barrier)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_parallel_requests_for_one_city_record_one_ballot(open_round):
    round_, _staff = open_round
    tirana = City.objects.get(slug="tirana")
    users = [CityUserFactory(city=tirana, username="mayor.tirana")] + [
        CityUserFactory(city=tirana, city_role="delegate", username=f"delegate{i}.tirana")
        for i in range(THREADS - 1)
    ]
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    candidates = list(round_.candidates.order_by("city__name"))
    url = reverse("presidency:ballot-cast", kwargs={"year": 2026})

    def post(i, barrier):
        barrier.wait()
        choice = candidates[i % 2].pk
        return clients[i].post(url, {"choice": choice})

    responses = run_in_parallel(post, THREADS)

    assert all(not isinstance(r, Exception) for r in responses), responses
    assert [r.status_code for r in responses] == [200] * THREADS  # never a 500
    pages = [r.content.decode() for r in responses]
    receipts = [page for page in pages if "Tracker of this ballot" in page]
    refused = [page for page in pages if "Tirana has already voted in this round" in page]
    assert (len(receipts), len(refused)) == (1, THREADS - 1)
    assert BallotRecord.objects.filter(round=round_, city=tirana).count() == 1
    assert Vote.objects.filter(round=round_).count() == 1


def test_parallel_service_calls_for_one_city_one_succeeds(open_round):
    round_, staff = open_round
    tirana = City.objects.get(slug="tirana")
    split = round_.candidates.get(city__slug="split")

    def cast(i, barrier):
        barrier.wait()
        return services.cast_ballot(round=round_, city=tirana, choice=split, by=staff, paper=True)

    results = run_in_parallel(cast, THREADS)
    accepted = [r for r in results if isinstance(r, services.Ballot)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(accepted) == 1
    assert len(refused) == THREADS - 1
    assert {e.code for e in refused} == {"already_voted"}
    assert Vote.objects.filter(round=round_).count() == 1


def test_control_check_then_insert_races_and_only_the_constraint_stops_it(open_round):
    """The control: without the constraint, a check-then-insert lets every thread through.

    Each thread checks "has Tirana voted?" and waits for the others to check too before
    inserting: all of them see "no" (the race is real), and only the unique constraint keeps
    the second ballot out. The service turns that IntegrityError into "already voted"."""
    round_, staff = open_round
    tirana = City.objects.get(slug="tirana")
    passed_check = []

    def check_then_insert(i, barrier):
        with transaction.atomic():
            if not BallotRecord.objects.filter(round=round_, city=tirana).exists():
                passed_check.append(i)
            barrier.wait()
            return BallotRecord.objects.create(
                round=round_, city=tirana, cast_by=staff, cast_at=timezone.now()
            )

    results = run_in_parallel(check_then_insert, THREADS)
    assert len(passed_check) == THREADS  # the check alone would have let them all vote
    assert sum(isinstance(r, BallotRecord) for r in results) == 1
    assert sum(isinstance(r, IntegrityError) for r in results) == THREADS - 1
    assert BallotRecord.objects.filter(round=round_, city=tirana).count() == 1


def test_ballots_racing_the_closing_are_counted_or_refused(open_round):
    round_, staff = open_round
    cities = list(City.objects.exclude(slug="athens").order_by("name")[:10])
    split = round_.candidates.get(city__slug="split")

    def act(i, barrier):
        barrier.wait()
        if i == len(cities):
            return services.close_round(round=round_, by=staff)
        return services.cast_ballot(
            round=round_, city=cities[i], choice=split, by=staff, paper=True
        )

    results = run_in_parallel(act, len(cities) + 1)
    assert not [
        r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)
    ]
    closed = Round.objects.get(pk=round_.pk)
    records = BallotRecord.objects.filter(round=round_)
    accepted = [r for r in results if isinstance(r, services.Ballot)]
    assert records.count() == len(accepted) == Vote.objects.filter(round=round_).count()
    assert all(record.cast_at <= closed.closed_at for record in records)
    counts, abstentions = tally(
        round_.candidates.values_list("pk", flat=True),
        Vote.objects.filter(round=round_).values_list("choice_id", flat=True),
    )
    assert closed.outcome == decide(counts, abstentions).outcome
    # Every attempt is logged, the refused ones too, and the recount agrees (RELIABILITY 12).
    attempts = BallotAttempt.objects.filter(round=round_)
    assert attempts.filter(outcome="accepted").count() == len(accepted)
    assert attempts.filter(outcome="refused").count() == len(cities) - len(accepted)
    assert services.recount_round(round=closed).matches
    # The ballots that made it form one chain, sealed into a board that verifies (issue 20).
    assert len(closed.board["entries"]) == len(accepted)
    assert services.verify_round_board(round=closed).ok
