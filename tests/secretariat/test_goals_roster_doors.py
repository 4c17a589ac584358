"""Goals for the current mandate only (rule G1), and a roster of people (rule T2)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from members.models import City
from presidency.models import Mandate
from secretariat.checks import check_roster
from secretariat.enums.workspace import RosterRole
from secretariat.models import Goal, GoalProgress, RosterMember
from secretariat.services import workspace as services
from tests.factories import CityUserFactory, GoalFactory, RosterMemberFactory, UserFactory
from tests.factories.workspace import current_mandate_of

pytestmark = pytest.mark.django_db


def propose(mandate, by):
    return services.propose_goal(
        mandate=mandate,
        by=by,
        title="Climate plans",
        indicator="Cities with a plan",
        unit="cities",
        baseline=Decimal("4"),
        target=Decimal("12"),
    )


def test_goals_are_not_set_for_a_mandate_that_is_over(secretariat_user):
    last_year = Mandate.objects.create(
        year=timezone.localdate().year - 1, city=City.objects.get(slug="skopje")
    )
    with pytest.raises(ValidationError, match="not open for goals"):
        propose(last_year, secretariat_user)
    assert not Goal.objects.exists()


def test_goals_are_set_for_the_current_and_the_elected_next_mandate(secretariat_user):
    current_mandate_of("tirana")
    next_year = Mandate.objects.create(
        year=timezone.localdate().year + 1, city=City.objects.get(slug="skopje")
    )
    assert propose(current_mandate_of(), secretariat_user).mandate.year == next_year.year - 1
    assert propose(next_year, secretariat_user).mandate == next_year


def test_the_admin_door_refuses_an_expired_mandate(secretariat_client):
    last_year = Mandate.objects.create(
        year=timezone.localdate().year - 1, city=City.objects.get(slug="skopje")
    )
    response = secretariat_client.post(
        reverse("admin:secretariat_goal_add"),
        {
            "mandate": last_year.pk,
            "title": "Old",
            "title_en": "Old",
            "indicator": "x",
            "unit": "x",
            "baseline": "1",
            "target": "2",
        },
    )
    assert response.status_code == 200
    assert not Goal.objects.exists()


def test_a_progress_correction_cannot_move_to_another_goal(secretariat_client, mayor):
    goal, other = GoalFactory(), GoalFactory()
    for g in (goal, other):
        services.agree_goal(goal=g, by=CityUserFactory(city=g.mandate.city))
    progress = GoalProgress.objects.create(
        goal=goal, value=Decimal("5"), recorded_on=datetime.date.today()
    )
    url = reverse("admin:secretariat_goalprogress_change", args=[progress.pk])
    response = secretariat_client.post(
        url, {"goal": other.pk, "value": "6", "recorded_on": str(datetime.date.today()), "note": ""}
    )
    assert response.status_code == 302
    progress.refresh_from_db()
    assert (progress.goal, progress.value) == (goal, Decimal("6"))


def test_the_roster_counts_people_not_rows():
    RosterMemberFactory(role=RosterRole.SECRETARY)
    expert = RosterMemberFactory(role=RosterRole.EXPERT)
    RosterMemberFactory(role=RosterRole.EXPERT, user=expert.user, languages="English, Greek")
    assert [w.id for w in check_roster()] == ["secretariat.W002"]


def test_the_secretary_is_not_one_of_the_two_experts():
    secretary = RosterMemberFactory(role=RosterRole.SECRETARY)
    RosterMemberFactory(role=RosterRole.EXPERT, user=secretary.user)
    RosterMemberFactory(role=RosterRole.EXPERT)
    assert [w.id for w in check_roster()] == ["secretariat.W002"]


def test_roster_members_are_staff_accounts(secretariat_client):
    city_user = UserFactory(username="not.staff")
    member = RosterMember(
        user=city_user, role=RosterRole.EXPERT, active_from=datetime.date(2024, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        member.full_clean()
    assert "user" in exc.value.message_dict
    response = secretariat_client.post(
        reverse("admin:secretariat_rostermember_add"),
        {"user": city_user.pk, "role": RosterRole.EXPERT, "active_from": "2024-01-01"},
    )
    assert response.status_code == 200
    assert not RosterMember.objects.filter(user=city_user).exists()
