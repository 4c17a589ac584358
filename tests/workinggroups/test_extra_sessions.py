"""Rule W4: any member city may ask that its group be convened sooner."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from members.models import City
from tests.factories import CityUserFactory, GroupMembershipFactory, PersonFactory
from workinggroups import services
from workinggroups.enums import MeetingKind, RequestState
from workinggroups.models import ExtraSessionRequest, WorkingGroup


@pytest.fixture
def climate(db):
    return WorkingGroup.objects.get(slug="local-climate-action")


@pytest.fixture
def member(climate, mayor):
    contact = PersonFactory(city=mayor.city, email="contact@tirana.example")
    GroupMembershipFactory(group=climate, city=mayor.city, contact=contact)
    return mayor


def in_days(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def test_member_requests_and_secretariat_is_told(
    climate, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_extra_session(
            group=climate, city=member.city, by=member, reason="Floods.", proposed_start=in_days(9)
        )
    assert request.state == RequestState.PENDING
    assert mail.outbox[-1].to == ["secretariat@b40.example"]
    assert "Tirana" in mail.outbox[-1].subject


def test_a_city_outside_the_group_cannot_request(climate, db):
    athens = City.objects.get(slug="athens")
    with pytest.raises(PermissionDenied):
        services.request_extra_session(
            group=climate, city=athens, by=None, reason="x", proposed_start=in_days(3)
        )
    assert ExtraSessionRequest.objects.count() == 0


def test_proposed_dates_must_be_ahead_and_one_pending_per_city(climate, member):
    with pytest.raises(ValidationError):
        services.request_extra_session(
            group=climate, city=member.city, by=member, reason="x", proposed_start=in_days(-1)
        )
    services.request_extra_session(
        group=climate, city=member.city, by=member, reason="x", proposed_start=in_days(3)
    )
    with pytest.raises(ValidationError, match="already has a request pending"):
        services.request_extra_session(
            group=climate, city=member.city, by=member, reason="y", proposed_start=in_days(4)
        )


def test_convene_creates_an_extra_meeting_and_tells_the_city(
    climate, member, secretariat_user, django_capture_on_commit_callbacks
):
    request = services.request_extra_session(
        group=climate, city=member.city, by=member, reason="Floods.", proposed_start=in_days(9)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.convene_extra_session(
            request=request, by=secretariat_user, starts_at=in_days(10)
        )
    request.refresh_from_db()
    assert meeting.kind == MeetingKind.EXTRA
    assert meeting.regular_slot is None
    assert meeting.agenda == "Floods."
    assert (request.state, request.meeting, request.decided_by) == (
        RequestState.CONVENED,
        meeting,
        secretariat_user,
    )
    assert sorted(mail.outbox[0].to) == ["contact@tirana.example", member.email]
    assert "convened" in mail.outbox[0].subject
    with pytest.raises(ValidationError):
        services.decline_extra_session(request=request, by=secretariat_user, reason="late")


def test_decline_needs_a_reason_and_tells_the_city(
    climate, member, secretariat_user, django_capture_on_commit_callbacks
):
    request = services.request_extra_session(
        group=climate, city=member.city, by=member, reason="x", proposed_start=in_days(9)
    )
    with pytest.raises(ValidationError):
        services.decline_extra_session(request=request, by=secretariat_user, reason="")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_extra_session(request=request, by=secretariat_user, reason="Too soon.")
    request.refresh_from_db()
    assert request.state == RequestState.DECLINED
    assert "Too soon." in mail.outbox[0].body


def test_only_the_secretariat_convenes(climate, member):
    request = services.request_extra_session(
        group=climate, city=member.city, by=member, reason="x", proposed_start=in_days(9)
    )
    with pytest.raises(PermissionDenied):
        services.convene_extra_session(request=request, by=member, starts_at=in_days(9))


# --- the browser -----------------------------------------------------------------------------


def test_member_requests_from_the_browser(climate, member, mayor_client):
    form = mayor_client.get(reverse("workinggroups:request-create"))
    assert climate.name in form.content.decode()
    when = timezone.localtime(in_days(12)).strftime("%Y-%m-%dT%H:%M")
    response = mayor_client.post(
        reverse("workinggroups:request-create"),
        {"group": climate.pk, "reason": "Drought.", "proposed_start": when},
    )
    assert response.status_code == 302
    request = ExtraSessionRequest.objects.get()
    assert (request.city, request.requested_by) == (member.city, member)
    dashboard = mayor_client.get(reverse("secretariat:dashboard")).content.decode()
    assert "Drought." in dashboard


def test_an_outsider_cannot_request_from_the_browser(climate, client, db):
    athens = CityUserFactory(city=City.objects.get(slug="athens"))
    client.force_login(athens)
    when = timezone.localtime(in_days(12)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("workinggroups:request-create"),
        {"group": climate.pk, "reason": "x", "proposed_start": when},
    )
    assert response.status_code == 200  # the group is not among the city's choices
    assert "Select a valid choice" in response.content.decode()
    assert ExtraSessionRequest.objects.count() == 0


def test_staff_without_a_city_cannot_request(secretariat_client, climate):
    assert secretariat_client.get(reverse("workinggroups:request-create")).status_code == 403


# --- the admin -------------------------------------------------------------------------------


def test_admin_convene_and_decline_actions(climate, member, secretariat_client):
    request = services.request_extra_session(
        group=climate, city=member.city, by=member, reason="x", proposed_start=in_days(9)
    )
    changelist = reverse("admin:workinggroups_extrasessionrequest_changelist")
    data = {"action": "convene", "_selected_action": [request.pk]}
    page = secretariat_client.post(changelist, data)
    assert page.status_code == 200
    assert "Starts at" in page.content.decode()
    when = timezone.localtime(in_days(9)).strftime("%Y-%m-%d %H:%M")
    response = secretariat_client.post(
        changelist, {**data, "apply": "1", "starts_at": when, "online_link": "https://m.example/x"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == RequestState.CONVENED
    assert request.meeting.online_link == "https://m.example/x"

    other = services.request_extra_session(
        group=climate, city=member.city, by=member, reason="y", proposed_start=in_days(20)
    )
    secretariat_client.post(
        changelist,
        {"action": "decline", "_selected_action": [other.pk], "apply": "1", "reason": "No."},
    )
    other.refresh_from_db()
    assert other.state == RequestState.DECLINED
