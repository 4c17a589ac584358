"""Every election ends: each round elects, ends without a result, or sends strictly fewer
candidates to the next round, whatever the ballots and the ties (the count, rule P1)."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from presidency.counting import NO_RESULT, decide, tally
from presidency.enums import RoundOutcome


def run_election(
    candidates: list[int], rounds_of_ballots: list[list[int | None]], lots: random.Random
):
    """Simulate rounds until the election is decided: the n-th round's ballots come from
    ``rounds_of_ballots`` (a choice outside the field is read as an abstention), every lot
    is drawn with ``lots``. Returns (rounds held, how it ended, field sizes)."""
    field = frozenset(candidates)
    sizes = [len(field)]
    for number, raw in enumerate(rounds_of_ballots, start=1):
        ballots = [c if c in field else None for c in raw]
        decision = decide(*tally(field, ballots))
        if decision.outcome == RoundOutcome.ELECTED:
            assert decision.elected in field
            return number, "elected", sizes
        if decision.outcome == RoundOutcome.TIE:
            assert decision.lot_among == field and len(field) >= 2
            return number, "lot", sizes
        if decision.outcome in NO_RESULT:
            return number, "no result", sizes
        drawn = set()
        if decision.lot_among:
            assert decision.outcome == RoundOutcome.SECOND_TIE
            assert len(decision.lot_among) >= 2
            drawn = {lots.choice(sorted(decision.lot_among))}
        following = decision.next_candidates | drawn
        assert following < field, "a round must send strictly fewer candidates on"
        assert len(following) >= 2
        field = following
        sizes.append(len(field))
    return None, "undecided", sizes


candidates_st = st.integers(min_value=1, max_value=8).map(lambda n: list(range(n)))
ballots_st = st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=7)), max_size=40)


@settings(max_examples=400)
@given(
    candidates=candidates_st,
    rounds=st.lists(ballots_st, min_size=8, max_size=8),
    seed=st.integers(),
)
def test_every_election_ends_within_as_many_rounds_as_candidates(candidates, rounds, seed):
    held, how, sizes = run_election(candidates, rounds, random.Random(seed))
    assert how != "undecided", sizes
    assert held <= len(candidates)
    assert all(a > b for a, b in zip(sizes, sizes[1:], strict=False))


@given(n=st.integers(min_value=2, max_value=8), votes=st.integers(min_value=0, max_value=5))
def test_everyone_tied_goes_to_a_lot_between_all(n, votes):
    decision = decide(dict.fromkeys(range(n), votes), abstentions=1)
    if votes == 0:
        assert decision.outcome == RoundOutcome.NO_BALLOTS
    else:
        assert decision.outcome == RoundOutcome.TIE
        assert decision.lot_among == frozenset(range(n))


def test_three_way_tie_is_a_lot_not_the_same_round_again():
    decision = decide({"a": 3, "b": 3, "c": 3}, abstentions=1)
    assert decision.outcome == RoundOutcome.TIE
    assert decision.lot_among == {"a", "b", "c"}


def test_everyone_else_tied_for_second_draws_who_joins_the_leader():
    decision = decide({"a": 4, "b": 3, "c": 3}, abstentions=0)
    assert decision.outcome == RoundOutcome.SECOND_TIE
    assert decision.next_candidates == {"a"}
    assert decision.lot_among == {"b", "c"}


def test_single_candidate_not_elected_ends_without_a_result():
    decision = decide({"a": 2}, abstentions=2)
    assert decision.outcome == RoundOutcome.NOT_ELECTED
    assert decision.is_final and not decision.next_candidates


def test_no_ballot_naming_a_candidate_ends_without_a_result():
    decision = decide({"a": 0, "b": 0, "c": 0}, abstentions=5)
    assert decision.outcome == RoundOutcome.NO_BALLOTS
    assert decision.is_final
