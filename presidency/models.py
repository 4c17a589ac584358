import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import City, Person
from presidency.enums import (
    CandidacyState,
    DelegateRole,
    ElectionState,
    RoundOutcome,
    RoundState,
    SummitState,
)


class Summit(models.Model):
    """The Annual Summit (rules S2, S6): one a year, hosted by the presiding city."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    host_city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="hosted_summits", verbose_name=_("host city")
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    programme = models.TextField(_("programme"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=SummitState.choices, default=SummitState.PLANNED
    )
    registration_deadline = models.DateTimeField(
        _("delegation registration deadline"),
        null=True,
        blank=True,
        help_text=_("Member cities register their delegation until then; empty: not open yet."),
    )
    meals_per_day = models.PositiveSmallIntegerField(
        _("meals per day covered by the host"),
        default=3,
        help_text=_("Rule S7: the host pays lodging and meals of the visiting delegations."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("summit")
        verbose_name_plural = _("summits")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="presidency_summit_dates_ordered",
                violation_error_message=_("A summit cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return _("Summit %(year)s, %(city)s") % {"year": self.year, "city": self.host_city}

    def get_absolute_url(self) -> str:
        return reverse("presidency:summit-detail", kwargs={"year": self.year})


class Mandate(models.Model):
    """A presidential mandate: one calendar year led by one member city (S1, S5)."""

    year = models.PositiveSmallIntegerField(
        _("year"),
        unique=True,
        error_messages={"unique": _("There is already a mandate for this year (rule S1).")},
    )
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="mandates", verbose_name=_("presiding city")
    )
    mayor = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mandates",
        verbose_name=_("mayor"),
    )
    elected_at = models.ForeignKey(
        Summit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="elected_mandates",
        verbose_name=_("elected at"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["-year"]
        # rule S4 is also an exclusion constraint on PostgreSQL (migration 0004): no city
        # holds the mandates of two consecutive years, whatever door wrote them.

    def __str__(self) -> str:
        return _("Presidency %(year)s: %(city)s") % {"year": self.year, "city": self.city}

    def clean(self) -> None:
        # The admin's form and every service call full_clean(); rule S4 lives in one validator.
        from presidency.validators import validate_not_consecutive

        if self.city_id and self.year:
            validate_not_consecutive(city=self.city, year=self.year, exclude_pk=self.pk)


class Delegation(models.Model):
    """A member city's delegation to a summit. Travel is its own; the host pays lodging and
    meals (rule S7)."""

    summit = models.ForeignKey(
        Summit, on_delete=models.CASCADE, related_name="delegations", verbose_name=_("summit")
    )
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="delegations", verbose_name=_("city")
    )
    present = models.BooleanField(_("present at the summit"), default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["summit", "city__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["summit", "city"],
                name="presidency_delegation_one_per_city",
                violation_error_message=_("This city already has a delegation at this summit."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(city)s at the %(year)s summit") % {"city": self.city, "year": self.summit.year}


class Delegate(models.Model):
    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="delegates", verbose_name=_("delegation")
    )
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(
        _("role"), max_length=10, choices=DelegateRole.choices, default=DelegateRole.MEMBER
    )
    arrives_on = models.DateField(_("arrival"))
    departs_on = models.DateField(_("departure"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        ordering = ["delegation", "role", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(departs_on__gte=F("arrives_on")),
                name="presidency_delegate_dates_ordered",
                violation_error_message=_("A delegate cannot leave before arriving."),
            ),
            models.UniqueConstraint(
                fields=["delegation"],
                condition=Q(role=DelegateRole.HEAD),
                name="presidency_delegate_one_head",
                violation_error_message=_("A delegation has one head."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    @property
    def nights(self) -> int:
        return (self.departs_on - self.arrives_on).days


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
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-summit__year"]

    def __str__(self) -> str:
        return _("Election at the %(year)s summit") % {"year": self.summit.year}

    @property
    def year(self) -> int:
        return self.summit.year


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
        return _("Round %(number)s") % {"number": self.number}

    @property
    def is_open(self) -> bool:
        return self.state == RoundState.OPEN


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

    class Meta:
        verbose_name = _("ballot record")
        verbose_name_plural = _("ballot records")
        ordering = ["round", "city__name"]
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
    """A ballot's content, counted for the result.

    Deliberately unlinkable to the city: a random UUID key (no sequence to match against
    ballot records), no timestamp, no user, no ordering. Closing a secret round rewrites its
    votes in random order (see ``services.close_round``).
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

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")

    def __str__(self) -> str:
        return str(self.choice or _("abstention"))


class LotDraw(models.Model):
    """A tie between two candidates settled by lot, drawn by the portal and kept for all to see."""

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
