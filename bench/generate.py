"""Build a synthetic network into the configured database: fast (bulk inserts), deterministic.

    DATABASE_URL=... python -m bench.generate --cities 1000

Each floor adds its rows in its own function, in floor order; all rows are marked "(bench)".
"""

import argparse
import datetime
import os
import random
import time
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b40.settings.local")


def generate_members(rng: random.Random, *, cities: int) -> dict:
    from members.enums import CityRole, PersonRole
    from members.models import City, Country, Person, User

    countries = list(Country.objects.filter(eligible=True))
    existing = City.objects.count()
    new = []
    for n in range(existing, cities):
        country = rng.choice(countries)
        name = f"Benchgrad {n:04d}"
        new.append(
            City(
                name=name,
                slug=f"benchgrad-{n:04d}",
                search_name=name.lower(),
                country=country,
                joined_on=datetime.date(2022 + n % 5, 11, 20),
                website=f"https://bench{n}.example",
                population=rng.randint(5_000, 2_000_000),
                # Somewhere in the Balkans, for the map (members/validators.py's box).
                latitude=Decimal(f"{rng.uniform(37.0, 46.5):.5f}"),
                longitude=Decimal(f"{rng.uniform(14.0, 29.0):.5f}"),
            )
        )
    City.objects.bulk_create(new, batch_size=500)
    people = []
    for city in City.objects.filter(people__isnull=True):
        people.append(
            Person(
                city=city,
                role=PersonRole.MAYOR,
                name=f"Mayor of {city.name} (bench)",
                email=f"mayor@{city.slug}.bench.example",
                started_on=datetime.date(2024, 1, 1),
            )
        )
        people.append(
            Person(
                city=city,
                role=PersonRole.CONTACT,
                name="Contact (bench)",
                email=f"contact@{city.slug}.bench.example",
                started_on=datetime.date(2024, 1, 1),
            )
        )
    Person.objects.bulk_create(people, batch_size=1000)
    city = City.objects.get(slug="tirana")
    user, _ = User.objects.get_or_create(
        username="bench.mayor", defaults={"city": city, "city_role": CityRole.MAYOR}
    )
    staff, _ = User.objects.get_or_create(
        username="bench.staff", defaults={"is_staff": True, "is_superuser": True}
    )
    # One mayor account per city (unusable password): ballots and follow-ups need a user.
    have = set(User.objects.exclude(city=None).values_list("city_id", flat=True))
    User.objects.bulk_create(
        [
            User(
                username=f"bench.mayor.{c.slug}",
                city=c,
                city_role=CityRole.MAYOR,
                password="!",  # noqa: S106 - unusable
            )
            for c in City.objects.exclude(pk__in=have)
        ],
        batch_size=1000,
    )
    return {"mayor": user.pk, "staff": staff.pk}


YEARS = range(2017, 2027)  # ten summits; the last one is this year's
GROUPS = 60
APPLICATIONS = 300
ANNOUNCEMENTS = 300


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def _city_ids() -> list[int]:
    from members.enums import CityStatus
    from members.models import City

    return list(
        City.objects.filter(status=CityStatus.ACTIVE).order_by("pk").values_list("pk", flat=True)
    )


def _city_users() -> dict[int, int]:
    from members.models import User

    return dict(User.objects.exclude(city=None).order_by("pk").values_list("city_id", "pk"))


def generate_presidency(rng: random.Random) -> dict:
    """Ten years of summits with delegations, secret elections (ballots and votes), mandates."""
    from members.enums import PersonRole
    from members.models import Person
    from presidency.enums import (
        CandidacyState,
        DelegateRole,
        ElectionState,
        RoundOutcome,
        RoundState,
        SummitState,
    )
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

    cities = _city_ids()
    users = _city_users()
    mayors = dict(
        Person.objects.filter(role=PersonRole.MAYOR, ended_on=None).values_list("city_id", "pk")
    )
    existing = set(Summit.objects.values_list("year", flat=True))
    Summit.objects.bulk_create(
        [
            Summit(
                year=year,
                host_city_id=rng.choice(cities),
                starts_on=datetime.date(year, 11, 20),
                ends_on=datetime.date(year, 11, 22),
                venue="Congress centre (bench)",
                programme="Plenary, working groups, election (bench).",
                state=SummitState.CLOSED,
            )
            for year in [*YEARS, YEARS[-1] + 1]
            if year not in existing
        ]
    )
    summits = {s.year: s for s in Summit.objects.all()}
    Summit.objects.filter(year=YEARS[-1] + 1).update(state=SummitState.PLANNED)
    delegations = []
    for year in YEARS:
        for city in rng.sample(cities, k=len(cities) * 6 // 10):
            delegations.append(
                Delegation(
                    summit=summits[year], city_id=city, present=True, registered_by_id=users[city]
                )
            )
    Delegation.objects.bulk_create(delegations, batch_size=2000, ignore_conflicts=False)
    delegates = []
    for d in delegations:
        day = d.summit.starts_on - datetime.timedelta(days=1)
        for i in range(rng.randint(1, 3)):
            delegates.append(
                Delegate(
                    delegation=d,
                    name=f"Delegate {i} of {d.city_id} (bench)",
                    role=DelegateRole.HEAD if i == 0 else DelegateRole.MEMBER,
                    arrives_on=day,
                    departs_on=day + datetime.timedelta(days=3),
                )
            )
    Delegate.objects.bulk_create(delegates, batch_size=5000)

    previous = None  # rule S4: no city presides two consecutive years
    mandates = [Mandate(year=YEARS[0], city_id=cities[0], mayor_id=mayors.get(cities[0]))]
    previous = cities[0]
    ballots, votes, electorate, candidates_m2m = [], [], [], []
    for year in YEARS:
        summit = summits[year]
        closed = _at(summit.ends_on, 17)
        election = Election.objects.create(
            summit=summit,
            is_secret=True,
            state=ElectionState.VOTING,  # closed below, with its result (a constraint)
            candidacy_opened_at=_at(summit.starts_on - datetime.timedelta(days=90)),
            candidacy_closed_at=_at(summit.starts_on - datetime.timedelta(days=30)),
            closed_at=closed,
        )
        picked = rng.sample([c for c in cities if c != previous], k=3)
        candidacies = Candidacy.objects.bulk_create(
            [
                Candidacy(
                    election=election,
                    city_id=c,
                    state=CandidacyState.ACTIVE,
                    statement="Our programme (bench).",
                    submitted_by_id=users[c],
                )
                for c in picked
            ]
        )
        runoff = year % 2 == 1
        numbers = [1, 2] if runoff else [1]
        for number in numbers:
            last = number == numbers[-1]
            rnd = Round.objects.create(
                election=election,
                number=number,
                state=RoundState.CLOSED,
                opened_at=closed - datetime.timedelta(hours=3 - number),
                closed_at=closed - datetime.timedelta(hours=2 - number),
                outcome=RoundOutcome.ELECTED if last else RoundOutcome.RUNOFF,
                elected=candidacies[0] if last else None,
            )
            running = candidacies if number == 1 else candidacies[:2]
            candidates_m2m += [
                Round.candidates.through(round_id=rnd.pk, candidacy_id=c.pk) for c in running
            ]
            electorate += [Round.electorate.through(round_id=rnd.pk, city_id=c) for c in cities]
            for city in rng.sample(cities, k=len(cities) * 8 // 10):
                ballots.append(
                    BallotRecord(
                        round=rnd, city_id=city, cast_by_id=users[city], cast_at=rnd.opened_at
                    )
                )
                weights = [3, 2, 1][: len(running)]
                votes.append(Vote(round=rnd, choice=rng.choices(running, weights)[0]))
        election.elected = candidacies[0]
        election.state = ElectionState.CLOSED
        election.save(update_fields=["elected", "state"])
        winner = candidacies[0].city_id
        mandates.append(
            Mandate(year=year + 1, city_id=winner, mayor_id=mayors.get(winner), elected_at=summit)
        )
        previous = winner
    Round.candidates.through.objects.bulk_create(candidates_m2m)
    Round.electorate.through.objects.bulk_create(electorate, batch_size=5000)
    BallotRecord.objects.bulk_create(ballots, batch_size=5000)
    Vote.objects.bulk_create(votes, batch_size=5000)
    Mandate.objects.bulk_create(mandates)
    return {}


def generate_workinggroups(rng: random.Random) -> dict:
    """60 groups, their member cities, quarterly and extra meetings with attendance."""
    from django.utils import timezone

    from workinggroups.enums import GroupState, MeetingKind, MinutesVisibility
    from workinggroups.models import Attendance, GroupMembership, Meeting, WorkingGroup

    cities = _city_ids()
    now = timezone.now()
    new = []
    for n in range(WorkingGroup.objects.count(), GROUPS):
        created = datetime.date(2017 + n % 5, 1 + n % 12, 10)
        new.append(
            WorkingGroup(
                name=f"Bench group {n:02d}",
                slug=f"bench-group-{n:02d}",
                topic="Cooperation on a topic of the network (bench).",
                is_permanent=n % 3 == 0,
                state=GroupState.ACTIVE,
                coordinating_city_id=rng.choice(cities),
                created_on=created,
                presidency_approved_at=_at(created),
                secretariat_approved_at=_at(created),
            )
        )
    WorkingGroup.objects.bulk_create(new)
    members, meetings, attendances = {}, [], []
    memberships = []
    for group in WorkingGroup.objects.filter(state=GroupState.ACTIVE).order_by("pk"):
        members[group.pk] = rng.sample(cities, k=min(len(cities), rng.randint(20, 120)))
        memberships += [GroupMembership(group=group, city_id=c) for c in members[group.pk]]
        start = max(2017, (group.created_on or datetime.date(2021, 1, 1)).year)
        for year in range(start, YEARS[-1] + 2):
            for quarter in range(4):
                slot = datetime.date(year, 1 + 3 * quarter, 1)
                starts = _at(slot + datetime.timedelta(days=rng.randint(10, 60)))
                meetings.append(
                    Meeting(
                        group=group,
                        kind=MeetingKind.REGULAR,
                        regular_slot=slot,
                        starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=2),
                        online_link="https://meet.example/bench",
                        agenda="Progress, plans, any other business (bench).",
                        minutes="Minutes (bench)." if starts < now else "",
                        minutes_visibility=rng.choice(list(MinutesVisibility)),
                    )
                )
            if rng.random() < 0.5:
                starts = _at(datetime.date(year, rng.randint(1, 12), 5), 14)
                meetings.append(
                    Meeting(
                        group=group,
                        kind=MeetingKind.EXTRA,
                        starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=1),
                        agenda="Extra session (bench).",
                    )
                )
    GroupMembership.objects.bulk_create(memberships, batch_size=5000)
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    for meeting in meetings:
        if meeting.starts_at >= now:
            continue
        for city in members[meeting.group_id]:
            if rng.random() < 0.7:
                attendances.append(
                    Attendance(meeting=meeting, city_id=city, present=rng.random() < 0.9)
                )
    Attendance.objects.bulk_create(attendances, batch_size=10000)
    return {}


def generate_secretariat(rng: random.Random) -> dict:
    """Applications, goals with progress, recommendations with follow-ups, announcements."""
    import uuid

    from members.models import City, Country
    from presidency.models import Mandate, Summit
    from secretariat.enums.applications import ApplicationState
    from secretariat.enums.workspace import AdoptedBy, Audience, FollowUpState, Party
    from secretariat.models import (
        Announcement,
        Application,
        FollowUp,
        Goal,
        GoalProgress,
        Recommendation,
    )
    from workinggroups.models import WorkingGroup

    cities = _city_ids()
    users = _city_users()
    countries = list(Country.objects.filter(eligible=True).values_list("pk", flat=True))
    summits = {s.year: s for s in Summit.objects.all()}
    groups = list(WorkingGroup.objects.values_list("pk", flat=True))
    admitted = iter(City.objects.filter(slug__startswith="benchgrad-").order_by("pk"))
    applications = []
    states = [*ApplicationState]
    for n in range(APPLICATIONS):
        state = states[n % len(states)]
        city = next(admitted, None) if state == ApplicationState.ADMITTED else None
        if state == ApplicationState.ADMITTED and city is None:
            state = ApplicationState.WITHDRAWN
        year = YEARS[n % len(YEARS)]
        name = city.name if city else f"Applicantville {n:04d}"
        applications.append(
            Application(
                reference=f"B40-BENCH-{n:05d}",
                token=f"{rng.getrandbits(256):064x}",
                submission_key=uuid.UUID(int=rng.getrandbits(128)),
                city_name=name,
                search_name=name.lower(),
                country_id=city.country_id if city else rng.choice(countries),
                mayor_name="A. Mayor (bench)",
                contact_name="A. Contact (bench)",
                contact_position="Head of international relations",
                contact_email=f"contact{n}@apply.bench.example",
                contact_phone="+90 212 455 1300",
                website=f"https://apply{n}.example",
                population=rng.randint(5_000, 2_000_000),
                motivation="We want to join the network (bench).",
                consent=True,
                state=state,
                summit=summits[year]
                if state in (ApplicationState.PROPOSED, ApplicationState.ADMITTED)
                else None,
                city=city,
                decision_reason="Not eligible (bench)."
                if state == ApplicationState.DECLINED
                else "",
                submitted_at=_at(datetime.date(year, 3, 1) + datetime.timedelta(days=n % 200)),
            )
        )
    Application.objects.bulk_create(applications, batch_size=1000)

    goals, progress = [], []
    for mandate in Mandate.objects.order_by("year"):
        for n in range(4):
            agreed = _at(datetime.date(mandate.year, 2, 1))
            goals.append(
                Goal(
                    mandate=mandate,
                    title=f"Goal {n + 1} of {mandate.year} (bench)",
                    description="A measurable goal of the presidency (bench).",
                    working_group_id=rng.choice(groups),
                    indicator="Cities taking part",
                    unit="cities",
                    baseline=10,
                    target=50 + n * 10,
                    proposed_by=rng.choice([Party.PRESIDENCY, Party.SECRETARIAT]),
                    presidency_agreed_at=agreed,
                    secretariat_agreed_at=agreed,
                )
            )
    Goal.objects.bulk_create(goals)
    for goal in goals:
        for month in (3, 6, 9, 12):
            progress.append(
                GoalProgress(
                    goal=goal,
                    value=rng.randint(10, 70),
                    recorded_on=datetime.date(goal.mandate.year, month, 28),
                    note="Quarterly figure (bench).",
                )
            )
    GoalProgress.objects.bulk_create(progress, batch_size=2000)

    recommendations = []
    for year in YEARS:
        for number in range(1, 9):
            by_summit = number <= 5
            recommendations.append(
                Recommendation(
                    year=year,
                    number=number,
                    title=f"Recommendation {year}/{number} (bench)",
                    text="The network recommends that member cities… (bench).",
                    adopted_by=AdoptedBy.SUMMIT if by_summit else AdoptedBy.PRESIDENCY,
                    summit=summits[year] if by_summit else None,
                    adopted_on=datetime.date(year, 11, 21)
                    if by_summit
                    else datetime.date(year, 5, 1),
                    working_group_id=rng.choice(groups),
                )
            )
    Recommendation.objects.bulk_create(recommendations)
    follow_ups = []
    follow_states = [*FollowUpState]
    for recommendation in recommendations:
        for city in rng.sample(cities, k=len(cities) * 3 // 10):
            state = rng.choice(follow_states)
            follow_ups.append(
                FollowUp(
                    recommendation=recommendation,
                    city_id=city,
                    state=state,
                    reason="Other priorities (bench)."
                    if state == FollowUpState.WILL_NOT_FOLLOW
                    else "",
                    updated_by_id=users[city],
                )
            )
    FollowUp.objects.bulk_create(follow_ups, batch_size=5000)

    announcements = []
    for n in range(ANNOUNCEMENTS):
        to_group = n % 4 == 0
        announcements.append(
            Announcement(
                title=f"Announcement {n} (bench)",
                body="News from the network (bench).",
                author=rng.choice([Party.PRESIDENCY, Party.SECRETARIAT]),
                audience=Audience.GROUP if to_group else Audience.ALL,
                working_group_id=rng.choice(groups) if to_group else None,
                is_public=n % 2 == 0,
                sent_at=_at(datetime.date(YEARS[0], 1, 1) + datetime.timedelta(days=12 * n)),
            )
        )
    Announcement.objects.bulk_create(announcements)
    return {}


# Each floor adds its generator here, in floor order: (name, function(rng) -> dict).
GENERATORS: list = [
    ("presidency", generate_presidency),
    ("working groups", generate_workinggroups),
    ("secretariat", generate_secretariat),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cities", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=40)
    args = parser.parse_args()
    django.setup()
    from django.db import transaction

    rng = random.Random(args.seed)
    started = time.perf_counter()
    with transaction.atomic():
        generate_members(rng, cities=args.cities)
        for name, generator in GENERATORS:
            t = time.perf_counter()
            generator(rng)
            print(f"  {name}: {time.perf_counter() - t:.1f} s")
    print(f"generated in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
