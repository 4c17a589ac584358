"""Public group pages, members-only minutes, join/leave from the dashboard."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import City
from tests.factories import (
    CityFactory,
    CityUserFactory,
    GroupMembershipFactory,
    MeetingFactory,
)
from workinggroups.enums import GroupState, MeetingKind, MinutesVisibility
from workinggroups.models import Attendance, GroupMembership, WorkingGroup


@pytest.fixture
def climate(db):
    return WorkingGroup.objects.get(slug="local-climate-action")


@pytest.fixture
def meetings(climate, mayor):
    GroupMembershipFactory(group=climate, city=mayor.city)
    past = timezone.now() - datetime.timedelta(days=40)
    public = MeetingFactory(
        group=climate,
        starts_at=past - datetime.timedelta(days=91),
        minutes="PUBLIC-MINUTES",
        minutes_visibility=MinutesVisibility.PUBLIC,
    )
    private = MeetingFactory(
        group=climate,
        starts_at=past,
        minutes="SECRET-MINUTES",
        minutes_visibility=MinutesVisibility.MEMBERS,
        online_link="https://meet.example/past",
    )
    upcoming = MeetingFactory(
        group=climate,
        kind=MeetingKind.EXTRA,
        starts_at=timezone.now() + datetime.timedelta(days=5),
        agenda="UPCOMING-AGENDA",
        online_link="https://meet.example/next",
    )
    Attendance.objects.create(meeting=public, city=mayor.city, present=True)
    return public, private, upcoming


def detail(client, group):
    return client.get(reverse("workinggroups:group-detail", args=[group.slug])).content.decode()


def test_group_page_shows_meetings_and_public_minutes_to_everyone(client, climate, meetings):
    html = detail(client, climate)
    assert "UPCOMING-AGENDA" in html
    assert "PUBLIC-MINUTES" in html
    assert "Tirana" in html  # member city and attendance
    assert "Istanbul time" in html


def test_members_only_minutes_and_links_hidden_from_outsiders(client, climate, meetings):
    html = detail(client, climate)
    assert "SECRET-MINUTES" not in html
    assert "meet.example" not in html
    assert "for member cities only" in html
    outsider = CityUserFactory(city=City.objects.get(slug="patras"))
    client.force_login(outsider)
    html = detail(client, climate)
    assert "SECRET-MINUTES" not in html
    assert "meet.example/next" not in html


def test_members_and_secretariat_see_members_only_minutes(
    mayor_client, secretariat_client, climate, meetings
):
    for client in (mayor_client, secretariat_client):
        html = detail(client, climate)
        assert "SECRET-MINUTES" in html
        assert "https://meet.example/next" in html


def test_member_sees_times_in_their_own_time_zone(mayor_client, climate, meetings):
    html = detail(mayor_client, climate)
    assert "your time, Europe/Tirane" in html


def test_group_page_queries_do_not_grow_with_meetings(
    client, climate, meetings, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        detail(client, climate)
    for n in range(6):
        meeting = MeetingFactory(
            group=climate, starts_at=timezone.now() - datetime.timedelta(days=200 + 95 * n)
        )
        city = CityFactory()
        GroupMembershipFactory(group=climate, city=city)
        Attendance.objects.create(meeting=meeting, city=city)
    with django_assert_max_num_queries(8):
        detail(client, climate)


def test_proposed_and_refused_groups_are_not_public(client, db):
    proposed = WorkingGroup.objects.create(name="P", slug="p", topic="t")
    url = reverse("workinggroups:group-detail", args=[proposed.slug])
    assert client.get(url).status_code == 404
    assert "P</a>" not in client.get(reverse("workinggroups:group-list")).content.decode()


def test_dashboard_join_and_leave(mayor_client, mayor, climate, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        html = mayor_client.get(reverse("secretariat:dashboard")).content.decode()
    # One join form: the groups the city is not in are its choices.
    assert f'<option value="{climate.slug}">Local climate action</option>' in html

    mayor_client.post(reverse("workinggroups:group-join"), {"group": climate.slug})
    membership = GroupMembership.objects.get(group=climate, city=mayor.city)
    assert membership.contact is None or membership.contact.city == mayor.city
    html = mayor_client.get(reverse("secretariat:dashboard")).content.decode()
    assert "Leave Local climate action" in html
    assert f'<option value="{climate.slug}">' not in html

    mayor_client.post(reverse("workinggroups:group-leave", args=[climate.slug]))
    assert not GroupMembership.objects.filter(group=climate, city=mayor.city).exists()


def test_join_uses_the_users_city_only(mayor_client, mayor, climate):
    mayor_client.post(
        reverse("workinggroups:group-join"), {"group": climate.slug, "city": "athens"}
    )
    assert list(climate.cities.all()) == [mayor.city]


def test_join_needs_a_city_user(client, secretariat_user, climate):
    url = reverse("workinggroups:group-join")
    assert client.post(url, {"group": climate.slug}).status_code == 302  # to the login page
    client.force_login(secretariat_user)
    assert client.post(url, {"group": climate.slug}).status_code == 403
    assert not climate.memberships.exists()


def test_cannot_join_a_closed_group(mayor_client, climate):
    climate.state = GroupState.CLOSED
    climate.save()
    response = mayor_client.post(reverse("workinggroups:group-join"), {"group": climate.slug})
    assert response.status_code == 404


def test_admin_lists_overdue_groups_first(secretariat_client, db):
    WorkingGroup.objects.filter(slug="smart-cities-and-digital-transformation").update(
        overdue_since=datetime.date(2026, 1, 1)
    )
    html = secretariat_client.get(
        reverse("admin:workinggroups_workinggroup_changelist")
    ).content.decode()
    assert html.index("Smart cities") < html.index("Local climate action")


def test_admin_meeting_page_has_attendance_inline(secretariat_client, meetings):
    url = reverse("admin:workinggroups_meeting_change", args=[meetings[0].pk])
    html = secretariat_client.get(url).content.decode()
    assert "attendances-TOTAL_FORMS" in html


def test_a_closed_group_says_so_on_its_pages(client, climate):
    climate.state = GroupState.CLOSED
    climate.save()
    assert "This group is closed." in detail(client, climate)
    listing = client.get(reverse("workinggroups:group-list")).content.decode()
    assert listing.count(" · Closed") == 1
    other = WorkingGroup.objects.get(slug="local-economic-cooperation")
    assert "This group is closed." not in detail(client, other)
