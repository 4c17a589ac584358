"""Issue 16 in a real Chromium: a mayor changes and the former mayor's account can no
longer vote; an election with a three-way tie ends, by a lot between the three, published;
every member city is told by mail (the outbox)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import as_user
from tests.presidency.conftest import CLOCK

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def three_candidates(summit_eve):
    import datetime

    from members.enums import PersonRole
    from members.models import City
    from members.services import appoint_person
    from presidency import services
    from tests.factories import CityUserFactory, ElectionFactory

    summit, staff = summit_eve
    for slug in ("tirana", "kotor", "pula", "durres"):
        city = City.objects.get(slug=slug)
        appoint_person(
            city=city,
            role=PersonRole.MAYOR,
            name=f"Mayor of {city.name}",
            started_on=datetime.date(2023, 1, 1),
            email=f"mayor@{slug}.example",
        )
        CityUserFactory(city=city, username=f"mayor.{slug}", email=f"mayor@{slug}.example")
    election = services.open_candidacy(election=ElectionFactory(summit=summit), by=staff)
    for slug in ("split", "kotor", "tirana"):
        services.submit_candidacy(election=election, city=City.objects.get(slug=slug), by=staff)
    return election


def admin_action(page, site, action, model="election"):
    page.goto(f"{site}/admin/presidency/{model}/")
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option(label=action)
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist .success")).to_be_visible()


def vote_for(page, site, username, city):
    as_user(page, site, username)
    page.get_by_role("link", name="Vote in round 1").click()
    page.get_by_label(city).check()
    page.get_by_role("button", name="Cast the ballot").click()
    expect(page.get_by_role("heading", name="Your city's ballot is cast")).to_be_visible()


def test_a_new_mayor_and_a_three_way_tie(site, page, three_candidates):

    from django.utils import timezone

    from members.enums import PersonRole
    from members.models import City
    from members.services import appoint_person
    from outbox.models import Mail

    as_user(page, site, "secretariat")
    admin_action(page, site, "Close the candidacy period")
    CLOCK.to_summit()
    admin_action(page, site, "Open the next round (freezes the electorate)")

    # Durrës elects a new mayor: the former mayor's account no longer votes for Durrës.
    appoint_person(
        city=City.objects.get(slug="durres"),
        role=PersonRole.MAYOR,
        name="New Mayor of Durrës",
        started_on=timezone.localdate(),
        email="new@durres.example",
    )
    as_user(page, site, "mayor.durres")
    expect(page.get_by_role("link", name="Vote in round 1")).to_have_count(0)
    page.goto(f"{site}/presidency/summits/2026/vote/")
    expect(page.get_by_role("button", name="Cast the ballot")).to_have_count(0)

    # One vote each: a three-way tie.
    vote_for(page, site, "mayor.tirana", "Split")
    vote_for(page, site, "mayor.kotor", "Kotor")
    vote_for(page, site, "mayor.pula", "Tirana")

    as_user(page, site, "secretariat")
    admin_action(page, site, "Close the open round and count it")
    expect(page.locator(".messagelist .success")).to_contain_text(
        "Round 1 of the 2026 election closed: Kotor 1, Split 1, Tirana 1, 0 abstentions."
    )
    admin_action(page, site, "Draw the lot for a tie")
    admin_action(page, site, "Close the election: mandate and next summit (S5, S6)")

    page.context.clear_cookies()
    page.goto(f"{site}/presidency/summits/2026/")
    expect(page.get_by_text("The lot was drawn between all the tied candidates")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"Elected at this summit: (Split|Kotor|Tirana)"))
    ).to_be_visible()
    for name in ("Kotor", "Split", "Tirana"):
        expect(page.locator("ol li", has_text=name)).to_have_count(1)

    # The former mayor of Durrës cast nothing.
    from presidency.models import BallotRecord

    assert not BallotRecord.objects.filter(city__slug="durres").exists()
    assert BallotRecord.objects.count() == 3

    # Every member city with an address on record was told at each step.
    kinds = set(Mail.objects.values_list("kind", flat=True))
    assert {
        "election-candidacy-open",
        "election-candidacy-closed",
        "election-round-open",
        "election-result",
    } <= kinds
    result = Mail.objects.filter(kind="election-result")
    assert {tuple(m.to) for m in result} >= {("mayor@pula.example",), ("mayor@tirana.example",)}
