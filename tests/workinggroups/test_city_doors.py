"""Working groups from every door (rules W3–W5): the services, the site, the admin's forms,
inlines and actions, and the database."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from members.enums import CityRole, CityStatus
from members.models import City
from outbox.models import Mail
from secretariat.selectors.workspace import desk_items
from tests.factories import (
    CityFactory,
    GroupMembershipFactory,
    MeetingFactory,
    PersonFactory,
    WorkingGroupFactory,
)
from tests.secretariat.test_city_withdrawal import admin_form_data
from workinggroups import services
from workinggroups.enums import ApprovalKey, GroupState, MeetingKind, MeetingState, RequestState
from workinggroups.models import (
    Attendance,
    ExtraSessionRequest,
    GroupMembership,
    Meeting,
    WorkingGroup,
)

PRESIDENCY, SECRETARIAT = ApprovalKey.PRESIDENCY, ApprovalKey.SECRETARIAT


def withdrawn_city(**kwargs) -> City:
    return CityFactory(
        status=CityStatus.WITHDRAWN,
        left_on=datetime.date(2026, 1, 1),
        withdrawal_reason="Left.",
        **kwargs,
    )


# --- two keys, two people (rule W5) -----------------------------------------------------------


def test_one_person_cannot_turn_both_keys(presidency, tirana, secretariat_user):
    # a secretariat account that also acts for the presiding city holds both keys
    secretariat_user.city, secretariat_user.city_role = tirana, CityRole.MAYOR
    secretariat_user.save()
    group = services.propose_group(name="Culture", topic="Museums.", by=secretariat_user)
    services.approve_group(group=group, by=secretariat_user, key=PRESIDENCY)
    with pytest.raises(ValidationError, match="someone else"):
        services.approve_group(group=group, by=secretariat_user, key=SECRETARIAT)
    group.refresh_from_db()
    assert (group.state, group.secretariat_approved_at) == (GroupState.PROPOSED, None)


def test_two_people_turn_the_two_keys(presidency, tirana, secretariat_user, mayor):
    group = services.propose_group(name="Culture", topic="Museums.", by=mayor)
    services.approve_group(group=group, by=mayor, key=PRESIDENCY)
    group = services.approve_group(group=group, by=secretariat_user, key=SECRETARIAT)
    assert group.state == GroupState.ACTIVE


def test_the_database_refuses_an_early_dated_group_without_keys(db):
    group = WorkingGroup.objects.create(
        name="Backdated", slug="backdated", topic="x", created_on=datetime.date(2021, 11, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkingGroup.objects.filter(pk=group.pk).update(state=GroupState.ACTIVE)


def test_only_the_four_founding_groups_are_active_without_keys(db):
    founding = WorkingGroup.objects.filter(is_founding=True)
    assert founding.count() == 4
    assert set(founding.values_list("state", flat=True)) == {GroupState.ACTIVE}
    assert not founding.filter(presidency_approved_at__isnull=False).exists()


# --- joining: one service for the site and the admin ----------------------------------------


def inline_url(group) -> str:
    return reverse("admin:workinggroups_workinggroup_change", args=[group.pk])


def post_new_member(client, group, city, contact=None):
    url = inline_url(group)
    data = admin_form_data(client, url)
    prefix = "memberships"
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = total + 1
    data[f"{prefix}-{total}-city"] = city.pk
    data[f"{prefix}-{total}-group"] = group.pk
    if contact is not None:
        data[f"{prefix}-{total}-contact"] = contact.pk
    return client.post(url, data)


def test_the_membership_inline_refuses_a_withdrawn_city(secretariat_client):
    group = WorkingGroupFactory()
    response = post_new_member(secretariat_client, group, withdrawn_city())
    assert response.status_code == 200
    assert "Only an active member city" in response.content.decode()
    assert not GroupMembership.objects.filter(group=group).exists()


def test_the_membership_inline_refuses_a_proposed_group(secretariat_client):
    group = WorkingGroupFactory(
        state=GroupState.PROPOSED, presidency_approved_at=None, secretariat_approved_at=None
    )
    response = post_new_member(secretariat_client, group, City.objects.get(slug="tirana"))
    assert response.status_code == 200
    assert "Only an active working group" in response.content.decode()
    assert not GroupMembership.objects.filter(group=group).exists()


def test_the_membership_inline_refuses_another_citys_contact(secretariat_client):
    group = WorkingGroupFactory()
    stranger = PersonFactory(city=City.objects.get(slug="skopje"))
    response = post_new_member(
        secretariat_client, group, City.objects.get(slug="tirana"), contact=stranger
    )
    assert response.status_code == 200
    assert "one of the city" in response.content.decode()
    assert not GroupMembership.objects.filter(group=group).exists()


def test_the_membership_inline_joins_through_the_service(secretariat_client):
    group = WorkingGroupFactory()
    tirana = City.objects.get(slug="tirana")
    contact = PersonFactory(city=tirana)
    response = post_new_member(secretariat_client, group, tirana)
    assert response.status_code == 302
    membership = GroupMembership.objects.get(group=group, city=tirana)
    assert membership.contact == contact  # the service's default contact point


# --- the site: the city is the logged-in user's (RELIABILITY 8) -------------------------------


def test_a_join_with_another_citys_id_joins_the_own_city_only(mayor_client, mayor):
    group = WorkingGroupFactory()
    skopje = City.objects.get(slug="skopje")
    mayor_client.post(reverse("workinggroups:group-join"), {"group": group.slug, "city": skopje.pk})
    assert list(GroupMembership.objects.filter(group=group).values_list("city", flat=True)) == [
        mayor.city_id
    ]


def test_an_extra_session_request_with_another_citys_id_is_the_own_citys(mayor_client, mayor):
    group = WorkingGroupFactory()
    skopje = City.objects.get(slug="skopje")
    GroupMembershipFactory(group=group, city=mayor.city)
    GroupMembershipFactory(group=group, city=skopje)
    start = timezone.localtime() + datetime.timedelta(days=20)
    response = mayor_client.post(
        reverse("workinggroups:request-create"),
        {
            "group": group.pk,
            "city": skopje.pk,
            "reason": "Floods",
            "proposed_start": start.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    assert list(ExtraSessionRequest.objects.values_list("city", flat=True)) == [mayor.city_id]


def test_a_withdrawn_city_cannot_request_an_extra_session(db):
    group = WorkingGroupFactory()
    city = withdrawn_city()
    GroupMembership.objects.create(group=group, city=city)  # left over, say
    with pytest.raises(PermissionDenied, match="active member city"):
        services.request_extra_session(
            group=group,
            city=city,
            by=None,
            reason="x",
            proposed_start=timezone.now() + datetime.timedelta(days=5),
        )
    assert not ExtraSessionRequest.objects.exists()


def test_the_desk_lists_pending_extra_session_requests(db):
    group = WorkingGroupFactory()
    membership = GroupMembershipFactory(group=group)
    assert not [i for i in desk_items() if "extra session" in i.label]
    services.request_extra_session(
        group=group,
        city=membership.city,
        by=None,
        reason="x",
        proposed_start=timezone.now() + datetime.timedelta(days=5),
    )
    items = [i for i in desk_items() if "extra session" in i.label]
    assert [(i.count, i.url) for i in items] == [
        (1, reverse("admin:workinggroups_extrasessionrequest_changelist") + "?state__exact=pending")
    ]


# --- meetings: planned, held, cancelled (rule W3) ---------------------------------------------


@pytest.fixture
def group_with_contacts(db):
    WorkingGroup.objects.filter(is_founding=True).update(state=GroupState.CLOSED)
    group = WorkingGroupFactory()
    for email in ("a@one.example", "b@two.example"):
        person = PersonFactory(email=email)
        GroupMembershipFactory(group=group, city=person.city, contact=person)
    return group


def test_a_cancelled_slot_stays_cancelled_and_is_not_reminded(
    group_with_contacts, secretariat_user, at
):
    group = group_with_contacts
    now = timezone.now()
    services.run_cadence(now=now)
    meeting = Meeting.objects.get(group=group, kind=MeetingKind.REGULAR)
    services.cancel_meeting(meeting=meeting, by=secretariat_user, reason="The host is ill.")
    mail = Mail.objects.get(kind="workinggroups.cancelled")
    assert sorted(mail.to) == ["a@one.example", "b@two.example"]
    assert "The host is ill." in mail.body
    for _ in range(2):
        services.run_cadence(now=meeting.starts_at - datetime.timedelta(days=1))
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CANCELLED
    assert Meeting.objects.filter(group=group, regular_slot=meeting.regular_slot).count() == 1
    assert not Mail.objects.filter(kind="workinggroups.reminder").exists()


def test_cancelling_needs_a_reason_the_secretariat_and_a_planned_meeting(
    secretariat_user, mayor, db
):
    meeting = MeetingFactory()
    with pytest.raises(ValidationError, match="Say why"):
        services.cancel_meeting(meeting=meeting, by=secretariat_user, reason=" ")
    with pytest.raises(PermissionDenied):
        services.cancel_meeting(meeting=meeting, by=mayor, reason="x")
    services.cancel_meeting(meeting=meeting, by=secretariat_user, reason="x")
    with pytest.raises(ValidationError, match="Only a planned"):
        services.cancel_meeting(meeting=meeting, by=secretariat_user, reason="x")


def test_the_database_refuses_a_cancellation_without_reason(db):
    meeting = MeetingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.CANCELLED)


def test_only_held_meetings_keep_a_group_off_the_overdue_list(secretariat_user, at):
    group = WorkingGroupFactory(created_on=datetime.date(2025, 6, 1))
    member = GroupMembershipFactory(group=group)
    member.joined_on = datetime.date(2025, 6, 2)  # auto_now_add: set after the insert
    member.save(update_fields=["joined_on"])
    late = GroupMembershipFactory(group=group)  # joined after the meeting: not on its list
    meeting = MeetingFactory(group=group, starts_at=at(2025, 8, 1, 11))
    assert services.update_overdue(group=group, now=at(2025, 10, 2, 9)) is True  # not held
    services.record_meeting(
        meeting=meeting,
        by=secretariat_user,
        present=[member.city],
        minutes="We agreed the plan.",
        now=at(2025, 10, 2, 9),
    )
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD
    assert list(Attendance.objects.filter(meeting=meeting).values_list("city", "present")) == [
        (member.city_id, True)
    ]
    assert late.city_id not in set(meeting.attendances.values_list("city", flat=True))
    assert services.update_overdue(group=group, now=at(2025, 10, 2, 9)) is False


def test_a_meeting_is_held_only_once_started_with_minutes(secretariat_user, db):
    meeting = MeetingFactory()  # in a month
    with pytest.raises(ValidationError, match="once it has started"):
        services.record_meeting(meeting=meeting, by=secretariat_user, present=[], minutes="x")
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.PLANNED


def test_the_admin_cancels_with_a_reason_and_records_who(secretariat_client, secretariat_user):
    meeting = MeetingFactory()
    changelist = reverse("admin:workinggroups_meeting_changelist")
    base = {"action": "cancel", "_selected_action": [meeting.pk]}
    assert secretariat_client.post(changelist, base).status_code == 200  # asks for a reason
    response = secretariat_client.post(changelist, {**base, "apply": "1", "reason": "No quorum"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.state, meeting.cancellation_reason) == (MeetingState.CANCELLED, "No quorum")
    assert meeting.history.first().history_user == secretariat_user
    delete_url = reverse("admin:workinggroups_meeting_delete", args=[meeting.pk])
    assert secretariat_client.get(delete_url).status_code == 403  # cancelled, never deleted


def test_the_admin_records_a_held_meeting(secretariat_client):
    member = GroupMembershipFactory()
    # a member since before the meeting's day (three hours ago may be yesterday)
    type(member).objects.filter(pk=member.pk).update(
        joined_on=timezone.localdate() - datetime.timedelta(days=30)
    )
    meeting = MeetingFactory(
        group=member.group, starts_at=timezone.now() - datetime.timedelta(hours=3)
    )
    changelist = reverse("admin:workinggroups_meeting_changelist")
    base = {"action": "record_held", "_selected_action": [meeting.pk]}
    response = secretariat_client.post(
        changelist,
        {
            **base,
            "apply": "1",
            "present": [member.city_id],
            "minutes": "Done.",
            "minutes_visibility": "public",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.state, meeting.minutes) == (MeetingState.HELD, "Done.")
    assert meeting.attendances.get().present is True


def test_withdrawing_a_city_declines_its_pending_requests_on_the_desk(secretariat_user):
    from secretariat.services.cities import withdraw_member_city

    membership = GroupMembershipFactory(city=City.objects.get(slug="tirana"))
    request = services.request_extra_session(
        group=membership.group,
        city=membership.city,
        by=None,
        reason="x",
        proposed_start=timezone.now() + datetime.timedelta(days=5),
    )
    withdraw_member_city(
        city=membership.city, on=timezone.localdate(), reason="Left", by=secretariat_user
    )
    request.refresh_from_db()
    assert request.state == RequestState.DECLINED
