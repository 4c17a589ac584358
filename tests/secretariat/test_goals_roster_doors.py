"""Goals for the current mandate only (rule G1), and a roster of people (rule T2)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
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


# --- the mandate's opening meeting (rule G1) ----------------------------------------------


def test_the_opening_meeting_is_recorded_in_the_mandates_year(secretariat_user, mayor):
    from secretariat.models import OpeningMeeting

    mandate = current_mandate_of("tirana")
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="is held in"):
        services.record_opening_meeting(
            mandate=mandate,
            held_on=datetime.date(mandate.year - 1, 12, 31),
            minutes="x",
            by=secretariat_user,
        )
    with pytest.raises(PermissionDenied):
        services.record_opening_meeting(
            mandate=mandate, held_on=today, minutes="x", by=CityUserFactory()
        )
    meeting = services.record_opening_meeting(
        mandate=mandate,
        held_on=today,
        minutes="Goals agreed.",
        by=mayor,  # the president
    )
    assert meeting.history.first().history_user == mayor
    with pytest.raises(ValidationError, match="already recorded"):
        services.record_opening_meeting(
            mandate=mandate, held_on=today, minutes="again", by=secretariat_user
        )
    assert OpeningMeeting.objects.count() == 1


def test_the_desk_asks_for_the_opening_meeting_until_it_is_recorded(secretariat_user):
    from secretariat.selectors.workspace import desk_items

    mandate = current_mandate_of("tirana")
    assert any("opening meeting" in item.label for item in desk_items())
    services.record_opening_meeting(
        mandate=mandate, held_on=timezone.localdate(), minutes="Goals.", by=secretariat_user
    )
    assert not any("opening meeting" in item.label for item in desk_items())


def test_the_admin_records_the_opening_meeting_through_the_service(
    secretariat_client, secretariat_user
):
    from secretariat.models import OpeningMeeting

    mandate = current_mandate_of("tirana")
    url = reverse("admin:secretariat_openingmeeting_add")
    response = secretariat_client.post(
        url, {"mandate": mandate.pk, "held_on": f"{mandate.year - 1}-12-01", "minutes": "x"}
    )
    assert response.status_code == 200  # refused: not in the mandate's year
    assert not OpeningMeeting.objects.exists()
    response = secretariat_client.post(
        url, {"mandate": mandate.pk, "held_on": str(timezone.localdate()), "minutes": "Goals."}
    )
    assert response.status_code == 302
    meeting = OpeningMeeting.objects.get()
    assert (meeting.recorded_by, meeting.history.first().history_user) == (
        secretariat_user,
        secretariat_user,
    )
