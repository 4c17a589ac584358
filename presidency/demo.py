"""Demo data for the presidency: past mandates and summits, a decided election at the 2025
summit, and the 2026 summit open with its candidacy period running. Idempotent; every
summit's programme says "(demo)"."""

import datetime

from django.utils import timezone

from members.models import City, User
from members.selectors import current_mayor
from presidency import services
from presidency.enums import ElectionState, SummitState
from presidency.models import Candidacy, Election, Mandate, Summit

DEMO = "(demo)"
# year -> presiding city; no city twice in a row (rule S4); the president hosts (rule S6).
PRESIDENTS = {2022: "istanbul", 2023: "belgrade", 2024: "thessaloniki", 2025: "sarajevo"}
ELECTED_2025 = "athens"  # elected at the 2025 summit for 2026 (rule S5)


def _city(slug: str) -> City:
    return City.objects.get(slug=slug)


def _summit(year: int, slug: str, *, state: str, starts_on: datetime.date) -> Summit:
    summit, _ = Summit.objects.get_or_create(
        year=year,
        defaults={
            "host_city": _city(slug),
            "starts_on": starts_on,
            "ends_on": starts_on + datetime.timedelta(days=1),
            "venue": f"City hall of {_city(slug).name} {DEMO}",
            "programme": f"Annual Summit {year} {DEMO}: the year's report, the working groups, "
            "the election of the next presiding city.",
            "state": state,
        },
    )
    return summit


def load() -> None:
    staff = User.objects.get(username="secretariat")
    founding = Summit.objects.get(year=2021)
    elected_at = founding
    for year, slug in PRESIDENTS.items():
        summit = _summit(
            year, slug, state=SummitState.CLOSED, starts_on=datetime.date(year, 11, 20)
        )
        if not Mandate.objects.filter(year=year).exists():
            services.record_mandate(
                year=year, city=_city(slug), mayor=current_mayor(_city(slug)), elected_at=elected_at
            )
        elected_at = summit
    summit_2026 = _summit(
        2026, ELECTED_2025, state=SummitState.OPEN, starts_on=datetime.date(2026, 12, 10)
    )
    if not summit_2026.registration_deadline:
        summit_2026.registration_deadline = timezone.make_aware(
            datetime.datetime(2026, 12, 5, 23, 59)
        )
        summit_2026.save()
    _election_2025(staff)
    _election_2026(summit_2026, staff)
    _delegations(summit_2026, staff)


def _election_2025(staff: User) -> None:
    """A decided secret election at the 2025 summit: Athens elected for 2026."""
    summit = Summit.objects.get(year=2025)
    election, created = Election.objects.get_or_create(summit=summit, defaults={"is_secret": True})  # nosec B105
    if not created:
        return
    services.open_candidacy(election=election, by=staff)
    athens = services.submit_candidacy(
        election=election, city=_city("athens"), statement=f"Athens for 2026 {DEMO}", by=staff
    )
    split = services.submit_candidacy(
        election=election, city=_city("split"), statement=f"Split for 2026 {DEMO}", by=staff
    )
    services.close_candidacy(election=election, by=staff)
    round_ = services.open_round(election=election, by=staff)
    voters = list(round_.electorate.order_by("name"))
    for i, city in enumerate(voters[:20]):
        choice = None if i % 7 == 6 else (athens if i % 3 else split)
        services.cast_ballot(round=round_, city=city, choice=choice, by=staff, paper=True)
    services.close_round(round=round_, by=staff)
    services.close_election(election=election, by=staff)


def _election_2026(summit: Summit, staff: User) -> None:
    """The 2026 election, its candidacy period open: two candidates and a pending proposal."""
    election, created = Election.objects.get_or_create(summit=summit, defaults={"is_secret": True})  # nosec B105
    if election.state == ElectionState.PLANNED:
        services.open_candidacy(election=election, by=staff)
    for slug in ("split", "kotor"):
        if not Candidacy.objects.filter(election=election, city__slug=slug).exists():
            services.submit_candidacy(
                election=election,
                city=_city(slug),
                statement=f"{_city(slug).name} for the presidency of 2027 {DEMO}",
                by=staff,
            )
    if not Candidacy.objects.filter(election=election, city__slug="edirne").exists():
        services.propose_candidacy(
            election=election,
            city=_city("edirne"),
            proposed_by=_city("kirklareli"),
            statement=f"Edirne would serve the network well {DEMO}",
            by=staff,
        )


def _delegations(summit: Summit, staff: User) -> None:
    arrive, leave = summit.starts_on - datetime.timedelta(days=1), summit.ends_on
    for slug, size in (("istanbul", 3), ("tirana", 2), ("split", 2), ("skopje", 1)):
        city = _city(slug)
        if summit.delegations.filter(city=city).exists():
            continue
        services.register_delegation(
            summit=summit,
            city=city,
            delegates=[
                services.DelegateData(
                    name=f"{'Head' if i == 0 else 'Member'} of {city.name} {DEMO}",
                    role="head" if i == 0 else "member",
                    arrives_on=arrive,
                    departs_on=leave,
                )
                for i in range(size)
            ],
            by=staff,
        )
