"""Rule W5: a new group is active only when both the presidency and the secretariat agree.

Every door is tried: the services (the shell), the city's browser pages, the admin, and the
raw ORM against the database constraint.
"""

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from members.models import City
from outbox.models import Mail
from tests.factories import CityUserFactory
from workinggroups import services
from workinggroups.enums import ApprovalKey, GroupState
from workinggroups.models import WorkingGroup

PRESIDENCY, SECRETARIAT = ApprovalKey.PRESIDENCY, ApprovalKey.SECRETARIAT


@pytest.fixture
def proposal(presidency, mayor):
    return services.propose_group(name="Culture and heritage", topic="Museums.", by=mayor)


def test_proposed_group_starts_proposed_and_records_who(proposal, mayor):
    assert proposal.state == GroupState.PROPOSED
    assert proposal.slug == "culture-and-heritage"
    assert proposal.proposed_by == mayor
    assert proposal.proposed_at is not None
    assert Mail.objects.filter(kind="workinggroups.proposed").count() == 1


def test_outsiders_cannot_propose(presidency, db):
    athens = CityUserFactory(city=City.objects.get(slug="athens"))
    with pytest.raises(PermissionDenied):
        services.propose_group(name="X", topic="Y", by=athens)


def test_both_keys_activate_and_are_recorded(proposal, mayor, secretariat_user):
    group = services.approve_group(group=proposal, by=mayor, key=PRESIDENCY)
    assert group.state == GroupState.PROPOSED  # one key is not enough

    group = services.approve_group(group=group, by=secretariat_user, key=SECRETARIAT)

    group.refresh_from_db()
    assert group.state == GroupState.ACTIVE
    assert group.presidency_approved_by == mayor
    assert group.secretariat_approved_by == secretariat_user
    assert group.presidency_approved_at and group.secretariat_approved_at
    assert group.created_on is not None
    assert group.presidency_mandate.city == mayor.city  # the mandate it was turned under


def test_the_presidencys_key_is_the_presiding_mayors_not_a_delegates(proposal, client):
    # Issue 16: the president (the presiding city's mayor) turns the key; a delegate of the
    # presiding city may propose a group but not approve one.
    delegate = CityUserFactory(city=proposal.proposed_by.city, city_role="delegate")
    with pytest.raises(PermissionDenied):
        services.approve_group(group=proposal, by=delegate, key=PRESIDENCY)
    client.force_login(delegate)
    dashboard = client.get(reverse("secretariat:dashboard")).content.decode()
    assert reverse("workinggroups:group-propose") in dashboard
    assert reverse("workinggroups:group-approve", args=[proposal.pk]) not in dashboard


def test_the_secretariat_first_then_the_presidency(proposal, mayor, secretariat_user):
    services.approve_group(group=proposal, by=secretariat_user, key=SECRETARIAT)
    group = services.approve_group(group=proposal, by=mayor, key=PRESIDENCY)
    assert group.state == GroupState.ACTIVE


def test_one_side_cannot_turn_both_keys(proposal, mayor, secretariat_user):
    services.approve_group(group=proposal, by=mayor, key=PRESIDENCY)
    with pytest.raises(ValidationError):
        services.approve_group(group=proposal, by=mayor, key=PRESIDENCY)
    with pytest.raises(PermissionDenied):
        services.approve_group(group=proposal, by=mayor, key=SECRETARIAT)
    with pytest.raises(PermissionDenied):
        services.approve_group(group=proposal, by=secretariat_user, key=PRESIDENCY)
    proposal.refresh_from_db()
    assert proposal.state == GroupState.PROPOSED


def test_a_former_presidency_has_no_key(proposal, mayor):
    from presidency.models import Mandate

    Mandate.objects.all().delete()
    with pytest.raises(PermissionDenied):
        services.approve_group(group=proposal, by=mayor, key=PRESIDENCY)


def test_either_may_refuse_with_a_reason(proposal, mayor, secretariat_user):
    with pytest.raises(ValidationError):
        services.refuse_group(group=proposal, by=secretariat_user, key=SECRETARIAT, reason=" ")
    services.approve_group(group=proposal, by=mayor, key=PRESIDENCY)
    group = services.refuse_group(
        group=proposal, by=secretariat_user, key=SECRETARIAT, reason="Overlaps with climate."
    )
    assert group.state == GroupState.REFUSED
    assert (group.refused_by, group.refused_key) == (secretariat_user, SECRETARIAT)
    assert group.refusal_reason == "Overlaps with climate."
    with pytest.raises(ValidationError):
        services.approve_group(group=group, by=secretariat_user, key=SECRETARIAT)


def test_the_database_refuses_an_active_group_without_both_keys(proposal, mayor):
    services.approve_group(group=proposal, by=mayor, key=PRESIDENCY)
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkingGroup.objects.filter(pk=proposal.pk).update(state=GroupState.ACTIVE)
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkingGroup.objects.create(name="Raw", slug="raw", topic="t", state=GroupState.ACTIVE)


def test_full_clean_reports_the_rule(db):
    group = WorkingGroup(name="Raw", slug="raw", topic="t", state=GroupState.ACTIVE)
    with pytest.raises(ValidationError, match="rule W5"):
        group.full_clean()


def test_the_four_charter_groups_are_active(db):
    assert WorkingGroup.objects.filter(state=GroupState.ACTIVE).count() == 4


# --- the browser (the presidency's door) ---------------------------------------------------


def test_presidency_proposes_and_approves_in_the_browser(presidency, mayor_client, mayor):
    response = mayor_client.post(
        reverse("workinggroups:group-propose"),
        {"name": "Youth", "topic": "Young people in cities."},
    )
    assert response.status_code == 302
    group = WorkingGroup.objects.get(name="Youth")
    assert group.state == GroupState.PROPOSED

    dashboard = mayor_client.get(reverse("secretariat:dashboard")).content.decode()
    assert "Approve for the presidency" in dashboard

    mayor_client.post(reverse("workinggroups:group-approve", args=[group.pk]))
    group.refresh_from_db()
    assert group.presidency_approved_by == mayor
    assert group.state == GroupState.PROPOSED


def test_presidency_refuses_in_the_browser(presidency, mayor_client, proposal):
    mayor_client.post(reverse("workinggroups:group-refuse", args=[proposal.pk]), {"reason": ""})
    proposal.refresh_from_db()
    assert proposal.state == GroupState.PROPOSED
    mayor_client.post(
        reverse("workinggroups:group-refuse", args=[proposal.pk]), {"reason": "Not now."}
    )
    proposal.refresh_from_db()
    assert proposal.state == GroupState.REFUSED


def test_other_cities_cannot_use_the_presidency_pages(presidency, client, proposal):
    athens = CityUserFactory(city=City.objects.get(slug="athens"))
    client.force_login(athens)
    assert client.get(reverse("workinggroups:group-propose")).status_code == 403
    assert (
        client.post(reverse("workinggroups:group-approve", args=[proposal.pk])).status_code == 403
    )
    proposal.refresh_from_db()
    assert proposal.presidency_approved_at is None


def test_anonymous_is_sent_to_log_in(client, proposal):
    response = client.post(reverse("workinggroups:group-approve", args=[proposal.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- the admin (the secretariat's door) ----------------------------------------------------


def test_admin_add_makes_a_proposal_not_an_active_group(secretariat_client, secretariat_user):
    response = secretariat_client.post(
        reverse("admin:workinggroups_workinggroup_add"),
        {
            "name": "Tourism",
            "topic_en": "Cities and visitors.",
            "state": "active",  # ignored: read-only
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    group = WorkingGroup.objects.get(name="Tourism")
    assert group.state == GroupState.PROPOSED
    assert group.proposed_by == secretariat_user


def test_admin_add_refuses_members_for_a_group_not_yet_active(secretariat_client):
    response = secretariat_client.post(
        reverse("admin:workinggroups_workinggroup_add"),
        {
            "name": "Tourism",
            "topic_en": "Cities and visitors.",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-city": City.objects.get(slug="tirana").pk,
        },
    )
    assert response.status_code == 200  # the form again, with the reason
    assert not WorkingGroup.objects.filter(name="Tourism").exists()


def test_admin_add_goes_on_with_the_row_the_service_wrote(secretariat_client, secretariat_user):
    """Save and continue: the page, the inline and the admin's log are the proposal's."""
    response = secretariat_client.post(
        reverse("admin:workinggroups_workinggroup_add"),
        {
            "name": "Tourism",
            "topic_en": "Cities and visitors.",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "_continue": "1",
        },
    )
    group = WorkingGroup.objects.get(name="Tourism")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse(
        "admin:workinggroups_workinggroup_change", args=[group.pk]
    )
    assert not group.memberships.exists()  # a proposed group has no members yet
    entry = LogEntry.objects.get(user=secretariat_user)
    assert (entry.object_id, entry.action_flag) == (str(group.pk), ADDITION)
    page = secretariat_client.get(response["Location"]).content.decode()
    assert "was added successfully" in page
    assert "Tourism" in page


def test_admin_change_cannot_activate(secretariat_client, proposal):
    secretariat_client.post(
        reverse("admin:workinggroups_workinggroup_change", args=[proposal.pk]),
        {
            "name": proposal.name,
            "topic_en": proposal.topic,
            "state": "active",
            "secretariat_approved_at": "2026-01-01 10:00",
            "presidency_approved_at": "2026-01-01 10:00",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    proposal.refresh_from_db()
    assert proposal.state == GroupState.PROPOSED
    assert proposal.secretariat_approved_at is None


def test_admin_action_turns_only_the_secretariat_key(secretariat_client, proposal, mayor):
    changelist = reverse("admin:workinggroups_workinggroup_changelist")
    secretariat_client.post(
        changelist, {"action": "approve_as_secretariat", "_selected_action": [proposal.pk]}
    )
    proposal.refresh_from_db()
    assert proposal.secretariat_approved_at is not None
    assert proposal.state == GroupState.PROPOSED

    services.approve_group(group=proposal, by=mayor, key=PRESIDENCY)
    proposal.refresh_from_db()
    assert proposal.state == GroupState.ACTIVE


def test_admin_refuse_action_asks_for_a_reason(secretariat_client, proposal):
    changelist = reverse("admin:workinggroups_workinggroup_changelist")
    data = {"action": "refuse_as_secretariat", "_selected_action": [proposal.pk]}
    page = secretariat_client.post(changelist, data)
    assert page.status_code == 200
    assert "Reason" in page.content.decode()
    secretariat_client.post(changelist, {**data, "apply": "1", "reason": "Duplicate."})
    proposal.refresh_from_db()
    assert proposal.state == GroupState.REFUSED
    assert proposal.refusal_reason == "Duplicate."


def test_admin_closes_an_active_group_and_the_cadence_stops(secretariat_client):
    group = WorkingGroup.objects.get(slug="local-economic-cooperation")
    secretariat_client.post(
        reverse("admin:workinggroups_workinggroup_changelist"),
        {"action": "close", "_selected_action": [group.pk]},
    )
    group.refresh_from_db()
    assert group.state == GroupState.CLOSED
    assert services.plan_next_meeting(group=group) is None
