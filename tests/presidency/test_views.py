"""The city's pages and the public record: the city is always the logged-in user's."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from presidency import services
from presidency.models import BallotRecord, Candidacy, Delegation
from tests.factories import CityUserFactory
from tests.presidency.conftest import city, mayor_of, start_voting, vote


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def test_mayor_submits_the_candidacy_in_the_browser(election, mayor_client):
    url = reverse("presidency:candidacy-submit", kwargs={"year": 2026})
    assert mayor_client.get(url).status_code == 200
    response = mayor_client.post(url, {"statement": "Tirana for the Balkans"})
    assert response.status_code == 302
    candidacy = Candidacy.objects.get()
    assert (candidacy.city.slug, candidacy.statement) == ("tirana", "Tirana for the Balkans")


def test_sitting_president_refused_with_the_rule_named(election, login):
    client = login(mayor_of("athens"))
    response = client.post(
        reverse("presidency:candidacy-submit", kwargs={"year": 2026}), {"statement": "Again"}
    )
    assert response.status_code == 200
    assert "Rule S4: Athens holds the presidency of 2026" in response.content.decode()
    assert not Candidacy.objects.exists()


def test_candidacy_page_ignores_any_city_in_the_request(election, mayor_client):
    mayor_client.post(
        reverse("presidency:candidacy-submit", kwargs={"year": 2026}),
        {"statement": "x", "city": city("split").pk},
    )
    assert Candidacy.objects.get().city.slug == "tirana"


def test_a_delegate_cannot_open_the_candidacy_page(election, login):
    client = login(CityUserFactory(city=city("tirana"), city_role="delegate"))
    url = reverse("presidency:candidacy-submit", kwargs={"year": 2026})
    assert client.get(url).status_code == 403


def test_anonymous_user_is_sent_to_log_in(election, client):
    url = reverse("presidency:candidacy-submit", kwargs={"year": 2026})
    assert client.get(url).status_code == 302


def test_propose_then_accept_in_the_browser(election, mayor_client, login):
    response = mayor_client.post(
        reverse("presidency:candidacy-propose", kwargs={"year": 2026}),
        {"city": city("split").pk, "statement": "Split leads"},
    )
    assert response.status_code == 302
    proposal = Candidacy.objects.get()
    assert (proposal.state, proposal.proposed_by.slug) == ("proposed", "tirana")
    # Tirana's mayor cannot accept for Split: another city's candidacy is not found.
    accept = reverse("presidency:candidacy-action", kwargs={"pk": proposal.pk, "action": "accept"})
    assert mayor_client.post(accept).status_code == 404
    split_client = login(mayor_of("split"))
    html = split_client.get(reverse("secretariat:dashboard")).content.decode()
    assert "proposed by Tirana" in html
    assert split_client.post(accept).status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == "active"


def test_unknown_candidacy_action_is_404(election, staff, mayor_client):
    candidacy = services.submit_candidacy(election=election, city=city("tirana"), by=staff)
    url = reverse("presidency:candidacy-action", kwargs={"pk": candidacy.pk, "action": "delete"})
    assert mayor_client.post(url).status_code == 404


def test_withdraw_in_the_browser(election, staff, mayor_client):
    candidacy = services.submit_candidacy(election=election, city=city("tirana"), by=staff)
    url = reverse("presidency:candidacy-action", kwargs={"pk": candidacy.pk, "action": "withdraw"})
    assert mayor_client.post(url).status_code == 302
    candidacy.refresh_from_db()
    assert candidacy.state == "withdrawn"


def test_vote_in_the_browser_then_a_second_ballot_refused(election, staff, mayor_client, login):
    round_, (split, kotor) = start_voting(election, "split", "kotor", by=staff)
    url = reverse("presidency:ballot-cast", kwargs={"year": 2026})
    assert "Split" in mayor_client.get(url).content.decode()
    assert "Tracker of this ballot" in mayor_client.post(url, {"choice": split.pk}).content.decode()
    delegate = login(CityUserFactory(city=city("tirana"), city_role="delegate"))
    response = delegate.post(url, {"choice": "abstain"})
    assert response.status_code == 200
    assert "Rule P1: Tirana has already voted in this round." in response.content.decode()
    assert BallotRecord.objects.get().cast_by.username == "mayor.tirana"


def test_vote_page_without_an_open_round_redirects(election, mayor_client):
    response = mayor_client.get(reverse("presidency:ballot-cast", kwargs={"year": 2026}))
    assert response.status_code == 302


def test_dashboard_panel_offers_the_vote_and_then_says_voted(election, staff, mayor_client):
    round_, (split,) = start_voting(election, "split", by=staff)
    html = mayor_client.get(reverse("secretariat:dashboard")).content.decode()
    assert "Vote in round 1" in html
    vote(round_, {"tirana": split}, by=staff)
    html = mayor_client.get(reverse("secretariat:dashboard")).content.decode()
    assert "Your city voted in round 1 at" in html


def test_dashboard_panel_offers_the_candidacy(
    election, mayor_client, django_assert_max_num_queries
):
    # The panel's election comes with its summit; its flags run the services' checks.
    with django_assert_max_num_queries(16):
        html = mayor_client.get(reverse("secretariat:dashboard")).content.decode()
    assert "Declare your city&#x27;s candidacy" in html or "Declare your city's candidacy" in html


def _delegation_post(rows):
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{i}-{key}"] = value
    return data


def test_register_the_delegation_before_the_deadline(summit, mayor_client):
    summit.registration_deadline = timezone.now() + datetime.timedelta(days=3)
    summit.save()
    url = reverse("presidency:delegation-register", kwargs={"year": 2026})
    assert mayor_client.get(url).status_code == 200
    rows = [
        {"name": "Erion", "role": "head", "arrives_on": "2026-11-19", "departs_on": "2026-11-22"},
        {"name": "Ana", "role": "member", "arrives_on": "2026-11-20", "departs_on": "2026-11-21"},
        {"name": "", "role": "member", "arrives_on": "", "departs_on": ""},
    ]
    data = _delegation_post(rows)
    data["form-2-role"] = ""
    response = mayor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    delegation = Delegation.objects.get()
    assert delegation.city.slug == "tirana"
    assert sorted(d.name for d in delegation.delegates.all()) == ["Ana", "Erion"]
    # The dashboard counts its people (a count, not the rows).
    html = mayor_client.get(reverse("secretariat:dashboard")).content.decode()
    assert "Your delegation: 2 persons." in html


def test_register_the_delegation_needs_one_head(summit, mayor_client):
    summit.registration_deadline = timezone.now() + datetime.timedelta(days=3)
    summit.save()
    url = reverse("presidency:delegation-register", kwargs={"year": 2026})
    rows = [
        {"name": "Ana", "role": "member", "arrives_on": "2026-11-20", "departs_on": "2026-11-21"}
    ]
    response = mayor_client.post(url, _delegation_post(rows))
    assert "exactly one head of delegation" in response.content.decode()
    assert not Delegation.objects.exists()
    html = mayor_client.get(reverse("secretariat:dashboard")).content.decode()
    assert "Your delegation is not registered." in html


def test_register_the_delegation_after_the_deadline_refused(summit, mayor_client):
    summit.registration_deadline = timezone.now() - datetime.timedelta(minutes=1)
    summit.save()
    url = reverse("presidency:delegation-register", kwargs={"year": 2026})
    rows = [{"name": "Ana", "role": "head", "arrives_on": "2026-11-20", "departs_on": "2026-11-21"}]
    response = mayor_client.post(url, _delegation_post(rows))
    assert "not open" in response.content.decode()
    assert not Delegation.objects.exists()


def _register(summit, slug, stays, by):
    services.register_delegation(
        summit=summit,
        city=city(slug),
        delegates=[
            services.DelegateData(f"P{i}", "head" if i == 0 else "member", a, d)
            for i, (a, d) in enumerate(stays)
        ],
        by=by,
    )


def test_lodging_page_shows_rule_s7_in_numbers(summit, staff, login, django_assert_max_num_queries):
    nov = lambda d: datetime.date(2026, 11, d)  # noqa: E731
    _register(summit, "tirana", [(nov(19), nov(22)), (nov(20), nov(21))], by=staff)
    _register(summit, "split", [(nov(20), nov(22))], by=staff)
    _register(summit, "athens", [(nov(20), nov(21))], by=staff)  # the host pays nothing to itself
    client = login(mayor_of("athens"))
    url = reverse("presidency:summit-lodging", kwargs={"year": 2026})
    with django_assert_max_num_queries(12):
        html = client.get(url).content.decode()
    # Tirana: 3 + 1 nights, (4 + 2) days x 3 meals; Split: 2 nights, 3 days x 3 meals.
    assert '<th scope="row">Tirana</th><td>2</td><td>4</td><td>18</td>' in html
    assert '<th scope="row">Split</th><td>1</td><td>2</td><td>9</td>' in html
    assert "<td>3</td><td>6</td><td>27</td>" in html
    assert ">Athens</th>" not in html


def test_lodging_page_only_for_the_host_and_the_secretariat(summit, mayor_client, login, staff):
    url = reverse("presidency:summit-lodging", kwargs={"year": 2026})
    assert mayor_client.get(url).status_code == 403
    assert login(staff).get(url).status_code == 200


def test_public_summit_page_shows_results_per_round(
    election, staff, client, django_assert_max_num_queries
):
    round1, (kotor, split, tirana) = start_voting(election, "kotor", "split", "tirana", by=staff)
    vote(round1, {"durres": split, "pula": tirana, "skopje": kotor, "patras": split}, by=staff)
    vote(round1, {"trikala": tirana, "edirne": None}, by=staff)
    services.close_round(round=round1, by=staff)
    round2 = services.open_round(election=election, by=staff)
    vote(round2, {"durres": split, "pula": split, "skopje": tirana}, by=staff)
    services.close_round(round=round2, by=staff)
    services.close_election(election=election, by=staff)
    url = reverse("presidency:summit-detail", kwargs={"year": 2026})
    with django_assert_max_num_queries(14):
        html = client.get(url).content.decode()
    assert "Round 1" in html and "Round 2" in html
    assert "6 ballots of 25 member cities (turnout 24%). 1 abstention." in html  # singular
    assert "Elected at this summit: Split, presidency of 2027." in html
    assert "How each city voted" not in html  # secret


def test_public_summit_page_names_votes_in_a_named_election(election, staff, client):
    round_, (split,) = start_voting(election, "split", by=staff, secret=False)
    vote(round_, {"durres": split, "pula": None}, by=staff)
    services.close_round(round=round_, by=staff)
    html = client.get(reverse("presidency:summit-detail", kwargs={"year": 2026})).content.decode()
    assert "How each city voted" in html
    assert "Durrës: Split" in html
    assert "Pula: abstained" in html


def test_timeline_and_home_show_the_elected_city(election, staff, client, settings):
    round_, (split,) = start_voting(election, "split", by=staff)
    vote(round_, {"durres": split}, by=staff)
    services.close_round(round=round_, by=staff)
    services.close_election(election=election, by=staff)
    html = client.get(reverse("presidency:timeline")).content.decode()
    assert '<th scope="row">2027</th>' in html
    assert "Summit 2026, Athens" in html


def test_summit_page_links_the_lodging_numbers_for_the_host_only(summit, client, login):
    url = reverse("presidency:summit-detail", kwargs={"year": 2026})
    lodging = reverse("presidency:summit-lodging", kwargs={"year": 2026})
    assert lodging not in client.get(url).content.decode()
    assert lodging in login(mayor_of("athens")).get(url).content.decode()


def test_public_summit_page_shows_how_the_lot_went(election, staff, client):
    round_, (split, tirana) = start_voting(election, "split", "tirana", by=staff)
    vote(round_, {"durres": split, "pula": tirana}, by=staff)
    services.close_round(round=round_, by=staff)
    draw = services.draw_lot(round=round_, by=staff)
    html = client.get(reverse("presidency:summit-detail", kwargs={"year": 2026})).content.decode()
    assert f"started by {staff.username}" in html
    assert "secrets.SystemRandom" in html
    assert f"index {draw.drawn_index} of the candidates below, {draw.winner.city.name}" in html
    assert "<li>Split</li><li>Tirana</li>" in html


def test_ballot_without_the_csrf_token_refused(election, staff, mayor):
    from django.test import Client

    round_, (split,) = start_voting(election, "split", by=staff)
    client = Client(enforce_csrf_checks=True)
    client.force_login(mayor)
    url = reverse("presidency:ballot-cast", kwargs={"year": 2026})
    assert client.post(url, {"choice": split.pk}).status_code == 403
    assert not BallotRecord.objects.exists()
