"""The election at the Annual Summit: candidacies, rounds, ballots, the lot (S2–S4, P1)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import City
from presidency import board
from presidency.enums import (
    AttemptOutcome,
    CandidacyState,
    ElectionState,
    RoundOutcome,
    RoundState,
)
from presidency.models.summits import Summit


class Election(models.Model):
    """The election of the next presiding city at a summit (rules S2–S5, P1)."""

    summit = models.OneToOneField(
        Summit, on_delete=models.PROTECT, related_name="election", verbose_name=_("summit")
    )
    is_secret = models.BooleanField(
        _("secret ballot"),
        default=True,
        help_text=_(
            "Secret: the portal records that a city voted and keeps its choice unlinked from "
            "the city. Otherwise each city's vote is published."
        ),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ElectionState.choices, default=ElectionState.PLANNED
    )
    candidacy_opened_at = models.DateTimeField(_("candidacy period opened"), null=True, blank=True)
    candidacy_closed_at = models.DateTimeField(_("candidacy period closed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    elected = models.ForeignKey(
        "Candidacy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("elected"),
    )
    no_result_reason = models.TextField(
        _("why the election ended without a result"),
        blank=True,
        default="",
        db_default="",
        help_text=_("Shown on the summit's public page when no city was elected."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-summit__year"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=ElectionState.CLOSED)
                | Q(elected__isnull=False, no_result_reason="")
                | Q(elected__isnull=True) & ~Q(no_result_reason=""),
                name="presidency_election_closed_with_result_or_reason",
                violation_error_message=_(
                    "A closed election has either an elected city or the reason why it ended "
                    "without one."
                ),
            ),
        ]

    def __str__(self) -> str:
        return _("Election at the %(year)s summit") % {"year": self.summit.year}

    @property
    def year(self) -> int:
        return self.summit.year

    @property
    def is_closed(self) -> bool:
        return self.state == ElectionState.CLOSED

    @property
    def ended_without_result(self) -> bool:
        """Closed with no city elected (its ``no_result_reason`` says why)."""
        return self.is_closed and self.elected_id is None


class Candidacy(models.Model):
    """A city standing for the presidency (rules S2, S3). One per city per election."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="candidacies", verbose_name=_("election")
    )
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="candidacies", verbose_name=_("city")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=CandidacyState.choices, default=CandidacyState.ACTIVE
    )
    statement = models.TextField(_("statement"), blank=True)
    proposed_by = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("proposed by"),
        help_text=_("Empty when the city declared its own candidacy."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted, declined or withdrawn by"),
    )
    decided_at = models.DateTimeField(_("accepted, declined or withdrawn"), null=True, blank=True)
    consent_reference = models.CharField(
        _("reference of the paper consent"),
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text=_(
            "When the proposed city's mayor consented on paper: the document's reference, "
            "recorded by the secretariat (rule S3)."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("candidacy")
        verbose_name_plural = _("candidacies")
        ordering = ["election", "city__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "city"],
                name="presidency_candidacy_one_per_city",
                violation_error_message=_(
                    "This city already has a candidacy in this election (one per city, rule S2)."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(proposed_by=F("city")),
                name="presidency_candidacy_not_self_proposed",
                violation_error_message=_(
                    "A city declares its own candidacy; it does not propose itself."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.city)

    @property
    def is_proposal(self) -> bool:
        """Proposed by another city, not accepted (nor declined) yet (rule S3)."""
        return self.state == CandidacyState.PROPOSED


class Round(models.Model):
    """One round of voting. Its electorate is frozen when it opens (rule P1)."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("election")
    )
    number = models.PositiveSmallIntegerField(_("round"))
    state = models.CharField(
        _("state"), max_length=10, choices=RoundState.choices, default=RoundState.OPEN
    )
    candidates = models.ManyToManyField(
        Candidacy, related_name="rounds", verbose_name=_("candidates")
    )
    electorate = models.ManyToManyField(
        City,
        related_name="electorates",
        verbose_name=_("electorate"),
        help_text=_("The active member cities when the round opened: one vote each."),
    )
    opened_at = models.DateTimeField(_("opened"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=RoundOutcome.choices, blank=True
    )
    elected = models.ForeignKey(
        Candidacy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("elected"),
    )
    # The ballot board (issue 20, ``presidency.board``): the head of the chain while the
    # round is open, and at the close the sealed board with its final digest.
    chain_head = models.CharField(_("last digest of the ballot chain"), max_length=64, blank=True)
    board = models.JSONField(_("ballot board"), null=True, blank=True, editable=False)
    board_digest = models.CharField(
        _("final digest of the ballot board"),
        max_length=64,
        blank=True,
        help_text=_("Mailed to every member city when the round closed."),
    )

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["election", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "number"],
                name="presidency_round_unique_number",
                violation_error_message=_("This election already has a round of this number."),
            ),
            models.UniqueConstraint(
                fields=["election"],
                condition=Q(state=RoundState.OPEN),
                name="presidency_round_one_open",
                violation_error_message=_("A round of this election is open already."),
            ),
        ]

    def __str__(self) -> str:
        return _("Round %(number)s of the %(year)s election") % {
            "number": self.number,
            "year": self.election.summit.year,
        }

    @property
    def is_open(self) -> bool:
        return self.state == RoundState.OPEN

    def get_board_url(self) -> str:
        return reverse(
            "presidency:round-board",
            kwargs={"year": self.election.summit.year, "number": self.number},
        )


class BallotRecord(models.Model):
    """That a city voted in a round, who cast it and how (rule P1: one city, one vote).

    In a secret election this row says nothing about the choice: the choice is a
    :class:`Vote` with no link to this row.
    """

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="ballot_records", verbose_name=_("round")
    )
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="ballot_records", verbose_name=_("city")
    )
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cast or entered by"),
    )
    paper = models.BooleanField(
        _("paper ballot"),
        default=False,
        help_text=_("Entered by the secretariat on the city's behalf."),
    )
    cast_at = models.DateTimeField(_("cast"))
    # Named votes only; both stay empty in a secret election.
    choice = models.ForeignKey(
        Candidacy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("named choice"),
    )
    abstained = models.BooleanField(_("abstained (named vote)"), null=True, blank=True)
    tracker = models.CharField(_("tracker (named vote)"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("ballot record")
        verbose_name_plural = _("ballot records")
        ordering = ["round", "city__name"]
        indexes = [
            # The admin's list, latest first (ordering by round and city name sorts them all).
            models.Index(fields=["-cast_at", "-id"], name="presidency_ballotrecord_recent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "city"],
                name="presidency_ballot_one_per_city",
                violation_error_message=_("This city has already voted in this round (rule P1)."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.city}"


class Vote(models.Model):
    """A ballot's content, counted for the result, with its tracker and place in the chain.

    Deliberately unlinkable to the city: a random UUID key (no sequence to match against
    ballot records), no timestamp, no user, no ordering. While the round is open the chain
    (``previous`` → ``digest``) runs in the order ballots came in; closing the round rewrites
    its votes, with new keys, in tracker order and chained in that order (see
    ``services.close_round`` and ``presidency.board``).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="votes", verbose_name=_("round")
    )
    choice = models.ForeignKey(
        Candidacy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="votes",
        verbose_name=_("choice"),
        help_text=_("Empty: an abstention."),
    )
    tracker = models.CharField(_("tracker"), max_length=10, default=board.new_tracker)
    previous = models.CharField(_("previous digest"), max_length=64, blank=True)
    digest = models.CharField(_("digest"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "tracker"], name="presidency_vote_unique_tracker"
            ),
        ]

    def __str__(self) -> str:
        return str(self.choice or _("abstention"))


class BallotAttempt(models.Model):
    """Every attempt to cast a ballot, refused ones too (RELIABILITY 12): who, for which
    city, when, and whether it was accepted or why not. Never the choice."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="ballot_attempts", verbose_name=_("round")
    )
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    paper = models.BooleanField(_("paper ballot"), default=False)
    attempted_at = models.DateTimeField(_("attempted"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=AttemptOutcome.choices)
    reason = models.CharField(_("reason refused"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("ballot attempt")
        verbose_name_plural = _("ballot attempts")
        ordering = ["-attempted_at"]

    def __str__(self) -> str:
        return f"{self.round}: {self.city} ({self.get_outcome_display()})"


class LotDraw(models.Model):
    """A tie settled by lot, drawn by the portal and kept for all to see: between all the
    candidates of a round (the drawn one is elected) or between those tied for second place
    (the drawn one goes to the next round)."""

    round = models.OneToOneField(
        Round, on_delete=models.CASCADE, related_name="lot_draw", verbose_name=_("round")
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )
    drawn_at = models.DateTimeField(_("drawn"))
    source = models.CharField(_("random source"), max_length=200)
    candidates = models.JSONField(
        _("candidates in the draw"), help_text=_("In the order the draw indexed them.")
    )
    drawn_index = models.PositiveSmallIntegerField(_("drawn index"))
    winner = models.ForeignKey(
        Candidacy, on_delete=models.PROTECT, related_name="+", verbose_name=_("drawn")
    )

    class Meta:
        verbose_name = _("lot draw")
        verbose_name_plural = _("lot draws")

    def __str__(self) -> str:
        return _("Lot drawn for %(round)s") % {"round": self.round}
