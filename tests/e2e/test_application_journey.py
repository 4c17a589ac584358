"""A city applies, the secretariat proposes and admits it at a summit — in a real Chromium."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def field(page, label: str):
    """A form field by its label (crispy-forms marks required ones with an asterisk)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\*?\s*$"))


def test_a_newcomer_applies_and_is_admitted_at_the_summit(site, page, settings):
    from members.models import Country
    from secretariat.models.applications import Application
    from tests.e2e.conftest import login
    from tests.factories import SecretariatUserFactory
    from tests.factories.applications import SummitFactory
    from tests.factories.members import PASSWORD

    settings.APPLICATION_MIN_FILL_SECONDS = 0  # Playwright types faster than people
    summit = SummitFactory()  # the Annual Summit opens today
    staff = SecretariatUserFactory(username="secretary")

    # The newcomer finds the form from the navigation.
    page.goto(site + "/")
    page.get_by_role("navigation").get_by_role("link", name="Apply to join").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply to join the B40 network")
    expect(page.get_by_text("Membership carries no fee.")).to_be_visible()

    # First with a mistake: a city that is already a member (without its diacritics).
    field(page, "City").fill("kirklareli")
    field(page, "Country").select_option(label="Türkiye")
    field(page, "The mayor's name").fill("Darko Novak")
    field(page, "The city's website").fill("https://www.ljubljana.si")
    field(page, "Contact person").fill("Maja Kranjc")
    field(page, "Position").fill("Head of international relations")
    field(page, "Email").fill("maja@ljubljana.example")
    field(page, "Phone").fill("+386 1 306 1000")
    field(page, "Local climate action").check()
    field(page, "Why does your city want to join?").fill(
        "Ljubljana wants to share its green-capital experience with the Balkan cities."
    )
    page.get_by_label(re.compile("I agree that the B40 Permanent Secretariat")).check()
    page.get_by_role("button", name="Send the application").click()
    expect(page.get_by_text("Kırklareli is already a member of the network.")).to_be_visible()
    assert Application.objects.count() == 0

    # Then correctly.
    field(page, "City").fill("Ljubljana")
    field(page, "Country").select_option(label="Slovenia")
    page.get_by_label(re.compile("I agree that the B40 Permanent Secretariat")).check()
    page.get_by_role("button", name="Send the application").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("your application has been received")
    application = Application.objects.get()
    expect(page.locator("#application-reference")).to_have_text(application.reference)
    page.get_by_role("link", name="See the application's status").click()
    expect(page.locator("#application-state")).to_have_text("Submitted")
    status_url = page.url
    assert status_url.endswith(application.get_status_url())

    # The secretariat starts the review in the change form …
    login(page, site, staff.username, PASSWORD)
    page.goto(f"{site}/admin/secretariat/application/{application.pk}/change/")
    page.get_by_label("Move the application to:").select_option(label="Under review")
    page.get_by_label("Why:").fill("The file is complete.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("is now: Under review")).to_be_visible()

    # … then proposes it to the summit and admits it there with the list's actions.
    changelist = f"{site}/admin/secretariat/application/"
    page.goto(changelist)
    page.locator(f'input[name="_selected_action"][value="{application.pk}"]').check()
    page.locator('select[name="action"]').select_option("propose_to_summit")
    page.locator('select[name="summit"]').select_option(str(summit.pk))
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("1 application is now: Proposed to a summit.")).to_be_visible()

    page.locator(f'input[name="_selected_action"][value="{application.pk}"]').check()
    page.locator('select[name="action"]').select_option("admit")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("1 application is now: Admitted.")).to_be_visible()

    # The city is on the public member list …
    page.goto(site + "/cities/")
    expect(page.get_by_role("heading", name="Slovenia")).to_be_visible()
    page.get_by_role("link", name="Ljubljana").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ljubljana")

    # … and the applicant's status page says so.
    page.goto(status_url)
    expect(page.locator("#application-state")).to_have_text("Admitted")
    expect(page.get_by_role("link", name="Ljubljana")).to_be_visible()
    assert Country.objects.get(code="SI").cities.get().name == "Ljubljana"
