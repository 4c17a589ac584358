"""Five years of the network's life since the founding summit, for the demo.

Every step goes through the services that every door uses, at the moment it happened:
the steps are put on one timeline, sorted, and each runs with the clock set to its moment
(``common.clock.frozen_at``), so each service checks the charter against that moment and
stamps its rows with it. The order matters and is the charter's: a city admitted at a
summit (rule M2) votes in that summit's election (rule P1) and is reached by the
announcements that follow, not by those before; the city elected at the summit of year N
presides in N+1 (rule S5) and hosts the summit of N+1 (rule S6), where it cannot stand
again (rule S4); each mandate's goals are agreed by the president and the secretariat at
its start (rules G1, S8); the working groups meet every three months as the cadence plans
it (rule W3), with a few extra sessions at a member's request (rule W4) and one new group
created with both keys (rule W5).

Deterministic (fixed dates, a fixed seed), idempotent (the whole history is written once,
in the demo's transaction), and only the past: a step dated after the real now is left
for the present, which each app's ``demo.load()`` writes.
"""

import datetime
import itertools
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.utils import timezone

from common.clock import frozen_at
from members.models import City, User
from presidency import demo as presidency_demo
from presidency import services as presidency_services
from presidency.models import Election, Mandate, Summit
from secretariat import demo_applications, demo_workspace
from secretariat.enums.applications import ApplicationState
from secretariat.enums.workspace import FollowUpState
from secretariat.models.applications import Application
from secretariat.models.workspace import Goal, Recommendation
from secretariat.services import workspace as workspace_services
from secretariat.services.cities import withdraw_member_city
from workinggroups import demo as groups_demo
from workinggroups.enums import MeetingKind
from workinggroups.models import Meeting, WorkingGroup

logger = logging.getLogger(__name__)

DEMO = "(demo)"
SEED = 40
FOUNDING_YEAR = 2021  # the founding summit, Istanbul, 29–30 November 2021 (fact F1)
LAST_YEAR = 2025  # the last year written whole; 2026 is the present
MEETINGS_UNTIL = datetime.datetime(2026, 12, 31, 23, 59)  # the cadence, up to the real now
FOUNDING_GROUPS = list(groups_demo.MEMBERS)


@dataclass(frozen=True)
class Filing:
    """A membership application: filed, then admitted at its summit, declined or withdrawn."""

    city: str
    code: str
    filed: datetime.date
    outcome: str  # ApplicationState.ADMITTED / DECLINED / WITHDRAWN / PROPOSED
    groups: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class GoalPlan:
    title: str
    indicator: str
    unit: str
    baseline: str
    target: str
    group: str
    progress: tuple[str, ...]  # recorded mid-April, July, October and December


@dataclass(frozen=True)
class RecommendationPlan:
    title: str
    text: str
    group: str
    at_summit: bool  # adopted by the summit (its second day), else by the presidency in June


@dataclass(frozen=True)
class ExtraSession:
    group: str
    city: str
    reason: str
    requested: datetime.date
    proposed: datetime.datetime
    declined: str = ""  # the secretariat's reason, when it declines


@dataclass(frozen=True)
class Year:
    """What happened in one year: its summit and election, its president's goals, its
    recommendations, the applications decided at its summit."""

    summit_starts: datetime.date | None  # None: the founding summit (a migration wrote it)
    candidates: tuple[str, ...]
    rounds: tuple[dict, ...]  # per round: candidate slug (None: abstention) -> ballots
    delegations: int = 0
    absent: tuple[str, ...] = ()
    proposals: tuple[tuple[str, str, bool], ...] = ()  # (city, proposed by, accepted)
    withdrawn: tuple[str, ...] = ()
    goals: tuple[GoalPlan, ...] = ()
    recommendations: tuple[RecommendationPlan, ...] = ()
    filings: tuple[Filing, ...] = ()
    extra: tuple[ExtraSession, ...] = field(default=())


def _at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, minute)),
        timezone.get_default_timezone(),
    )


D = datetime.date
A, W, X = ApplicationState.ADMITTED, ApplicationState.WITHDRAWN, ApplicationState.DECLINED
CLIMATE, MIGRATION = "local-climate-action", "local-democracy-and-migration"
DIGITAL, ECONOMY = "smart-cities-and-digital-transformation", "local-economic-cooperation"
CULTURE = "culture-and-heritage-demo"  # created in 2023 with both keys (rule W5)
# One quarterly meeting the secretariat cancelled, with its reason mailed to the members.
CANCELLED_MEETING = (CULTURE, 2)
CANCELLATION_REASON = (
    "The heritage festival in the host city takes the members' experts that week; the "
    "group meets at the next quarterly slot. (demo)"
)
# A city that left the network after the 2025 summit (its history stays).
WITHDRAWAL = {
    "city": "tekirdag",
    "on": D(2026, 10, 1),
    "reason": "The municipal council decided to leave the network. (demo)",
}

YEARS: dict[int, Year] = {
    2021: Year(summit_starts=None, candidates=("istanbul",), rounds=({"istanbul": 22, None: 1},)),
    2022: Year(
        summit_starts=D(2022, 11, 17),
        candidates=("belgrade", "skopje"),
        rounds=({"belgrade": 15, "skopje": 9, None: 1},),
        delegations=14,
        absent=("pula",),
        goals=(
            GoalPlan(
                "Climate plans in member cities",
                "Member cities with an adopted local climate plan",
                "cities", "3", "8", CLIMATE, ("4", "5", "7", "8"),
            ),
            GoalPlan(
                "Open data portals",
                "Member cities publishing budgets and transport data as open data",
                "portals", "2", "6", DIGITAL, ("2", "3", "4", "5"),
            ),
            GoalPlan(
                "Welcome desks for newcomers",
                "Cities with one welcome desk for newcomers",
                "desks", "1", "4", MIGRATION, ("1", "2", "3", "4"),
            ),
        ),
        recommendations=(
            RecommendationPlan(
                "Heat-wave action plans",
                "Each member city adopts a heat-wave action plan with cooling centres and alerts.",
                CLIMATE, False,
            ),
            RecommendationPlan(
                "Welcome desks for newcomers",
                "Cities under migration pressure open one welcome desk for newcomers.",
                MIGRATION, True,
            ),
        ),
        filings=(
            Filing("Ohrid", "MK", D(2022, 3, 14), A, (CLIMATE,)),
            Filing("Novi Sad", "RS", D(2022, 4, 11), A, (DIGITAL, ECONOMY)),
            Filing("Vidin", "BG", D(2022, 4, 4), W, reason="The council postpones the decision."),
        ),
        extra=(
            ExtraSession(
                CLIMATE, "edirne", "Wildfires in the Thrace forests: share the response plans",
                D(2022, 7, 18), _at(D(2022, 8, 3), 14),
            ),
        ),
    ),
    2023: Year(
        summit_starts=D(2023, 11, 16),
        candidates=("thessaloniki", "tirana", "split"),
        rounds=(
            {"thessaloniki": 12, "tirana": 10, "split": 5, None: 1},
            {"thessaloniki": 16, "tirana": 11, None: 1},
        ),
        delegations=16,
        absent=("laktasi",),
        goals=(
            GoalPlan(
                "Joint projects between member cities",
                "Projects run by two or more member cities",
                "projects", "4", "10", ECONOMY, ("5", "7", "9", "11"),
            ),
            GoalPlan(
                "Heat-wave plans",
                "Member cities with a heat-wave action plan",
                "cities", "5", "12", CLIMATE, ("6", "8", "9", "10"),
            ),
            GoalPlan(
                "Participatory budgets",
                "Member cities with a participatory budget",
                "cities", "2", "6", MIGRATION, ("3", "4", "6", "6"),
            ),
        ),
        recommendations=(
            RecommendationPlan(
                "Open data portals",
                "Member cities publish their budgets and transport data as open data.",
                DIGITAL, False,
            ),
            RecommendationPlan(
                "Green public procurement",
                "Member cities add environmental criteria to their public tenders.",
                ECONOMY, True,
            ),
        ),
        filings=(
            Filing("Plovdiv", "BG", D(2023, 3, 6), A, (ECONOMY, CULTURE)),
            Filing("Budva", "ME", D(2023, 4, 17), A, (CLIMATE,)),
            Filing(
                "Bursa", "TR", D(2023, 5, 8), X,
                reason="Bursa lies outside the Balkans; the network is open to Balkan cities "
                "(rule M2).",
            ),
        ),
        extra=(
            ExtraSession(
                MIGRATION, "pristina", "A sudden rise in arrivals: coordinate the reception",
                D(2023, 10, 2), _at(D(2023, 10, 17), 14),
            ),
        ),
    ),
    2024: Year(
        summit_starts=D(2024, 11, 21),
        candidates=("sarajevo", "kotor", "pula"),
        proposals=(("podgorica", "shkoder", False),),
        # Kotor and Pula tie for second place: a lot, drawn at the summit and published,
        # sends one of them to the second round (the outcome is Sarajevo's either way).
        rounds=(
            {"sarajevo": 12, "kotor": 6, "pula": 6, None: 1},
            {"sarajevo": 17, presidency_demo.DRAWN: 11, None: 2},
        ),
        delegations=18,
        absent=("trikala",),
        goals=(
            GoalPlan(
                "Digital services shared between cities",
                "Digital public services one member city took over from another",
                "services", "0", "8", DIGITAL, ("2", "4", "6", "9"),
            ),
            GoalPlan(
                "Cultural routes across the Balkans",
                "Cultural routes linking member cities",
                "routes", "0", "3", CULTURE, ("1", "1", "2", "2"),
            ),
            GoalPlan(
                "Local climate plans",
                "Member cities with an adopted local climate plan",
                "cities", "9", "15", CLIMATE, ("10", "12", "14", "15"),
            ),
        ),
        recommendations=(
            RecommendationPlan(
                "Flood early-warning systems",
                "River and coastal member cities install flood early-warning systems.",
                CLIMATE, False,
            ),
            RecommendationPlan(
                "Protect the built heritage",
                "Member cities list their built heritage and protect it in their plans.",
                CULTURE, True,
            ),
        ),
        filings=(
            Filing("Zadar", "HR", D(2024, 2, 19), A, (CULTURE,)),
            Filing("Varna", "BG", D(2024, 3, 25), A, (CLIMATE, ECONOMY)),
            Filing("Elbasan", "AL", D(2024, 4, 29), W, reason="The city applies next year."),
        ),
        extra=(
            ExtraSession(
                ECONOMY, "kirklareli", "Border crossings closed for trucks: agree a joint letter",
                D(2024, 10, 21), _at(D(2024, 11, 12), 14),
                declined="The quarterly meeting of 28 November is close: the item is on its "
                "agenda.",
            ),
        ),
    ),
    2025: Year(
        summit_starts=D(2025, 11, 20),
        candidates=("athens", "split", "trikala"),
        withdrawn=("trikala",),
        rounds=({"athens": 18, "split": 12, None: 1},),
        delegations=20,
        absent=("kardzhali",),
        goals=(
            GoalPlan(
                "Youth exchanges",
                "Young people in city-to-city exchanges",
                "people", "0", "200", "", ("40", "90", "150", "210"),
            ),
            GoalPlan(
                "Cross-border markets",
                "Markets for local producers held across a border",
                "markets", "1", "5", ECONOMY, ("2", "3", "3", "4"),
            ),
            GoalPlan(
                "Flood risk maps",
                "Member cities with a published flood risk map",
                "cities", "3", "10", CLIMATE, ("4", "6", "8", "10"),
            ),
        ),
        recommendations=(
            RecommendationPlan(
                "Digital services for every citizen",
                "Every public service of a member city can be used online and at a desk.",
                DIGITAL, False,
            ),
            RecommendationPlan(
                "Youth councils",
                "Member cities set up a youth council heard on every local budget.",
                MIGRATION, True,
            ),
        ),
        filings=(
            Filing("Ioannina", "GR", D(2025, 3, 3), A, (CULTURE, CLIMATE)),
            Filing("Niš", "RS", D(2025, 4, 14), A, (ECONOMY,)),
            Filing(
                "Timișoara", "RO", D(2025, 5, 5), X,
                reason="The city council has not approved the application; the city may apply "
                "again.",
            ),
        ),
        extra=(
            ExtraSession(
                DIGITAL, "athens", "A ransomware attack on a member city: share the lessons",
                D(2025, 3, 3), _at(D(2025, 3, 18), 14),
            ),
        ),
    ),
}  # fmt: skip

# 2026, the present year, up to today: an extra session held in the summer, and an
# application proposed to the 2026 summit (the others still open are the present's).
EXTRA_2026 = ExtraSession(
    CLIMATE, "split", "Drought and water restrictions: coordinate the summer measures",
    D(2026, 6, 22), _at(D(2026, 7, 7), 14),
)  # fmt: skip
FILING_2026 = Filing("Kavala", "GR", D(2026, 5, 4), ApplicationState.PROPOSED, (CULTURE,))
NEW_GROUP = {
    "name": "Culture and heritage",
    "topic": "Cultural routes, built heritage and festivals shared by the member cities.",
    "proposed": D(2023, 2, 10),
    "president_key": D(2023, 2, 20),
    "secretariat_key": D(2023, 3, 1),
    "members": ["dubrovnik", "kotor", "sarajevo", "belgrade", "thessaloniki", "edirne", "split"],
}
REFUSED_GROUP = {
    "name": "Sports events",
    "topic": "Joint sports events of the member cities.",
    "proposed": D(2024, 5, 6),
    "refused": D(2024, 5, 20),
    "reason": "Sports events fit the culture and heritage group; no new group is needed.",
}
FOLLOW_STATES = [
    FollowUpState.DONE,
    FollowUpState.IN_PROGRESS,
    FollowUpState.IN_PROGRESS,
    FollowUpState.WILL_FOLLOW,
    FollowUpState.WILL_NOT_FOLLOW,
]


def is_loaded() -> bool:
    return Election.objects.filter(summit__year=FOUNDING_YEAR).exists()


class Timeline:
    """Steps put in at their moments, run in order with the clock set to each."""

    def __init__(self) -> None:
        self.steps: list[tuple[datetime.datetime, int, Callable[[], object]]] = []
        self.order = itertools.count()

    def at(self, moment: datetime.datetime, step: Callable[[], object]) -> None:
        self.steps.append((moment, next(self.order), step))

    def run(self, *, until: datetime.datetime) -> int:
        done = 0
        for moment, _order, step in sorted(self.steps, key=lambda s: (s[0], s[1])):
            if moment > until:
                continue  # the future: the present's to write
            with frozen_at(moment):
                step()
            done += 1
        return done


def load() -> None:
    """Write the history once (idempotent: a loaded history is left as it is)."""
    if is_loaded():
        return
    if Mandate.objects.exists():
        logger.warning(
            "demo: this database holds mandates from an older demo; its history is not "
            "written (start from an empty database: make clean && make run)."
        )
        return
    staff = User.objects.get(username="secretariat")
    # Demo data, reproducible on purpose: a fixed seed, not a secret.
    rng = random.Random(SEED)  # nosec B311
    timeline = Timeline()
    _founding(timeline, staff, rng)
    for year, plan in YEARS.items():
        if plan.summit_starts is not None:
            _year(timeline, year, plan, staff, rng)
    _groups(timeline, staff, rng)
    _extra_session(timeline, EXTRA_2026, staff, rng)
    _filing(timeline, FILING_2026, 2026, staff, summit_starts=None)
    timeline.at(
        _at(WITHDRAWAL["on"], 12),
        lambda: withdraw_member_city(
            city=City.objects.get(slug=WITHDRAWAL["city"]),
            on=WITHDRAWAL["on"],
            reason=WITHDRAWAL["reason"],
            by=staff,
        ),
    )
    timeline.run(until=timezone.now())


# --- the founding summit --------------------------------------------------------------


def _founding(timeline: Timeline, staff: User, rng: random.Random) -> None:
    plan = YEARS[FOUNDING_YEAR]
    day1, day2 = D(2021, 11, 29), D(2021, 11, 30)
    # rule S2: candidacies close before the summit opens; the founders declared on its eve.
    eve = day1 - datetime.timedelta(days=1)
    timeline.at(_at(eve, 9), partial(presidency_demo.open_election, year=2021, by=staff))
    for slug in plan.candidates:
        timeline.at(_at(eve, 11), partial(_declare, 2021, slug))
    _vote(timeline, 2021, plan, day2, staff, rng)
    timeline.at(
        _at(D(2021, 12, 1)),
        partial(
            demo_workspace.announce,
            by=staff,
            title="The B40 network is founded",
            body="25 cities of 11 Balkan countries signed the founding declaration in Istanbul. "
            "Istanbul presides the network in 2022.",
            is_public=True,
        ),
    )
    for group_slug, slugs in groups_demo.MEMBERS.items():
        timeline.at(
            _at(D(2021, 12, 15)), partial(groups_demo.join, group_slug=group_slug, slugs=slugs)
        )


def _declare(year: int, slug: str) -> None:
    presidency_demo.declare(election=_election(year), slug=slug)


def _election(year: int) -> Election:
    return Election.objects.select_related("summit").get(summit__year=year)


def _vote(timeline: Timeline, year: int, plan: Year, day: datetime.date, staff: User, rng) -> None:
    """Close the candidacies on the eve, vote on the summit's last day, close the election:
    the mandate of the next year and its summit, hosted by the elected city (S5, S6)."""
    timeline.at(
        _at(day - datetime.timedelta(days=1), 18),
        lambda: presidency_services.close_candidacy(election=_election(year), by=staff),
    )
    for number, votes in enumerate(plan.rounds):
        timeline.at(
            _at(day, 10 + number, 0),
            lambda votes=votes: presidency_demo.vote_round(
                election=_election(year), votes=votes, by=staff, rng=rng
            ),
        )
    timeline.at(
        _at(day, 12),
        lambda: presidency_services.close_election(election=_election(year), by=staff),
    )


# --- a year of the network ------------------------------------------------------------


def _year(timeline: Timeline, year: int, plan: Year, staff: User, rng: random.Random) -> None:
    day1 = plan.summit_starts
    day2 = day1 + datetime.timedelta(days=1)
    _goals(timeline, year, plan, staff)
    _recommendations(timeline, year, plan, day2, rng)
    for filing in plan.filings:
        _filing(timeline, filing, year, staff, summit_starts=day1)
    for session in plan.extra:
        _extra_session(timeline, session, staff, rng)
    # The summit: dates confirmed and registration open in September (rule S6), the
    # election's candidacy period with it; delegations registered in October (rule S7).
    timeline.at(
        _at(D(year, 9, 1), 9),
        lambda: presidency_demo.prepare_summit(year=year, starts_on=day1),
    )
    timeline.at(
        _at(D(year, 9, 1), 9, 30), partial(presidency_demo.open_election, year=year, by=staff)
    )
    timeline.at(
        _at(D(year, 9, 2)),
        lambda: _announce_summit(year, staff),
    )
    for n, slug in enumerate(plan.candidates):
        timeline.at(_at(D(year, 9, 10 + 3 * n)), partial(_declare, year, slug))
    for slug, by_slug, accepted in plan.proposals:
        timeline.at(
            _at(D(year, 9, 20)),
            lambda slug=slug, by_slug=by_slug: presidency_demo.propose(
                election=_election(year), slug=slug, by_slug=by_slug
            ),
        )
        timeline.at(
            _at(D(year, 10, 1)),
            lambda slug=slug, accepted=accepted: presidency_demo.answer_proposal(
                election=_election(year), slug=slug, accept=accepted
            ),
        )
    for slug in plan.withdrawn:
        timeline.at(
            _at(D(year, 10, 15)),
            lambda slug=slug: presidency_demo.withdraw(election=_election(year), slug=slug),
        )
    timeline.at(_at(D(year, 10, 1), 12), lambda: _delegations(year, plan, rng))
    timeline.at(
        _at(day1, 9),
        lambda: presidency_demo.record_presence(
            summit=Summit.objects.get(year=year), absent=plan.absent, by=staff
        ),
    )
    _vote(timeline, year, plan, day2, staff, rng)
    timeline.at(_at(day2, 16), lambda: _announce_result(year, staff))
    timeline.at(_at(day2, 18), lambda: presidency_demo.close_summit(Summit.objects.get(year=year)))


def _announce_summit(year: int, staff: User) -> None:
    summit = Summit.objects.select_related("host_city").get(year=year)
    demo_workspace.announce(
        by=staff,
        title=f"Annual Summit {year} in {summit.host_city.name}: register your delegation",
        body=f"The summit meets on {summit.starts_on:%d %B %Y}. The host covers lodging and "
        "meals of the visiting delegations; each delegation pays its own travel (rule S7).",
        is_public=True,
    )


def _announce_result(year: int, staff: User) -> None:
    election = Election.objects.select_related("elected__city").get(summit__year=year)
    demo_workspace.announce(
        by=staff,
        title=f"{election.elected.city.name} presides the network in {year + 1}",
        body=f"The {year} summit elected {election.elected.city.name} for the presidency of "
        f"{year + 1}; it hosts the summit of {year + 1}.",
        is_public=True,
    )


def _delegations(year: int, plan: Year, rng: random.Random) -> None:
    """The host and a sample of the member cities register their delegations."""
    summit = Summit.objects.select_related("host_city").get(year=year)
    others = list(
        City.objects.filter(status="active").exclude(pk=summit.host_city_id).order_by("slug")
    )
    chosen = [summit.host_city, *rng.sample(others, plan.delegations - 1)]
    for slug in plan.absent:
        if slug not in {c.slug for c in chosen}:
            chosen.append(City.objects.get(slug=slug))
    for member in chosen:
        size = 4 if member == summit.host_city else rng.choice([1, 2, 2, 3])
        presidency_demo.register_delegation(summit=summit, slug=member.slug, size=size)


def _goals(timeline: Timeline, year: int, plan: Year, staff: User) -> None:
    """Set at a meeting at the start of the mandate (rule G1): the secretariat proposes, the
    president agrees (rule S8); the secretariat records the progress each quarter."""

    def propose() -> None:
        mandate = Mandate.objects.get(year=year)
        workspace_services.record_opening_meeting(
            mandate=mandate,
            held_on=D(year, 1, 20),
            minutes=(
                f"Opening meeting of the {year} mandate, online: the president and the "
                f"Permanent Secretariat set the year's goals. (demo)"
            ),
            by=staff,
        )
        for goal in plan.goals:
            demo_workspace.set_goal(
                mandate=mandate,
                secretariat=staff,
                title=goal.title,
                indicator=goal.indicator,
                unit=goal.unit,
                baseline=goal.baseline,
                target=goal.target,
                group_slug=goal.group,
            )

    def agree() -> None:
        for goal in Goal.objects.filter(mandate__year=year).order_by("pk"):
            demo_workspace.agree_goal(goal=goal)

    timeline.at(_at(D(year, 1, 20)), propose)
    timeline.at(_at(D(year, 2, 3)), agree)
    timeline.at(
        _at(D(year, 2, 5)),
        partial(
            demo_workspace.announce,
            by=staff,
            title=f"Annual goals for {year} agreed",
            body=f"The president and the Permanent Secretariat agreed the network's goals for "
            f"{year}.",
            is_public=True,
        ),
    )
    for n, month in enumerate((4, 7, 10, 12)):
        day = D(year, month, 15)

        def progress(n=n, day=day) -> None:
            for plan_goal in plan.goals:
                goal = Goal.objects.get(mandate__year=year, title=f"{plan_goal.title} {DEMO}")
                demo_workspace.record_progress(
                    goal=goal, secretariat=staff, value=plan_goal.progress[n], recorded_on=day
                )

        timeline.at(_at(day, 9), progress)


def _recommendations(
    timeline: Timeline, year: int, plan: Year, day2: datetime.date, rng: random.Random
) -> None:
    """Adopted by the presidency in June or by the summit; the cities answer for themselves
    in the weeks after (rule M5: not binding)."""
    for recommendation in plan.recommendations:
        adopted_on = day2 if recommendation.at_summit else D(year, 6, 15)
        moment = _at(adopted_on, 12, 30)

        def adopt(recommendation=recommendation, adopted_on=adopted_on) -> None:
            demo_workspace.adopt(
                year=year,
                title=recommendation.title,
                text=recommendation.text,
                adopted_on=adopted_on,
                group_slug=recommendation.group,
                summit=Summit.objects.get(year=year) if recommendation.at_summit else None,
            )

        def answers(recommendation=recommendation) -> None:
            adopted = Recommendation.objects.get(year=year, title=f"{recommendation.title} {DEMO}")
            cities = list(City.objects.filter(status="active").order_by("slug"))
            for member in rng.sample(cities, k=len(cities) * 2 // 5):
                demo_workspace.follow(
                    recommendation=adopted, slug=member.slug, state=rng.choice(FOLLOW_STATES)
                )

        timeline.at(moment, adopt)
        timeline.at(moment + datetime.timedelta(days=24), answers)


def _filing(
    timeline: Timeline,
    filing: Filing,
    year: int,
    staff: User,
    *,
    summit_starts: datetime.date | None,
) -> None:
    """Filed (rule M3), reviewed, proposed to the year's summit and admitted on its first
    day (rule M2) — before the vote, so the new member votes; or declined, or withdrawn."""
    name = f"{filing.city} {DEMO}"

    def application() -> Application:
        return Application.objects.get(city_name=name)

    def move(to_state: str, *, by: User | None, reason: str = "", summit_year: int = 0):
        return lambda: demo_applications.move(
            application=application(),
            to_state=to_state,
            by=by,
            reason=reason,
            summit=Summit.objects.get(year=summit_year) if summit_year else None,
        )

    filed = filing.filed
    timeline.at(
        _at(filed, 15),
        partial(demo_applications.file, city=filing.city, code=filing.code, groups=filing.groups),
    )
    if filing.outcome == ApplicationState.WITHDRAWN:
        timeline.at(
            _at(filed + datetime.timedelta(days=36), 16),
            lambda: demo_applications.move(
                application=application(),
                to_state=ApplicationState.WITHDRAWN,
                by=None,
                reason=f"{filing.reason} {DEMO}",
            ),
        )
        return
    review = _at(filed + datetime.timedelta(days=14), 11)
    timeline.at(review, move(ApplicationState.UNDER_REVIEW, by=staff, reason=f"Complete. {DEMO}"))
    if filing.outcome == ApplicationState.DECLINED:
        timeline.at(
            review + datetime.timedelta(days=21),
            move(ApplicationState.DECLINED, by=staff, reason=f"{filing.reason} {DEMO}"),
        )
        return
    timeline.at(
        _at(D(year, 9, 15), 11),
        move(ApplicationState.PROPOSED, by=staff, summit_year=year),
    )
    if filing.outcome == ApplicationState.ADMITTED and summit_starts is not None:
        timeline.at(
            _at(summit_starts, 11),
            move(ApplicationState.ADMITTED, by=staff, reason=f"Admitted by the summit. {DEMO}"),
        )
        timeline.at(_at(summit_starts, 11, 30), partial(_date_memberships, name, summit_starts))


def _date_memberships(name: str, day: datetime.date) -> None:
    """The groups a new member chose on the form are joined as it is admitted (rule M2)."""
    city = Application.objects.get(city_name=name).city
    for membership in city.group_memberships.all():
        groups_demo.date_joined(membership, day)


# --- the working groups (rules W3, W4, W5) ---------------------------------------------


def _groups(timeline: Timeline, staff: User, rng: random.Random) -> None:
    """Every three months the cadence plans each group's meeting and reminds its members a
    week before; the meeting is held, attendance and minutes recorded."""
    founding = WorkingGroup.objects.filter(slug__in=FOUNDING_GROUPS).order_by("slug")
    until = timezone.make_aware(MEETINGS_UNTIL, timezone.get_default_timezone())
    for target in founding:
        _cadence(timeline, target.slug, groups_demo.founding_anchor(target), until, rng)
    # Culture and heritage: proposed by the secretariat, both keys turned (rule W5).
    timeline.at(
        _at(NEW_GROUP["proposed"]),
        partial(
            groups_demo.propose_group, name=NEW_GROUP["name"], topic=NEW_GROUP["topic"], by=staff
        ),
    )
    timeline.at(
        _at(NEW_GROUP["president_key"]),
        partial(
            groups_demo.approve_group, name=NEW_GROUP["name"], president_slug="belgrade", by=None
        ),
    )
    timeline.at(
        _at(NEW_GROUP["secretariat_key"]),
        partial(groups_demo.approve_group, name=NEW_GROUP["name"], president_slug=None, by=staff),
    )
    timeline.at(
        _at(NEW_GROUP["secretariat_key"] + datetime.timedelta(days=9)),
        partial(groups_demo.join, group_slug=CULTURE, slugs=NEW_GROUP["members"]),
    )
    anchor = _at(NEW_GROUP["secretariat_key"], 11)
    _cadence(timeline, CULTURE, anchor, until, rng)
    timeline.at(
        _at(REFUSED_GROUP["proposed"]),
        partial(
            groups_demo.propose_group,
            name=REFUSED_GROUP["name"],
            topic=REFUSED_GROUP["topic"],
            by=staff,
        ),
    )
    timeline.at(
        _at(REFUSED_GROUP["refused"]),
        partial(
            groups_demo.refuse_group,
            name=REFUSED_GROUP["name"],
            by=staff,
            reason=REFUSED_GROUP["reason"],
        ),
    )


def _cadence(
    timeline: Timeline,
    group_slug: str,
    anchor: datetime.datetime,
    until: datetime.datetime,
    rng: random.Random,
) -> None:
    for number, start in enumerate(groups_demo.regular_slots(anchor, until)):
        slot = timezone.localdate(start)
        timeline.at(
            start - datetime.timedelta(days=30),
            partial(groups_demo.plan_meeting, group_slug=group_slug),
        )
        timeline.at(
            start - datetime.timedelta(days=7),
            partial(groups_demo.remind, group_slug=group_slug, slot=slot),
        )

        if (group_slug, number) == CANCELLED_MEETING:
            timeline.at(
                start - datetime.timedelta(days=10),
                partial(
                    groups_demo.cancel_meeting,
                    group_slug=group_slug,
                    slot=slot,
                    reason=CANCELLATION_REASON,
                ),
            )
            continue

        def hold(slot=slot, number=number) -> None:
            meeting = Meeting.objects.get(group__slug=group_slug, regular_slot=slot)
            groups_demo.hold_meeting(
                meeting=meeting, rng=rng, number=number, public=number % 3 == 0
            )

        timeline.at(start + datetime.timedelta(hours=2), hold)


def _extra_session(
    timeline: Timeline, session: ExtraSession, staff: User, rng: random.Random
) -> None:
    requested = _at(session.requested, 9)
    timeline.at(
        requested,
        partial(
            groups_demo.request_extra,
            group_slug=session.group,
            slug=session.city,
            reason=session.reason,
            proposed_start=session.proposed,
        ),
    )

    def decide() -> None:
        request = groups_demo.pending_request(group_slug=session.group, slug=session.city)
        if session.declined:
            groups_demo.decline(request=request, by=staff, reason=session.declined)
        else:
            groups_demo.convene(request=request, by=staff)

    timeline.at(requested + datetime.timedelta(days=2), decide)
    if session.declined:
        return

    def hold() -> None:
        meeting = Meeting.objects.get(
            group__slug=session.group, kind=MeetingKind.EXTRA, starts_at=session.proposed
        )
        groups_demo.hold_meeting(meeting=meeting, rng=rng, number=0, public=True)

    timeline.at(session.proposed + datetime.timedelta(hours=2), hold)
