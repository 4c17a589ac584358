"""One city, one ballot per round under parallel requests, on PostgreSQL (RELIABILITY 9, 10),
and parallel ballots that still make one whole chain and one sealed board (issue 20).

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
from presidency.enums import RoundState
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
    # One answer is the receipt with the ballot's tracker; the others say "already voted".
    receipts = [page for page in pages if "data-tracker" in page]
    assert len(receipts) == 1
    refused = [page for page in pages if "data-tracker" not in page]
    assert all("Tirana has already voted in this round" in page for page in refused)
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
    assert isinstance(results[-1], Round)  # the close went through: the chain held
    closed = Round.objects.get(pk=round_.pk)
    assert closed.state == RoundState.CLOSED
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
    # The sealed board holds exactly the accepted ballots, and verifies (issue 20).
    check = services.verify_round_board(round=closed)
    assert check.ok, check.problems
    assert sorted(e["tracker"] for e in closed.board["entries"]) == sorted(
        ballot.tracker for ballot in accepted
    )
    assert len(closed.board["voted"]) == len(accepted)
    assert check.digest == closed.board_digest == closed.board["digest"]


def cast_in_parallel(round_, cities, choices, staff) -> list:
    def cast(i, barrier):
        barrier.wait()
        return services.cast_ballot(
            round=round_, city=cities[i], choice=choices[i % len(choices)], by=staff, paper=True
        )

    return run_in_parallel(cast, len(cities))


def test_parallel_ballots_make_one_chain_and_one_final_digest(open_round):
    """Ballots of many cities at once queue on the round's row lock, so each one extends the
    chain where the last one ended; the close finds it whole and seals one board."""
    round_, staff = open_round
    cities = list(City.objects.exclude(slug="athens").order_by("name")[: 3 * THREADS])
    choices = [*round_.candidates.order_by("city__name"), None]

    results = cast_in_parallel(round_, cities, choices, staff)

    assert all(isinstance(r, services.Ballot) for r in results), results
    votes = list(Vote.objects.filter(round=round_))
    assert len(votes) == BallotRecord.objects.filter(round=round_).count() == len(cities)
    # Each vote follows a different one: no two ballots extended the same head.
    assert len({vote.previous for vote in votes}) == len(votes)
    closed = services.close_round(round=round_, by=staff)  # refuses a broken chain
    closed.refresh_from_db()
    check = services.verify_round_board(round=closed)
    assert check.ok, check.problems
    assert sorted(e["tracker"] for e in closed.board["entries"]) == sorted(
        ballot.tracker for ballot in results
    )
    assert check.digest == closed.board_digest == closed.board["digest"] == closed.chain_head
    assert closed.state == RoundState.CLOSED


def test_control_without_the_round_lock_parallel_ballots_fork_the_chain(open_round, monkeypatch):
    """The control: if ballots read the chain's head without the round's row lock, parallel
    ones extend the same head, and the close refuses the forked chain."""
    round_, staff = open_round
    cities = list(City.objects.exclude(slug="athens").order_by("name")[:THREADS])
    choices = list(round_.candidates.all())
    everyone_read = threading.Barrier(len(cities))

    def read_without_lock(round_):
        row = Round.objects.filter(pk=round_.pk).values_list("state", "chain_head").first()
        everyone_read.wait()  # every ballot has read the same head
        return row

    monkeypatch.setattr(services, "_lock_round_for_ballot", read_without_lock)
    results = cast_in_parallel(round_, cities, choices, staff)
    assert all(isinstance(r, services.Ballot) for r in results), results
    assert len(set(Vote.objects.filter(round=round_).values_list("previous", flat=True))) == 1
    with pytest.raises(ValidationError, match="chain does not hold"):
        services.close_round(round=round_, by=staff)
    assert Round.objects.get(pk=round_.pk).is_open
