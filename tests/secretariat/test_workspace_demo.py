"""The workspace's demo data loads, twice without harm, and satisfies the roster check."""

import pytest

from members import demo as members_demo
from secretariat import demo_workspace
from secretariat.checks import check_roster
from secretariat.models import Announcement, FollowUp, Goal, Recommendation, RosterMember

pytestmark = pytest.mark.django_db


def test_demo_loads_idempotently():
    members_demo.load_people()
    members_demo.load_users(password="pw-demo-12345")
    demo_workspace.load()
    counts = [
        m.objects.count() for m in (RosterMember, Goal, Recommendation, FollowUp, Announcement)
    ]
    demo_workspace.load()
    assert (
        [m.objects.count() for m in (RosterMember, Goal, Recommendation, FollowUp, Announcement)]
        == counts
        == [3, 3, 3, 6, 2]
    )
    assert check_roster() == []
    assert all("(demo)" in goal.title for goal in Goal.objects.all())
