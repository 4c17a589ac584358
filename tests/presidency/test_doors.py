"""The charter from every door (issue 16): for rules S2–S7 and P1, the service, the city's
pages, the admin's change forms, actions and inlines refuse the same things with the
rule's message, and the database refuses what it can say itself."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from members.enums import CityStatus, PersonRole
from members.models import City, Person
from presidency import services
from presidency.models import BallotAttempt, Candidacy, Delegation, Mandate, Summit
from tests.factories import SummitFactory
from tests.presidency.conftest import SUMMIT_DAY, city, mayor_of, start_voting, vote
from tests.presidency.test_admin import act

STAY_ALL_TIME = {"arrives_on": "0001-01-01", "departs_on": "9999-12-31"}


def post_action(client, model, action, pks, **data):
    return client.post(
        reverse(f"admin:presidency_{model}_changelist"),
        {"action": action, "_selected_action": [str(pk) for pk in pks], "apply": "1", **data},
        follow=True,
    ).content.decode()


# --- rule S2: candidacies close before the summit opens; rounds open on its days ---------


def test_s2_service_refuses_a_candidacy_once_the_summit_has_opened(election, staff, clock):
    clock.set(SUMMIT_DAY)
    with pytest.raises(ValidationError, match="Rule S2: candidacies close before the summit"):
        services.submit_candidacy(election=election, city=city("split"), by=staff)
    assert not Candidacy.objects.exists()


def test_s2_service_refuses_a_round_before_the_summit(election, staff):
    services.submit_candidacy(election=election, city=city("split"), by=staff)
    services.close_candidacy(election=election, by=staff)
    with pytest.raises(ValidationError, match="Rule S2: the election is held at the summit"):
        services.open_round(election=election, by=staff)


def test_s2_service_refuses_a_round_after_the_summit(election, staff, clock):
    services.submit_candidacy(election=election, city=city("split"), by=staff)
    services.close_candidacy(election=election, by=staff)
    clock.set(SUMMIT_DAY + datetime.timedelta(days=2))
    with pytest.raises(ValidationError, match="Rule S2"):
        services.open_round(election=election, by=staff)


def test_s2_site_candidacy_form_refuses_on_the_summit_day(election, clock, client):
    client.force_login(mayor_of("split"))
    clock.set(SUMMIT_DAY)
    response = client.post(
        reverse("presidency:candidacy-submit", kwargs={"year": 2026}), {"statement": "x"}
    )
    assert "Rule S2: candidacies close before the summit opens" in response.content.decode()
    assert not Candidacy.objects.exists()


def test_s2_admin_change_form_refuses_a_candidacy_on_the_summit_day(
    election, clock, secretariat_client
):
    clock.set(SUMMIT_DAY)
    response = secretariat_client.post(
        reverse("admin:presidency_candidacy_add"),
        {"election": election.pk, "city": city("split").pk, "statement": "x"},
    )
    assert response.status_code == 200
    assert "Rule S2: candidacies close before the summit opens" in response.content.decode()
    assert not Candidacy.objects.exists()


def test_s2_admin_action_refuses_a_round_before_the_summit(election, staff, secretariat_client):
    services.submit_candidacy(election=election, city=city("split"), by=staff)
    services.close_candidacy(election=election, by=staff)
    html = act(secretariat_client, "election", "open_round", [election.pk])
    assert "Rule S2: the election is held at the summit" in html
    assert not election.rounds.exists()


# --- rule S3: the proposed city's own consent ---------------------------------------------


@pytest.fixture
def proposal(election):
    return services.propose_candidacy(
        election=election, city=city("split"), proposed_by=city("kotor"), by=mayor_of("kotor")
    )


def test_s3_service_the_secretariat_cannot_accept_for_the_city(proposal, staff):
    with pytest.raises(PermissionDenied, match="only the mayor of Split accepts"):
        services.accept_proposal(candidacy=proposal, by=staff)
    proposal.refresh_from_db()
    assert proposal.state == "proposed"
    assert services.accept_proposal(candidacy=proposal, by=mayor_of("split")).state == "active"


def test_s3_service_paper_consent_needs_the_documents_reference(proposal, staff):
    with pytest.raises(ValidationError, match="reference of the document"):
        services.record_paper_consent(candidacy=proposal, reference=" ", by=staff)
    with pytest.raises(PermissionDenied):
        services.record_paper_consent(candidacy=proposal, reference="x", by=mayor_of("kotor"))
    done = services.record_paper_consent(candidacy=proposal, reference="No. 12/2026", by=staff)
    assert (done.state, done.consent_reference, done.decided_by) == ("active", "No. 12/2026", staff)


def test_s3_admin_action_without_a_reference_changes_nothing(proposal, secretariat_client):
    html = post_action(
        secretariat_client, "candidacy", "record_paper_consent", [proposal.pk], reference=""
    )
    assert "This field is required." in html
    proposal.refresh_from_db()
    assert proposal.state == "proposed"


def test_s3_site_the_proposing_city_withdraws_its_proposal(proposal, client):
    url = reverse(
        "presidency:candidacy-action", kwargs={"pk": proposal.pk, "action": "withdraw-proposal"}
    )
    client.force_login(mayor_of("tirana"))  # not the proposer: not found
    assert client.post(url).status_code == 404
    client.force_login(mayor_of("kotor"))
    dashboard = client.get(reverse("secretariat:dashboard")).content.decode()
    assert url in dashboard  # the proposer is offered the withdrawal
    client.post(url)
    proposal.refresh_from_db()
    assert proposal.state == "retracted"
    # Split can still declare itself on its own terms.
    own = services.submit_candidacy(
        election=proposal.election, city=city("split"), by=mayor_of("split")
    )
    assert (own.pk, own.state) == (proposal.pk, "active")


def test_s3_site_proposal_list_offers_only_cities_that_may_stand(election, staff, client):
    services.submit_candidacy(election=election, city=city("split"), by=staff)
    client.force_login(mayor_of("tirana"))
    html = client.get(reverse("presidency:candidacy-propose", kwargs={"year": 2026})).content
    html = html.decode()
    assert ">Kotor<" in html
    assert ">Athens<" not in html  # the sitting president (rule S4)
    assert ">Split<" not in html  # a candidate already
    assert ">Tirana<" not in html  # itself


# --- rule S4: no two consecutive mandates --------------------------------------------------


def test_s4_admin_change_form_cannot_move_a_mandate_to_another_city(db, secretariat_client):
    mandate = services.record_mandate(year=2023, city=city("split"))
    url = reverse("admin:presidency_mandate_change", args=[mandate.pk])
    response = secretariat_client.post(
        url, {"city": city("kotor").pk, "year": 2030, "reason": "typo"}
    )
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert (mandate.city.slug, mandate.year) == ("split", 2023)  # read-only fields


def test_s4_admin_shows_the_rule_when_the_database_refuses_past_clean(
    postgres_only, secretariat_client
):
    services.record_mandate(year=2022, city=city("split"))
    # As if two writes raced past clean(): the exclusion constraint refuses the second.
    with mock.patch("presidency.validators.validate_not_consecutive"):
        response = secretariat_client.post(
            reverse("admin:presidency_mandate_add"), {"year": 2023, "city": city("split").pk}
        )
    assert response.status_code == 200
    assert "Rule S4: Split holds a mandate next to 2023" in response.content.decode()
    assert not Mandate.objects.filter(year=2023).exists()


def test_s4_the_sitting_president_is_not_offered_to_declare(election, client):
    client.force_login(mayor_of("athens"))  # Athens holds the 2026 mandate
    html = client.get(reverse("secretariat:dashboard")).content.decode()
    assert reverse("presidency:candidacy-submit", kwargs={"year": 2026}) not in html


# --- rule S5: the mandate of the city elected at the summit of N is N + 1 -----------------


def test_s5_service_refuses_another_year(summit):
    with pytest.raises(ValidationError, match="Rule S5: a city elected at the summit of 2026"):
        services.record_mandate(year=2028, city=city("split"), elected_at=summit)


def test_s5_admin_add_form_refuses_another_year(summit, secretariat_client):
    response = secretariat_client.post(
        reverse("admin:presidency_mandate_add"),
        {"year": 2028, "city": city("split").pk, "elected_at": summit.pk},
    )
    assert response.status_code == 200
    assert "Rule S5" in response.content.decode()
    assert not Mandate.objects.filter(year=2028).exists()


def test_mandate_correction_names_the_mayor_and_keeps_the_reason(summit, staff):
    mandate = Mandate.objects.get(year=2026)
    new = Person.objects.create(city=city("athens"), role=PersonRole.MAYOR, name="New Mayor")
    with pytest.raises(ValidationError, match="Give the reason"):
        services.correct_mandate_mayor(mandate=mandate, mayor=new, reason="", by=staff)
    services.correct_mandate_mayor(
        mandate=mandate, mayor=new, reason="The mayor changed on 1 March.", by=staff
    )
    mandate.refresh_from_db()
    assert mandate.mayor == new
    assert mandate.history.first().history_change_reason == "The mayor changed on 1 March."
    other = Person.objects.create(city=city("kotor"), role=PersonRole.MAYOR, name="Someone")
    with pytest.raises(ValidationError, match="person of the presiding city"):
        services.correct_mandate_mayor(mandate=mandate, mayor=other, reason="x", by=staff)


def test_mandate_admin_change_form_needs_a_reason(summit, secretariat_client):
    mandate = Mandate.objects.get(year=2026)
    new = Person.objects.create(city=city("athens"), role=PersonRole.MAYOR, name="New Mayor")
    url = reverse("admin:presidency_mandate_change", args=[mandate.pk])
    response = secretariat_client.post(url, {"mayor": new.pk, "reason": ""})
    assert "Give the reason for the correction." in response.content.decode()
    response = secretariat_client.post(url, {"mayor": new.pk, "reason": "Elections in March"})
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.mayor == new


# --- rule S6: the summit of Y is hosted by the city holding mandate Y ----------------------


def test_s6_service_refuses_another_host(summit, staff):
    with pytest.raises(ValidationError, match="Rule S6: the summit of 2026 is hosted by"):
        services.plan_summit(
            year=2026,
            host_city=city("kotor"),
            starts_on=datetime.date(2026, 5, 1),
            ends_on=datetime.date(2026, 5, 2),
            by=staff,
        )


def test_s6_service_refuses_a_mandate_for_a_summit_hosted_elsewhere(db, staff):
    SummitFactory(year=2031, host_city=city("kotor"))
    with pytest.raises(ValidationError, match="Rule S6"):
        services.record_mandate(year=2031, city=city("split"))


def test_s6_admin_add_form_refuses_another_host(summit, secretariat_client):
    Summit.objects.filter(year=2026).delete()
    response = secretariat_client.post(
        reverse("admin:presidency_summit_add"),
        {
            "year": 2026,
            "host_city": city("kotor").pk,
            "starts_on": "2026-05-01",
            "ends_on": "2026-05-02",
            "state": "planned",
            "meals_per_day": 3,
        },
    )
    assert response.status_code == 200
    assert "Rule S6" in response.content.decode()
    assert not Summit.objects.filter(year=2026).exists()


def test_s6_admin_change_form_keeps_host_and_year(summit, secretariat_client):
    url = reverse("admin:presidency_summit_change", args=[summit.pk])
    response = secretariat_client.post(
        url,
        {
            "year": 2030,
            "host_city": city("kotor").pk,
            "starts_on": "2026-11-20",
            "ends_on": "2026-11-21",
            "state": "open",
            "meals_per_day": 3,
            "venue": "City hall",
        },
    )
    assert response.status_code == 302
    summit.refresh_from_db()
    assert (summit.year, summit.host_city.slug, summit.venue) == (2026, "athens", "City hall")


def test_summit_year_is_its_first_days_year_in_the_admin(summit, secretariat_client):
    url = reverse("admin:presidency_summit_change", args=[summit.pk])
    response = secretariat_client.post(
        url,
        {"starts_on": "2027-01-05", "ends_on": "2027-01-06", "state": "open", "meals_per_day": 3},
    )
    assert response.status_code == 200
    assert "The summit&#x27;s year is the year of its first day." in response.content.decode()


def test_summit_year_is_its_first_days_year_in_the_database(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Summit.objects.create(
            year=2032,
            host_city=city("kotor"),
            starts_on=datetime.date(2033, 1, 1),
            ends_on=datetime.date(2033, 1, 2),
        )


# --- rule S7: delegations, one service for the site and the admin ------------------------


def _rows(rows):
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{i}-{key}"] = value
    return data


def test_s7_service_refuses_a_stay_beyond_two_days_of_the_summit(summit, staff):
    for arrives, departs in (("0001-01-01", "9999-12-31"), ("2026-11-17", "2026-11-21")):
        with pytest.raises(ValidationError, match="Rule S7: the host lodges delegates from"):
            services.register_delegation(
                summit=summit,
                city=city("split"),
                delegates=[
                    services.DelegateData(
                        "Ana",
                        "head",
                        datetime.date.fromisoformat(arrives),
                        datetime.date.fromisoformat(departs),
                    )
                ],
                by=staff,
            )
    assert not Delegation.objects.exists()


def test_s7_site_refuses_a_stay_of_eight_thousand_years(summit, mayor_client):
    from django.utils import timezone

    summit.registration_deadline = timezone.now() + datetime.timedelta(days=1)
    summit.save()
    url = reverse("presidency:delegation-register", kwargs={"year": 2026})
    response = mayor_client.post(url, _rows([{"name": "Ana", "role": "head", **STAY_ALL_TIME}]))
    assert "Rule S7: the host lodges delegates from 2026-11-18 to 2026-11-23" in (
        response.content.decode()
    )
    assert not Delegation.objects.exists()


def _inline(rows, initial=0):
    data = {"delegates-TOTAL_FORMS": str(len(rows)), "delegates-INITIAL_FORMS": str(initial)}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"delegates-{i}-{key}"] = value
    return data


def test_s7_admin_inline_refuses_a_stay_outside_the_summit(summit, secretariat_client):
    response = secretariat_client.post(
        reverse("admin:presidency_delegation_add"),
        {
            "summit": summit.pk,
            "city": city("split").pk,
            **_inline([{"name": "Ana", "role": "head", **STAY_ALL_TIME}]),
        },
    )
    assert response.status_code == 200
    assert "Rule S7: the host lodges delegates" in response.content.decode()
    assert not Delegation.objects.exists()


def test_s7_admin_inline_needs_a_head_and_an_active_city(summit, secretariat_client):
    stay = {"arrives_on": "2026-11-20", "departs_on": "2026-11-21"}
    url = reverse("admin:presidency_delegation_add")
    response = secretariat_client.post(
        url,
        {
            "summit": summit.pk,
            "city": city("split").pk,
            **_inline([{"name": "Ana", "role": "member", **stay}]),
        },
    )
    assert "exactly one head of delegation" in response.content.decode()
    City.objects.filter(slug="pula").update(
        status=CityStatus.WITHDRAWN, left_on=datetime.date(2026, 1, 1), withdrawal_reason="Left"
    )
    response = secretariat_client.post(
        url,
        {
            "summit": summit.pk,
            "city": city("pula").pk,
            **_inline([{"name": "Ana", "role": "head", **stay}]),
        },
    )
    assert "Only an active member city sends a delegation." in response.content.decode()
    assert not Delegation.objects.exists()


def test_s7_admin_change_form_goes_through_the_service(summit, secretariat_client, staff):
    response = secretariat_client.post(
        reverse("admin:presidency_delegation_add"),
        {
            "summit": summit.pk,
            "city": city("split").pk,
            **_inline(
                [
                    {
                        "name": "Ana",
                        "role": "head",
                        "arrives_on": "2026-11-19",
                        "departs_on": "2026-11-22",
                    }
                ]
            ),
        },
    )
    assert response.status_code == 302, response.content.decode()
    delegation = Delegation.objects.get()
    assert delegation.registered_by == staff
    assert [d.name for d in delegation.delegates.all()] == ["Ana"]


# --- rule P1: one city, one vote; every attempt logged ------------------------------------


def test_p1_site_an_invalid_choice_is_refused_and_logged(election, staff, client):
    round_, (split,) = start_voting(election, "split", by=staff)
    client.force_login(mayor_of("kotor"))
    url = reverse("presidency:ballot-cast", kwargs={"year": 2026})
    response = client.post(url, {"choice": "999999"})
    assert response.status_code == 200
    attempt = BallotAttempt.objects.get()
    assert (attempt.city.slug, attempt.outcome, attempt.reason) == ("kotor", "refused", "choice")
    assert not round_.ballot_records.exists()


def test_p1_site_a_ballot_after_the_close_is_logged(election, staff, client):
    round_, (split,) = start_voting(election, "split", by=staff)
    services.close_round(round=round_, by=staff)
    client.force_login(mayor_of("kotor"))
    url = reverse("presidency:ballot-cast", kwargs={"year": 2026})
    assert client.post(url, {"choice": str(split.pk)}).status_code == 302
    attempt = BallotAttempt.objects.get()
    assert (attempt.round, attempt.reason) == (round_, "round_closed")


def test_p1_site_no_ballot_form_after_the_city_voted(election, staff, client):
    round_, (split,) = start_voting(election, "split", by=staff)
    kotor = mayor_of("kotor")
    services.cast_ballot(round=round_, city=city("kotor"), choice=split, by=kotor)
    client.force_login(kotor)
    url = reverse("presidency:ballot-cast", kwargs={"year": 2026})
    response = client.get(url, follow=True)
    assert "Your city voted in round 1 at 00:30." in response.content.decode()
    assert 'name="choice"' not in response.content.decode()


def test_p1_admin_paper_ballot_lists_only_the_rounds_candidates(election, staff, client):
    round_, (split, tirana) = start_voting(election, "split", "tirana", by=staff)
    vote(round_, {"durres": split}, by=staff)
    assert round_.candidates.count() == 2


def test_p1_admin_paper_ballot_form_names_the_round_and_its_candidates(
    election, staff, secretariat_client
):
    round_, (split, tirana) = start_voting(election, "split", "tirana", by=staff)
    html = secretariat_client.get(reverse("admin:presidency_ballotrecord_add")).content.decode()
    assert "Round 1 of the 2026 election" in html
    assert "Split (candidate in round 1)" in html and "Tirana (candidate in round 1)" in html
    assert "Kotor (candidate" not in html


def test_p1_admin_close_round_says_what_it_gave(election, staff, secretariat_client):
    round_, (split, tirana) = start_voting(election, "split", "tirana", by=staff)
    vote(round_, {"kotor": tirana, "durres": tirana, "pula": split, "patras": None}, by=staff)
    html = act(secretariat_client, "election", "close_round", [election.pk])
    assert "Round 1 of the 2026 election closed: Tirana 2, Split 1, 1 abstention." in html


def test_p1_admin_round_page_shows_its_count(election, staff, secretariat_client):
    round_, (split, tirana) = start_voting(election, "split", "tirana", by=staff)
    vote(round_, {"kotor": tirana, "durres": split, "pula": tirana}, by=staff)
    services.close_round(round=round_, by=staff)
    url = reverse("admin:presidency_round_change", args=[round_.pk])
    html = secretariat_client.get(url).content.decode()
    assert "Tirana 2, Split 1, 0 abstentions" in html


def test_mandate_admin_action_takes_the_citys_new_mayor(summit, staff, secretariat_client):
    from members.services import appoint_person

    mandate = Mandate.objects.get(year=2026)
    new = appoint_person(
        city=city("athens"),
        role=PersonRole.MAYOR,
        name="New Mayor of Athens",
        started_on=datetime.date(2026, 3, 1),
    )
    html = act(secretariat_client, "mandate", "take_current_mayor", [mandate.pk])
    assert "the mayor is now New Mayor of Athens." in html
    mandate.refresh_from_db()
    assert mandate.mayor == new
    assert mandate.history.first().history_change_reason == "The mayor changed."
