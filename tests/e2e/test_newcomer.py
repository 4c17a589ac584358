"""A newcomer's first visit, in a real Chromium: home → member cities → a city's page."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_newcomer_finds_a_city_from_the_home_page(site, page):
    page.goto(site + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("B40 Balkan Cities Network")
    expect(page.get_by_text("member cities", exact=True)).to_be_visible()

    page.get_by_role("link", name="See the member cities").click()
    expect(page.get_by_role("heading", name="Member cities", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Albania")).to_be_visible()

    page.get_by_label("Search a city").fill("durres")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Durrës").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Durrës")
    expect(page.locator("dd", has_text="Albania")).to_be_visible()
    signed = page.get_by_text("Yes — signed the founding declaration through its mayor")
    expect(signed).to_be_visible()


def test_mayor_logs_in_and_lands_on_their_city(site, page, mayor):
    from tests.e2e.conftest import login
    from tests.factories.members import PASSWORD

    login(page, site, "mayor.tirana", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tirana")
    expect(page.get_by_text("You act for this city as its mayor.")).to_be_visible()
