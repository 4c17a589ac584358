"""Rule T2: a network secretary and at least two experts fluent in English."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from secretariat.checks import check_roster
from secretariat.enums.workspace import RosterRole
from secretariat.selectors.workspace import desk_items, roster_warnings
from tests.factories import RosterMemberFactory

pytestmark = pytest.mark.django_db


def full_roster() -> None:
    RosterMemberFactory(role=RosterRole.SECRETARY, english_fluent=False)
    RosterMemberFactory(role=RosterRole.EXPERT)
    RosterMemberFactory(role=RosterRole.EXPERT)


def test_roster_check_warns_when_empty():
    assert [w.id for w in check_roster()] == ["secretariat.W001", "secretariat.W002"]


def test_roster_check_silent_when_complete():
    full_roster()
    assert check_roster() == []
    assert roster_warnings() == []


def test_roster_check_counts_only_english_fluent_experts():  # rule T2
    RosterMemberFactory(role=RosterRole.SECRETARY)
    RosterMemberFactory(role=RosterRole.EXPERT)
    RosterMemberFactory(role=RosterRole.EXPERT, english_fluent=False)
    assert [w.id for w in check_roster()] == ["secretariat.W002"]


def test_roster_check_ignores_people_no_longer_active():
    full_roster()
    RosterMemberFactory(role=RosterRole.SECRETARY)
    ended = datetime.date(2024, 6, 30)
    from secretariat.models import RosterMember

    RosterMember.objects.filter(role=RosterRole.SECRETARY).update(active_to=ended)
    assert [w.id for w in check_roster()] == ["secretariat.W001"]


def test_roster_check_ignores_people_not_yet_active():
    RosterMemberFactory(role=RosterRole.SECRETARY)
    RosterMemberFactory(role=RosterRole.EXPERT)
    RosterMemberFactory(role=RosterRole.EXPERT, active_from=datetime.date(2099, 1, 1))
    assert [w.id for w in check_roster()] == ["secretariat.W002"]


def test_manage_py_check_shows_the_roster_warning(capsys):
    call_command("check")
    assert "secretariat.W001" in capsys.readouterr().err


def test_roster_admin_shows_the_warning(secretariat_client):
    response = secretariat_client.get(reverse("admin:secretariat_rostermember_changelist"))
    assert response.status_code == 200
    assert "has no active network secretary" in response.content.decode()


def test_desk_lists_roster_warnings_linking_to_the_roster():
    items = desk_items()
    assert items[0].url == reverse("admin:secretariat_rostermember_changelist")
    assert len([i for i in items if "rule T2" in i.label]) == 2
