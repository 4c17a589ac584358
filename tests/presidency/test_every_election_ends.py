"""Every election ends (issue 16): ties of any size go to a recorded, public lot; a tie
for second place is drawn too; nobody elected ends the election; the secretariat can close
an election without a result, with a reason the public page shows."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from presidency import services
from presidency.enums import ElectionState, RoundOutcome
from presidency.models import Election, LotDraw, Mandate
from tests.presidency.conftest import city, mayor_of, start_voting, vote
from tests.presidency.test_admin import act


def test_three_way_tie_is_settled_by_one_lot_between_the_three(election, staff, client):
    round_, (split, tirana, kotor) = start_voting(election, "split", "tirana", "kotor", by=staff)
    vote(round_, {"durres": split, "edirne": tirana, "pula": kotor, "patras": None}, by=staff)
    round_ = services.close_round(round=round_, by=staff)
    assert round_.outcome == RoundOutcome.TIE
    with pytest.raises(ValidationError, match="settled by lot"):
        services.open_round(election=election, by=staff)
    draw = services.draw_lot(round=round_, by=staff)
    assert sorted(c["city"] for c in draw.candidates) == ["Kotor", "Split", "Tirana"]
    assert draw.started_by == staff
    assert draw.winner in (split, tirana, kotor)
    mandate = services.close_election(election=election, by=staff)
    assert mandate.city == draw.winner.city and mandate.year == 2027
    page = client.get(reverse("presidency:summit-detail", kwargs={"year": 2026})).content.decode()
    assert "The lot was drawn between all the tied candidates" in page
    assert f"{draw.winner.city.name} is elected" in page
    for name in ("Kotor", "Split", "Tirana"):
        assert f"<li>{name}</li>" in page


def test_tie_for_second_place_draws_who_joins_the_leader(election, staff, client):
    round_, (split, tirana, kotor) = start_voting(election, "split", "tirana", "kotor", by=staff)
    vote(
        round_,
        {"durres": split, "edirne": split, "pula": tirana, "patras": kotor, "skopje": None},
        by=staff,
    )
    round_ = services.close_round(round=round_, by=staff)
    assert round_.outcome == RoundOutcome.SECOND_TIE
    with pytest.raises(ValidationError, match="settled by lot"):
        services.open_round(election=election, by=staff)
    draw = services.draw_lot(round=round_, by=staff)
    assert draw.winner in (tirana, kotor)
    round2 = services.open_round(election=election, by=staff)
    assert set(round2.candidates.all()) == {split, draw.winner}
    page = client.get(reverse("presidency:summit-detail", kwargs={"year": 2026})).content.decode()
    assert f"{draw.winner.city.name} goes to the next round" in page


def test_single_candidate_not_elected_ends_the_rounds(election, staff):
    round_, (split,) = start_voting(election, "split", by=staff)
    vote(round_, {"durres": split, "edirne": None}, by=staff)
    round_ = services.close_round(round=round_, by=staff)
    assert round_.outcome == RoundOutcome.NOT_ELECTED
    with pytest.raises(ValidationError, match="Nobody was elected"):
        services.open_round(election=election, by=staff)
    with pytest.raises(ValidationError, match="without a result"):
        services.close_election(election=election, by=staff)


def test_no_ballot_naming_a_candidate_ends_the_rounds(election, staff):
    round_, _ = start_voting(election, "split", "tirana", by=staff)
    vote(round_, {"durres": None}, by=staff)
    round_ = services.close_round(round=round_, by=staff)
    assert round_.outcome == RoundOutcome.NO_BALLOTS
    with pytest.raises(ValidationError, match="Nobody was elected"):
        services.open_round(election=election, by=staff)


def test_close_without_result_needs_a_reason_and_shows_it(election, staff, client):
    round_, (split,) = start_voting(election, "split", by=staff)
    vote(round_, {"durres": None}, by=staff)
    services.close_round(round=round_, by=staff)
    with pytest.raises(ValidationError, match="Give the reason"):
        services.close_election_without_result(election=election, reason="  ", by=staff)
    services.close_election_without_result(
        election=election, reason="The single candidate had no majority.", by=staff
    )
    election.refresh_from_db()
    assert election.state == ElectionState.CLOSED and election.elected is None
    assert not Mandate.objects.filter(year=2027).exists()
    page = client.get(reverse("presidency:summit-detail", kwargs={"year": 2026})).content.decode()
    assert "The election ended without a result." in page
    assert "The single candidate had no majority." in page


def test_close_without_result_is_refused_when_a_city_is_elected(election, staff):
    round_, (split,) = start_voting(election, "split", by=staff)
    vote(round_, {"durres": split}, by=staff)
    services.close_round(round=round_, by=staff)
    with pytest.raises(ValidationError, match="A candidate is elected"):
        services.close_election_without_result(election=election, reason="x", by=staff)


def test_admin_closes_without_result_with_the_reason(election, staff, secretariat_client):
    html = act(secretariat_client, "election", "close_without_result", [election.pk])
    assert "Why the election ends without a result" in html  # asks first
    assert Election.objects.get().state != ElectionState.CLOSED
    response = secretariat_client.post(
        reverse("admin:presidency_election_changelist"),
        {
            "action": "close_without_result",
            "_selected_action": [str(election.pk)],
            "apply": "1",
            "reason": "No city stood.",
        },
        follow=True,
    )
    assert "1 election closed without a result." in response.content.decode()
    election.refresh_from_db()
    assert election.state == ElectionState.CLOSED
    assert election.no_result_reason == "No city stood."


@pytest.mark.django_db
def test_db_refuses_a_closed_election_without_result_or_reason(election):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Election.objects.filter(pk=election.pk).update(state=ElectionState.CLOSED)
    assert not LotDraw.objects.exists()


def test_admin_lot_between_three(election, staff, secretariat_client):
    round_, (split, tirana, kotor) = start_voting(election, "split", "tirana", "kotor", by=staff)
    vote(round_, {"durres": split, "edirne": tirana, "pula": kotor}, by=staff)
    services.close_round(round=round_, by=staff)
    act(secretariat_client, "election", "draw_lot", [election.pk])
    round_.refresh_from_db()
    assert round_.outcome == RoundOutcome.LOT
    assert len(round_.lot_draw.candidates) == 3
    assert city("durres")  # the electorate is the seeded cities


def test_admin_messages_say_what_the_lot_and_the_close_gave(election, staff, secretariat_client):
    round_, (split, tirana) = start_voting(election, "split", "tirana", by=staff)
    vote(round_, {"kotor": split, "durres": tirana}, by=staff)
    services.close_round(round=round_, by=staff)
    html = act(secretariat_client, "election", "draw_lot", [election.pk])
    winner = LotDraw.objects.get().winner.city.name
    assert f"Round 1 of the 2026 election: the lot between Split, Tirana drew {winner}." in html
    html = act(secretariat_client, "election", "close_election", [election.pk])
    assert (
        f"The 2026 election is closed: {winner} presides over the network in 2027 and hosts "
        "the 2027 summit."
    ) in html


def test_the_winning_citys_dashboard_says_it_won(election, staff, client):
    round_, (split,) = start_voting(election, "split", by=staff)
    vote(round_, {"kotor": split}, by=staff)
    services.close_round(round=round_, by=staff)
    services.close_election(election=election, by=staff)
    client.force_login(mayor_of("split"))
    html = client.get(reverse("secretariat:dashboard")).content.decode()
    assert "Split was elected to the presidency of the network for 2027." in html
    assert "hosts and organises the Annual Summit of 2027" in html
    client.force_login(mayor_of("kotor"))
    assert (
        "was elected to the presidency"
        not in client.get(reverse("secretariat:dashboard")).content.decode()
    )


def test_the_summit_page_tells_a_lapsed_proposal_from_a_result(election, staff, client):
    services.propose_candidacy(
        election=election,
        city=city("kotor"),
        proposed_by=city("tirana"),
        statement="Kotor would lead us well",
        by=mayor_of("tirana"),
    )
    round_, (split,) = start_voting(election, "split", by=staff)  # Kotor never accepted
    vote(round_, {"durres": split, "edirne": split}, by=staff)
    services.close_round(round=round_, by=staff)
    services.close_election(election=election, by=staff)
    page = client.get(reverse("presidency:summit-detail", kwargs={"year": 2026})).content.decode()
    assert "Kotor</a> — Proposal not accepted before the candidacy period closed" in page
    assert "Split</a> — Elected" in page
    assert "The election ended without a result." not in page
