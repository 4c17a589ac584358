"""The election (rule P1): the frozen electorate, one ballot per city, the count, the lot,
the secret ballot, and closing (rules S5, S6)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection

from members.enums import CityStatus
from members.models import City
from members.services import create_city
from presidency import services
from presidency.enums import ElectionState, RoundOutcome, RoundState
from presidency.models import BallotAttempt, BallotRecord, Candidacy, Mandate, Summit, Vote
from tests.factories import CityUserFactory
from tests.presidency.conftest import city, mayor_of, start_voting, vote


def test_open_round_requires_the_candidacy_period_closed(election, staff):
    services.submit_candidacy(election=election, city=city("split"), by=staff)
    with pytest.raises(ValidationError, match="Close the candidacy period"):
        services.open_round(election=election, by=staff)


def test_open_round_without_candidates_refused(election, staff):
    services.close_candidacy(election=election, by=staff)
    with pytest.raises(ValidationError, match="no candidate"):
        services.open_round(election=election, by=staff)


def test_only_the_secretariat_opens_a_round(election):
    with pytest.raises(PermissionDenied):
        services.open_round(election=election, by=mayor_of("tirana"))


def test_electorate_frozen_when_the_round_opens(election, staff):
    newcomer = create_city(
        name="Ohrid", country=city("skopje").country, joined_on=datetime.date(2026, 11, 20)
    )  # admitted earlier at the same summit: in the electorate
    round_, _ = start_voting(election, "split", by=staff)
    later = create_city(
        name="Bitola", country=city("skopje").country, joined_on=datetime.date(2026, 11, 21)
    )
    withdrawn = city("patras")
    withdrawn.status = CityStatus.WITHDRAWN
    withdrawn.left_on, withdrawn.withdrawal_reason = datetime.date(2026, 11, 21), "Left."
    withdrawn.save()  # leaving after the round opened does not change the list
    electorate = set(round_.electorate.values_list("slug", flat=True))
    assert len(electorate) == 26
    assert newcomer.slug in electorate
    assert "patras" in electorate
    with pytest.raises(ValidationError, match="not in the electorate") as exc:
        services.cast_ballot(round=round_, city=later, choice=None, by=staff, paper=True)
    assert exc.value.code == "not_elector"


def test_a_city_votes_once_whoever_casts(election, staff):
    round_, (split,) = start_voting(election, "split", by=staff)
    tirana_mayor = mayor_of("tirana")
    tirana_delegate = CityUserFactory(city=city("tirana"), city_role="delegate")
    services.cast_ballot(round=round_, city=city("tirana"), choice=split, by=tirana_mayor)
    for by, paper in [(tirana_delegate, False), (tirana_mayor, False), (staff, True)]:
        with pytest.raises(ValidationError, match="Tirana has already voted") as exc:
            services.cast_ballot(round=round_, city=city("tirana"), choice=None, by=by, paper=paper)
        assert exc.value.code == "already_voted"
    assert BallotRecord.objects.count() == 1
    assert Vote.objects.count() == 1


def test_one_ballot_per_city_per_round_is_a_database_constraint(election, staff):
    round_, _ = start_voting(election, "split", by=staff)
    now = datetime.datetime.now(datetime.UTC)
    BallotRecord.objects.create(round=round_, city=city("tirana"), cast_by=staff, cast_at=now)
    with pytest.raises(IntegrityError):
        BallotRecord.objects.create(round=round_, city=city("tirana"), cast_by=staff, cast_at=now)


def test_a_mayor_votes_only_for_their_own_city(election, staff):
    round_, (split,) = start_voting(election, "split", by=staff)
    with pytest.raises(PermissionDenied):
        services.cast_ballot(round=round_, city=city("split"), choice=split, by=mayor_of("tirana"))
    with pytest.raises(PermissionDenied):  # a paper ballot is the secretariat's
        services.cast_ballot(
            round=round_, city=city("tirana"), choice=split, by=mayor_of("tirana"), paper=True
        )


def test_paper_ballot_records_who_entered_it(election, staff):
    round_, (split,) = start_voting(election, "split", by=staff)
    record = services.cast_ballot(
        round=round_, city=city("kotor"), choice=split, by=staff, paper=True
    ).record
    assert (record.paper, record.cast_by) == (True, staff)


def test_ballot_for_a_city_that_is_not_a_candidate_refused(election, staff):
    round_, _ = start_voting(election, "split", by=staff)
    other = Candidacy.objects.create(election=election, city=city("kotor"), state="withdrawn")
    with pytest.raises(ValidationError, match="not a candidate"):
        services.cast_ballot(round=round_, city=city("tirana"), choice=other, by=staff, paper=True)


def test_ballot_after_the_round_closed_refused(election, staff):
    round_, (split,) = start_voting(election, "split", by=staff)
    services.close_round(round=round_, by=staff)
    with pytest.raises(ValidationError, match="not open") as exc:
        services.cast_ballot(round=round_, city=city("tirana"), choice=split, by=staff, paper=True)
    assert exc.value.code == "round_closed"


def test_refused_ballot_attempts_are_logged(election, staff, caplog):
    round_, (split,) = start_voting(election, "split", by=staff)
    vote(round_, {"tirana": split}, by=staff)
    with caplog.at_level("INFO", logger="presidency.ballots"), pytest.raises(ValidationError):
        vote(round_, {"tirana": None}, by=staff)
    assert "ballot refused" in caplog.text
    assert f"city={city('tirana').pk}" in caplog.text


def test_majority_in_the_first_round_then_closing_creates_mandate_and_summit(election, staff):
    round_, (split, tirana) = start_voting(election, "split", "tirana", by=staff)
    vote(round_, {"kotor": split, "durres": split, "skopje": tirana, "pula": None}, by=staff)
    round_ = services.close_round(round=round_, by=staff)
    assert (round_.outcome, round_.elected) == (RoundOutcome.ELECTED, split)
    mandate = services.close_election(election=election, by=staff)
    # rule S5: the mandate of the following calendar year; rule S6: it hosts that summit.
    assert (mandate.year, mandate.city, mandate.elected_at) == (
        2027,
        city("split"),
        election.summit,
    )
    next_summit = Summit.objects.get(year=2027)
    assert next_summit.host_city == city("split")
    assert next_summit.starts_on == datetime.date(2027, 11, 20)
    election.refresh_from_db()
    assert election.state == ElectionState.CLOSED


def test_close_election_updates_an_existing_next_summit_host(election, staff):
    Summit.objects.create(
        year=2027,
        host_city=city("kotor"),
        starts_on=datetime.date(2027, 10, 1),
        ends_on=datetime.date(2027, 10, 2),
    )
    round_, (split,) = start_voting(election, "split", by=staff)
    vote(round_, {"kotor": split}, by=staff)
    services.close_round(round=round_, by=staff)
    services.close_election(election=election, by=staff)
    assert Summit.objects.get(year=2027).host_city == city("split")


def test_close_election_without_an_elected_city_refused(election, staff):
    round_, (split, tirana) = start_voting(election, "split", "tirana", by=staff)
    vote(round_, {"kotor": split, "durres": tirana}, by=staff)
    services.close_round(round=round_, by=staff)  # a tie: the lot is still to draw
    with pytest.raises(ValidationError, match="No candidate has been elected"):
        services.close_election(election=election, by=staff)
    assert not Mandate.objects.filter(year=2027).exists()


def test_runoff_between_the_two_leaders_then_elected(election, staff):
    round1, (kotor, split, tirana) = start_voting(election, "kotor", "split", "tirana", by=staff)
    vote(
        round1,
        {"durres": split, "pula": split, "skopje": tirana, "patras": tirana, "trikala": kotor},
        by=staff,
    )
    round1 = services.close_round(round=round1, by=staff)
    assert round1.outcome == RoundOutcome.RUNOFF
    round2 = services.open_round(election=election, by=staff)
    assert round2.number == 2
    assert set(round2.candidates.all()) == {split, tirana}
    vote(round2, {"durres": split, "pula": split, "skopje": tirana, "trikala": split}, by=staff)
    round2 = services.close_round(round=round2, by=staff)
    assert (round2.outcome, round2.elected) == (RoundOutcome.ELECTED, split)
    assert services.close_election(election=election, by=staff).city == city("split")


def test_three_way_tie_goes_to_a_lot_not_to_the_same_round_again(election, staff):
    round1, (kotor, split, tirana) = start_voting(election, "kotor", "split", "tirana", by=staff)
    vote(round1, {"durres": split, "pula": tirana, "skopje": kotor}, by=staff)
    assert services.close_round(round=round1, by=staff).outcome == RoundOutcome.TIE
    with pytest.raises(ValidationError, match="draw it"):
        services.open_round(election=election, by=staff)
    assert services.draw_lot(round=round1, by=staff).winner in (kotor, split, tirana)


def test_tie_settled_by_lot_recorded(election, staff):
    round_, (split, tirana) = start_voting(election, "split", "tirana", by=staff)
    vote(round_, {"kotor": split, "durres": tirana, "pula": None}, by=staff)
    round_ = services.close_round(round=round_, by=staff)
    assert round_.outcome == RoundOutcome.TIE
    with pytest.raises(ValidationError, match="draw it"):
        services.open_round(election=election, by=staff)
    draw = services.draw_lot(round=round_, by=staff)
    assert draw.started_by == staff
    assert draw.source.startswith("secrets.SystemRandom")
    assert [c["city"] for c in draw.candidates] == ["Split", "Tirana"]
    assert draw.winner == [split, tirana][draw.drawn_index]
    round_.refresh_from_db()
    assert (round_.outcome, round_.elected) == (RoundOutcome.LOT, draw.winner)
    assert services.close_election(election=election, by=staff).city == draw.winner.city
    with pytest.raises(ValidationError):
        services.draw_lot(round=round_, by=staff)  # drawn once


def test_lot_uses_the_system_random_source(election, staff, monkeypatch):
    round2, (split, tirana) = start_voting(election, "split", "tirana", by=staff)
    vote(round2, {"kotor": split, "durres": tirana}, by=staff)
    services.close_round(round=round2, by=staff)
    monkeypatch.setattr(services.secrets.SystemRandom, "randrange", lambda self, n: 1)
    assert services.draw_lot(round=round2, by=staff).winner == tirana


def test_single_candidate_elected_with_more_votes_than_abstentions(election, staff):
    round_, (split,) = start_voting(election, "split", by=staff)
    vote(round_, {"kotor": split, "durres": split, "pula": None}, by=staff)
    assert services.close_round(round=round_, by=staff).elected == split


def test_single_candidate_not_elected_ends_the_rounds(election, staff):
    round_, (split,) = start_voting(election, "split", by=staff)
    vote(round_, {"kotor": split, "pula": None}, by=staff)
    assert services.close_round(round=round_, by=staff).outcome == RoundOutcome.NOT_ELECTED
    with pytest.raises(ValidationError, match="Nobody was elected"):
        services.open_round(election=election, by=staff)


def test_a_ballot_is_not_accepted_twice_into_two_rounds_open_at_once(election, staff):
    round_, _ = start_voting(election, "split", by=staff)
    with pytest.raises(ValidationError, match="still open"):
        services.open_round(election=election, by=staff)
    assert round_.state == RoundState.OPEN


def _rows(model) -> list[dict]:
    return list(model.objects.values())


def test_secret_ballot_keeps_no_link_from_city_to_choice(election, staff):
    round_, (split, tirana) = start_voting(election, "split", "tirana", by=staff)
    vote(round_, {"kotor": split, "durres": tirana, "pula": None}, by=staff)
    # The record of who voted says nothing of the choice ...
    for record in _rows(BallotRecord):
        assert record["choice_id"] is None
        assert record["abstained"] is None
    # ... and a vote row says nothing of who: only a random key, the round, the choice, its
    # tracker and its place in the ballot chain (issue 20).
    assert {f.name for f in Vote._meta.concrete_fields} == {
        "id",
        "round",
        "choice",
        "tracker",
        "previous",
        "digest",
    }
    assert not hasattr(Vote, "history")
    keys = [row["id"] for row in _rows(Vote)]
    assert all(key.version == 4 for key in keys)
    # No other table of the database refers to a vote.
    assert Vote._meta.related_objects == ()
    before = {row["id"] for row in _rows(Vote)}
    services.close_round(round=round_, by=staff)
    after = _rows(Vote)
    # Closing rewrites the votes with new keys in tracker order; the count is unchanged.
    assert before.isdisjoint({row["id"] for row in after})
    assert sorted(str(row["choice_id"]) for row in after) == sorted(
        [str(split.pk), str(tirana.pk), "None"]
    )


def test_secret_ballot_leaves_no_trace_in_the_history_tables(election, staff):
    round_, (split,) = start_voting(election, "split", by=staff)
    vote(round_, {"kotor": split}, by=staff)
    tables = connection.introspection.table_names()
    assert not [t for t in tables if "vote" in t and t != Vote._meta.db_table]
    allowed = {BallotRecord._meta.db_table, BallotAttempt._meta.db_table}
    assert not [t for t in tables if "ballot" in t and t not in allowed]
    # The attempt log says who tried, never what they chose (RELIABILITY 11, 12).
    fields = {f.name for f in BallotAttempt._meta.get_fields()}
    assert not fields & {"choice", "vote", "abstained", "candidacy"}


def test_named_vote_stores_the_choice_with_the_city(election, staff):
    round_, (split,) = start_voting(election, "split", by=staff, secret=False)
    vote(round_, {"kotor": split, "pula": None}, by=staff)
    records = {r.city.slug: r for r in BallotRecord.objects.select_related("city")}
    assert (records["kotor"].choice, records["kotor"].abstained) == (split, False)
    assert (records["pula"].choice, records["pula"].abstained) == (None, True)


def test_result_is_recounted_from_the_stored_votes(election, staff):
    from presidency.selectors import round_results

    round_, (split, tirana) = start_voting(election, "split", "tirana", by=staff)
    vote(round_, {"kotor": split, "durres": split, "skopje": tirana, "pula": None}, by=staff)
    services.close_round(round=round_, by=staff)
    (result,) = round_results(election)
    assert [(c.city.slug, n) for c, n in result.tallies] == [("split", 2), ("tirana", 1)]
    assert (result.abstentions, result.ballots, result.electorate) == (1, 4, 25)
    assert result.turnout_percent == 16


def test_cities_in_electorate_are_the_active_members(election, staff):
    round_, _ = start_voting(election, "split", by=staff)
    assert round_.electorate.count() == City.objects.filter(status="active").count() == 25
