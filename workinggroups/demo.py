"""Demo activity of the working groups (idempotent; everything marked "(demo)")."""

import datetime

from django.utils import timezone

from members.models import City, User
from workinggroups import services
from workinggroups.enums import MeetingKind, MinutesVisibility, RequestState
from workinggroups.models import (
    Attendance,
    ExtraSessionRequest,
    GroupMembership,
    Meeting,
    WorkingGroup,
)

DEMO = "(demo)"
MEMBERS = {
    "local-climate-action": ["tirana", "edirne", "split", "athens", "istanbul", "thessaloniki"],
    "local-democracy-and-migration": ["pristina", "tirana", "sarajevo", "edirne", "skopje"],
    "smart-cities-and-digital-transformation": ["istanbul", "athens", "belgrade", "skopje"],
    "local-economic-cooperation": ["edirne", "kirklareli", "tekirdag", "split", "durres"],
}


def _at(day: datetime.date, hour: int = 11) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour)), timezone.get_default_timezone()
    )


def load_memberships() -> None:
    for slug, city_slugs in MEMBERS.items():
        group = WorkingGroup.objects.filter(slug=slug).first()
        if group is None or not group.is_active:
            continue
        for city in City.objects.filter(slug__in=city_slugs):
            if not GroupMembership.objects.filter(group=group, city=city).exists():
                services.join_group(group=group, city=city)


def load_meetings() -> None:
    """Two past quarterly meetings with attendance and minutes, and the next one."""
    today = timezone.localdate()
    for slug in MEMBERS:
        group = WorkingGroup.objects.filter(slug=slug, state="active").first()
        if group is None or group.meetings.filter(agenda__contains=DEMO).exists():
            continue
        cities = [m.city for m in group.memberships.select_related("city")]
        first = today - datetime.timedelta(days=160)
        for n, (day, visibility) in enumerate(
            [
                (first, MinutesVisibility.PUBLIC),
                (services.add_months(_at(first), 3).date(), MinutesVisibility.MEMBERS),
                (services.add_months(_at(first), 6).date(), MinutesVisibility.MEMBERS),
            ]
        ):
            start = _at(day)
            past = start < timezone.now()
            meeting = Meeting(
                group=group,
                kind=MeetingKind.REGULAR,
                regular_slot=day,
                starts_at=start,
                ends_at=start + datetime.timedelta(minutes=90),
                online_link="https://meet.b40.example/demo-" + slug,
                agenda=f"Quarterly meeting {n + 1}: progress of the members' projects {DEMO}",
                minutes=(
                    f"The members reported on their projects and agreed next steps {DEMO}."
                    if past
                    else ""
                ),
                minutes_visibility=visibility,
            )
            meeting.full_clean()
            meeting.save()
            if past:
                for i, city in enumerate(cities):
                    Attendance.objects.create(meeting=meeting, city=city, present=i % 4 != 3)


def load_requests() -> None:
    user = User.objects.filter(username="mayor.edirne").first()
    group = WorkingGroup.objects.filter(slug="local-climate-action", state="active").first()
    if user is None or group is None:
        return
    if ExtraSessionRequest.objects.filter(
        group=group, city=user.city, state=RequestState.PENDING
    ).exists():
        return
    if not GroupMembership.objects.filter(group=group, city=user.city).exists():
        return
    services.request_extra_session(
        group=group,
        city=user.city,
        by=user,
        reason=f"Floods in the Evros basin: coordinate an urgent response {DEMO}",
        proposed_start=_at(timezone.localdate() + datetime.timedelta(days=14), 14),
    )


def load() -> None:
    load_memberships()
    load_meetings()
    load_requests()
