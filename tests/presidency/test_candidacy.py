"""Candidacy (rules S2–S4): eligibility in one service, from every door."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from members.enums import CityStatus, PersonRole
from members.services import appoint_person
from outbox.models import Mail
from presidency import services
from presidency.enums import CandidacyState
from presidency.models import Candidacy, Mandate
from tests.factories import ElectionFactory, SummitFactory
from tests.presidency.conftest import city, mayor_of, start_voting


def test_submit_candidacy_by_the_city_mayor(election):
    candidacy = services.submit_candidacy(
        election=election, city=city("split"), statement="Our port", by=mayor_of("split")
    )
    assert candidacy.state == CandidacyState.ACTIVE
    assert candidacy.submitted_by.username == "mayor.split"


def test_submit_candidacy_period_not_open_names_rule_s2(summit, staff):
    election = ElectionFactory(summit=summit)
    with pytest.raises(ValidationError, match="Rule S2") as exc:
        services.submit_candidacy(election=election, city=city("split"), by=staff)
    assert exc.value.code == "rule_s2"


def test_submit_candidacy_after_the_period_closed_refused(election, staff):
    services.close_candidacy(election=election, by=staff)
    with pytest.raises(ValidationError, match="Rule S2"):
        services.submit_candidacy(election=election, city=city("split"), by=staff)


def test_submit_candidacy_inactive_city_names_rule_s3(election, staff):
    split = city("split")
    split.status = CityStatus.WITHDRAWN
    split.left_on, split.withdrawal_reason = datetime.date(2026, 1, 1), "Left (test)."
    split.save()
    with pytest.raises(ValidationError, match="Rule S3"):
        services.submit_candidacy(election=election, city=split, by=staff)


def test_submit_candidacy_sitting_president_names_rule_s4(election):
    # rule S4: Athens holds the 2026 mandate, so it cannot be elected at the 2026 summit.
    with pytest.raises(ValidationError, match="Rule S4: Athens holds the presidency of 2026"):
        services.submit_candidacy(election=election, city=city("athens"), by=mayor_of("athens"))
    assert not Candidacy.objects.exists()


def test_submit_candidacy_sitting_president_with_a_new_mayor_still_refused(election, staff):
    # rule S4, Reading: the rule binds the city, not the person.
    appoint_person(
        city=city("athens"), role=PersonRole.MAYOR, name="New", started_on=datetime.date(2026, 6, 1)
    )
    with pytest.raises(ValidationError, match="Rule S4"):
        services.submit_candidacy(election=election, city=city("athens"), by=staff)


def test_submit_candidacy_city_holding_the_mandate_after_next_refused(election, staff):
    Mandate.objects.create(year=2028, city=city("split"))  # typed in the admin, say
    with pytest.raises(ValidationError, match="Rule S4"):
        services.submit_candidacy(election=election, city=city("split"), by=staff)


def test_submit_candidacy_twice_names_rule_s2(election, staff):
    services.submit_candidacy(election=election, city=city("split"), by=staff)
    with pytest.raises(ValidationError, match="Rule S2: Split already has a candidacy"):
        services.submit_candidacy(election=election, city=city("split"), by=staff)


def test_one_candidacy_per_city_is_a_database_constraint(election):
    Candidacy.objects.create(election=election, city=city("split"))
    with pytest.raises(IntegrityError):
        Candidacy.objects.create(election=election, city=city("split"))


def test_submit_candidacy_for_another_city_forbidden(election):
    with pytest.raises(PermissionDenied):
        services.submit_candidacy(election=election, city=city("split"), by=mayor_of("tirana"))


def test_a_delegate_cannot_submit_the_candidacy(election):
    from tests.factories import CityUserFactory

    delegate = CityUserFactory(city=city("split"), city_role="delegate")
    with pytest.raises(PermissionDenied):
        services.submit_candidacy(election=election, city=city("split"), by=delegate)


def test_proposal_is_a_candidacy_only_once_accepted(election):
    appoint_person(
        city=city("split"),
        role=PersonRole.MAYOR,
        name="Mayor of Split",
        started_on=datetime.date(2025, 1, 1),
        email="mayor@split.example",
    )
    proposal = services.propose_candidacy(
        election=election,
        city=city("split"),
        proposed_by=city("tirana"),
        statement="Split would lead us well",
        by=mayor_of("tirana"),
    )
    assert proposal.state == CandidacyState.PROPOSED
    assert Mail.objects.get(kind="candidacy-proposal").to == ["mayor@split.example"]
    with pytest.raises(PermissionDenied):  # only Split's mayor answers
        services.accept_proposal(candidacy=proposal, by=mayor_of("tirana"))
    accepted = services.accept_proposal(candidacy=proposal, by=mayor_of("split"))
    assert accepted.state == CandidacyState.ACTIVE
    assert accepted.proposed_by == city("tirana")


def test_proposal_of_the_sitting_president_refused(election):
    with pytest.raises(ValidationError, match="Rule S4"):
        services.propose_candidacy(
            election=election,
            city=city("athens"),
            proposed_by=city("tirana"),
            by=mayor_of("tirana"),
        )


def test_accepting_after_the_period_closed_refused(election, staff):
    proposal = services.propose_candidacy(
        election=election, city=city("split"), proposed_by=city("tirana"), by=staff
    )
    services.close_candidacy(election=election, by=staff)
    with pytest.raises(ValidationError, match="Rule S2"):
        services.accept_proposal(candidacy=proposal, by=mayor_of("split"))


def test_declined_proposal(election, staff):
    proposal = services.propose_candidacy(
        election=election, city=city("split"), proposed_by=city("tirana"), by=staff
    )
    assert services.decline_proposal(candidacy=proposal, by=mayor_of("split")).state == "declined"


def test_withdraw_until_voting_starts(election, staff):
    split = services.submit_candidacy(election=election, city=city("split"), by=staff)
    services.close_candidacy(election=election, by=staff)
    assert services.withdraw_candidacy(candidacy=split, by=mayor_of("split")).state == "withdrawn"


def test_withdraw_after_voting_started_refused(election, staff):
    _round, (split, _tirana) = start_voting(election, "split", "tirana", by=staff)
    with pytest.raises(ValidationError, match="Voting has started"):
        services.withdraw_candidacy(candidacy=split, by=mayor_of("split"))


def test_withdrawn_candidate_is_not_in_the_first_round(election, staff, clock):
    split = services.submit_candidacy(election=election, city=city("split"), by=staff)
    services.submit_candidacy(election=election, city=city("tirana"), by=staff)
    services.withdraw_candidacy(candidacy=split, by=staff)
    services.close_candidacy(election=election, by=staff)
    clock.to_summit()
    round_ = services.open_round(election=election, by=staff)
    assert [c.city.slug for c in round_.candidates.all()] == ["tirana"]


def test_eligibility_from_the_shell_same_service(db, staff):
    # The shell is just another caller of the service: the same refusal.
    summit = SummitFactory(year=2030, host_city=city("split"))
    Mandate.objects.create(year=2030, city=city("split"))
    election = services.open_candidacy(election=ElectionFactory(summit=summit), by=staff)
    with pytest.raises(ValidationError) as exc:
        services.check_eligibility(election=election, city=city("split"))
    assert exc.value.code == "rule_s4"


def test_declined_proposal_does_not_stop_the_city_declaring_itself(election, staff):
    proposal = services.propose_candidacy(
        election=election, city=city("split"), proposed_by=city("tirana"), by=staff
    )
    services.decline_proposal(candidacy=proposal, by=mayor_of("split"))
    own = services.submit_candidacy(
        election=election, city=city("split"), statement="Our own terms", by=mayor_of("split")
    )
    assert (own.pk, own.state, own.statement) == (proposal.pk, "active", "Our own terms")


def test_withdrawal_is_final(election, staff):
    split = services.submit_candidacy(election=election, city=city("split"), by=staff)
    services.withdraw_candidacy(candidacy=split, by=staff)
    with pytest.raises(ValidationError, match="Rule S2: Split already has a candidacy"):
        services.submit_candidacy(election=election, city=city("split"), by=staff)
