"""The election in a real Chromium: candidacy, the S4 refusal, the round, three votes and no
second ballot form, the result and next year's mandate on the public pages."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import as_user
from tests.presidency.conftest import CLOCK

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def election_2026(summit_eve):
    from members.models import City
    from presidency import services
    from tests.factories import CityUserFactory, ElectionFactory

    summit, staff = summit_eve
    election = services.open_candidacy(election=ElectionFactory(summit=summit), by=staff)
    for slug in ("tirana", "athens", "split", "kotor"):
        CityUserFactory(city=City.objects.get(slug=slug), username=f"mayor.{slug}")
    services.submit_candidacy(election=election, city=City.objects.get(slug="split"), by=staff)
    return election


def admin_action(page, site, action):
    page.goto(f"{site}/admin/presidency/election/")
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option(label=action)
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist .success")).to_be_visible()


TRACKER = re.compile(r"^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$")


def vote_for(page, site, username, city):
    as_user(page, site, username)
    page.get_by_role("link", name="Vote in round 1").click()
    page.get_by_label(city).check()
    page.get_by_role("button", name="Cast the ballot").click()
    expect(page.get_by_role("heading", name="Your city's ballot is cast")).to_be_visible()
    expect(page.locator("[data-tracker]")).to_have_text(TRACKER)  # shown once (issue 20)
    page.get_by_role("link", name="Back to your city's page").click()
    expect(page.get_by_text("Your city voted in round 1 at")).to_be_visible()


def test_the_2026_election_from_candidacy_to_mandate(site, page, election_2026):
    # A mayor logs in and declares the city's candidacy.
    as_user(page, site, "mayor.tirana")
    page.get_by_role("link", name="Declare your city's candidacy").click()
    page.get_by_label("Statement").fill("Tirana for a greener network")
    page.get_by_role("button", name="Submit the candidacy").click()
    expect(page.get_by_text("Your city's candidacy is submitted.")).to_be_visible()
    expect(page.get_by_text("Your city's candidacy: Candidate")).to_be_visible()

    # The sitting president's mayor is refused, with the rule named.
    as_user(page, site, "mayor.athens")
    page.goto(f"{site}/presidency/summits/2026/candidacy/")
    page.get_by_label("Statement").fill("Once more")
    page.get_by_role("button", name="Submit the candidacy").click()
    expect(
        page.get_by_text(re.compile(r"Rule S4: Athens holds the presidency of 2026"))
    ).to_be_visible()

    # The secretariat closes the candidacy period and opens the round.
    as_user(page, site, "secretariat")
    admin_action(page, site, "Close the candidacy period")
    CLOCK.to_summit()
    admin_action(page, site, "Open the next round (freezes the electorate)")

    # Three mayors vote; one tries twice and is refused.
    vote_for(page, site, "mayor.tirana", "Split")
    vote_for(page, site, "mayor.split", "Split")
    vote_for(page, site, "mayor.kotor", "Tirana")
    as_user(page, site, "mayor.tirana")
    page.goto(f"{site}/presidency/summits/2026/vote/")  # no second ballot form (issue 16)
    expect(page.get_by_role("status")).to_have_text("Your city voted in round 1 at 00:30.")
    expect(page.get_by_label("Abstain")).to_have_count(0)

    # The secretariat counts and closes; the public pages show the result and the mandate.
    as_user(page, site, "secretariat")
    admin_action(page, site, "Close the open round and count it")
    admin_action(page, site, "Close the election: mandate and next summit (S5, S6)")
    page.context.clear_cookies()
    page.goto(f"{site}/")
    expect(page.get_by_text("presides over the network in 2026")).to_be_visible()
    page.goto(f"{site}/presidency/summits/2026/")
    expect(page.get_by_role("heading", name="Round 1")).to_be_visible()
    expect(
        page.get_by_text("3 ballots of 25 member cities (turnout 12%). 0 abstentions.")
    ).to_be_visible()
    expect(page.get_by_text("Elected at this summit: Split, presidency of 2027.")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main navigation")
    nav.get_by_role("link", name="Presidency", exact=True).click()
    row = page.get_by_role("row", name=re.compile("2027"))
    expect(row).to_contain_text("Split")
    expect(row).to_contain_text("Summit 2026, Athens")
    page.get_by_role("link", name="Summit 2027, Split").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Summit 2027, Split")
