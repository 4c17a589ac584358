"""Every page the benchmark loads asks the database the same number of queries, however many
rows there are (STYLE 5): measured on a small synthetic network, then again after it grew."""

import datetime
import random

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench import generate
from bench.pages import pages
from bench.probe import post_data
from members.models import City, Country, Person, User
from outbox.services import queue_mail
from presidency.models import BallotRecord, Candidacy, Delegate, Delegation, Mandate, Summit, Vote
from secretariat.enums.workspace import AdoptedBy, Audience, FollowUpState, Party
from secretariat.models import Announcement, FollowUp, Recommendation
from workinggroups.enums import GroupState, MeetingKind
from workinggroups.models import Attendance, GroupMembership, Meeting, WorkingGroup


@pytest.fixture
def network(db, monkeypatch, settings):
    settings.PUBLIC_CACHE_SECONDS = 0  # measure the renders, not the cache
    settings.APPLICATION_MIN_FILL_SECONDS = 0
    settings.APPLICATION_RATE_LIMIT = "100000/h"
    monkeypatch.setattr(generate, "YEARS", range(2023, 2027))
    monkeypatch.setattr(generate, "GROUPS", 6)
    monkeypatch.setattr(generate, "APPLICATIONS", 12)
    monkeypatch.setattr(generate, "ANNOUNCEMENTS", 12)
    rng = random.Random(9)
    generate.generate_members(rng, cities=40)
    for _name, generator in generate.GENERATORS:
        generator(rng)
    for n in range(3):
        queue_mail(to=[f"a{n}@bench.example"], subject="Hello", body="Body", kind="bench")
    return rng


def _grow(rng: random.Random, *, city: City, group: WorkingGroup, summit: Summit) -> None:
    """More of every kind of row each benchmarked page lists."""
    generate.generate_members(rng, cities=City.objects.count() + 15)
    new = list(City.objects.order_by("-pk")[:15])
    tirana = City.objects.get(slug="tirana")
    now = timezone.now()
    for c in [*new, tirana, city]:
        GroupMembership.objects.get_or_create(group=group, city=c)
    for other in WorkingGroup.objects.exclude(pk=group.pk)[:3]:
        GroupMembership.objects.get_or_create(group=other, city=city)
    for days in (-40, -20, 20, 40):
        starts = now + datetime.timedelta(days=days)
        meeting = Meeting.objects.create(
            group=group,
            kind=MeetingKind.EXTRA,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=1),
            agenda="More",
        )
        if days < 0:
            Attendance.objects.bulk_create([Attendance(meeting=meeting, city=c) for c in new])
    WorkingGroup.objects.create(
        name="One more group",
        slug="one-more-group",
        topic="More",
        state=GroupState.ACTIVE,
        created_on=datetime.date(2021, 1, 1),
        presidency_approved_at=now,  # rule W5: both keys
        secretariat_approved_at=now,
    )
    election = summit.election
    for c in new[:5]:
        delegation = Delegation.objects.create(summit=summit, city=c, present=True)
        Delegate.objects.create(
            delegation=delegation,
            name="More",
            arrives_on=summit.starts_on,
            departs_on=summit.ends_on,
        )
    Candidacy.objects.create(election=election, city=new[0], statement="More")
    last_round = election.rounds.order_by("number").last()
    for c in new:
        last_round.electorate.add(c)
        BallotRecord.objects.create(
            round=last_round, city=c, cast_by=User.objects.first(), cast_at=now
        )
        Vote.objects.create(round=last_round, choice=election.elected)
    for year in (2030, 2032):
        held = Summit.objects.create(
            year=year,
            host_city=new[year % 4],
            starts_on=datetime.date(year, 11, 20),
            ends_on=datetime.date(year, 11, 21),
        )
        Mandate.objects.create(year=year + 1, city=new[year % 3], elected_at=held)
    Mandate.objects.create(year=2034, city=city)
    for number in (20, 21):
        recommendation = Recommendation.objects.create(
            year=2026,
            number=number,
            title="More",
            text="More",
            adopted_by=AdoptedBy.PRESIDENCY,
            adopted_on=datetime.date(2026, 5, 1),
        )
        for c in (tirana, city):
            FollowUp.objects.create(
                recommendation=recommendation, city=c, state=FollowUpState.IN_PROGRESS
            )
    for n in range(3):
        Announcement.objects.create(
            title=f"More {n}",
            body="More",
            author=Party.SECRETARIAT,
            audience=Audience.ALL,
            is_public=True,
            sent_at=now,
        )
        queue_mail(to=[f"more{n}@bench.example"], subject="More", body="More", kind="bench")
    Country.objects.filter(eligible=False).update(eligible=True)
    Person.objects.create(city=city, role="contact", name="More")


def _measure(page_list, *, round_: int) -> dict[str, int]:
    clients = {"floor": Client(), "public": Client(), "form": Client(), "post": Client()}
    clients["city"] = Client()
    clients["city"].force_login(User.objects.get(username="bench.mayor"))
    clients["admin"] = Client()
    clients["admin"].force_login(User.objects.get(username="bench.staff"))
    post = {"country": Country.objects.filter(eligible=True).order_by("pk").first().pk}
    counts = {}
    for name, kind, url in page_list:
        client = clients[kind]
        with CaptureQueriesContext(connection) as queries:
            if kind == "post":
                response = client.post(url, post_data(post, round_))
            else:
                response = client.get(url)
        assert response.status_code == (302 if kind == "post" else 200), name
        counts[name] = len(queries.captured_queries)
    return counts


def test_every_benchmarked_page_has_a_query_count_constant_in_rows(network):
    page_list = pages()
    names = {name for name, _kind, _url in page_list}
    assert {"home", "member cities", "membership form POST", "calendar feed"} <= names
    before = _measure(page_list, round_=1)
    city = City.objects.get(slug=page_list[3][2].strip("/").split("/")[-1])
    group = WorkingGroup.objects.order_by("pk").first()
    summit = Summit.objects.get(year=int(page_list[7][2].strip("/").split("/")[-1]))
    _grow(network, city=city, group=group, summit=summit)
    after = _measure(page_list, round_=2)
    assert after == before
