"""A member city leaves the network, and may come back (rules M1–M3), from every door:
the service, the City admin (its action, its add and change forms), the site, the database."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from members import services as member_services
from members.enums import CityStatus
from members.models import City
from members.roles import acts_for_city
from presidency import services as presidency_services
from presidency.enums import CandidacyState
from secretariat.enums.applications import ApplicationState
from secretariat.services import applications as application_services
from secretariat.services.cities import withdraw_member_city
from tests.factories import (
    ApplicationFactory,
    CityUserFactory,
    ElectionFactory,
    GroupMembershipFactory,
    SummitFactory,
)
from tests.presidency.conftest import clock  # noqa: F401, F811
from tests.secretariat.test_applications_admin import change_form_data, change_url
from workinggroups import services as group_services
from workinggroups.enums import RequestState
from workinggroups.models import GroupMembership

S = ApplicationState
TODAY = datetime.date(2026, 3, 1)


def city(slug: str) -> City:
    return City.objects.get(slug=slug)


def withdraw(slug: str, by, **kwargs) -> City:
    return withdraw_member_city(
        city=city(slug),
        on=kwargs.pop("on", TODAY),
        reason=kwargs.pop("reason", "The city council voted to leave."),
        by=by,
    )


# --- the service ------------------------------------------------------------------------


def test_withdrawal_ends_groups_requests_candidacies_and_acting(secretariat_user, clock):  # noqa: F811
    tirana = city("tirana")
    membership = GroupMembershipFactory(city=tirana)
    group = membership.group
    group.coordinating_city = tirana
    group.save()
    extra = group_services.request_extra_session(
        group=group,
        city=tirana,
        by=None,
        reason="Floods",
        proposed_start=timezone.now() + datetime.timedelta(days=10),
    )
    election = presidency_services.open_candidacy(
        election=ElectionFactory(summit=SummitFactory(year=2026)), by=secretariat_user
    )
    candidacy = presidency_services.submit_candidacy(
        election=election, city=tirana, by=secretariat_user
    )
    mayor = CityUserFactory(city=tirana)
    assert acts_for_city(mayor)

    withdraw("tirana", secretariat_user)

    tirana.refresh_from_db()
    assert (tirana.status, tirana.left_on, tirana.withdrawal_reason) == (
        CityStatus.WITHDRAWN,
        TODAY,
        "The city council voted to leave.",
    )
    assert not GroupMembership.objects.filter(city=tirana).exists()
    group.refresh_from_db()
    assert group.coordinating_city is None
    extra.refresh_from_db()
    assert extra.state == RequestState.DECLINED
    candidacy.refresh_from_db()
    assert candidacy.state == CandidacyState.WITHDRAWN
    mayor.refresh_from_db()
    assert not acts_for_city(mayor)
    # its history stays, naming who recorded the withdrawal
    last = tirana.history.first()
    assert (last.status, last.history_user) == (CityStatus.WITHDRAWN, secretariat_user)
    assert GroupMembership.history.filter(city_id=tirana.pk, history_type="-").count() == 1


def test_a_withdrawn_city_is_not_in_a_later_rounds_electorate(secretariat_user, clock):  # noqa: F811
    election = presidency_services.open_candidacy(
        election=ElectionFactory(summit=SummitFactory(year=2026)), by=secretariat_user
    )
    presidency_services.submit_candidacy(election=election, city=city("split"), by=secretariat_user)
    presidency_services.close_candidacy(election=election, by=secretariat_user)
    withdraw("tirana", secretariat_user)
    clock.to_summit()  # rule S2: rounds open on the summit's days
    round_ = presidency_services.open_round(election=election, by=secretariat_user)
    electorate = set(round_.electorate.values_list("slug", flat=True))
    assert "tirana" not in electorate
    assert "skopje" in electorate


def test_withdrawal_needs_a_reason_a_date_after_joining_and_a_member(secretariat_user):
    with pytest.raises(ValidationError, match="Say why"):
        withdraw("tirana", secretariat_user, reason="  ")
    with pytest.raises(ValidationError, match="before it joined"):
        withdraw("tirana", secretariat_user, on=datetime.date(2020, 1, 1))
    assert city("tirana").status == CityStatus.ACTIVE
    withdraw("tirana", secretariat_user)
    with pytest.raises(ValidationError, match="already left"):
        withdraw("tirana", secretariat_user)


def test_only_the_secretariat_records_a_withdrawal(mayor):
    with pytest.raises(PermissionDenied):
        withdraw("tirana", mayor)
    assert city("tirana").status == CityStatus.ACTIVE


# --- the database -------------------------------------------------------------------------


def test_the_database_refuses_a_withdrawal_without_date_or_reason(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        City.objects.filter(slug="tirana").update(status=CityStatus.WITHDRAWN)
    with pytest.raises(IntegrityError), transaction.atomic():
        City.objects.filter(slug="tirana").update(status=CityStatus.WITHDRAWN, left_on=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        City.objects.filter(slug="tirana").update(left_on=TODAY, withdrawal_reason="x")


# --- the admin ----------------------------------------------------------------------------


def test_the_city_admin_adds_no_city(secretariat_client):
    response = secretariat_client.get(reverse("admin:members_city_add"))
    assert response.status_code == 403
    before = City.objects.count()
    secretariat_client.post(
        reverse("admin:members_city_add"),
        {"name": "Novi Sad", "slug": "novi-sad", "country": city("belgrade").country_id},
    )
    assert City.objects.count() == before


def test_the_city_change_form_cannot_touch_founding_join_date_or_status(secretariat_client):
    tirana = city("tirana")
    url = change_url_for(tirana)
    data = admin_form_data(secretariat_client, url, website="https://tirana.al")
    data.update(
        status=CityStatus.WITHDRAWN,
        joined_on="2024-01-01",
        is_founding="",
        founding_signatory="",
        left_on="2026-01-01",
        withdrawal_reason="typed in",
    )
    response = secretariat_client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    tirana.refresh_from_db()
    assert tirana.website == "https://tirana.al"
    assert (tirana.status, tirana.joined_on, tirana.is_founding, tirana.left_on) == (
        CityStatus.ACTIVE,
        datetime.date(2021, 11, 30),
        True,
        None,
    )


def change_url_for(obj: City) -> str:
    return reverse("admin:members_city_change", args=[obj.pk])


def admin_form_data(client, url: str, **overrides) -> dict:
    """What the browser posts back from an admin change form (fields and inlines)."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        data[name] = getattr(value, "pk", value)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for index, inline_form in enumerate(formset.forms):
            for name, field in inline_form.fields.items():
                value = inline_form.initial.get(name, field.initial)
                if value is not None:
                    data[f"{formset.prefix}-{index}-{name}"] = getattr(value, "pk", value)
    data.update(overrides)
    return data


def test_the_admin_action_asks_for_a_date_and_reason_then_withdraws(
    secretariat_client, secretariat_user
):
    tirana = city("tirana")
    GroupMembershipFactory(city=tirana)
    changelist = reverse("admin:members_city_changelist")
    base = {"action": "withdraw", "_selected_action": [tirana.pk]}
    response = secretariat_client.post(changelist, base)
    assert response.status_code == 200  # the intermediate page
    assert b'name="reason"' in response.content
    response = secretariat_client.post(
        changelist, {**base, "apply": "1", "on": "2026-02-01", "reason": ""}
    )
    assert response.status_code == 200  # a reason is required: the page again
    assert city("tirana").status == CityStatus.ACTIVE
    response = secretariat_client.post(
        changelist, {**base, "apply": "1", "on": "2026-02-01", "reason": "Council vote"}
    )
    assert response.status_code == 302
    tirana.refresh_from_db()
    assert (tirana.status, tirana.left_on) == (CityStatus.WITHDRAWN, datetime.date(2026, 2, 1))
    assert not GroupMembership.objects.filter(city=tirana).exists()
    assert tirana.history.first().history_user == secretariat_user  # RELIABILITY 26


# --- the site -----------------------------------------------------------------------------


def test_the_member_list_shows_former_members_apart(secretariat_user, client):
    withdraw("tirana", secretariat_user)
    response = client.get(reverse("secretariat:city-list"))
    assert response.status_code == 200
    members = [c.slug for _country, cities in response.context["countries"] for c in cities]
    assert "tirana" not in members
    assert [c.slug for c in response.context["former"]] == ["tirana"]
    assert "Former members" in response.content.decode()


def test_the_mayor_of_a_withdrawn_city_can_no_longer_act(secretariat_user, mayor_client):
    membership = GroupMembershipFactory(city=city("skopje"))
    withdraw("tirana", secretariat_user)
    response = mayor_client.post(
        reverse("workinggroups:group-join"), {"group": membership.group.slug}
    )
    assert response.status_code == 403
    assert mayor_client.get(reverse("secretariat:dashboard")).status_code == 403
    assert not GroupMembership.objects.filter(city__slug="tirana").exists()


# --- applying again (rules M2, M3) ----------------------------------------------------------


def _admit_at(summit, application, by):
    for step in (S.UNDER_REVIEW, S.PROPOSED, S.ADMITTED):
        application_services.transition_application(
            application=application, to_state=step, by=by, summit=summit
        )
    application.refresh_from_db()
    return application


def test_a_withdrawn_city_applies_again_and_is_admitted_as_the_same_city(secretariat_user):
    tirana = city("tirana")
    with pytest.raises(ValidationError, match="already a member"):
        application_services.validate_new_application(name="Tirana", country=tirana.country)
    withdraw("tirana", secretariat_user, on=datetime.date(2025, 1, 1))
    application_services.validate_new_application(name="Tirana", country=tirana.country)
    today = timezone.localdate()
    summit = SummitFactory(year=today.year, starts_on=today, ends_on=today)
    application = _admit_at(
        summit, ApplicationFactory(city_name="Tirana", country=tirana.country), secretariat_user
    )
    assert application.city == tirana
    tirana.refresh_from_db()
    assert (tirana.status, tirana.joined_on, tirana.left_on) == (CityStatus.ACTIVE, today, None)
    assert tirana.history.filter(status=CityStatus.WITHDRAWN).exists()  # the past stays


def test_admission_happens_on_the_summits_days_only(secretariat_user):
    today = timezone.localdate()
    summit = SummitFactory(
        year=today.year,
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today - datetime.timedelta(days=2),
    )
    application = ApplicationFactory(city_name="Novo Mesto")
    application_services.transition_application(
        application=application, to_state=S.UNDER_REVIEW, by=secretariat_user
    )
    application.state, application.summit = S.PROPOSED, summit  # proposed while it was on
    application.save()
    with pytest.raises(ValidationError, match="during its summit"):
        application_services.transition_application(
            application=application, to_state=S.ADMITTED, by=secretariat_user
        )
    assert not City.objects.filter(name="Novo Mesto").exists()


def test_the_application_change_form_refuses_a_country_that_is_not_eligible(
    secretariat_client,
):
    from members.models import Country

    application = ApplicationFactory(city_name="Graz")
    austria = Country.objects.create(code="AT", name="Austria", eligible=False)
    data = change_form_data(secretariat_client, application, country=austria.pk)
    response = secretariat_client.post(change_url(application), data)
    assert response.status_code == 200
    assert "cannot apply" in response.content.decode()
    application.refresh_from_db()
    assert application.country.code != "AT"


def test_the_city_withdrawn_member_services_keep_the_row(db):
    tirana = member_services.withdraw_city(city=city("tirana"), on=TODAY, reason="Left", by=None)
    again = member_services.readmit_city(city=tirana, joined_on=datetime.date(2026, 11, 20))
    assert again.pk == tirana.pk and again.is_active
    with pytest.raises(ValidationError, match="already a member"):
        member_services.readmit_city(city=again, joined_on=datetime.date(2026, 11, 20))
