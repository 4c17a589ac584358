"""Reads of the secretariat's workspace: roster warnings, goal status, follow-up rates,
what a city is sent, and the items on the secretariat's desk."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, FilteredRelation, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from members.enums import CityStatus
from members.models import City
from outbox.enums import MailState
from outbox.models import Mail
from presidency.enums import ElectionState
from presidency.models import Election, Mandate, Summit
from secretariat.enums.applications import OPEN_STATES
from secretariat.enums.workspace import FollowUpState, GoalStatus, RosterRole
from secretariat.models.applications import Application
from secretariat.models.workspace import (
    Announcement,
    FollowUp,
    Goal,
    GoalProgress,
    OpeningMeeting,
    Recommendation,
    RosterMember,
)
from workinggroups.enums import RequestState
from workinggroups.models import ExtraSessionRequest, WorkingGroup
from workinggroups.selectors import overdue_groups

# --- the roster (T2) ------------------------------------------------------------------

MIN_ENGLISH_EXPERTS = 2  # rule T2


def active_roster(today: datetime.date | None = None) -> QuerySet[RosterMember]:
    today = today or timezone.localdate()
    return (
        RosterMember.objects.filter(active_from__lte=today, user__is_active=True)
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=today))
        .select_related("user")
    )


def roster_problems(today: datetime.date | None = None) -> list[tuple[str, str]]:
    """What the active roster lacks under rule T2, as (code, message); empty when complete."""
    # People, not rows: one person with two expert rows is one expert, and the secretary
    # is not also one of the experts (rule T2: a secretary and at least two experts).
    active = active_roster(today)
    secretaries = active.filter(role=RosterRole.SECRETARY).values("user_id")
    counts = active.aggregate(
        secretaries=Count("user", filter=Q(role=RosterRole.SECRETARY), distinct=True),
        english_experts=Count(
            "user",
            filter=Q(role=RosterRole.EXPERT, english_fluent=True) & ~Q(user__in=secretaries),
            distinct=True,
        ),
    )
    problems = []
    if not counts["secretaries"]:
        problems.append(
            (
                "no_secretary",
                _("The Permanent Secretariat has no active network secretary (rule T2)."),
            )
        )
    if counts["english_experts"] < MIN_ENGLISH_EXPERTS:
        problems.append(
            (
                "few_experts",
                ngettext(
                    "The Permanent Secretariat has %(n)d active expert fluent in English; "
                    "rule T2 asks for at least %(min)d.",
                    "The Permanent Secretariat has %(n)d active experts fluent in English; "
                    "rule T2 asks for at least %(min)d.",
                    counts["english_experts"],
                )
                % {"n": counts["english_experts"], "min": MIN_ENGLISH_EXPERTS},
            )
        )
    return problems


def roster_warnings(today: datetime.date | None = None) -> list[str]:
    return [message for _code, message in roster_problems(today)]


# --- annual goals (G1) ----------------------------------------------------------------


def derive_goal_status(
    *,
    baseline: Decimal,
    target: Decimal,
    latest: Decimal | None,
    mandate_year: int,
    today: datetime.date,
) -> str:
    """A goal's status from its latest value and its mandate year (rule G1).

    A target below the baseline is reached by going down (e.g. emissions).
    """
    if latest is not None:
        reached = latest >= target if target > baseline else latest <= target
        if reached:
            return GoalStatus.ACHIEVED
    if today > datetime.date(mandate_year, 12, 31):
        return GoalStatus.MISSED
    if latest is None:
        return GoalStatus.NOT_STARTED
    return GoalStatus.ON_TRACK


def goals_with_status(
    queryset: QuerySet[Goal] | None = None, today: datetime.date | None = None
) -> list[Goal]:
    """Goals with ``latest_value`` and ``status`` set."""
    today = today or timezone.localdate()
    latest = GoalProgress.objects.filter(goal=OuterRef("pk")).order_by("-recorded_on", "-id")
    qs = (Goal.objects.all() if queryset is None else queryset).select_related(
        "mandate", "working_group"
    )
    goals = list(qs.annotate(latest_value=Subquery(latest.values("value")[:1])))
    for goal in goals:
        goal.status = derive_goal_status(
            baseline=goal.baseline,
            target=goal.target,
            latest=goal.latest_value,
            mandate_year=goal.mandate.year,
            today=today,
        )
    return goals


def goal_status(goal: Goal, today: datetime.date | None = None) -> str:
    return goals_with_status(Goal.objects.filter(pk=goal.pk), today)[0].status


def goals_awaiting_agreement() -> QuerySet[Goal]:
    return Goal.objects.filter(
        Q(presidency_agreed_at__isnull=True) | Q(secretariat_agreed_at__isnull=True)
    )


def goals_awaiting_president(mandate: Mandate) -> QuerySet[Goal]:
    return Goal.objects.filter(mandate=mandate, presidency_agreed_at__isnull=True)


# --- recommendations (M5) -------------------------------------------------------------

FOLLOWING = [FollowUpState.WILL_FOLLOW, FollowUpState.IN_PROGRESS, FollowUpState.DONE]


def recommendations_with_rates() -> tuple[list[Recommendation], int]:
    """Recommendations with their follow-up counts and rate over the active cities."""
    members = City.objects.filter(status=CityStatus.ACTIVE).count()
    active = Q(follow_ups__city__status=CityStatus.ACTIVE)
    recommendations = list(
        Recommendation.objects.select_related("summit", "working_group")
        .annotate(
            following=Count("follow_ups", filter=active & Q(follow_ups__state__in=FOLLOWING)),
            done=Count("follow_ups", filter=active & Q(follow_ups__state=FollowUpState.DONE)),
            declined=Count(
                "follow_ups", filter=active & Q(follow_ups__state=FollowUpState.WILL_NOT_FOLLOW)
            ),
            answered=Count("follow_ups", filter=active),
        )
        .order_by("-year", "number")
    )
    for recommendation in recommendations:
        recommendation.rate = round(100 * recommendation.following / members) if members else 0
    return recommendations, members


def recommendation_by_reference(*, year: int, number: int) -> Recommendation:
    return Recommendation.objects.select_related("summit", "working_group").get(
        year=year, number=number
    )


def follow_ups_by_city(recommendation: Recommendation) -> list[tuple[City, FollowUp | None]]:
    """Every active member city with its follow-up of ``recommendation`` (or None)."""
    answers = {f.city_id: f for f in FollowUp.objects.filter(recommendation=recommendation)}
    cities = City.objects.filter(status=CityStatus.ACTIVE).select_related("country")
    return [(city, answers.get(city.pk)) for city in cities.order_by("name")]


def follow_ups_of_city(city: City) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(city=city).select_related("recommendation")


def recommendations_for_city(city: City) -> QuerySet[Recommendation]:
    """All recommendations, newest first, each with the city's own follow-up (0 or 1, a
    unique constraint) read along in the same query: ``city_state`` and ``city_reason``,
    None where the city has not answered."""
    return Recommendation.objects.annotate(
        city_follow_up=FilteredRelation("follow_ups", condition=Q(follow_ups__city=city)),
        city_state=F("city_follow_up__state"),
        city_reason=F("city_follow_up__reason"),
    ).order_by("-year", "number")


# --- announcements (T3) ---------------------------------------------------------------


def announcements_for_city(city: City) -> QuerySet[Announcement]:
    """What was sent to ``city`` and only that (the deliveries froze the addressing), each
    with the name of the working group it went to as ``group_name`` (None if to all)."""
    return (
        Announcement.objects.filter(sent_at__isnull=False, deliveries__city=city)
        .annotate(group_name=F("working_group__name"))  # not the group's two dozen columns
        .order_by("-sent_at")
    )


def public_news() -> QuerySet[Announcement]:
    return Announcement.objects.filter(sent_at__isnull=False, is_public=True).order_by("-sent_at")


# --- the secretariat's desk -----------------------------------------------------------


@dataclass(frozen=True)
class DeskItem:
    """One line on the admin index: what needs action, and where to act on it."""

    label: str
    url: str
    count: int | None = None
    level: str = "warning"  # "warning" or "info"


def _changelist(model, query: str = "") -> str:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{query}" if query else url


# Apps on higher floors (reports) cannot be imported here; they register a function that
# returns their own desk items, in their AppConfig.ready().
DESK_ITEM_PROVIDERS: list = []


def register_desk_item_provider(provider) -> None:
    if provider not in DESK_ITEM_PROVIDERS:
        DESK_ITEM_PROVIDERS.append(provider)


def desk_items(today: datetime.date | None = None) -> list[DeskItem]:
    """What needs the secretariat's action today, each linking to the filtered list."""
    today = today or timezone.localdate()
    items = [
        DeskItem(label=warning, url=_changelist(RosterMember)) for warning in roster_warnings(today)
    ]
    waiting = Application.objects.filter(state__in=sorted(OPEN_STATES)).count()
    if waiting:
        items.append(
            DeskItem(
                label=ngettext(
                    "%(n)d membership application waits for a decision",
                    "%(n)d membership applications wait for a decision",
                    waiting,
                )
                % {"n": waiting},
                url=_changelist(Application, "open=yes"),
                count=waiting,
            )
        )
    overdue = overdue_groups().count()
    if overdue:
        items.append(
            DeskItem(
                label=ngettext(
                    "%(n)d working group is overdue for its quarterly meeting (rule W3)",
                    "%(n)d working groups are overdue for their quarterly meeting (rule W3)",
                    overdue,
                )
                % {"n": overdue},
                url=_changelist(WorkingGroup, "overdue_since__isempty=0"),
                count=overdue,
            )
        )
    for election in Election.objects.filter(
        state__in=[ElectionState.CANDIDACY, ElectionState.VOTING]
    ).select_related("summit", "summit__host_city"):
        items.append(
            DeskItem(
                label=_("%(summit)s: %(state)s")
                % {"summit": election.summit, "state": election.get_state_display()},
                url=reverse("admin:presidency_election_change", args=[election.pk]),
                level="info",
            )
        )
    pending = ExtraSessionRequest.objects.filter(state=RequestState.PENDING).count()
    if pending:
        items.append(
            DeskItem(
                label=ngettext(
                    "%(n)d request for an extra session waits for an answer (rule W4)",
                    "%(n)d requests for an extra session wait for an answer (rule W4)",
                    pending,
                )
                % {"n": pending},
                url=_changelist(ExtraSessionRequest, f"state__exact={RequestState.PENDING}"),
                count=pending,
            )
        )
    failed = Mail.objects.filter(state=MailState.FAILED).count()
    if failed:
        items.append(
            DeskItem(
                label=ngettext("%(n)d mail failed", "%(n)d mails failed", failed) % {"n": failed},
                url=_changelist(Mail, f"state__exact={MailState.FAILED}"),
                count=failed,
            )
        )
    awaiting = goals_awaiting_agreement().count()
    if awaiting:
        items.append(
            DeskItem(
                label=ngettext(
                    "%(n)d annual goal awaits agreement (rule S8)",
                    "%(n)d annual goals await agreement (rule S8)",
                    awaiting,
                )
                % {"n": awaiting},
                url=_changelist(Goal, "agreement=awaiting"),
                count=awaiting,
            )
        )
    mandate = Mandate.objects.filter(year=today.year, opening_meeting__isnull=True).first()
    if mandate is not None:
        items.append(
            DeskItem(
                label=_("The opening meeting of the %(year)s mandate is not recorded (rule G1)")
                % {"year": mandate.year},
                url=_changelist(OpeningMeeting),
                level="info",
            )
        )
    soon = today + datetime.timedelta(days=90)
    for summit in Summit.objects.filter(starts_on__gte=today, starts_on__lte=soon).select_related(
        "host_city"
    ):
        items.append(
            DeskItem(
                label=_("%(summit)s begins on %(date)s")
                % {"summit": summit, "date": formats.date_format(summit.starts_on, "DATE_FORMAT")},
                url=reverse("admin:presidency_summit_change", args=[summit.pk]),
                level="info",
            )
        )
    for provider in DESK_ITEM_PROVIDERS:
        items.extend(provider(today))
    return items
