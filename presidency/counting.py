"""The count of one round (rule P1), as a pure function of the stored ballots.

Kept free of the ORM so the rule can be tested exhaustively and shown to be independent of
the order in which ballots were cast.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from presidency.enums import RoundOutcome


@dataclass(frozen=True)
class Decision:
    outcome: str
    elected: Hashable | None = None
    # Who goes to the next round (RUNOFF, NOT_ELECTED, NO_BALLOTS) or into the lot (TIE).
    next_candidates: frozenset = field(default_factory=frozenset)


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

    - A single candidate is elected when more ballots name it than abstain.
    - Otherwise a candidate with more than half of the ballots cast for candidates is elected.
    - Two candidates with equal votes: a tie, settled by lot.
    - Otherwise the next round is held between the two leading candidates, everyone tied for
      those places included.
    """
    candidates = frozenset(counts)
    if len(candidates) == 1:
        (only,) = candidates
        if counts[only] > abstentions:
            return Decision(RoundOutcome.ELECTED, elected=only)
        return Decision(RoundOutcome.NOT_ELECTED, next_candidates=candidates)
    for_candidates = sum(counts.values())
    if for_candidates == 0:
        return Decision(RoundOutcome.NO_BALLOTS, next_candidates=candidates)
    top = max(counts.values())
    leaders = frozenset(c for c, n in counts.items() if n == top)
    if len(leaders) == 1 and 2 * top > for_candidates:
        (winner,) = leaders
        return Decision(RoundOutcome.ELECTED, elected=winner)
    if len(candidates) == 2:  # two candidates, no majority: they are tied
        return Decision(RoundOutcome.TIE, next_candidates=candidates)
    if len(leaders) >= 2:
        return Decision(RoundOutcome.RUNOFF, next_candidates=leaders)
    second = max(n for c, n in counts.items() if c not in leaders)
    return Decision(
        RoundOutcome.RUNOFF,
        next_candidates=frozenset(c for c, n in counts.items() if n >= second),
    )
