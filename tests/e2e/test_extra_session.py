"""Rule W4 in a real Chromium: a mayor asks for an extra session, the secretariat convenes
it in the admin, and it shows on the group's page and in its calendar feed."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories.members import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_mayor_requests_and_secretariat_convenes_an_extra_session(site, page):
    from members.models import City
    from tests.factories import CityUserFactory, SecretariatUserFactory

    CityUserFactory(city=City.objects.get(slug="tirana"), username="mayor.tirana")
    SecretariatUserFactory(username="secretariat")
    when = timezone.localtime() + datetime.timedelta(days=10)
    when = when.replace(hour=14, minute=0, second=0, microsecond=0)

    # The mayor joins the group and asks for an extra session from the city's dashboard.
    login(page, site, "mayor.tirana", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tirana")
    page.get_by_label("Join a working group").select_option(label="Local climate action")
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_text("Your city joined “Local climate action”.")).to_be_visible()
    page.get_by_role("link", name="Request an extra session").click()
    page.get_by_label("Working group").select_option(label="Local climate action")
    page.get_by_label("Reason").fill("Floods on the coast: coordinate the response")
    page.get_by_label("Proposed date (Istanbul time)").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Your request was sent to the secretariat")).to_be_visible()
    expect(page.get_by_text("Pending")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    # The secretariat convenes it in the admin.
    login(page, site, "secretariat", PASSWORD)
    page.goto(site + "/admin/workinggroups/extrasessionrequest/")
    page.locator("input[name=_selected_action]").first.check()
    page.locator("select[name=action]").select_option(label="Convene the extra session")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_label("Starts at (Istanbul time)")).to_have_value(
        when.strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label("Online link").fill("https://meet.example/floods")
    page.get_by_role("button", name="Convene the extra session").click()
    expect(
        page.get_by_text("The extra session is convened: the meeting is in the group's calendar.")
    ).to_be_visible()

    # It appears on the group's public page and in its calendar feed.
    page.goto(site + "/working-groups/local-climate-action/")
    upcoming = page.get_by_role("region", name="Upcoming meetings")
    expect(upcoming.get_by_text("Extra session")).to_be_visible()
    expect(upcoming.get_by_text("Floods on the coast: coordinate the response")).to_be_visible()

    response = page.request.get(site + "/working-groups/local-climate-action/calendar.ics")
    assert response.ok
    events = Calendar.from_ical(response.body()).walk("VEVENT")
    assert len(events) == 1
    assert "Extra session" in str(events[0]["SUMMARY"])
    assert events[0].decoded("DTSTART") == when.astimezone(datetime.UTC)


def test_visitor_sees_meeting_times_in_their_own_time_zone(site, browser):
    from tests.factories import MeetingFactory
    from workinggroups.models import WorkingGroup

    start = timezone.make_aware(datetime.datetime(2031, 1, 15, 11), timezone.get_default_timezone())
    MeetingFactory(group=WorkingGroup.objects.get(slug="local-climate-action"), starts_at=start)
    context = browser.new_context(timezone_id="Europe/Athens", locale="en-GB")
    page = context.new_page()
    page.goto(site + "/working-groups/local-climate-action/")
    upcoming = page.get_by_role("region", name="Upcoming meetings")
    expect(upcoming.get_by_text("15 January 2031, 11:00")).to_be_visible()
    expect(upcoming.get_by_text("(Europe/Athens)")).to_contain_text("10:00")
    context.close()
