"""The presidency's models, one module per concern."""

from presidency.models.elections import (
    BallotAttempt,
    BallotRecord,
    Candidacy,
    Election,
    LotDraw,
    Round,
    Vote,
)
from presidency.models.mandates import Mandate
from presidency.models.summits import Delegate, Delegation, Summit

__all__ = [
    "BallotAttempt",
    "BallotRecord",
    "Candidacy",
    "Delegate",
    "Delegation",
    "Election",
    "LotDraw",
    "Mandate",
    "Round",
    "Summit",
    "Vote",
]
