"""Who acts for a city: ending a person's role ends what their account may do for it
(issue 16), whether the mayor changed or a delegate's term was ended."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from members.enums import CityRole, PersonRole
from members.models import User
from members.roles import acts_for_city
from members.services import appoint_person, end_role
from presidency import services
from presidency.models import BallotAttempt
from tests.factories import CityUserFactory
from tests.presidency.conftest import city, start_voting


def _fresh(user) -> User:
    return User.objects.get(pk=user.pk)  # as the next request loads it


def test_a_new_mayor_ends_the_former_mayors_power_to_vote(election, staff, client):
    tirana = city("tirana")
    today = timezone.localdate()
    appoint_person(
        city=tirana,
        role=PersonRole.MAYOR,
        name="Old Mayor",
        started_on=today - datetime.timedelta(days=400),
        email="old@tirana.example",
    )
    old = CityUserFactory(city=tirana, username="old.mayor", email="old@tirana.example")
    round_, (split,) = start_voting(election, "split", by=staff)
    assert acts_for_city(_fresh(old), tirana, mayor=True)
    appoint_person(
        city=tirana,
        role=PersonRole.MAYOR,
        name="New Mayor",
        started_on=timezone.localdate(),
        email="new@tirana.example",
    )
    old = _fresh(old)
    assert not acts_for_city(old, tirana)
    with pytest.raises(PermissionDenied):
        services.cast_ballot(round=round_, city=tirana, choice=split, by=old)
    assert BallotAttempt.objects.get().reason == "permission"  # logged (RELIABILITY 12)
    client.force_login(old)
    response = client.post(
        reverse("presidency:ballot-cast", kwargs={"year": 2026}), {"choice": str(split.pk)}
    )
    assert response.status_code in (302, 403)
    assert not round_.ballot_records.exists()
    new = CityUserFactory(city=tirana, username="new.mayor", email="new@tirana.example")
    assert acts_for_city(_fresh(new), tirana, mayor=True)


def test_ending_a_delegates_term_ends_their_accounts_power(db):
    pula = city("pula")
    person = appoint_person(
        city=pula,
        role=PersonRole.DELEGATE,
        name="Delegate",
        started_on=datetime.date(2024, 1, 1),
        email="d@pula.example",
    )
    account = CityUserFactory(city=pula, city_role=CityRole.DELEGATE, email="D@pula.example")
    assert acts_for_city(_fresh(account), pula)
    end_role(person=person, ended_on=timezone.localdate() - datetime.timedelta(days=1))
    assert not acts_for_city(_fresh(account), pula)


def test_an_account_with_no_person_on_record_keeps_its_role(db):
    account = CityUserFactory(city=city("kotor"), email="someone@kotor.example")
    assert acts_for_city(_fresh(account), city("kotor"), mayor=True)
