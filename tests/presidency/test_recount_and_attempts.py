"""Every ballot attempt is logged, refused ones too; a closed round is recounted from the
stored ballots and any difference is found (RELIABILITY 10–12)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from presidency import services
from presidency.enums import RoundOutcome
from presidency.models import BallotAttempt, BallotRecord, Round, Vote
from tests.factories import CityUserFactory
from tests.presidency.conftest import city, mayor_of, start_voting, vote


def attempts():
    return list(BallotAttempt.objects.order_by("pk").values_list("city__slug", "outcome", "reason"))


def test_every_attempt_is_logged_refused_ones_too(election, staff, mayor_client):
    round_, (split, kotor) = start_voting(election, "split", "kotor", by=staff)
    url = reverse("presidency:ballot-cast", kwargs={"year": 2026})
    assert "Tracker of this ballot" in mayor_client.post(url, {"choice": split.pk}).content.decode()
    delegate = Client()
    delegate.force_login(CityUserFactory(city=city("tirana"), city_role="delegate"))
    assert delegate.post(url, {"choice": "abstain"}).status_code == 200  # already voted
    with pytest.raises(PermissionDenied):  # a mayor for another city, through the service
        services.cast_ballot(round=round_, city=city("pula"), choice=None, by=mayor_of("kotor"))
    services.close_round(round=round_, by=staff)
    with pytest.raises(ValidationError):
        services.cast_ballot(round=round_, city=city("pula"), choice=None, by=staff, paper=True)
    assert attempts() == [
        ("tirana", "accepted", ""),
        ("tirana", "refused", "already_voted"),
        ("pula", "refused", "permission"),
        ("pula", "refused", "round_closed"),
    ]
    assert BallotRecord.objects.count() == Vote.objects.count() == 1


def test_the_attempt_log_names_the_user_and_never_the_choice(election, staff):
    round_, (split,) = start_voting(election, "split", by=staff)
    vote(round_, {"kotor": split}, by=staff)
    attempt = BallotAttempt.objects.get()
    assert (attempt.user, attempt.paper, attempt.round) == (staff, True, round_)
    assert str(split.pk) not in attempt.reason


@pytest.mark.parametrize("secret", [True, False])
def test_the_recount_gives_the_stored_result(election, staff, secret):
    round_, (split, tirana) = start_voting(election, "split", "tirana", by=staff, secret=secret)
    vote(round_, {"kotor": split, "durres": split, "skopje": tirana, "pula": None}, by=staff)
    services.close_round(round=round_, by=staff)
    result = services.recount_round(round=round_)
    assert result.matches, result.problems
    assert (result.counts, result.abstentions) == ({split.pk: 2, tirana.pk: 1}, 1)
    assert (result.ballots, result.votes) == (4, 4)
    assert (result.decision.outcome, result.decision.elected) == (RoundOutcome.ELECTED, split.pk)


def test_a_lost_vote_is_found_by_the_recount(election, staff):
    round_, (split, tirana) = start_voting(election, "split", "tirana", by=staff)
    vote(round_, {"kotor": split, "durres": split, "skopje": tirana}, by=staff)
    services.close_round(round=round_, by=staff)
    Vote.objects.filter(round=round_, choice=split).first().delete()
    result = services.recount_round(round=round_)
    assert not result.matches
    assert "3 ballot records but 2 votes" in result.problems[0]
    assert any("stored result elected" in p for p in result.problems)


def test_a_tampered_result_is_found_by_the_recount(election, staff):
    round_, (split, tirana) = start_voting(election, "split", "tirana", by=staff, secret=False)
    vote(round_, {"kotor": split, "durres": split, "skopje": tirana}, by=staff)
    services.close_round(round=round_, by=staff)
    Round.objects.filter(pk=round_.pk).update(elected=tirana)
    assert not services.recount_round(round=round_).matches
    Round.objects.filter(pk=round_.pk).update(elected=split)
    BallotRecord.objects.filter(round=round_, city=city("skopje")).update(choice=split)
    assert services.recount_round(round=round_).problems == (
        "the named ballot records do not give the counted votes",
    )


def test_a_tie_settled_by_lot_recounts_to_the_lot(election, staff):
    round_, (split, tirana) = start_voting(election, "split", "tirana", by=staff)
    vote(round_, {"kotor": split, "skopje": tirana}, by=staff)
    services.close_round(round=round_, by=staff)
    draw = services.draw_lot(round=round_, by=staff)
    result = services.recount_round(round=round_)
    assert result.matches, result.problems
    assert result.decision.outcome == RoundOutcome.TIE
    assert Round.objects.get(pk=round_.pk).elected == draw.winner


def test_an_open_round_is_not_recounted(election, staff):
    round_, _ = start_voting(election, "split", by=staff)
    with pytest.raises(ValidationError):
        services.recount_round(round=round_)


def test_the_admin_recount_action(election, staff, secretariat_client):
    round_, (split,) = start_voting(election, "split", by=staff)
    vote(round_, {"kotor": split}, by=staff)
    services.close_round(round=round_, by=staff)
    response = secretariat_client.post(
        reverse("admin:presidency_round_changelist"),
        {"action": "recount", "_selected_action": [round_.pk]},
        follow=True,
    )
    assert "gives the stored result" in response.content.decode()
    log = secretariat_client.get(reverse("admin:presidency_ballotattempt_changelist"))
    assert log.status_code == 200
