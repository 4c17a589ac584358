"""The presidency's models, one module per concern."""

from presidency.models.elections import (
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
