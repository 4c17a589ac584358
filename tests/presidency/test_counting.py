"""The count (rule P1), as a pure function: majorities, runoffs, ties, a single candidate."""

from hypothesis import given
from hypothesis import strategies as st

from presidency.counting import Decision, decide, tally
from presidency.enums import RoundOutcome


def test_decide_majority_of_ballots_for_candidates_elects():
    assert decide({"a": 3, "b": 2}, abstentions=10) == Decision(RoundOutcome.ELECTED, elected="a")


def test_decide_exactly_half_is_not_a_majority_runoff_between_two_leaders():
    decision = decide({"a": 4, "b": 3, "c": 1}, abstentions=0)
    assert decision == Decision(RoundOutcome.RUNOFF, next_candidates=frozenset({"a", "b"}))


def test_decide_everyone_tied_for_second_place_goes_through():
    decision = decide({"a": 4, "b": 2, "c": 2, "d": 1}, abstentions=0)
    assert decision.outcome == RoundOutcome.RUNOFF
    assert decision.next_candidates == frozenset({"a", "b", "c"})


def test_decide_two_tied_leaders_go_through_alone():
    decision = decide({"a": 3, "b": 3, "c": 2}, abstentions=0)
    assert decision.next_candidates == frozenset({"a", "b"})


def test_decide_three_way_tie_goes_to_a_lot_between_all_three():
    decision = decide({"a": 3, "b": 3, "c": 3}, abstentions=1)
    assert decision == Decision(RoundOutcome.TIE, lot_among=frozenset({"a", "b", "c"}))


def test_decide_tie_between_two_candidates_goes_to_the_lot():
    assert decide({"a": 5, "b": 5}, abstentions=3) == Decision(
        RoundOutcome.TIE, lot_among=frozenset({"a", "b"})
    )


def test_decide_single_candidate_elected_with_more_votes_than_abstentions():
    assert decide({"a": 4}, abstentions=3) == Decision(RoundOutcome.ELECTED, elected="a")


def test_decide_single_candidate_not_elected_when_abstentions_match():
    decision = decide({"a": 3}, abstentions=3)
    assert decision == Decision(RoundOutcome.NOT_ELECTED)


def test_decide_no_ballot_for_a_candidate():
    assert decide({"a": 0, "b": 0}, abstentions=4).outcome == RoundOutcome.NO_BALLOTS


def test_tally_counts_every_candidate_and_abstentions():
    assert tally(["a", "b", "c"], ["a", None, "a", "b", None]) == ({"a": 2, "b": 1, "c": 0}, 2)


ballots = st.lists(st.sampled_from(["a", "b", "c", None]), max_size=40)


@given(ballots, st.randoms())
def test_count_does_not_depend_on_the_order_of_ballots(choices, rnd):
    shuffled = list(choices)
    rnd.shuffle(shuffled)
    assert decide(*tally("abc", choices)) == decide(*tally("abc", shuffled))


@given(st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 30), min_size=2))
def test_an_elected_candidate_has_more_than_half(counts):
    decision = decide(counts, 0)
    if decision.outcome == RoundOutcome.ELECTED:
        assert 2 * counts[decision.elected] > sum(counts.values())
    if decision.outcome == RoundOutcome.RUNOFF:
        assert len(decision.next_candidates) >= 2
