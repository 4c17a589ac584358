"""Demo activity of the working groups, through the services and marked "(demo)".

The building blocks the demo's history (``secretariat/demo_history.py``) calls at the
moments they happened, the clock set to each (``common.clock``): cities join, the cadence
plans each quarterly meeting (rule W3) and reminds the members, the meeting is held
(attendance and minutes, recorded as the admin records them), members ask for extra
sessions (rule W4) that the secretariat convenes or declines, a new group is created with
both keys (rule W5). ``load()`` is the present: the next meetings planned and a request
waiting for the secretariat.
"""

import datetime
import random
from collections.abc import Iterable

from django.utils import timezone

from members.demo import city_actor
from members.enums import CityRole
from members.models import City, User
from workinggroups import services
from workinggroups.enums import ApprovalKey, GroupState, MinutesVisibility, RequestState
from workinggroups.models import (
    ExtraSessionRequest,
    GroupMembership,
    Meeting,
    WorkingGroup,
)

DEMO = "(demo)"
# The founding groups' first members (rule W2), who join in December 2021.
MEMBERS = {
    "local-climate-action": [
        "tirana", "edirne", "split", "athens", "istanbul", "thessaloniki", "kotor", "patras",
    ],
    "local-democracy-and-migration": [
        "pristina", "tirana", "sarajevo", "edirne", "skopje", "prizren", "canakkale",
    ],
    "smart-cities-and-digital-transformation": [
        "istanbul", "athens", "belgrade", "skopje", "podgorica", "trikala",
    ],
    "local-economic-cooperation": [
        "edirne", "kirklareli", "tekirdag", "split", "durres", "constanta", "pula",
    ],
}  # fmt: skip
TOPICS = {
    "local-climate-action": [
        "heat-wave plans and cooling centres",
        "flood risk maps shared between river cities",
        "tree planting and urban shade",
        "energy renovation of school buildings",
    ],
    "local-democracy-and-migration": [
        "welcome desks for newcomers",
        "participatory budgets in the neighbourhoods",
        "language classes run with civil society",
        "youth councils and local elections",
    ],
    "smart-cities-and-digital-transformation": [
        "open data portals for budgets and transport",
        "digital public services shared between cities",
        "cyber security of city systems",
        "smart street lighting pilots",
    ],
    "local-economic-cooperation": [
        "a joint presence at tourism fairs",
        "cross-border markets for local producers",
        "start-up incubators of the member cities",
        "green public procurement",
    ],
}
DEFAULT_TOPICS = ["the members' projects", "the work plan", "shared funding calls", "next steps"]


def _at(day: datetime.date, hour: int = 11, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, minute)),
        timezone.get_default_timezone(),
    )


def group(slug: str) -> WorkingGroup:
    return WorkingGroup.objects.get(slug=slug)


# --- membership ------------------------------------------------------------------------


def join(*, group_slug: str, slugs: Iterable[str]) -> None:
    """Cities join a group today (the clock's). ``joined_on`` is a date stamped by the
    database layer's own clock (``auto_now_add``), which the demo's clock does not reach:
    it is set to the day they joined."""
    target = group(group_slug)
    for member in City.objects.filter(slug__in=list(slugs)).order_by("slug"):
        if GroupMembership.objects.filter(group=target, city=member).exists():
            continue
        membership = services.join_group(group=target, city=member, by=city_actor(member))
        date_joined(membership, timezone.localdate())


def date_joined(membership: GroupMembership, day: datetime.date) -> None:
    if membership.joined_on != day:
        membership.joined_on = day
        membership.save(update_fields=["joined_on"])


# --- the cadence (rule W3) --------------------------------------------------------------


def regular_slots(
    anchor: datetime.datetime, until: datetime.datetime
) -> Iterable[datetime.datetime]:
    """The starts of a group's quarterly meetings after ``anchor`` up to ``until``, as the
    cadence plans them (each three months after the previous one)."""
    start = services.next_regular_start(anchor)
    while start <= until:
        yield start
        start = services.next_regular_start(start)


def founding_anchor(target: WorkingGroup) -> datetime.datetime:
    return _at(target.created_on, services.meeting_time().hour, services.meeting_time().minute)


def plan_meeting(*, group_slug: str) -> Meeting | None:
    return services.plan_next_meeting(group=group(group_slug))


def remind(*, group_slug: str, slot: datetime.date) -> None:
    meeting = Meeting.objects.filter(group__slug=group_slug, regular_slot=slot).first()
    if meeting is not None:
        services.send_meeting_reminder(meeting=meeting)


def hold_meeting(*, meeting: Meeting, rng: random.Random, number: int, public: bool) -> None:
    """The meeting took place: the secretariat records who attended and the minutes through
    the service the admin's "held" action calls."""
    members = list(
        GroupMembership.objects.filter(
            group=meeting.group, joined_on__lte=timezone.localdate(meeting.starts_at)
        )
        .select_related("city")
        .order_by("city__slug")
    )
    present = [m.city for m in members if rng.random() < 0.82]
    topics = TOPICS.get(meeting.group.slug, DEFAULT_TOPICS)
    topic = topics[number % len(topics)]
    meeting.online_link = meeting.online_link or f"https://meet.b40.example/{meeting.group.slug}"
    if not meeting.agenda or DEMO not in meeting.agenda:
        meeting.agenda = f"{meeting.agenda} Main item: {topic} {DEMO}".strip()
    meeting.full_clean()
    meeting.save()
    services.record_meeting(
        meeting=meeting,
        by=User.objects.get(username="secretariat"),
        present=present,
        minutes=(
            f"{len(present)} of {len(members)} member cities present. The members reported on "
            f"{topic} and agreed the next steps; the secretariat circulates the documents {DEMO}."
        ),
        minutes_visibility=MinutesVisibility.PUBLIC if public else MinutesVisibility.MEMBERS,
        now=meeting.ends_at,
    )


def cancel_meeting(*, group_slug: str, slot: datetime.date, reason: str) -> None:
    """The secretariat cancels a planned quarterly meeting; its slot stays cancelled."""
    meeting = Meeting.objects.get(group__slug=group_slug, regular_slot=slot)
    services.cancel_meeting(
        meeting=meeting, by=User.objects.get(username="secretariat"), reason=reason
    )


# --- extra sessions (rule W4) ----------------------------------------------------------


def request_extra(
    *, group_slug: str, slug: str, reason: str, proposed_start: datetime.datetime
) -> ExtraSessionRequest:
    member = City.objects.get(slug=slug)
    return services.request_extra_session(
        group=group(group_slug),
        city=member,
        by=city_actor(member),
        reason=f"{reason} {DEMO}",
        proposed_start=proposed_start,
    )


def pending_request(*, group_slug: str, slug: str) -> ExtraSessionRequest:
    return ExtraSessionRequest.objects.get(
        group__slug=group_slug, city__slug=slug, state=RequestState.PENDING
    )


def convene(*, request: ExtraSessionRequest, by: User) -> Meeting:
    return services.convene_extra_session(
        request=request,
        by=by,
        starts_at=request.proposed_start,
        online_link=f"https://meet.b40.example/{request.group.slug}-extra",
    )


def decline(*, request: ExtraSessionRequest, by: User, reason: str) -> None:
    services.decline_extra_session(request=request, by=by, reason=f"{reason} {DEMO}")


# --- new groups (rule W5) --------------------------------------------------------------


def propose_group(*, name: str, topic: str, by: User) -> WorkingGroup:
    return services.propose_group(name=f"{name} {DEMO}", topic=f"{topic} {DEMO}", by=by)


def approve_group(*, name: str, president_slug: str | None, by: User | None) -> WorkingGroup:
    """One key: the presidency's (the presiding city's mayor) or the secretariat's."""
    target = WorkingGroup.objects.get(name=f"{name} {DEMO}")
    if president_slug is not None:
        president = city_actor(City.objects.get(slug=president_slug), role=CityRole.MAYOR)
        return services.approve_group(group=target, by=president, key=ApprovalKey.PRESIDENCY)
    return services.approve_group(group=target, by=by, key=ApprovalKey.SECRETARIAT)


def refuse_group(*, name: str, by: User, reason: str) -> WorkingGroup:
    target = WorkingGroup.objects.get(name=f"{name} {DEMO}")
    return services.refuse_group(
        group=target, by=by, key=ApprovalKey.SECRETARIAT, reason=f"{reason} {DEMO}"
    )


# --- the present ----------------------------------------------------------------------


def load() -> None:
    """The next quarterly meetings planned, and an extra session asked for (idempotent)."""
    for target in WorkingGroup.objects.filter(state=GroupState.ACTIVE):
        services.plan_next_meeting(group=target)
    load_requests()


def load_requests() -> None:
    user = User.objects.filter(username="mayor.edirne").first()
    target = WorkingGroup.objects.filter(slug="local-climate-action", state="active").first()
    if user is None or target is None:
        return
    if ExtraSessionRequest.objects.filter(
        group=target, city=user.city, state=RequestState.PENDING
    ).exists():
        return
    if not GroupMembership.objects.filter(group=target, city=user.city).exists():
        return
    services.request_extra_session(
        group=target,
        city=user.city,
        by=user,
        reason=f"Floods in the Evros basin: coordinate an urgent response {DEMO}",
        proposed_start=_at(timezone.localdate() + datetime.timedelta(days=14), 14),
    )
