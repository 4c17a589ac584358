"""A small network built by hand for the 2025 mandate, whose every figure is known.

On top of the 25 founding cities and the four groups of rule W2 (from the migrations):

- Mandate 2025: Tirana (mayor Erion Veliaj), elected at the 2024 summit.
- Summit 2025 in Tirana: delegations of Tirana (host, 1 delegate), Athens (2 delegates:
  2 nights and 1 night) and Edirne (registered, absent, none). The host covers
  2 persons, 3 nights, 15 meals (3 meals a day, arrival and departure included).
- Election there: one secret round, electorate 3, Skopje 2 votes, Split 1: Skopje elected.
- Cities: Ohrid joined 2024-11-20, Novo Mesto admitted at the 2025 summit (2025-10-16),
  Bitola joins 2026; Pula withdrew on 2025-06-01. Start 26, end 26.
- Applications: 3 received in 2025 (Novo Mesto admitted, Celje declined, Koper open);
  Maribor (filed 2024) withdrawn in 2025; Ptuj filed in 2026. Open at the end: 1.
- Groups: Local climate action (Tirana, Athens, Skopje) met 3 times + 1 extra session
  (Edirne came too): 9 present of 13 invited; 2 extra sessions requested in 2025.
  Tourism created 2025-07-01 (Split), 1 meeting, required 2. Smart cities closed on
  2025-04-01, required 1. The other two W2 groups: required 4, held 0.
- Goals: Climate plans 4→12, last 10 (missed, 75 %); Emissions 100→80, last 78
  (achieved, 100 %); Twinning 0→5, no value (missed, 0 %).
- Recommendations 2025: 2025/1 (Tirana will follow, Athens done, Skopje will not,
  Pula done but withdrawn) and 2025/2 (no answer); 2024/1 is not counted.
- Announcements 2025: 2 sent (1 public), 4 deliveries, 3 mails (1 sent, 1 failed,
  1 queued); 1 more mail sent. Mails in 2025: 4 (2 sent, 1 failed, 1 queued).
- Roster in 2025: the secretary Ayşe Yılmaz and the expert Nikos Papadopoulos.
"""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from members.enums import CityStatus, PersonRole
from members.models import City, Country
from outbox.enums import MailState
from outbox.models import Mail
from presidency.enums import ElectionState, RoundOutcome, RoundState, SummitState
from presidency.models import (
    BallotRecord,
    Candidacy,
    Delegate,
    Delegation,
    Election,
    Mandate,
    Round,
    Summit,
    Vote,
)
from secretariat.enums.applications import ApplicationState
from secretariat.enums.workspace import AdoptedBy, FollowUpState, Party, RosterRole
from secretariat.models.applications import Application, ApplicationEvent
from secretariat.models.workspace import (
    Announcement,
    AnnouncementDelivery,
    FollowUp,
    Goal,
    GoalProgress,
    Recommendation,
    RosterMember,
)
from tests.factories import (
    ApplicationFactory,
    CityFactory,
    GroupMembershipFactory,
    MeetingFactory,
    PersonFactory,
    SecretariatUserFactory,
    WorkingGroupFactory,
)
from workinggroups.enums import GroupState, MeetingKind, RequestState
from workinggroups.models import Attendance, ExtraSessionRequest, WorkingGroup

YEAR = 2025
TODAY = datetime.date(2026, 3, 1)  # the mandate has expired


def at(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def city(slug: str) -> City:
    return City.objects.get(slug=slug)


def meeting(group, start: datetime.datetime, *, kind=MeetingKind.REGULAR, present=(), absent=()):
    m = MeetingFactory(
        group=group,
        kind=kind,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=90),
        regular_slot=start.date() if kind == MeetingKind.REGULAR else None,
    )
    for slug in present:
        Attendance.objects.create(meeting=m, city=city(slug), present=True)
    for slug in absent:
        Attendance.objects.create(meeting=m, city=city(slug), present=False)
    return m


def application(name: str, submitted: datetime.datetime, moves, **fields) -> Application:
    state = moves[-1][0] if moves else ApplicationState.SUBMITTED
    app = ApplicationFactory(city_name=name, submitted_at=submitted, state=state, **fields)
    ApplicationEvent.objects.create(
        application=app, to_state=ApplicationState.SUBMITTED, at=submitted
    )
    previous = ApplicationState.SUBMITTED
    for to_state, when in moves:
        ApplicationEvent.objects.create(
            application=app, from_state=previous, to_state=to_state, at=when
        )
        previous = to_state
    return app


@pytest.fixture
def founding_data(postgres_transactional):
    """A transactional test starts from a flushed database: put the network's own data back."""
    from tests.e2e.conftest import DATA_MIGRATIONS

    if not City.objects.exists():
        for module in [*DATA_MIGRATIONS, "reports.migrations.0002_report_permissions"]:
            importlib.import_module(module).load(apps, None)


@pytest.fixture
def staff(db):
    return SecretariatUserFactory(username="report.staff")


@pytest.fixture
def network(db, staff):
    tirana, athens, skopje, split, edirne = (
        city(s) for s in ("tirana", "athens", "skopje", "split", "edirne")
    )
    slovenia = Country.objects.get(code="SI")

    # --- the mandate, the summit, the election
    summit_2024 = Summit.objects.create(
        year=2024,
        host_city=athens,
        starts_on=datetime.date(2024, 10, 10),
        ends_on=datetime.date(2024, 10, 11),
        state=SummitState.CLOSED,
    )
    mayor = PersonFactory(city=tirana, role=PersonRole.MAYOR, name="Erion Veliaj")
    mandate = Mandate.objects.create(year=YEAR, city=tirana, mayor=mayor, elected_at=summit_2024)
    summit = Summit.objects.create(
        year=YEAR,
        host_city=tirana,
        starts_on=datetime.date(2025, 10, 15),
        ends_on=datetime.date(2025, 10, 16),
        venue="Palace of Congresses",
        state=SummitState.CLOSED,
        meals_per_day=3,
    )
    host = Delegation.objects.create(summit=summit, city=tirana, present=True)
    Delegate.objects.create(
        delegation=host,
        name="Host",
        arrives_on=datetime.date(2025, 10, 15),
        departs_on=datetime.date(2025, 10, 16),
    )
    visitors = Delegation.objects.create(summit=summit, city=athens, present=True)
    Delegate.objects.create(
        delegation=visitors,
        name="Head",
        role="head",
        arrives_on=datetime.date(2025, 10, 14),
        departs_on=datetime.date(2025, 10, 16),
    )
    Delegate.objects.create(
        delegation=visitors,
        name="Member",
        arrives_on=datetime.date(2025, 10, 15),
        departs_on=datetime.date(2025, 10, 16),
    )
    Delegation.objects.create(summit=summit, city=edirne, present=False)
    # Voting until its result is in: a closed election has one (a database constraint).
    election = Election.objects.create(summit=summit, is_secret=True, state=ElectionState.VOTING)
    skopje_bid = Candidacy.objects.create(election=election, city=skopje)
    split_bid = Candidacy.objects.create(election=election, city=split)
    round_ = Round.objects.create(
        election=election,
        number=1,
        state=RoundState.CLOSED,
        opened_at=at(2025, 10, 16, 10),
        closed_at=at(2025, 10, 16, 12),
        outcome=RoundOutcome.ELECTED,
        elected=skopje_bid,
    )
    round_.candidates.set([skopje_bid, split_bid])
    voters = [skopje, split, athens]
    round_.electorate.set(voters)
    for voter in voters:
        BallotRecord.objects.create(
            round=round_, city=voter, cast_by=staff, cast_at=at(2025, 10, 16, 11)
        )
    Vote.objects.create(round=round_, choice=skopje_bid)
    Vote.objects.create(round=round_, choice=skopje_bid)
    Vote.objects.create(round=round_, choice=split_bid)
    election.elected = skopje_bid
    election.state = ElectionState.CLOSED
    election.save()

    # --- membership
    CityFactory(name="Ohrid", slug="ohrid", joined_on=datetime.date(2024, 11, 20))
    novo_mesto = CityFactory(
        name="Novo Mesto",
        slug="novo-mesto",
        country=slovenia,
        joined_on=datetime.date(2025, 10, 16),
    )
    CityFactory(name="Bitola", slug="bitola", joined_on=datetime.date(2026, 2, 1))
    pula = city("pula")
    pula.status = CityStatus.WITHDRAWN
    pula.left_on, pula.withdrawal_reason = datetime.date(2025, 6, 1), "Left (test)."
    pula._history_date = at(2025, 6, 1, 9)
    pula.save()
    application(
        "Novo Mesto",
        at(2025, 3, 1, 10),
        [
            (ApplicationState.UNDER_REVIEW, at(2025, 3, 5, 10)),
            (ApplicationState.PROPOSED, at(2025, 9, 1, 10)),
            (ApplicationState.ADMITTED, at(2025, 10, 16, 12)),
        ],
        summit=summit,
        city=novo_mesto,
    )
    application(
        "Celje",
        at(2025, 4, 1, 10),
        [
            (ApplicationState.UNDER_REVIEW, at(2025, 4, 2, 10)),
            (ApplicationState.DECLINED, at(2025, 6, 1, 10)),
        ],
        decision_reason="Not a Balkan city.",
    )
    application("Koper", at(2025, 11, 1, 10), [(ApplicationState.UNDER_REVIEW, at(2025, 11, 2))])
    application("Maribor", at(2024, 12, 1, 10), [(ApplicationState.WITHDRAWN, at(2025, 2, 1))])
    application("Ptuj", at(2026, 1, 10, 10), [])

    # --- working groups
    climate = WorkingGroup.objects.get(slug="local-climate-action")
    for member in (tirana, athens, skopje):
        GroupMembershipFactory(group=climate, city=member)
    meeting(climate, at(2024, 12, 10, 11), present=["tirana"])  # before the mandate
    meeting(climate, at(2025, 3, 10, 11), present=["tirana", "athens"], absent=["skopje"])
    meeting(climate, at(2025, 6, 10, 11), present=["tirana", "athens", "skopje"])
    meeting(climate, at(2025, 9, 10, 11), present=["tirana"])
    meeting(
        climate,
        at(2025, 11, 5, 11),
        kind=MeetingKind.EXTRA,
        present=["tirana", "skopje", "edirne"],
    )
    meeting(climate, at(2026, 1, 10, 11), present=["tirana"])  # after
    for created, state in (
        (at(2025, 2, 1), RequestState.CONVENED),
        (at(2025, 10, 1), RequestState.PENDING),
        (at(2024, 5, 1), RequestState.DECLINED),
    ):
        request = ExtraSessionRequest.objects.create(
            group=climate,
            city=skopje,
            reason="Floods",
            proposed_start=created + datetime.timedelta(days=30),
            state=state,
            decline_reason="Too soon" if state == RequestState.DECLINED else "",
        )
        ExtraSessionRequest.objects.filter(pk=request.pk).update(created_at=created)
    tourism = WorkingGroupFactory(name="Tourism", created_on=datetime.date(2025, 7, 1))
    GroupMembershipFactory(group=tourism, city=split)
    meeting(tourism, at(2025, 9, 20, 11), present=["split"])
    smart = WorkingGroup.objects.get(slug="smart-cities-and-digital-transformation")
    smart.state = GroupState.CLOSED
    smart._history_date = at(2025, 4, 1, 9)
    smart.save()
    old = WorkingGroupFactory(name="Closed long ago", created_on=datetime.date(2022, 1, 1))
    old.state = GroupState.CLOSED
    old._history_date = at(2024, 3, 1)
    old.save()
    WorkingGroupFactory(
        name="Only proposed",
        state=GroupState.PROPOSED,
        created_on=None,
        presidency_approved_at=None,
        secretariat_approved_at=None,
    )

    # --- goals
    def goal(title, baseline, target, values):
        g = Goal.objects.create(
            mandate=mandate,
            title=title,
            indicator=f"{title} indicator",
            unit="units",
            baseline=Decimal(baseline),
            target=Decimal(target),
            proposed_by=Party.SECRETARIAT,
            secretariat_agreed_at=at(2025, 1, 10),
            presidency_agreed_at=at(2025, 1, 12),
        )
        for day, value in values:
            GoalProgress.objects.create(goal=g, value=Decimal(value), recorded_on=day)
        return g

    goal(
        "Climate plans",
        "4",
        "12",
        [(datetime.date(2025, 3, 1), "6"), (datetime.date(2025, 9, 1), "10")],
    )
    goal("Emissions", "100", "80", [(datetime.date(2025, 6, 1), "78")])
    goal("Twinning", "0", "5", [])

    # --- recommendations
    def recommendation(year, number, title):
        return Recommendation.objects.create(
            year=year,
            number=number,
            title=title,
            text="…",
            adopted_by=AdoptedBy.PRESIDENCY,
            adopted_on=datetime.date(year, 3, 1),
        )

    first = recommendation(2025, 1, "Local climate plans")
    recommendation(2025, 2, "Open data portals")
    recommendation(2024, 1, "Older one")
    for slug, state in (
        ("tirana", FollowUpState.WILL_FOLLOW),
        ("athens", FollowUpState.DONE),
        ("skopje", FollowUpState.WILL_NOT_FOLLOW),
        ("pula", FollowUpState.DONE),
    ):
        FollowUp.objects.create(
            recommendation=first,
            city=city(slug),
            state=state,
            reason="No budget" if state == FollowUpState.WILL_NOT_FOLLOW else "",
        )

    # --- information exchange
    def mail(state, created):
        m = Mail.objects.create(to=["x@example.org"], subject="S", body="B", state=state)
        Mail.objects.filter(pk=m.pk).update(created_at=created)
        return m

    news = Announcement.objects.create(
        title="Summit news", body="…", is_public=True, sent_at=at(2025, 5, 1)
    )
    for slug, m in (
        ("tirana", mail(MailState.SENT, at(2025, 5, 1))),
        ("athens", mail(MailState.FAILED, at(2025, 5, 1))),
        ("skopje", None),
    ):
        AnnouncementDelivery.objects.create(announcement=news, city=city(slug), mail=m)
    internal = Announcement.objects.create(title="Internal", body="…", sent_at=at(2025, 8, 1))
    AnnouncementDelivery.objects.create(
        announcement=internal, city=tirana, mail=mail(MailState.QUEUED, at(2025, 8, 1))
    )
    mail(MailState.SENT, at(2025, 12, 1))
    mail(MailState.SENT, at(2024, 12, 1))
    Announcement.objects.create(title="Last year", body="…", sent_at=at(2024, 6, 1))
    Announcement.objects.create(title="Draft", body="…")

    # --- the roster
    def roster(first_name, last_name, role, start, end=None):
        user = SecretariatUserFactory(first_name=first_name, last_name=last_name)
        RosterMember.objects.create(
            user=user,
            role=role,
            languages="Turkish, English",
            english_fluent=True,
            active_from=start,
            active_to=end,
        )

    roster("Ayşe", "Yılmaz", RosterRole.SECRETARY, datetime.date(2023, 1, 1))
    roster(
        "Nikos",
        "Papadopoulos",
        RosterRole.EXPERT,
        datetime.date(2025, 3, 1),
        datetime.date(2025, 9, 30),
    )
    roster(
        "Old", "Expert", RosterRole.EXPERT, datetime.date(2020, 1, 1), datetime.date(2024, 6, 30)
    )
    roster("New", "Expert", RosterRole.EXPERT, datetime.date(2026, 2, 1))
    return mandate
