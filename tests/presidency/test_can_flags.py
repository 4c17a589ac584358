"""The dashboard's buttons come from the services' own checks (``can_*``), not from state
strings in the template: each one shows exactly when the service would take the click."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from members.enums import CityRole
from presidency import selectors, services
from presidency.models import Candidacy
from tests.factories import CityUserFactory
from tests.presidency.conftest import CLOCK, city, mayor_of

DECLARE = "presidency:candidacy-submit"
PROPOSE = "presidency:candidacy-propose"
VOTE = "presidency:ballot-cast"
REGISTER = "presidency:delegation-register"


def buttons(client, candidacy: Candidacy | None = None) -> set[str]:
    """Which of the panel's doors the page offers."""
    html = client.get(reverse("secretariat:dashboard")).content.decode()
    offered = {
        name
        for name in (DECLARE, PROPOSE, VOTE, REGISTER)
        if reverse(name, kwargs={"year": 2026}) in html
    }
    if candidacy is not None:
        for action in ("accept", "decline", "withdraw"):
            url = reverse(
                "presidency:candidacy-action", kwargs={"pk": candidacy.pk, "action": action}
            )
            if url in html:
                offered.add(action)
    return offered


@pytest.fixture
def delegate_client(client, db):
    def make():
        user = CityUserFactory(city=city("tirana"), city_role=CityRole.DELEGATE)
        client.force_login(user)
        return client

    return make


def test_the_mayors_buttons_follow_the_candidacy_through_the_election(
    election, staff, mayor, mayor_client
):
    assert buttons(mayor_client) == {DECLARE, PROPOSE}
    candidacy = services.submit_candidacy(election=election, city=city("tirana"), by=mayor)
    assert buttons(mayor_client, candidacy) == {PROPOSE, "withdraw"}
    services.close_candidacy(election=election, by=staff)
    assert buttons(mayor_client, candidacy) == {"withdraw"}  # until voting starts
    CLOCK.to_summit()
    round_ = services.open_round(election=election, by=staff)
    assert buttons(mayor_client, candidacy) == {VOTE}
    services.cast_ballot(round=round_, city=city("tirana"), choice=None, by=mayor)
    assert buttons(mayor_client, candidacy) == set()


def test_a_delegate_votes_but_does_not_stand_or_propose(election, staff, delegate_client):
    client = delegate_client()
    assert buttons(client) == set()
    services.submit_candidacy(election=election, city=city("split"), by=staff)
    services.close_candidacy(election=election, by=staff)
    CLOCK.to_summit()
    services.open_round(election=election, by=staff)
    assert buttons(client) == {VOTE}


def test_a_proposal_is_answered_by_the_proposed_mayor_only(
    election, mayor, mayor_client, delegate_client
):
    proposal = services.propose_candidacy(
        election=election, city=city("tirana"), proposed_by=city("split"), by=mayor_of("split")
    )
    # The mayor may accept or decline, withdraw it, or declare the city with their own words.
    assert buttons(mayor_client, proposal) == {DECLARE, PROPOSE, "accept", "decline", "withdraw"}
    assert buttons(delegate_client(), proposal) == set()
    services.decline_proposal(candidacy=proposal, by=mayor)
    mayor_client.force_login(mayor)
    assert buttons(mayor_client, proposal) == {DECLARE, PROPOSE}


def test_the_registration_link_closes_with_the_deadline(summit, mayor_client):
    summit.registration_deadline = timezone.now() + datetime.timedelta(days=3)
    summit.save()
    assert REGISTER in buttons(mayor_client)
    summit.registration_deadline = timezone.now() - datetime.timedelta(minutes=1)
    summit.save()
    assert REGISTER not in buttons(mayor_client)


def allowed(service, **kwargs) -> bool:
    """Would ``service`` take the write? Tried and rolled back."""

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            service(**kwargs)
            raise Rollback
    except Rollback:
        return True
    except Exception:  # noqa: BLE001 - a refusal of any kind
        return False


def test_each_flag_is_the_services_answer(election, staff, mayor):
    """In every stage of the election the panel's flags and the services agree."""
    tirana = city("tirana")

    def check():
        panel = selectors.dashboard_panel(city=tirana, user=mayor, won=None)
        candidacy = panel.get("candidacy")
        assert panel["can_declare"] == allowed(
            services.submit_candidacy, election=election, city=tirana, by=mayor
        )
        assert panel["can_propose"] == allowed(
            services.propose_candidacy,
            election=election,
            city=city("split"),
            proposed_by=tirana,
            by=mayor,
        )
        if candidacy is not None:
            for flag, service in (
                ("can_accept", services.accept_proposal),
                ("can_decline", services.decline_proposal),
                ("can_withdraw", services.withdraw_candidacy),
            ):
                assert panel[flag] == allowed(service, candidacy=candidacy, by=mayor), flag
        if panel.get("round") is not None:
            assert panel["can_vote"] == allowed(
                services.cast_ballot, round=panel["round"], city=tirana, choice=None, by=mayor
            )

    check()
    services.propose_candidacy(
        election=election, city=tirana, proposed_by=city("split"), by=mayor_of("split")
    )
    check()
    services.submit_candidacy(election=election, city=tirana, by=mayor)
    check()
    services.close_candidacy(election=election, by=staff)
    check()
    CLOCK.to_summit()
    round_ = services.open_round(election=election, by=staff)
    check()
    services.cast_ballot(round=round_, city=tirana, choice=None, by=mayor)
    check()
