"""Annual goals (rule G1), agreed by the president and the secretariat (rule S8)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from members.enums import CityRole
from members.models import City
from secretariat.enums.workspace import GoalStatus, Party
from secretariat.models import Goal, GoalProgress
from secretariat.selectors.workspace import derive_goal_status, goal_status, goals_with_status
from secretariat.services import workspace as services
from tests.factories import CityUserFactory, GoalFactory
from tests.factories.workspace import current_mandate_of

pytestmark = pytest.mark.django_db

YEAR = 2026


def status(latest, *, baseline="4", target="12", today=datetime.date(YEAR, 6, 1)) -> str:
    return derive_goal_status(
        baseline=Decimal(baseline),
        target=Decimal(target),
        latest=None if latest is None else Decimal(latest),
        mandate_year=YEAR,
        today=today,
    )


# --- status (G1) ------------------------------------------------------------------------


def test_goal_status_not_started_without_progress():
    assert status(None) == GoalStatus.NOT_STARTED


def test_goal_status_on_track_with_progress_below_target():
    assert status("7") == GoalStatus.ON_TRACK


def test_goal_status_achieved_at_target():
    assert status("12") == GoalStatus.ACHIEVED


def test_goal_status_achieved_downwards_when_target_below_baseline():
    assert status("40", baseline="100", target="50") == GoalStatus.ACHIEVED
    assert status("60", baseline="100", target="50") == GoalStatus.ON_TRACK


def test_goal_status_missed_after_the_mandate_below_target():
    after = datetime.date(YEAR + 1, 1, 1)
    assert status("11", today=after) == GoalStatus.MISSED
    assert status(None, today=after) == GoalStatus.MISSED
    assert status("12", today=after) == GoalStatus.ACHIEVED


def test_goal_status_uses_the_latest_progress(secretariat_user):
    goal = GoalFactory(agreed=True)
    today = timezone.localdate()
    services.record_goal_progress(
        goal=goal, by=secretariat_user, value=Decimal("12"), recorded_on=today
    )
    services.record_goal_progress(
        goal=goal, by=secretariat_user, value=Decimal("6"), recorded_on=today
    )
    assert goal_status(goal) == GoalStatus.ON_TRACK


def test_goals_with_status_in_one_query(django_assert_num_queries):
    for _ in range(5):
        GoalFactory(agreed=True)
    with django_assert_num_queries(1):
        goals = goals_with_status()
    assert {g.status for g in goals} == {GoalStatus.NOT_STARTED}


# --- two-party agreement (S8) ----------------------------------------------------------


@pytest.fixture
def mandate(db):
    return current_mandate_of("tirana")


def test_secretariat_proposes_president_agrees(mandate, secretariat_user, mayor):
    goal = services.propose_goal(
        mandate=mandate,
        by=secretariat_user,
        title="Climate plans",
        indicator="Cities with a plan",
        unit="cities",
        baseline=Decimal("4"),
        target=Decimal("12"),
    )
    assert goal.proposed_by == Party.SECRETARIAT
    assert not goal.is_set and goal.awaiting == Party.PRESIDENCY
    goal = services.agree_goal(goal=goal, by=mayor)
    assert goal.is_set and goal.presidency_agreed_by == mayor


def test_president_proposes_secretariat_agrees(mandate, secretariat_user, mayor):
    goal = services.propose_goal(
        mandate=mandate,
        by=mayor,
        title="Open data",
        indicator="Data sets",
        unit="sets",
        baseline=Decimal("0"),
        target=Decimal("10"),
    )
    assert goal.proposed_by == Party.PRESIDENCY and goal.awaiting == Party.SECRETARIAT
    assert services.agree_goal(goal=goal, by=secretariat_user).is_set


def test_the_same_party_cannot_agree_twice(mandate, secretariat_user):
    goal = GoalFactory(mandate=mandate)
    with pytest.raises(ValidationError):
        services.agree_goal(goal=goal, by=secretariat_user)


def test_another_mayor_or_a_delegate_is_not_the_president(mandate):
    goal = GoalFactory(mandate=mandate)
    other_mayor = CityUserFactory(city=City.objects.get(slug="edirne"))
    delegate = CityUserFactory(city=City.objects.get(slug="tirana"), city_role=CityRole.DELEGATE)
    for user in (other_mayor, delegate):
        with pytest.raises(PermissionDenied):
            services.agree_goal(goal=goal, by=user)
        with pytest.raises(PermissionDenied):
            services.propose_goal(
                mandate=mandate,
                by=user,
                title="x",
                indicator="x",
                unit="x",
                baseline=Decimal("0"),
                target=Decimal("1"),
            )
    goal.refresh_from_db()
    assert goal.presidency_agreed_at is None


def test_database_refuses_a_goal_its_proposer_did_not_agree(mandate):
    with pytest.raises(IntegrityError), transaction.atomic():
        Goal.objects.create(
            mandate=mandate,
            title="x",
            indicator="x",
            unit="x",
            baseline=1,
            target=2,
            proposed_by=Party.PRESIDENCY,
        )


def test_admin_door_proposes_for_the_secretariat(mandate, secretariat_client, secretariat_user):
    response = secretariat_client.post(
        reverse("admin:secretariat_goal_add"),
        {
            "mandate": mandate.pk,
            "title_en": "Twinning",
            "description_en": "",
            "working_group": "",
            "indicator": "Twinned cities",
            "unit": "pairs",
            "baseline": "0",
            "target": "5",
            "progress-TOTAL_FORMS": "0",
            "progress-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    goal = Goal.objects.get(title="Twinning")
    assert goal.proposed_by == Party.SECRETARIAT
    assert goal.secretariat_agreed_by == secretariat_user
    assert goal.history.first().history_user == secretariat_user


def test_admin_action_agrees_for_the_secretariat(mandate, secretariat_client):
    goal = GoalFactory(
        mandate=mandate,
        proposed_by=Party.PRESIDENCY,
        presidency_agreed_at=timezone.now(),
        secretariat_agreed_at=None,
    )
    already = GoalFactory(mandate=mandate)  # the secretariat's own: refused, others go on
    response = secretariat_client.post(
        reverse("admin:secretariat_goal_changelist"),
        {"action": "agree", "_selected_action": [goal.pk, already.pk]},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    already.refresh_from_db()
    assert goal.is_set and not already.is_set


def test_president_door_agrees_from_the_dashboard(mandate, mayor_client, mayor):
    goal = GoalFactory(mandate=mandate)
    html = mayor_client.get(reverse("secretariat:dashboard")).content.decode()
    assert goal.title in html
    response = mayor_client.post(reverse("secretariat:goal-agree", args=[goal.pk]))
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.is_set and goal.presidency_agreed_by == mayor


def test_president_door_proposes_from_the_dashboard(mandate, mayor_client):
    response = mayor_client.post(
        reverse("secretariat:goal-propose"),
        {
            "title": "Clean buses",
            "indicator": "Electric buses",
            "unit": "buses",
            "baseline": "10",
            "target": "50",
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get(title="Clean buses")
    assert goal.proposed_by == Party.PRESIDENCY and goal.mandate == mandate


def test_other_mayor_cannot_use_the_president_door(mandate, client):
    goal = GoalFactory(mandate=mandate)
    client.force_login(CityUserFactory(city=City.objects.get(slug="edirne")))
    assert client.post(reverse("secretariat:goal-agree", args=[goal.pk])).status_code == 403
    assert client.get(reverse("secretariat:goal-propose")).status_code == 403
    goal.refresh_from_db()
    assert goal.presidency_agreed_at is None


# --- progress ---------------------------------------------------------------------------


def test_progress_only_on_a_set_goal(secretariat_user):
    goal = GoalFactory()
    with pytest.raises(ValidationError):
        services.record_goal_progress(
            goal=goal, by=secretariat_user, value=Decimal("5"), recorded_on=timezone.localdate()
        )
    assert not GoalProgress.objects.exists()


def test_progress_only_by_the_secretariat(mayor):
    goal = GoalFactory(agreed=True)
    with pytest.raises(PermissionDenied):
        services.record_goal_progress(
            goal=goal, by=mayor, value=Decimal("5"), recorded_on=timezone.localdate()
        )


def test_goal_admin_list_shows_status(secretariat_client, django_assert_max_num_queries):
    for _ in range(5):
        GoalFactory(agreed=True)
    with django_assert_max_num_queries(12):
        response = secretariat_client.get(reverse("admin:secretariat_goal_changelist"))
    assert response.status_code == 200
    assert "Not started" in response.content.decode()


def test_what_was_agreed_is_not_edited_in_the_admin(secretariat_client):
    goal = GoalFactory(agreed=True, target=Decimal("12"))
    response = secretariat_client.post(
        reverse("admin:secretariat_goal_change", args=[goal.pk]),
        {
            "description_en": "More detail",
            "working_group": "",
            "target": "1",
            "progress-TOTAL_FORMS": "0",
            "progress-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    goal.refresh_from_db()
    assert (goal.description, goal.target) == ("More detail", Decimal("12"))


def test_goal_change_page_shows_agreement_and_status(secretariat_client):
    goal = GoalFactory(agreed=True)
    response = secretariat_client.get(reverse("admin:secretariat_goal_change", args=[goal.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Agreement (rule S8)" in html and "Not started" in html


def test_admin_records_progress_only_on_a_set_goal(secretariat_client, secretariat_user):
    unset, agreed = GoalFactory(), GoalFactory(agreed=True)
    url = reverse("admin:secretariat_goalprogress_add")
    data = {"value": "8", "recorded_on": "2026-06-01", "note": "Mid-year"}
    response = secretariat_client.post(url, {**data, "goal": unset.pk})
    assert response.status_code == 200
    assert "once the president and the secretariat agreed" in response.content.decode()
    response = secretariat_client.post(url, {**data, "goal": agreed.pk})
    assert response.status_code == 302
    progress = GoalProgress.objects.get()
    assert (progress.goal, progress.recorded_by) == (agreed, secretariat_user)
    assert progress.history.get().history_user == secretariat_user
