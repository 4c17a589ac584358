"""The count of one round (rule P1), as a pure function of the stored ballots.

Kept free of the ORM so the rule can be tested exhaustively and shown to be independent of
the order in which ballots were cast.

Every round makes progress (``tests/presidency/test_counting_progress.py``): it elects a
candidate, ends the election without one, or sends strictly fewer candidates to the next
round. Where candidates are tied so that no smaller field follows from the votes, a lot
is drawn between all of them, whatever their number (``lot_among``).
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from presidency.enums import RoundOutcome

# Outcomes after which the election has no further round and nobody is elected by it.
NO_RESULT = frozenset({RoundOutcome.NOT_ELECTED, RoundOutcome.NO_BALLOTS})


@dataclass(frozen=True)
class Decision:
    outcome: str
    elected: Hashable | None = None
    # Who goes to the next round whatever a lot gives (RUNOFF, SECOND_TIE).
    next_candidates: frozenset = field(default_factory=frozenset)
    # The tied candidates a lot is drawn between: for the election (TIE) or for the
    # remaining place in the next round (SECOND_TIE).
    lot_among: frozenset = field(default_factory=frozenset)

    @property
    def is_final(self) -> bool:
        """No further round follows from this count (a lot may still decide who is elected)."""
        return self.outcome in NO_RESULT or self.outcome in (
            RoundOutcome.ELECTED,
            RoundOutcome.TIE,
        )


def tally(candidates: Iterable[Hashable], choices: Iterable[Hashable | None]) -> tuple[dict, int]:
    """Votes per candidate (every candidate present, zero included) and abstentions (None)."""
    counts = dict.fromkeys(candidates, 0)
    abstentions = 0
    for choice in choices:
        if choice is None:
            abstentions += 1
        else:
            counts[choice] += 1
    return counts, abstentions


def decide(counts: Mapping[Hashable, int], abstentions: int) -> Decision:
    """Apply the rule of the count.

    - A single candidate is elected when more ballots name it than abstain; otherwise it is
      not elected and the election ends without a president (NOT_ELECTED).
    - No ballot names any candidate: the election ends without a president (NO_BALLOTS).
    - A candidate with more than half of the ballots cast for candidates is elected.
    - All candidates with equal votes: a tie, settled by lot between all of them (TIE).
    - Several, but not all, candidates share the lead: they alone go to the next round.
    - One leader without a majority: the next round is between the leader and the runner-up;
      when the runner-up place is shared by everyone else, a lot draws which of them goes
      through (SECOND_TIE), so the next round always has fewer candidates.
    """
    candidates = frozenset(counts)
    if not candidates:
        return Decision(RoundOutcome.NO_BALLOTS)
    if len(candidates) == 1:
        (only,) = candidates
        if counts[only] > abstentions:
            return Decision(RoundOutcome.ELECTED, elected=only)
        return Decision(RoundOutcome.NOT_ELECTED)
    for_candidates = sum(counts.values())
    if for_candidates == 0:
        return Decision(RoundOutcome.NO_BALLOTS)
    top = max(counts.values())
    leaders = frozenset(c for c, n in counts.items() if n == top)
    if len(leaders) == 1 and 2 * top > for_candidates:
        (winner,) = leaders
        return Decision(RoundOutcome.ELECTED, elected=winner)
    if leaders == candidates:  # everyone tied: no smaller field follows from the votes
        return Decision(RoundOutcome.TIE, lot_among=candidates)
    if len(leaders) >= 2:
        return Decision(RoundOutcome.RUNOFF, next_candidates=leaders)
    second = max(n for c, n in counts.items() if c not in leaders)
    runners_up = frozenset(c for c, n in counts.items() if n == second)
    if leaders | runners_up == candidates and len(runners_up) >= 2:
        return Decision(RoundOutcome.SECOND_TIE, next_candidates=leaders, lot_among=runners_up)
    return Decision(RoundOutcome.RUNOFF, next_candidates=leaders | runners_up)
