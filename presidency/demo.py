"""Demo data for the presidency, all through the services and marked "(demo)".

The building blocks of a year's summit and election, which the demo's history
(``secretariat/demo_history.py``) calls in the order and at the moments they happened,
with the clock set to each moment (``common.clock``); and ``load()``, the present: the 2026
summit open, its candidacy period running, a few delegations registered.
"""

import datetime
import random
from collections.abc import Iterable, Mapping

from django.utils import timezone

from members.demo import city_actor
from members.enums import CityRole
from members.models import City, User
from presidency import services
from presidency.enums import (
    CandidacyState,
    DelegateRole,
    ElectionState,
    RoundOutcome,
    SummitState,
)
from presidency.models import Candidacy, Election, LotDraw, Round, Summit

DEMO = "(demo)"
CURRENT_SUMMIT_YEAR = 2026  # Athens, elected at the 2025 summit (rule S5), hosts it (rule S6)
DRAWN = "(drawn)"  # in a round's votes: the candidate a lot sent to it


def city(slug: str) -> City:
    return City.objects.get(slug=slug)


def mayor(slug: str) -> User:
    """Who acts for the city's mayor in the history (a candidacy is the mayor's act, S3)."""
    return city_actor(city(slug), role=CityRole.MAYOR)


# --- the summit (rules S6, S7) ---------------------------------------------------------


def prepare_summit(
    *, year: int, starts_on: datetime.date, days: int = 2, deadline_days: int = 10
) -> Summit:
    """The host confirms the dates and venue of its summit and opens the registration of
    delegations (the summit was created, hosted by the elected city, when the previous
    election closed: rule S6). Saved as the admin saves it."""
    summit = Summit.objects.select_related("host_city").get(year=year)
    host = summit.host_city.name
    summit.starts_on = starts_on
    summit.ends_on = starts_on + datetime.timedelta(days=days - 1)
    summit.venue = f"City hall of {host} {DEMO}"
    summit.programme = (
        f"Annual Summit {year} in {host} {DEMO}: the annual report, the working groups, the "
        "admission of new members, the election of the next presiding city."
    )
    summit.state = SummitState.OPEN
    day = starts_on - datetime.timedelta(days=deadline_days)
    summit.registration_deadline = timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(23, 59))
    )
    summit.full_clean()
    summit.save()
    return summit


def register_delegation(*, summit: Summit, slug: str, size: int, nights: int = 2) -> None:
    """The city registers its delegation itself, before the deadline (rule S7: the host
    pays lodging and meals, so the stay is what counts)."""
    member = city(slug)
    arrives = summit.starts_on - datetime.timedelta(days=max(0, nights - 1))
    services.register_delegation(
        summit=summit,
        city=member,
        delegates=[
            services.DelegateData(
                name=f"{'Head' if i == 0 else 'Member'} of {member.name} {DEMO}"
                if DEMO not in member.name
                else f"{'Head' if i == 0 else 'Member'} of {member.name}",
                role=DelegateRole.HEAD if i == 0 else DelegateRole.MEMBER,
                arrives_on=arrives,
                departs_on=summit.ends_on,
            )
            for i in range(size)
        ],
        by=city_actor(member),
    )


def record_presence(*, summit: Summit, absent: Iterable[str], by: User) -> None:
    absent = set(absent)
    for delegation in summit.delegations.select_related("city"):
        services.set_delegation_presence(
            delegation=delegation, present=delegation.city.slug not in absent, by=by
        )


def close_summit(summit: Summit) -> None:
    summit.refresh_from_db()
    summit.state = SummitState.CLOSED
    summit.full_clean()
    summit.save()


# --- the election (rules S2–S5, P1) ----------------------------------------------------


def open_election(*, year: int, by: User) -> Election:
    election, _created = Election.objects.get_or_create(
        summit=Summit.objects.get(year=year),
        defaults={"is_secret": True},  # nosec B105
    )
    return services.open_candidacy(election=election, by=by)


def declare(*, election: Election, slug: str) -> Candidacy:
    member = city(slug)
    return services.submit_candidacy(
        election=election,
        city=member,
        statement=f"{member.name} for the presidency of {election.summit.year + 1} {DEMO}",
        by=mayor(slug),
    )


def propose(*, election: Election, slug: str, by_slug: str) -> Candidacy:
    return services.propose_candidacy(
        election=election,
        city=city(slug),
        proposed_by=city(by_slug),
        statement=f"{city(slug).name} would serve the network well {DEMO}",
        by=mayor(by_slug),
    )


def answer_proposal(*, election: Election, slug: str, accept: bool) -> Candidacy:
    candidacy = Candidacy.objects.get(
        election=election, city__slug=slug, state=CandidacyState.PROPOSED
    )
    answer = services.accept_proposal if accept else services.decline_proposal
    return answer(candidacy=candidacy, by=mayor(slug))


def withdraw(*, election: Election, slug: str) -> Candidacy:
    candidacy = Candidacy.objects.get(election=election, city__slug=slug)
    return services.withdraw_candidacy(candidacy=candidacy, by=mayor(slug))


def vote_round(
    *, election: Election, votes: Mapping[str | None, int], by: User, rng: random.Random
) -> Round:
    """Open a round, have the cities of its electorate cast ``votes`` (candidate slug →
    ballots; ``None``: abstentions) as paper ballots at the summit, the rest not voting,
    and close it: the count decides (rule P1)."""
    round_ = services.open_round(election=election, by=by)
    electorate = list(round_.electorate.order_by("slug"))
    rng.shuffle(electorate)
    if sum(votes.values()) > len(electorate):
        raise ValueError(f"{sum(votes.values())} ballots for {len(electorate)} voters")
    candidates = {c.city.slug: c for c in round_.candidates.select_related("city")}
    previous = election.rounds.filter(number=round_.number - 1).first()
    drawn = LotDraw.objects.filter(round=previous).first() if previous else None
    if drawn is not None:
        candidates[DRAWN] = drawn.winner
    voters = iter(electorate)
    for slug, count in votes.items():
        choice = None if slug is None else candidates[slug]
        for _ in range(count):
            services.cast_ballot(round=round_, city=next(voters), choice=choice, by=by, paper=True)
    round_ = services.close_round(round=round_, by=by)
    if round_.outcome in (RoundOutcome.TIE, RoundOutcome.SECOND_TIE):
        services.draw_lot(round=round_, by=by)  # drawn at the summit, published (rule P1)
    return round_


# --- the present ----------------------------------------------------------------------


def load() -> None:
    """The 2026 summit in Athens, open, with its candidacy period running (idempotent)."""
    staff = User.objects.get(username="secretariat")
    summit = Summit.objects.filter(year=CURRENT_SUMMIT_YEAR).first()
    if summit is None:  # made by the close of the 2025 election, in the demo's history
        return
    if summit.state == SummitState.PLANNED:
        summit = prepare_summit(
            year=CURRENT_SUMMIT_YEAR,
            starts_on=datetime.date(CURRENT_SUMMIT_YEAR, 12, 10),
            deadline_days=5,
        )
    _election(summit, staff)
    _delegations(summit, staff)


def _election(summit: Summit, staff: User) -> None:
    """The 2026 election, its candidacy period open: two candidates and a pending proposal."""
    election, _created = Election.objects.get_or_create(summit=summit, defaults={"is_secret": True})  # nosec B105
    if election.state == ElectionState.PLANNED:
        services.open_candidacy(election=election, by=staff)
    for slug in ("split", "kotor"):
        if not Candidacy.objects.filter(election=election, city__slug=slug).exists():
            declare(election=election, slug=slug)
    if not Candidacy.objects.filter(election=election, city__slug="edirne").exists():
        propose(election=election, slug="edirne", by_slug="kirklareli")


def _delegations(summit: Summit, staff: User) -> None:
    arrive, leave = summit.starts_on - datetime.timedelta(days=1), summit.ends_on
    for slug, size in (("athens", 4), ("istanbul", 3), ("tirana", 2), ("split", 2), ("skopje", 1)):
        member = city(slug)
        if summit.delegations.filter(city=member).exists():
            continue
        services.register_delegation(
            summit=summit,
            city=member,
            delegates=[
                services.DelegateData(
                    name=f"{'Head' if i == 0 else 'Member'} of {member.name} {DEMO}",
                    role=DelegateRole.HEAD if i == 0 else DelegateRole.MEMBER,
                    arrives_on=arrive,
                    departs_on=leave,
                )
                for i in range(size)
            ],
            by=staff,
        )
