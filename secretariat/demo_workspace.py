"""Demo data for the secretariat's workspace, through the services and marked "(demo)".

The building blocks the demo's history (``secretariat/demo_history.py``) calls at the
moments they happened, the clock set to each (``common.clock``): goals agreed and their
progress (rules G1, S8), recommendations and the cities' follow-ups (rule M5),
announcements (rule T3). ``load()`` is the present: the roster, the goals and
recommendations of 2026, two announcements. Idempotent."""

import datetime
from decimal import Decimal

from members.demo import city_actor
from members.enums import CityRole
from members.models import City, User
from presidency.models import Mandate, Summit
from presidency.services import record_mandate
from secretariat.enums.workspace import AdoptedBy, Audience, FollowUpState, RosterRole
from secretariat.models.workspace import (
    Announcement,
    FollowUp,
    Goal,
    Recommendation,
    RosterMember,
)
from secretariat.services import workspace as services
from workinggroups.models import GroupMembership, WorkingGroup
from workinggroups.services import join_group

DEMO = "(demo)"
GOALS_YEAR = 2026

ROSTER = [
    # username, first name, role, languages, fluent in English
    ("roster.secretary", "Network secretary", RosterRole.SECRETARY, "Turkish, English", True),
    ("roster.expert1", "Expert one", RosterRole.EXPERT, "Turkish, English, Greek", True),
    ("roster.expert2", "Expert two", RosterRole.EXPERT, "English, Serbian, Bosnian", True),
]

GOALS = [
    # title, indicator, unit, baseline, target, group slug, progress
    (
        "Climate plans in member cities",
        "Member cities with an adopted local climate plan",
        "cities",
        "6",
        "15",
        "local-climate-action",
        ["9", "11"],
    ),
    (
        "Digital services exchange",
        "Digital public services shared between member cities",
        "services",
        "0",
        "8",
        "smart-cities-and-digital-transformation",
        ["2"],
    ),
    ("Youth exchanges", "Young people in city-to-city exchanges", "people", "0", "200", "", []),
]

RECOMMENDATIONS = [
    (
        "Heat-wave action plans",
        "Each member city adopts a heat-wave action plan with cooling centres and alerts.",
        "local-climate-action",
        {
            "tirana": FollowUpState.IN_PROGRESS,
            "split": FollowUpState.DONE,
            "athens": FollowUpState.DONE,
        },
    ),
    (
        "Open data portals",
        "Member cities publish their budgets and transport data as open data.",
        "smart-cities-and-digital-transformation",
        {"edirne": FollowUpState.WILL_FOLLOW, "istanbul": FollowUpState.DONE},
    ),
    (
        "Welcome desks for newcomers",
        "Cities under migration pressure open one welcome desk for newcomers.",
        "local-democracy-and-migration",
        {"pristina": FollowUpState.WILL_NOT_FOLLOW},
    ),
]


def _demo_user(username: str, first_name: str, *, is_staff: bool = False) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": DEMO,
            "email": f"{username}@demo.b40.example",
            "is_staff": is_staff,
        },
    )
    if created:
        user.set_unusable_password()  # a roster entry, not a login
        user.save()
    return user


def load_roster() -> None:
    for username, first_name, role, languages, fluent in ROSTER:
        user = _demo_user(username, first_name, is_staff=True)  # rule T1: staff accounts
        RosterMember.objects.get_or_create(
            user=user,
            role=role,
            defaults={
                "languages": languages,
                "english_fluent": fluent,
                "active_from": datetime.date(2022, 1, 1),
            },
        )


def president_of(mandate: Mandate) -> User:
    """Who acts for the president: the presiding city's mayor (rules S1, S8)."""
    return city_actor(mandate.city, role=CityRole.MAYOR)


def set_goal(
    *,
    mandate: Mandate,
    secretariat: User,
    title: str,
    indicator: str,
    unit: str,
    baseline: str,
    target: str,
    group_slug: str = "",
) -> Goal:
    """The secretariat proposes a goal for the mandate (rule G1); the proposer agrees."""
    return services.propose_goal(
        mandate=mandate,
        by=secretariat,
        title=f"{title} {DEMO}",
        indicator=indicator,
        unit=unit,
        baseline=Decimal(baseline),
        target=Decimal(target),
        working_group=WorkingGroup.objects.filter(slug=group_slug).first(),
    )


def agree_goal(*, goal: Goal) -> Goal:
    """The president agrees: the goal is set (rule S8)."""
    return services.agree_goal(goal=goal, by=president_of(goal.mandate))


def record_progress(
    *, goal: Goal, secretariat: User, value: str, recorded_on: datetime.date
) -> None:
    services.record_goal_progress(
        goal=goal, by=secretariat, value=Decimal(value), recorded_on=recorded_on, note=DEMO
    )


def adopt(
    *,
    year: int,
    title: str,
    text: str,
    adopted_on: datetime.date,
    group_slug: str = "",
    summit: Summit | None = None,
) -> Recommendation:
    """A recommendation of the summit (when ``summit`` is given) or of the presidency."""
    return services.adopt_recommendation(
        year=year,
        title=f"{title} {DEMO}",
        text=text,
        adopted_by=AdoptedBy.SUMMIT if summit else AdoptedBy.PRESIDENCY,
        adopted_on=adopted_on,
        summit=summit,
        working_group=WorkingGroup.objects.filter(slug=group_slug).first(),
    )


def follow(*, recommendation: Recommendation, slug: str, state: str) -> None:
    """The city answers for itself how it follows the recommendation (rule M5)."""
    services.record_follow_up(
        recommendation=recommendation,
        by=city_actor(City.objects.get(slug=slug)),
        state=state,
        reason="A similar programme already runs (demo)."
        if state == FollowUpState.WILL_NOT_FOLLOW
        else "",
    )


def announce(
    *,
    by: User,
    title: str,
    body: str,
    audience: str = Audience.ALL,
    group_slug: str = "",
    is_public: bool = False,
) -> Announcement:
    return services.post_announcement(
        by=by,
        title=f"{title} {DEMO}",
        body=body,
        audience=audience,
        working_group=WorkingGroup.objects.get(slug=group_slug) if group_slug else None,
        is_public=is_public,
    )


def load_goals(*, secretariat: User) -> None:
    """The goals of the current mandate: two set, one awaiting the president (rule S8)."""
    mandate = Mandate.objects.filter(year=GOALS_YEAR).first()
    if mandate is None:  # the presidency's history may not be loaded (a unit test)
        mandate = record_mandate(year=GOALS_YEAR, city=City.objects.get(slug="tirana"))
    for title, indicator, unit, baseline, target, group_slug, progress in GOALS:
        if Goal.objects.filter(mandate=mandate, title=f"{title} {DEMO}").exists():
            continue
        goal = set_goal(
            mandate=mandate,
            secretariat=secretariat,
            title=title,
            indicator=indicator,
            unit=unit,
            baseline=baseline,
            target=target,
            group_slug=group_slug,
        )
        if not progress:  # the last goal still awaits the president (rule S8)
            continue
        goal = agree_goal(goal=goal)
        for month, value in enumerate(progress, start=3):
            record_progress(
                goal=goal,
                secretariat=secretariat,
                value=value,
                recorded_on=datetime.date(GOALS_YEAR, month, 15),
            )


def load_recommendations() -> None:
    for title, text, group_slug, follow_ups in RECOMMENDATIONS:
        recommendation = Recommendation.objects.filter(title=f"{title} {DEMO}").first()
        if recommendation is None:
            recommendation = adopt(
                year=GOALS_YEAR,
                title=title,
                text=text,
                adopted_on=datetime.date(GOALS_YEAR, 4, 1),
                group_slug=group_slug,
            )
        for slug, state in follow_ups.items():
            if not FollowUp.objects.filter(recommendation=recommendation, city__slug=slug).exists():
                follow(recommendation=recommendation, slug=slug, state=state)


def load_announcements(*, secretariat: User) -> None:
    group = WorkingGroup.objects.get(slug="local-climate-action")
    for slug in ("tirana", "split", "athens"):
        city = City.objects.get(slug=slug)
        if not GroupMembership.objects.filter(group=group, city=city).exists():
            join_group(group=group, city=city)
    announcements = [
        (
            "Annual goals for 2026 agreed",
            "The president and the Permanent Secretariat agreed the network's goals for 2026.",
            {"audience": Audience.ALL, "is_public": True},
        ),
        (
            "Climate group: quarterly meeting",
            "The local climate action group meets online on the first Tuesday of next month.",
            {"audience": Audience.GROUP, "working_group": group},
        ),
    ]
    for title, body, addressing in announcements:
        title = f"{title} {DEMO}"
        if not Announcement.objects.filter(title=title).exists():
            services.post_announcement(by=secretariat, title=title, body=body, **addressing)


def load() -> None:
    secretariat = User.objects.filter(username="secretariat").first()
    load_roster()
    load_recommendations()
    if secretariat is not None:
        load_goals(secretariat=secretariat)
        load_announcements(secretariat=secretariat)
