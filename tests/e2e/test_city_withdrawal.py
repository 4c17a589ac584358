"""The secretariat records that a city left; it leaves the member list, its mayor can no
longer act for it, and it applies again — in a real Chromium (issue 17, rules M2, M3)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_city_leaves_the_network_and_applies_again(site, page, settings):
    from members.models import City
    from secretariat.models.applications import Application
    from tests.e2e.conftest import login
    from tests.e2e.test_application_journey import field
    from tests.factories import CityUserFactory, SecretariatUserFactory
    from tests.factories.members import PASSWORD
    from workinggroups.models import GroupMembership, WorkingGroup

    settings.APPLICATION_MIN_FILL_SECONDS = 0  # Playwright types faster than people
    pula = City.objects.get(slug="pula")
    group = WorkingGroup.objects.get(slug="local-climate-action")
    GroupMembership.objects.create(group=group, city=pula)
    CityUserFactory(city=pula, username="mayor.pula")
    SecretariatUserFactory(username="secretariat")

    # The secretariat records the withdrawal in the admin, with its date and reason.
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill("secretariat")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(site + "/admin/members/city/?q=pula")
    page.locator(f'input[name="_selected_action"][value="{pula.pk}"]').check()
    page.locator('select[name="action"]').select_option("withdraw")
    page.get_by_role("button", name="Go").click()
    page.get_by_label("Left the network on").fill("2026-03-01")
    page.get_by_label("Reason").fill("The city council decided to leave.")
    page.get_by_role("button", name="Record that these cities left the network").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "1 city recorded as having left the network."
    )

    # It is no longer on the member list; it is shown among the former members.
    page.context.clear_cookies()
    page.goto(site + "/cities/")
    expect(page.locator('section[aria-labelledby="former-members"]')).to_contain_text("Pula")
    current = page.locator('section:not([aria-labelledby="former-members"])')
    expect(current.get_by_role("link", name="Pula", exact=True)).to_have_count(0)

    # Its mayor can no longer act for it.
    login(page, site, "mayor.pula", PASSWORD)
    assert page.goto(site + "/my-city/").status == 403
    assert page.goto(site + "/working-groups/extra-session/").status == 403

    # It applies again on the public form.
    page.context.clear_cookies()
    page.goto(site + "/apply/")
    field(page, "City").fill("Pula")
    field(page, "Country").select_option(label="Croatia")
    field(page, "The mayor's name").fill("Ana Horvat")
    field(page, "The city's website").fill("https://www.pula.hr")
    field(page, "Contact person").fill("Ivo Kranjčar")
    field(page, "Position").fill("International relations")
    field(page, "Email").fill("ivo@pula.example")
    field(page, "Phone").fill("+385 52 371 000")
    field(page, "Why does your city want to join?").fill(
        "Pula wants to take part in the network's climate work again."
    )
    page.get_by_label(re.compile("I agree that the B40 Permanent Secretariat")).check()
    page.get_by_role("button", name="Send the application").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "your application has been received"
    )
    assert Application.objects.get().city_name == "Pula"
