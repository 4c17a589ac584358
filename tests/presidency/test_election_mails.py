"""Everyone is told (issue 16): every member city gets a mail through the outbox when the
candidacy period opens and closes, when a round opens and when the result is known."""

import pytest

from members.enums import PersonRole
from members.models import Person
from outbox.models import Mail
from presidency import services
from presidency.models import Election
from tests.factories import ElectionFactory
from tests.presidency.conftest import CLOCK, city, vote


@pytest.fixture
def people(db):
    for slug in ("kotor", "split", "pula"):
        Person.objects.create(
            city=city(slug),
            role=PersonRole.MAYOR,
            name=f"Mayor of {slug}",
            email=f"mayor@{slug}.example",
        )
    Person.objects.create(
        city=city("kotor"), role=PersonRole.CONTACT, name="Contact", email="desk@kotor.example"
    )


def mails(kind):
    return {tuple(m.to) for m in Mail.objects.filter(kind=f"election-{kind}")}


def test_every_member_city_is_told_each_step(summit, staff, people):
    everyone = {
        ("desk@kotor.example", "mayor@kotor.example"),
        ("mayor@split.example",),
        ("mayor@pula.example",),
    }
    election = services.open_candidacy(election=ElectionFactory(summit=summit), by=staff)
    assert mails("candidacy-open") == everyone
    split = services.submit_candidacy(election=election, city=city("split"), by=staff)
    services.close_candidacy(election=election, by=staff)
    assert mails("candidacy-closed") == everyone
    assert "- Split" in Mail.objects.filter(kind="election-candidacy-closed").first().body
    CLOCK.to_summit()
    round_ = services.open_round(election=election, by=staff)
    assert mails("round-open") == everyone
    assert (
        "Round 1 of the 2026 election is open"
        in Mail.objects.filter(kind="election-round-open").first().body
    )
    vote(round_, {"kotor": split}, by=staff)
    services.close_round(round=round_, by=staff)
    services.close_election(election=election, by=staff)
    body = Mail.objects.filter(kind="election-result").first().body
    assert mails("result") == everyone
    assert "Split is elected at the 2026 Annual Summit to preside over the network in 2027" in body


def test_an_election_without_a_result_is_told_with_its_reason(election, staff, people):
    services.close_election_without_result(election=election, reason="Nobody stood.", by=staff)
    body = Mail.objects.get(kind="election-result", to=["mayor@split.example"]).body
    assert "ended without a result" in body and "Nobody stood." in body
    assert Election.objects.get().state == "closed"
