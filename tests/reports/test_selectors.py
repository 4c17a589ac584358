"""The report's figures against the hand-built network (conftest.py), and the number of
queries that computes them, which must not grow with the network."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import selectors
from tests.factories import CityFactory, GroupMembershipFactory, MeetingFactory, WorkingGroupFactory
from tests.reports.conftest import TODAY, at
from workinggroups.models import Attendance

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(network):
    return selectors.compute_figures(network, today=TODAY, now=at(2026, 3, 1, 12))


def test_mandate_summit_and_election(figures):
    assert figures["mandate"] == {
        "year": 2025,
        "city": "Tirana",
        "country": "Albania",
        "country_code": "AL",
        "mayor": "Erion Veliaj",
        "elected_at": 2024,
        "start": datetime.date(2025, 1, 1),
        "end": datetime.date(2025, 12, 31),
        "provisional": False,
        "cut_at": datetime.date(2025, 12, 31),
    }
    summit = figures["summit"]
    assert (summit["host"], summit["starts_on"], summit["ends_on"]) == (
        "Tirana",
        datetime.date(2025, 10, 15),
        datetime.date(2025, 10, 16),
    )
    assert (summit["delegations"], summit["delegations_present"], summit["delegates"]) == (3, 2, 3)
    assert (summit["hosted_persons"], summit["hosted_nights"], summit["hosted_meals"]) == (2, 3, 15)
    election = figures["election"]
    assert election["elected"] == "Skopje"
    assert election["rounds"] == [
        {
            "number": 1,
            "outcome": "elected",
            "electorate": 3,
            "ballots": 3,
            "turnout": 100,
            "abstentions": 0,
            "tallies": [{"city": "Skopje", "votes": 2}, {"city": "Split", "votes": 1}],
            "elected": "Skopje",
            "by_lot": False,
        }
    ]


def test_membership(figures):
    membership = figures["membership"]
    assert (membership["cities_at_start"], membership["cities_at_end"]) == (26, 26)
    assert membership["admitted"] == [
        {
            "city": "Novo Mesto",
            "country": "Slovenia",
            "country_code": "SI",
            "joined_on": datetime.date(2025, 10, 16),
            "summit": 2025,
        }
    ]
    assert membership["withdrawn"] == ["Pula"]
    assert membership["applications"] == {
        "received": 3,
        "admitted": 1,
        "declined": 1,
        "withdrawn": 1,
        "decided": 2,
        "open_at_end": 1,
    }


def test_working_groups(figures):
    groups = figures["groups"]
    rows = {row["name"]: row for row in groups["rows"]}
    assert sorted(rows) == [
        "Local climate action",
        "Local democracy and migration",
        "Local economic cooperation",
        "Smart cities and digital transformation",
        "Tourism",
    ]
    climate = rows["Local climate action"]
    assert {k: climate[k] for k in ("members", "required", "held", "regular", "extra")} == {
        "members": 3,
        "required": 4,
        "held": 4,
        "regular": 3,
        "extra": 1,
    }
    assert (climate["extra_requested"], climate["invited"], climate["present"]) == (2, 13, 9)
    assert climate["attendance_rate"] == 69
    assert (rows["Tourism"]["required"], rows["Tourism"]["held"]) == (2, 1)
    assert rows["Tourism"]["attendance_rate"] == 100
    smart = rows["Smart cities and digital transformation"]
    assert (smart["state"], smart["required"], smart["held"], smart["attendance_rate"]) == (
        "closed",
        1,
        0,
        None,
    )
    assert rows["Local economic cooperation"]["required"] == 4
    assert groups["created"] == ["Tourism"]
    assert groups["closed"] == ["Smart cities and digital transformation"]
    assert groups["totals"] == {
        "groups": 5,
        "required": 15,
        "held": 5,
        "extra_requested": 2,
        "extra_held": 1,
        "attendance_rate": 71,
    }
    assert [(r["city"], r["invited"], r["present"], r["rate"]) for r in groups["by_city"]] == [
        ("Edirne", 1, 1, 100),
        ("Split", 1, 1, 100),
        ("Tirana", 4, 4, 100),
        ("Athens", 4, 2, 50),
        ("Skopje", 4, 2, 50),
    ]


def test_goals(figures):
    assert [
        (g["title"], g["baseline"], g["target"], g["last"], g["status"], g["progress"])
        for g in figures["goals"]
    ] == [
        ("Climate plans", "4", "12", "10", "missed", 75),
        ("Emissions", "100", "80", "78", "achieved", 100),
        ("Twinning", "0", "5", None, "missed", 0),
    ]


def test_recommendations(figures):
    recommendations = figures["recommendations"]
    assert recommendations["members"] == 26
    assert [
        (r["reference"], r["following"], r["done"], r["declined"], r["answered"], r["rate"])
        for r in recommendations["rows"]
    ] == [("2025/1", 2, 1, 1, 3, 8), ("2025/2", 0, 0, 0, 0, 0)]
    assert recommendations["average_rate"] == 4


def test_information_exchange_and_roster(figures):
    assert figures["exchange"] == {
        "announcements": 2,
        "public_announcements": 1,
        "deliveries": 4,
        "announcement_mails": 3,
        "announcement_mails_delivered": 1,
        "announcement_mails_failed": 1,
        "mails": 4,
        "mails_delivered": 2,
        "mails_failed": 1,
        "mails_queued": 1,
    }
    assert [(m["name"], m["role"]) for m in figures["roster"]] == [
        ("Nikos Papadopoulos", "expert"),
        ("Ayşe Yılmaz", "secretary"),
    ]


def test_a_running_mandate_is_provisional_and_cut_at_today(network):
    figures = selectors.compute_figures(
        network, today=datetime.date(2025, 6, 30), now=at(2025, 6, 30, 12)
    )
    assert figures["mandate"]["provisional"] is True
    assert figures["mandate"]["cut_at"] == datetime.date(2025, 6, 30)
    climate = next(r for r in figures["groups"]["rows"] if r["name"] == "Local climate action")
    assert (climate["held"], climate["required"]) == (2, 2)  # March and June; half a year
    assert figures["membership"]["applications"]["received"] == 2


def _grow(network) -> None:
    """More cities, groups, memberships, meetings and attendance."""
    cities = CityFactory.create_batch(12)
    for n in range(3):
        group = WorkingGroupFactory(created_on=datetime.date(2024, 1, 1))
        for member in cities[n * 4 : n * 4 + 4]:
            GroupMembershipFactory(group=group, city=member)
        for month in (2, 5, 8, 11):
            start = at(2025, month, 3, 11)
            meeting = MeetingFactory(group=group, starts_at=start, regular_slot=start.date())
            for member in cities[n * 4 : n * 4 + 3]:
                Attendance.objects.create(meeting=meeting, city=member, present=True)


def test_query_count_does_not_grow_with_the_network(network, django_assert_num_queries):
    with CaptureQueriesContext(connection) as small:
        selectors.compute_figures(network, today=TODAY)
    _grow(network)
    with django_assert_num_queries(len(small.captured_queries)):
        figures = selectors.compute_figures(network, today=TODAY)
    assert figures["groups"]["totals"]["groups"] == 8
    assert len(figures["groups"]["by_city"]) == 5 + 12  # every member is invited
