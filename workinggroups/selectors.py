"""Reads on working groups."""

import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from members.enums import CityStatus
from members.models import City, User
from members.roles import acts_for_city, is_secretariat
from presidency.roles import PresidencyRoles
from workinggroups.checks import check_request_extra_session
from workinggroups.enums import GroupState
from workinggroups.models import (
    Attendance,
    ExtraSessionRequest,
    GroupMembership,
    Meeting,
    WorkingGroup,
)

PUBLIC_STATES = [GroupState.ACTIVE, GroupState.CLOSED]
NETWORK_TIMEZONE = "Europe/Istanbul"
# The time zone a city user lives in, from their city's country (no per-user setting yet).
COUNTRY_TIMEZONES = {
    "AL": "Europe/Tirane",
    "BA": "Europe/Sarajevo",
    "BG": "Europe/Sofia",
    "GR": "Europe/Athens",
    "HR": "Europe/Zagreb",
    "ME": "Europe/Podgorica",
    "MK": "Europe/Skopje",
    "RO": "Europe/Bucharest",
    "RS": "Europe/Belgrade",
    "SI": "Europe/Ljubljana",
    "TR": "Europe/Istanbul",
    "XK": "Europe/Belgrade",
    "MD": "Europe/Chisinau",
    "HU": "Europe/Budapest",
    "CY": "Asia/Nicosia",
}


def public_groups() -> QuerySet[WorkingGroup]:
    return (
        WorkingGroup.objects.filter(state__in=PUBLIC_STATES)
        .select_related("coordinating_city")
        .annotate(
            city_count=Count("memberships", filter=Q(memberships__city__status=CityStatus.ACTIVE))
        )
    )


def public_group(slug: str) -> WorkingGroup:
    return WorkingGroup.objects.select_related("coordinating_city").get(
        slug=slug, state__in=PUBLIC_STATES
    )


def groups_of_city(city: City) -> QuerySet[WorkingGroup]:
    return WorkingGroup.objects.filter(memberships__city=city, state=GroupState.ACTIVE)


def group_memberships(group: WorkingGroup) -> QuerySet[GroupMembership]:
    return group.memberships.select_related("city", "city__country", "contact").order_by(
        "city__name"
    )


def is_member_city(user: User, group: WorkingGroup) -> bool:
    if not user.is_authenticated or not user.city_id:
        return False
    return GroupMembership.objects.filter(group=group, city_id=user.city_id).exists()


def can_see_members_only(user: User, group: WorkingGroup) -> bool:
    """Members-only minutes and online links: the group's member cities and the secretariat."""
    return is_secretariat(user) or is_member_city(user, group)


def can_request_extra_session(user: User, group: WorkingGroup) -> bool:
    """The link to ask for an extra session (rule W4): the service's own check."""
    if not acts_for_city(user):
        return False
    try:
        check_request_extra_session(group=group, city=user.city)
    except (PermissionDenied, ValidationError):
        return False
    return True


def _meetings(group: WorkingGroup) -> QuerySet[Meeting]:
    return group.meetings.prefetch_related(
        Prefetch(
            "attendances",
            queryset=Attendance.objects.select_related("city").order_by("city__name"),
        )
    )


def upcoming_meetings(group: WorkingGroup, now: datetime.datetime | None = None):
    return _meetings(group).filter(ends_at__gte=now or timezone.now()).order_by("starts_at")


def past_meetings(group: WorkingGroup, now: datetime.datetime | None = None):
    return _meetings(group).filter(ends_at__lt=now or timezone.now()).order_by("-starts_at")


def coming_meetings(now: datetime.datetime | None = None) -> QuerySet[Meeting]:
    """Meetings of the public groups not yet over, the soonest first."""
    return (
        Meeting.objects.select_related("group")
        .filter(ends_at__gte=now or timezone.now(), group__state__in=PUBLIC_STATES)
        .order_by("starts_at", "pk")
    )


def feed_meetings(group: WorkingGroup | None = None) -> QuerySet[Meeting]:
    """Meetings for a calendar feed: a year back and everything ahead."""
    since = timezone.now() - datetime.timedelta(days=366)
    meetings = Meeting.objects.select_related("group").filter(
        starts_at__gte=since, group__state__in=PUBLIC_STATES
    )
    if group is not None:
        meetings = meetings.filter(group=group)
    return meetings.order_by("starts_at")


def overdue_groups() -> QuerySet[WorkingGroup]:
    return WorkingGroup.objects.filter(overdue_since__isnull=False).order_by("overdue_since")


def viewer_timezone(user: User) -> zoneinfo.ZoneInfo | None:
    if not user.is_authenticated or not user.city_id:
        return None
    name = COUNTRY_TIMEZONES.get(user.city.country.code)
    return zoneinfo.ZoneInfo(name) if name else None


@dataclass
class DashboardPanel:
    city: City
    groups: list[tuple[str, str, bool]]  # the active groups: named rows (name, slug, is_member)
    requests: list[ExtraSessionRequest]
    presides: bool = False
    proposals: list[WorkingGroup] = field(default_factory=list)
    turns_key: bool = False  # the president (the presiding mayor) turns the key of rule W5

    @property
    def member_groups(self) -> list[tuple[str, str, bool]]:
        return [g for g in self.groups if g.is_member]

    @property
    def joinable_groups(self) -> list[tuple[str, str, bool]]:
        return [g for g in self.groups if not g.is_member]


def dashboard_panel(*, city: City, roles: PresidencyRoles) -> DashboardPanel:
    """What the city's dashboard shows of working groups: join/leave, extra-session requests,
    and — when the user (``roles``: :func:`presidency.roles.presidency_roles`, as
    ``services.is_presidency`` and ``services.holds_key``) holds the presidency's key — the
    proposals awaiting it (rule W5)."""
    # Rows of (name, slug, is_member): all the panel shows of a group is a link or an option.
    groups = list(
        WorkingGroup.objects.filter(state=GroupState.ACTIVE)
        .annotate(is_member=Exists(GroupMembership.objects.filter(group=OuterRef("pk"), city=city)))
        .order_by("name")
        .values_list("name", "slug", "is_member", named=True)
    )
    requests = list(
        ExtraSessionRequest.objects.filter(city=city)
        .select_related("group", "meeting")
        .only("state", "reason", "decline_reason", "group__name", "meeting__starts_at")
        .order_by("-created_at")[:10]
    )
    presides = roles.acts_for_presidency
    proposals = (
        list(
            WorkingGroup.objects.filter(state=GroupState.PROPOSED)
            .select_related("proposed_by")
            .order_by("proposed_at")
        )
        if presides
        else []
    )
    return DashboardPanel(
        city=city,
        groups=groups,
        requests=requests,
        presides=presides,
        proposals=proposals,
        turns_key=roles.is_presiding_mayor,
    )
