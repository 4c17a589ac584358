"""Demo data for the secretariat's workspace: the roster, goals for 2026, recommendations
with follow-ups, and announcements. Idempotent; everything is marked "(demo)"."""

import datetime
from decimal import Decimal

from django.utils import timezone

from members.models import City, User
from presidency.models import Mandate
from secretariat.enums.workspace import AdoptedBy, Audience, FollowUpState, Party, RosterRole
from secretariat.models.workspace import (
    Announcement,
    FollowUp,
    Goal,
    GoalProgress,
    Recommendation,
    RosterMember,
)
from secretariat.services import workspace as services
from workinggroups.models import GroupMembership, WorkingGroup

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


def _demo_user(username: str, first_name: str) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": DEMO,
            "email": f"{username}@demo.b40.example",
        },
    )
    if created:
        user.set_unusable_password()  # a roster entry, not a login
        user.save()
    return user


def load_roster() -> None:
    for username, first_name, role, languages, fluent in ROSTER:
        user = _demo_user(username, first_name)
        RosterMember.objects.get_or_create(
            user=user,
            role=role,
            defaults={
                "languages": languages,
                "english_fluent": fluent,
                "active_from": datetime.date(2022, 1, 1),
            },
        )


def load_goals(*, secretariat: User) -> None:
    mandate = Mandate.objects.filter(year=GOALS_YEAR).first()
    if mandate is None:  # the presidency's own demo may not have recorded 2026 yet
        mandate = Mandate.objects.create(year=GOALS_YEAR, city=City.objects.get(slug="tirana"))
    for title, indicator, unit, baseline, target, group_slug, progress in GOALS:
        title = f"{title} {DEMO}"
        if Goal.objects.filter(mandate=mandate, title=title).exists():
            continue
        now = timezone.now()
        goal = Goal.objects.create(
            mandate=mandate,
            title=title,
            description="",
            working_group=WorkingGroup.objects.filter(slug=group_slug).first(),
            indicator=indicator,
            unit=unit,
            baseline=Decimal(baseline),
            target=Decimal(target),
            proposed_by=Party.SECRETARIAT,
            secretariat_agreed_at=now,
            secretariat_agreed_by=secretariat,
            # the last goal still awaits the president (rule S8)
            presidency_agreed_at=now if progress else None,
        )
        for month, value in enumerate(progress, start=3):
            GoalProgress.objects.create(
                goal=goal,
                value=Decimal(value),
                recorded_on=datetime.date(GOALS_YEAR, month, 15),
                note=DEMO,
                recorded_by=secretariat,
            )


def load_recommendations() -> None:
    for title, text, group_slug, follow_ups in RECOMMENDATIONS:
        title = f"{title} {DEMO}"
        recommendation = Recommendation.objects.filter(title=title).first()
        if recommendation is None:
            recommendation = services.adopt_recommendation(
                year=2025,
                title=title,
                text=text,
                adopted_by=AdoptedBy.PRESIDENCY,
                adopted_on=datetime.date(2025, 4, 1),
                working_group=WorkingGroup.objects.filter(slug=group_slug).first(),
            )
        for slug, state in follow_ups.items():
            FollowUp.objects.get_or_create(
                recommendation=recommendation,
                city=City.objects.get(slug=slug),
                defaults={
                    "state": state,
                    "reason": "A similar programme already runs (demo)."
                    if state == FollowUpState.WILL_NOT_FOLLOW
                    else "",
                },
            )


def load_announcements(*, secretariat: User) -> None:
    group = WorkingGroup.objects.get(slug="local-climate-action")
    for slug in ("tirana", "split", "athens"):
        GroupMembership.objects.get_or_create(group=group, city=City.objects.get(slug=slug))
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
