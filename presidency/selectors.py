"""Reads on summits and mandates."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from members.models import City, User
from members.selectors import active_cities
from presidency import checks
from presidency.enums import RoundState, SummitState
from presidency.models import (
    BallotRecord,
    Candidacy,
    Delegation,
    Election,
    LotDraw,
    Mandate,
    Round,
    Summit,
    Vote,
)


def mandate_for_year(year: int) -> Mandate | None:
    return Mandate.objects.select_related("city", "mayor").filter(year=year).first()


def current_mandate() -> Mandate | None:
    return mandate_for_year(timezone.localdate().year)


def presiding_city(year: int | None = None) -> City | None:
    mandate = mandate_for_year(year or timezone.localdate().year)
    return mandate.city if mandate else None


def summits() -> QuerySet[Summit]:
    return Summit.objects.select_related("host_city", "host_city__country")


def mandates_of_city(city: City) -> QuerySet[Mandate]:
    return Mandate.objects.filter(city=city).order_by("-year")


def mandates() -> QuerySet[Mandate]:
    return Mandate.objects.select_related(
        "city", "city__country", "mayor", "elected_at", "elected_at__host_city"
    )


# --- summits, delegations, elections ---------------------------------------------------


def upcoming_summit() -> Summit | None:
    """The summit cities are preparing for: the earliest one not closed."""
    return summits().exclude(state=SummitState.CLOSED).order_by("year").first()


def upcoming_summit_for(city: City) -> Summit | None:
    """:func:`upcoming_summit` as the city dashboard shows it: with its election
    (``summit.election`` when it has one), its host city, and as ``summit.delegation_size``
    how many people ``city`` registered for it (None before it registers)."""
    # A delegation per summit and city (unique): its size, or no row.
    delegation_size = (
        Delegation.objects.filter(summit=OuterRef("pk"), city=city)
        .annotate(size=Count("delegates"))
        .order_by()
        .values("size")
    )
    return (
        Summit.objects.select_related("host_city", "election")
        .annotate(delegation_size=Subquery(delegation_size))
        .exclude(state=SummitState.CLOSED)
        .order_by("year")
        .first()
    )


def election_of(summit: Summit) -> Election | None:
    return Election.objects.select_related("summit", "elected__city").filter(summit=summit).first()


def open_round(election: Election) -> Round | None:
    return election.rounds.filter(state=RoundState.OPEN).first()


@dataclass
class LodgingLine:
    delegation: Delegation
    persons: int
    nights: int
    meals: int


@dataclass
class Lodging:
    """What rule S7 means in numbers: the host pays lodging and meals of visiting
    delegations; travel is each delegation's own."""

    lines: list[LodgingLine]
    persons: int
    nights: int
    meals: int


def lodging(summit: Summit) -> Lodging:
    delegations = (
        Delegation.objects.filter(summit=summit)
        .exclude(city=summit.host_city_id)
        .select_related("city")
        .prefetch_related("delegates")
        .order_by("city__name")
    )
    lines = []
    for delegation in delegations:
        people = list(delegation.delegates.all())
        nights = sum(p.nights for p in people)
        # Meals on every day of the stay, arrival and departure included.
        meals = sum((p.nights + 1) * summit.meals_per_day for p in people)
        lines.append(LodgingLine(delegation, len(people), nights, meals))
    return Lodging(
        lines=lines,
        persons=sum(line.persons for line in lines),
        nights=sum(line.nights for line in lines),
        meals=sum(line.meals for line in lines),
    )


def delegation_of(*, summit: Summit, city: City) -> Delegation | None:
    # One at most (a unique constraint): by its key, without Meta.ordering's joins to the
    # summit and the city.
    return (
        Delegation.objects.filter(summit=summit, city=city)
        .prefetch_related("delegates")
        .order_by("pk")
        .first()
    )


@dataclass
class RoundResult:
    round: Round
    tallies: list[tuple[Candidacy, int]]
    abstentions: int
    ballots: int
    electorate: int
    named: list[BallotRecord] = field(default_factory=list)
    lot: LotDraw | None = None

    @property
    def for_candidates(self) -> int:
        return self.ballots - self.abstentions

    @property
    def turnout_percent(self) -> int:
        return round(100 * self.ballots / self.electorate) if self.electorate else 0


def round_results(election: Election, *, closed_only: bool = True) -> list[RoundResult]:
    """Per round: votes per candidate, abstentions, turnout; the named votes when the vote
    is not secret. Recounted from the stored votes."""
    rounds = (
        election.rounds.annotate(electorate_size=Count("electorate", distinct=True))
        .select_related("lot_draw__started_by", "lot_draw__winner__city", "elected__city")
        .prefetch_related(Prefetch("candidates", queryset=Candidacy.objects.select_related("city")))
        .order_by("number")
    )
    if closed_only:
        rounds = rounds.filter(state=RoundState.CLOSED)
    rounds = list(rounds)
    votes = (
        Vote.objects.filter(round__in=rounds)
        .values("round_id", "choice_id")
        .annotate(n=Count("id"))
        .values_list("round_id", "choice_id", "n")
    )
    counts: dict[int, dict[int | None, int]] = {}
    for round_id, choice_id, n in votes:
        counts.setdefault(round_id, {})[choice_id] = n
    ballots = dict(
        BallotRecord.objects.filter(round__in=rounds)
        .values("round_id")
        .annotate(n=Count("id"))
        .values_list("round_id", "n")
    )
    named: dict[int, list[BallotRecord]] = {}
    if not election.is_secret:
        records = (
            BallotRecord.objects.filter(round__in=rounds)
            .select_related("city", "choice__city")
            .order_by("city__name")
        )
        for record in records:
            named.setdefault(record.round_id, []).append(record)
    results = []
    for r in rounds:
        per = counts.get(r.pk, {})
        tallies = sorted(
            ((c, per.get(c.pk, 0)) for c in r.candidates.all()),
            key=lambda item: (-item[1], item[0].city.name),
        )
        results.append(
            RoundResult(
                round=r,
                tallies=tallies,
                abstentions=per.get(None, 0),
                ballots=ballots.get(r.pk, 0),
                electorate=r.electorate_size,
                named=named.get(r.pk, []),
                lot=getattr(r, "lot_draw", None),
            )
        )
    return results


def closed_round(year: int, number: int) -> Round | None:
    """A closed round by its election's year and number (an open round has no board)."""
    return (
        Round.objects.select_related("election__summit")
        .filter(election__summit__year=year, number=number, state=RoundState.CLOSED)
        .first()
    )


def ballots_with_tracker(tracker: str) -> list[Vote]:
    """The votes of closed rounds with this tracker (one, but for a one-in-10^14 chance)."""
    return list(
        Vote.objects.filter(tracker=tracker, round__state=RoundState.CLOSED)
        .select_related("round__election__summit", "choice__city__country")
        .order_by("-round__election__summit__year", "-round__number")
    )


def candidacies_of(election: Election) -> QuerySet[Candidacy]:
    return election.candidacies.select_related("city", "city__country", "proposed_by").order_by(
        "city__name"
    )


def passes(check: Callable[..., None], **kwargs) -> bool:
    """Would ``check`` let the write through? For pages: a ``can_*`` flag is the very check
    the service runs (``presidency.checks``), never the rule in other words."""
    try:
        check(**kwargs)
    except (PermissionDenied, ValidationError):
        return False
    return True


def can_see_lodging(*, summit: Summit, user: User) -> bool:
    return passes(checks.check_see_lodging, summit=summit, by=user)


def dashboard_panel(*, city: City, user: User, won: Mandate | None) -> dict:
    """What the city's dashboard shows of the summit and the election (one small panel),
    with what ``user`` (acting for ``city``) may do there: the ``can_*`` flags. ``won`` is
    the mandate the city won (:func:`city_mandates`), read by the dashboard with this year's."""
    summit = upcoming_summit_for(city)
    panel: dict = {"summit": summit, "city": city, "won": won}
    if summit is None:
        return panel
    election = summit.election if hasattr(summit, "election") else None
    panel["election"] = election
    panel["can_see_lodging"] = can_see_lodging(summit=summit, user=user)
    panel["can_register"] = passes(
        checks.check_register_delegation, summit=summit, city=city, by=user
    )
    deadline = summit.registration_deadline
    panel["registration_open"] = bool(deadline and timezone.now() <= deadline)
    if election is not None:
        candidacy = (
            election.candidacies.filter(city=city)
            .select_related("proposed_by", "city", "election__summit")
            .first()
        )
        panel["candidacy"] = candidacy
        panel["can_declare"] = passes(
            checks.check_declare,
            election=election,
            city=city,
            proposal=checks.declarable(candidacy),
            by=user,
        )
        panel["can_propose"] = passes(
            checks.check_propose, election=election, proposed_by=city, by=user
        )
        if candidacy is not None:
            panel["can_accept"] = passes(checks.check_accept, candidacy=candidacy, by=user)
            panel["can_decline"] = passes(checks.check_decline, candidacy=candidacy, by=user)
            panel["can_withdraw"] = passes(
                checks.check_withdraw, candidacy=candidacy, election=election, by=user
            )
        panel["proposals"] = [
            (proposal, passes(checks.check_withdraw_proposal, candidacy=proposal, by=user))
            for proposal in election.candidacies.filter(proposed_by=city).select_related(
                "city", "proposed_by"
            )
        ]
        panel["round"] = round_ = open_round(election)
        if round_ is not None:
            panel["may_vote"] = round_.electorate.filter(pk=city.pk).exists()
            panel["ballot"] = ballot = round_.ballot_records.filter(city=city).first()
            panel["has_voted"] = ballot is not None
            panel["can_vote"] = passes(
                checks.check_ballot, round_=round_, state=round_.state, city=city, by=user
            )
    return panel


def eligible_cities(election: Election, *, exclude: City | None = None) -> list[City]:
    """The active member cities that may stand in ``election`` now: the very check the
    service runs (``checks.check_eligibility``), for the proposal form's list."""
    cities = active_cities().order_by("name")
    if exclude is not None:
        cities = cities.exclude(pk=exclude.pk)
    return [c for c in cities if passes(checks.check_eligibility, election=election, city=c)]


@dataclass(frozen=True)
class CityMandates:
    current: Mandate | None  # the mandate of the year (rule S5): who presides
    # The mandate the city was elected to that has not started yet (for its dashboard: it
    # won, holds the presidency of that year and hosts that year's summit, rule S6).
    won: Mandate | None


def city_mandates(city: City, *, on: datetime.date) -> CityMandates:
    """The mandate of ``on``'s year and the one ``city`` won (the city dashboard decides the
    user's presidency roles by the one and shows the other)."""
    # One mandate a year (unique): by year, this year's comes first, then the city's next.
    mandates = list(
        Mandate.objects.filter(Q(year=on.year) | Q(city=city, year__gt=on.year)).order_by("year")[
            :2
        ]
    )
    return CityMandates(
        current=next((m for m in mandates if m.year == on.year), None),
        won=next((m for m in mandates if m.year > on.year), None),
    )
