"""In a real Chromium: the secretariat posts an announcement to one working group; a mayor
of a city in that group sees it and records a follow-up; a mayor outside it does not see it.
A mayor records from the dashboard that a contact no longer serves the city, and is not
offered to do so for the mayor."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_announcement_to_a_group_and_a_follow_up(site, page, mayor):
    from members.models import City
    from secretariat.models import FollowUp
    from tests.e2e.conftest import login
    from tests.factories import CityUserFactory, RecommendationFactory, SecretariatUserFactory
    from tests.factories.members import PASSWORD
    from workinggroups.models import GroupMembership, WorkingGroup

    group = WorkingGroup.objects.get(slug="local-climate-action")
    GroupMembership.objects.create(group=group, city=mayor.city)
    CityUserFactory(city=City.objects.get(slug="edirne"), username="mayor.edirne")
    SecretariatUserFactory(username="secretariat")
    recommendation = RecommendationFactory(year=2025, number=1, title="Heat-wave plans")

    # The secretariat posts to the climate group's cities from the admin.
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill("secretariat")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Needs action today")).to_be_visible()
    page.goto(site + "/admin/secretariat/announcement/add/")
    page.get_by_label("Title [en]").fill("Climate group: next meeting on 3 March")
    page.get_by_label("Text [en]").fill("The climate group meets online on 3 March at 10:00.")
    page.locator("#id_audience").select_option(label="One working group's cities")
    page.locator("#id_working_group").select_option(label="Local climate action")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Sent to 1 city")

    # A mayor of a city in the group sees it and follows up a recommendation.
    page.context.clear_cookies()
    login(page, site, "mayor.tirana", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tirana")
    expect(page.get_by_text("Climate group: next meeting on 3 March")).to_be_visible()
    card = page.locator("article", has_text="Heat-wave plans")
    card.get_by_label("Your city's follow-up").select_option(label="In progress")
    card.get_by_role("button", name="Save the follow-up of 2025/1").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Your city's follow-up of recommendation 2025/1 is recorded: In progress."
    )
    expect(page.locator("article", has_text="Heat-wave plans")).to_contain_text(
        "Your city: In progress"
    )

    # A mayor of a city outside the group does not see it.
    page.context.clear_cookies()
    login(page, site, "mayor.edirne", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Edirne")
    expect(page.get_by_role("heading", name="Announcements")).to_be_visible()
    expect(page.get_by_text("Climate group: next meeting on 3 March")).to_have_count(0)

    follow_up = FollowUp.objects.get()
    assert (follow_up.city, follow_up.recommendation) == (mayor.city, recommendation)


def test_a_mayor_ends_a_contact_but_not_the_mayor_from_the_dashboard(site, page, mayor):
    from members.enums import PersonRole
    from tests.e2e.conftest import login
    from tests.factories import PersonFactory
    from tests.factories.members import PASSWORD

    city_mayor = PersonFactory(city=mayor.city, role=PersonRole.MAYOR, name="Erion Veliaj")
    contact = PersonFactory(city=mayor.city, role=PersonRole.CONTACT, name="Ana Office")

    login(page, site, "mayor.tirana", PASSWORD)
    people = page.locator("section", has=page.get_by_role("heading", name="People and contacts"))
    mayor_row = people.locator("li", has_text="Erion Veliaj")
    expect(mayor_row.get_by_role("link", name="Edit Erion Veliaj")).to_be_visible()
    # A change of mayor is the secretariat's: the city is not offered to record it.
    expect(mayor_row.get_by_role("link", name="No longer serves")).to_have_count(0)

    people.locator("li", has_text="Ana Office").get_by_role("link", name="No longer serves").click()
    page.get_by_label("Serves the city until").fill("2026-02-01")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The end of their service is recorded.")
    expect(people.get_by_text("Ana Office")).to_have_count(0)
    expect(people.locator("strong", has_text="Erion Veliaj")).to_be_visible()
    contact.refresh_from_db()
    city_mayor.refresh_from_db()
    assert contact.ended_on is not None and city_mayor.ended_on is None
