"""The figures of the annual report (rules G2, T3), read from every floor below.

Each section is one function, whose cost does not grow with the number of cities, groups,
meetings or goals (tests/reports/test_selectors.py). The result is plain JSON — a snapshot
the page, the PDF and the CSV annex are all rendered from — with codes rather than labels,
so that each reader sees the labels in their own language.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.enums import CityStatus
from members.models import City
from outbox.enums import MailState
from outbox.models import Mail
from presidency import selectors as presidency_selectors
from presidency.models import Delegate, Delegation, Election, Mandate, Summit
from reports import rendering
from reports.enums import ReportState
from reports.models import AnnualReport, ReportDocument
from secretariat.enums.applications import ApplicationState
from secretariat.enums.workspace import FollowUpState
from secretariat.models.applications import Application, ApplicationEvent
from secretariat.models.workspace import (
    Announcement,
    AnnouncementDelivery,
    Goal,
    Recommendation,
    RosterMember,
)
from secretariat.selectors.workspace import goals_with_status
from workinggroups.enums import GroupState, MeetingKind
from workinggroups.models import (
    Attendance,
    ExtraSessionRequest,
    GroupMembership,
    Meeting,
    WorkingGroup,
)

FIGURES_VERSION = 1
# The steps of the build, as the admin shows them while it runs.
STEPS = {
    "mandate": _("the mandate, the summit and the election"),
    "membership": _("membership"),
    "groups": _("working groups"),
    "goals": _("goals"),
    "recommendations": _("recommendations"),
    "exchange": _("information exchange and roster"),
    "saving": _("saving"),
}
MEETINGS_A_YEAR = 4  # rule W3: every three months
FOLLOWING = [FollowUpState.WILL_FOLLOW, FollowUpState.IN_PROGRESS, FollowUpState.DONE]
CLOSED_APPLICATION_STATES = [
    ApplicationState.ADMITTED,
    ApplicationState.DECLINED,
    ApplicationState.WITHDRAWN,
]


@dataclass(frozen=True)
class Period:
    """The mandate's calendar year (rule S5), cut at ``today`` while it still runs."""

    year: int
    start: datetime.date
    end: datetime.date
    provisional: bool

    @classmethod
    def of(cls, year: int, today: datetime.date) -> "Period":
        start, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        provisional = today <= last
        return cls(year=year, start=start, end=min(last, today), provisional=provisional)

    @property
    def first_moment(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    @property
    def after_moment(self) -> datetime.datetime:
        """The first instant after the period (exclusive bound)."""
        next_day = self.end + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(next_day, datetime.time.min))

    @property
    def year_days(self) -> int:
        return (datetime.date(self.year + 1, 1, 1) - self.start).days


def _rate(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _number(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


# --- the mandate, the summit, the election (S1–S7) -------------------------------------


def mandate_section(mandate: Mandate, period: Period) -> dict:
    mandate = Mandate.objects.select_related("city__country", "mayor", "elected_at").get(
        pk=mandate.pk
    )
    return {
        "year": mandate.year,
        "city": mandate.city.name,
        "country": mandate.city.country.name,
        "country_code": mandate.city.country.code,  # its name in each edition's language
        "mayor": mandate.mayor.name if mandate.mayor else "",
        "elected_at": mandate.elected_at.year if mandate.elected_at else None,
        "start": period.start,
        "end": datetime.date(period.year, 12, 31),
        "provisional": period.provisional,
        "cut_at": period.end,
    }


def summit_section(period: Period) -> dict | None:
    """The summit of the mandate's year, hosted by the president (S6), and what the host
    covered of the visiting delegations' stay (S7)."""
    summit = Summit.objects.select_related("host_city").filter(year=period.year).first()
    if summit is None:
        return None
    delegations = Delegation.objects.filter(summit=summit).aggregate(
        registered=Count("id"), present=Count("id", filter=Q(present=True))
    )
    stays = list(
        Delegate.objects.filter(delegation__summit=summit)
        .exclude(delegation__city=summit.host_city_id)
        .values_list("arrives_on", "departs_on")
    )
    nights = sum((departs - arrives).days for arrives, departs in stays)
    return {
        "year": summit.year,
        "host": summit.host_city.name,
        "starts_on": summit.starts_on,
        "ends_on": summit.ends_on,
        "venue": summit.venue,
        "state": summit.state,
        "delegations": delegations["registered"],
        "delegations_present": delegations["present"],
        "delegates": Delegate.objects.filter(delegation__summit=summit).count(),
        "hosted_persons": len(stays),
        "hosted_nights": nights,
        # Meals on every day of the stay, arrival and departure included (as on the summit page).
        "hosted_meals": sum(
            ((departs - arrives).days + 1) * summit.meals_per_day for arrives, departs in stays
        ),
    }


def election_section(period: Period) -> dict | None:
    """The election at the mandate year's summit: the next presiding city (S2, S4, P1)."""
    election = (
        Election.objects.select_related("summit", "elected__city")
        .filter(summit__year=period.year)
        .first()
    )
    if election is None:
        return None
    rounds = []
    for result in presidency_selectors.round_results(election):
        rounds.append(
            {
                "number": result.round.number,
                "outcome": result.round.outcome,
                "electorate": result.electorate,
                "ballots": result.ballots,
                "turnout": _rate(result.ballots, result.electorate),
                "abstentions": result.abstentions,
                "tallies": [
                    {"city": candidacy.city.name, "votes": votes}
                    for candidacy, votes in result.tallies
                ],
                "elected": result.round.elected.city.name if result.round.elected else "",
                "by_lot": result.lot is not None,
            }
        )
    return {
        "summit": election.summit.year,
        "state": election.state,
        "is_secret": election.is_secret,
        "elected": election.elected.city.name if election.elected else "",
        "rounds": rounds,
    }


# --- membership (M2, M3) ---------------------------------------------------------------


def membership_section(period: Period) -> dict:
    # When a city withdrew: the first historical row that shows it withdrawn.
    withdrawn_on = {
        row["id"]: timezone.localdate(row["first"])
        for row in City.history.filter(status=CityStatus.WITHDRAWN)
        .values("id")
        .annotate(first=Min("history_date"))
    }
    # The summit of the city's latest admission (a city may leave and be admitted again).
    admitted_at = Subquery(
        Application.objects.filter(city=OuterRef("pk"), state=ApplicationState.ADMITTED)
        .order_by("-summit__starts_on")
        .values("summit__year")[:1]
    )
    cities = list(
        City.objects.annotate(admitted_at=admitted_at)
        .values(
            "id", "name", "country__name", "country__code", "joined_on", "status", "admitted_at"
        )
        .order_by("name")
    )

    def member_on(city: dict, day: datetime.date) -> bool:
        if city["joined_on"] > day:
            return False
        if city["status"] != CityStatus.WITHDRAWN:
            return True
        left = withdrawn_on.get(city["id"])
        return left is not None and left > day

    day_before = period.start - datetime.timedelta(days=1)
    admitted = [
        {
            "city": c["name"],
            "country": c["country__name"],
            "country_code": c["country__code"],
            "joined_on": c["joined_on"],
            "summit": c["admitted_at"],
        }
        for c in cities
        if period.start <= c["joined_on"] <= period.end
    ]
    withdrew = sorted(
        c["name"]
        for c in cities
        if c["id"] in withdrawn_on and period.start <= withdrawn_on[c["id"]] <= period.end
    )
    start, after = period.first_moment, period.after_moment
    closed_by_end = ApplicationEvent.objects.filter(
        application=OuterRef("pk"), to_state__in=CLOSED_APPLICATION_STATES, at__lt=after
    )
    in_period = Q(events__at__gte=start, events__at__lt=after)
    applications = Application.objects.annotate(closed=Exists(closed_by_end)).aggregate(
        received=Count(
            "id", filter=Q(submitted_at__gte=start, submitted_at__lt=after), distinct=True
        ),
        admitted=Count(
            "id",
            filter=in_period & Q(events__to_state=ApplicationState.ADMITTED),
            distinct=True,
        ),
        declined=Count(
            "id",
            filter=in_period & Q(events__to_state=ApplicationState.DECLINED),
            distinct=True,
        ),
        withdrawn=Count(
            "id",
            filter=in_period & Q(events__to_state=ApplicationState.WITHDRAWN),
            distinct=True,
        ),
        open_at_end=Count("id", filter=Q(submitted_at__lt=after, closed=False), distinct=True),
    )
    applications["decided"] = applications["admitted"] + applications["declined"]
    return {
        "cities_at_start": sum(member_on(c, day_before) for c in cities),
        "cities_at_end": sum(member_on(c, period.end) for c in cities),
        "admitted": admitted,
        "withdrawn": withdrew,
        "applications": applications,
    }


def members_at_end(period: Period) -> set[int]:
    withdrawn_on = dict(
        City.history.filter(status=CityStatus.WITHDRAWN)
        .values("id")
        .annotate(first=Min("history_date"))
        .values_list("id", "first")
    )
    members = set()
    for pk, joined_on, status in City.objects.values_list("id", "joined_on", "status"):
        if joined_on > period.end:
            continue
        if status == CityStatus.WITHDRAWN:
            left = withdrawn_on.get(pk)
            if left is None or timezone.localdate(left) <= period.end:
                continue
        members.add(pk)
    return members


def map_section(mandate: Mandate, period: Period) -> dict:
    """The network's map at the end of the mandate: the member cities then (with their
    coordinates), those that joined during the mandate marked, the presiding city."""
    members = members_at_end(period)
    rows = (
        City.objects.filter(pk__in=members, latitude__isnull=False, longitude__isnull=False)
        .values(
            "slug", "name", "latitude", "longitude", "is_founding", "joined_on", "country__code"
        )
        .order_by("name")
    )
    cities = [
        {
            "name": row["name"],
            "slug": row["slug"],
            "latitude": float(row["latitude"]),
            "longitude": float(row["longitude"]),
            "is_founding": row["is_founding"],
            "country": row["country__code"],
            "joined_in_mandate": period.start <= row["joined_on"] <= period.end,
        }
        for row in rows
    ]
    return {
        "cities": cities,
        "presiding": mandate.city.slug,
        "without_coordinates": len(members) - len(cities),
    }


# --- working groups (W1–W5) ------------------------------------------------------------


def required_meetings(active_days: int, year_days: int) -> int:
    """Rule W3 in numbers: four meetings in a full year, pro rata for part of one (so far)."""
    if active_days <= 0:
        return 0
    return round(MEETINGS_A_YEAR * active_days / year_days)


def groups_section(period: Period, *, now: datetime.datetime | None = None) -> dict:
    """Per group: meetings held against the cadence, extra sessions, attendance; and per
    city its attendance over the meetings of its groups."""
    now = now or timezone.now()
    start, after = period.first_moment, min(period.after_moment, now)
    closed_on = {
        row["id"]: timezone.localdate(row["first"])
        for row in WorkingGroup.history.filter(state=GroupState.CLOSED)
        .values("id")
        .annotate(first=Min("history_date"))
    }
    groups = []
    for group in WorkingGroup.objects.filter(
        state__in=[GroupState.ACTIVE, GroupState.CLOSED],
        created_on__isnull=False,
        created_on__lte=period.end,
    ).values("id", "name", "state", "created_on"):
        ended = closed_on.get(group["id"]) if group["state"] == GroupState.CLOSED else None
        if ended is not None and ended < period.start:
            continue
        group["closed_on"] = ended
        groups.append(group)
    ids = [g["id"] for g in groups]
    members: dict[int, set[int]] = defaultdict(set)
    for group_id, city_id in GroupMembership.objects.filter(group__in=ids).values_list(
        "group_id", "city_id"
    ):
        members[group_id].add(city_id)
    meetings = list(
        Meeting.objects.filter(group__in=ids, starts_at__gte=start, ends_at__lte=after).values_list(
            "id", "group_id", "kind"
        )
    )
    present: dict[int, set[int]] = defaultdict(set)
    recorded: dict[int, set[int]] = defaultdict(set)
    for meeting_id, city_id, is_present in Attendance.objects.filter(
        meeting__group__in=ids, meeting__starts_at__gte=start, meeting__ends_at__lte=after
    ).values_list("meeting_id", "city_id", "present"):
        recorded[meeting_id].add(city_id)
        if is_present:
            present[meeting_id].add(city_id)
    requested = dict(
        ExtraSessionRequest.objects.filter(
            group__in=ids, created_at__gte=start, created_at__lt=after
        )
        .values("group_id")
        .annotate(n=Count("id"))
        .values_list("group_id", "n")
    )
    per_group: dict[int, dict] = {
        g["id"]: {"regular": 0, "extra": 0, "invited": 0, "present": 0} for g in groups
    }
    city_invited: dict[int, int] = defaultdict(int)
    city_present: dict[int, int] = defaultdict(int)
    for meeting_id, group_id, kind in meetings:
        row = per_group[group_id]
        row["regular" if kind == MeetingKind.REGULAR else "extra"] += 1
        # Invited: the group's member cities, and any other city recorded at the meeting.
        invited = members[group_id] | recorded[meeting_id]
        row["invited"] += len(invited)
        row["present"] += len(present[meeting_id])
        for city_id in invited:
            city_invited[city_id] += 1
        for city_id in present[meeting_id]:
            city_present[city_id] += 1
    rows = []
    for group in groups:
        counts = per_group[group["id"]]
        first = max(group["created_on"], period.start)
        last = min(group["closed_on"] or period.end, period.end)
        held = counts["regular"] + counts["extra"]
        rows.append(
            {
                "name": group["name"],
                "state": group["state"],
                "members": len(members[group["id"]]),
                "required": required_meetings((last - first).days + 1, period.year_days),
                "held": held,
                "regular": counts["regular"],
                "extra": counts["extra"],
                "extra_requested": requested.get(group["id"], 0),
                "invited": counts["invited"],
                "present": counts["present"],
                "attendance_rate": _rate(counts["present"], counts["invited"]),
            }
        )
    names = dict(City.objects.filter(pk__in=list(city_invited)).values_list("id", "name"))
    by_city = sorted(
        (
            {
                "city": names[city_id],
                "invited": invited,
                "present": city_present[city_id],
                "rate": _rate(city_present[city_id], invited),
            }
            for city_id, invited in city_invited.items()
        ),
        key=lambda row: (-(row["rate"] or 0), row["city"]),
    )
    return {
        "rows": rows,
        "by_city": by_city,
        "created": sorted(g["name"] for g in groups if g["created_on"] >= period.start),
        "closed": sorted(g["name"] for g in groups if g["closed_on"] is not None),
        "totals": {
            "groups": len(rows),
            "required": sum(r["required"] for r in rows),
            "held": sum(r["held"] for r in rows),
            "extra_requested": sum(r["extra_requested"] for r in rows),
            "extra_held": sum(r["extra"] for r in rows),
            "attendance_rate": _rate(
                sum(r["present"] for r in rows), sum(r["invited"] for r in rows)
            ),
        },
    }


# --- goals (G1), recommendations (M5) --------------------------------------------------


def goal_progress(baseline: Decimal, target: Decimal, last: Decimal | None) -> int:
    """How far from the baseline towards the target the last value is, 0–100 %."""
    if last is None or target == baseline:
        return 0
    share = (last - baseline) / (target - baseline)
    return max(0, min(100, round(100 * share)))


def goals_section(mandate: Mandate, period: Period) -> list[dict]:
    today = period.end if period.provisional else period.end + datetime.timedelta(days=1)
    goals = goals_with_status(Goal.objects.filter(mandate=mandate).order_by("title"), today)
    return [
        {
            "title": goal.title,
            "working_group": goal.working_group.name if goal.working_group else "",
            "indicator": goal.indicator,
            "unit": goal.unit,
            "baseline": _number(goal.baseline),
            "target": _number(goal.target),
            "last": _number(goal.latest_value),
            "status": goal.status,
            "is_set": goal.is_set,
            "progress": goal_progress(goal.baseline, goal.target, goal.latest_value),
        }
        for goal in goals
    ]


def recommendations_section(period: Period, members: set[int]) -> dict:
    """Recommendations adopted in the mandate year, each with its follow-up rate over the
    cities that were members at the end of the mandate."""
    of_members = Q(follow_ups__city__in=members)
    recommendations = (
        Recommendation.objects.filter(year=period.year)
        .annotate(
            following=Count("follow_ups", filter=of_members & Q(follow_ups__state__in=FOLLOWING)),
            done=Count("follow_ups", filter=of_members & Q(follow_ups__state=FollowUpState.DONE)),
            declined=Count(
                "follow_ups",
                filter=of_members & Q(follow_ups__state=FollowUpState.WILL_NOT_FOLLOW),
            ),
            answered=Count("follow_ups", filter=of_members),
        )
        .select_related("summit")
        .order_by("number")
    )
    rows = [
        {
            "reference": r.reference,
            "title": r.title,
            "adopted_by": r.adopted_by,
            "adopted_on": r.adopted_on,
            "following": r.following,
            "done": r.done,
            "declined": r.declined,
            "answered": r.answered,
            "rate": _rate(r.following, len(members)),
        }
        for r in recommendations
    ]
    return {
        "members": len(members),
        "rows": rows,
        "average_rate": _rate(sum(r["following"] for r in rows), len(rows) * len(members)),
    }


# --- information exchange (T3), the roster (T2) ----------------------------------------


def exchange_section(period: Period) -> dict:
    start, after = period.first_moment, period.after_moment
    announcements = Announcement.objects.filter(sent_at__gte=start, sent_at__lt=after).aggregate(
        sent=Count("id"), public=Count("id", filter=Q(is_public=True))
    )
    deliveries = AnnouncementDelivery.objects.filter(
        announcement__sent_at__gte=start, announcement__sent_at__lt=after
    ).aggregate(
        deliveries=Count("id"),
        mailed=Count("mail"),
        delivered=Count("id", filter=Q(mail__state=MailState.SENT)),
        failed=Count("id", filter=Q(mail__state=MailState.FAILED)),
    )
    mails = Mail.objects.filter(created_at__gte=start, created_at__lt=after).aggregate(
        total=Count("id"),
        sent=Count("id", filter=Q(state=MailState.SENT)),
        failed=Count("id", filter=Q(state=MailState.FAILED)),
        queued=Count("id", filter=Q(state=MailState.QUEUED)),
    )
    return {
        "announcements": announcements["sent"],
        "public_announcements": announcements["public"],
        "deliveries": deliveries["deliveries"],
        "announcement_mails": deliveries["mailed"],
        "announcement_mails_delivered": deliveries["delivered"],
        "announcement_mails_failed": deliveries["failed"],
        "mails": mails["total"],
        "mails_delivered": mails["sent"],
        "mails_failed": mails["failed"],
        "mails_queued": mails["queued"],
    }


def roster_section(period: Period) -> list[dict]:
    roster = (
        RosterMember.objects.filter(active_from__lte=period.end)
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=period.start))
        .select_related("user")
        .order_by("role", "active_from", "user__last_name", "user__username")
    )
    return [
        {
            "name": member.user.get_full_name() or member.user.get_username(),
            "role": member.role,
            "languages": member.languages,
            "english_fluent": member.english_fluent,
            "active_from": member.active_from,
            "active_to": member.active_to,
        }
        for member in roster
    ]


# --- the whole report ------------------------------------------------------------------

Progress = Callable[[int, str], None]


def compute_figures(
    mandate: Mandate,
    *,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
    progress: Progress | None = None,
) -> dict:
    """Every figure of the report for ``mandate``, as JSON-ready data.

    ``progress(percent, step)`` is called between sections (the task records it).
    """
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    period = Period.of(mandate.year, today)
    report = progress or (lambda percent, step: None)
    figures: dict = {"version": FIGURES_VERSION}
    report(5, "mandate")
    figures["mandate"] = mandate_section(mandate, period)
    figures["summit"] = summit_section(period)
    figures["election"] = election_section(period)
    report(20, "membership")
    figures["membership"] = membership_section(period)
    figures["map"] = map_section(mandate, period)
    report(35, "groups")
    figures["groups"] = groups_section(period, now=now)
    report(60, "goals")
    figures["goals"] = goals_section(mandate, period)
    report(70, "recommendations")
    figures["recommendations"] = recommendations_section(period, members_at_end(period))
    report(80, "exchange")
    figures["exchange"] = exchange_section(period)
    figures["roster"] = roster_section(period)
    report(90, "saving")
    return figures


# --- reads for the pages and the admin -------------------------------------------------


def published_reports():
    return AnnualReport.objects.filter(published=True).select_related("mandate__city")


def published_report(year: int) -> AnnualReport:
    return published_reports().get(year=year)


def pdf_documents(report: AnnualReport) -> list[tuple[str, ReportDocument | None]]:
    """Each language's stored PDF if it matches the report as it is now, else None.

    Reads ``report.documents.all()``: prefetch it (without the bytes) for a list.
    """
    stored = {document.language: document for document in report.documents.all()}
    result = []
    for language in rendering.pdf_languages():
        document = stored.get(language)
        fresh = document is not None and document.fingerprint == rendering.pdf_fingerprint(
            report, language
        )
        result.append((language, document if fresh else None))
    return result


def mandates_due(today: datetime.date | None = None):
    """Expired mandates with no report yet (rule G2): the January job starts these."""
    today = today or timezone.localdate()
    return Mandate.objects.filter(year__lt=today.year, annual_report__isnull=True).order_by("year")


def desk_items(today: datetime.date) -> list:
    """The secretariat's desk: reports due (rule G2) and builds that failed."""
    from django.urls import reverse
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from secretariat.selectors.workspace import DeskItem

    items = []
    due = [mandate.year for mandate in mandates_due(today)]
    if due:
        items.append(
            DeskItem(
                label=ngettext(
                    "The annual report of %(years)s is due (rule G2)",
                    "The annual reports of %(years)s are due (rule G2)",
                    len(due),
                )
                % {"years": ", ".join(str(year) for year in due)},
                url=reverse("admin:reports_annualreport_add"),
                count=len(due),
            )
        )
    failed = AnnualReport.objects.filter(state=ReportState.FAILED).count()
    if failed:
        items.append(
            DeskItem(
                label=_("An annual report failed to build: see its error"),
                url=reverse("admin:reports_annualreport_changelist") + "?state__exact=failed",
                count=failed,
            )
        )
    return items
