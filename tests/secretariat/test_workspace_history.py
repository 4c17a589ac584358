"""Every change the secretariat or a city makes is kept as history, with who and when
(RELIABILITY 26), and the admin shows it."""

import pytest
from django.urls import reverse

from members.models import City
from secretariat.enums.workspace import AdoptedBy, Audience, FollowUpState
from secretariat.models import Announcement, Recommendation, RosterMember
from tests.factories import RecommendationFactory, RosterMemberFactory

pytestmark = pytest.mark.django_db


def test_roster_change_in_the_admin_is_kept_with_who(secretariat_client, secretariat_user):
    member = RosterMemberFactory()
    response = secretariat_client.post(
        reverse("admin:secretariat_rostermember_change", args=[member.pk]),
        {
            "user": member.user.pk,
            "role": "secretary",
            "languages": "Turkish, English",
            "english_fluent": "on",
            "active_from": "2024-01-01",
            "active_to": "",
        },
    )
    assert response.status_code == 302
    rows = list(RosterMember.history.filter(id=member.pk).order_by("history_date"))
    assert [(r.history_type, r.role) for r in rows] == [("+", "expert"), ("~", "secretary")]
    assert rows[-1].history_user == secretariat_user and rows[-1].history_date
    history = secretariat_client.get(
        reverse("admin:secretariat_rostermember_history", args=[member.pk])
    )
    assert history.status_code == 200


def test_recommendation_added_in_the_admin_is_numbered_and_kept(
    secretariat_client, secretariat_user
):
    RecommendationFactory(year=2026, number=1)
    response = secretariat_client.post(
        reverse("admin:secretariat_recommendation_add"),
        {
            "year": "2026",
            "title_en": "Shared procurement",
            "text_en": "Cities buy electric buses together.",
            "adopted_by": AdoptedBy.PRESIDENCY,
            "summit": "",
            "adopted_on": "2026-05-01",
            "working_group": "",
            "follow_ups-TOTAL_FORMS": "0",
            "follow_ups-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    recommendation = Recommendation.objects.get(title="Shared procurement")
    assert recommendation.number == 2
    assert recommendation.history.get().history_user == secretariat_user


def test_follow_up_history_has_the_city_user(mayor_client, mayor):
    recommendation = RecommendationFactory()
    mayor_client.post(
        reverse("secretariat:followup-edit", args=[recommendation.pk]),
        {"state": FollowUpState.WILL_FOLLOW},
    )
    row = recommendation.follow_ups.get().history.get()
    assert (row.history_user, row.state, row.history_type) == (mayor, "will_follow", "+")


def test_announcement_history_keeps_its_chosen_cities(secretariat_user):
    from secretariat.services.workspace import post_announcement

    announcement = post_announcement(
        by=secretariat_user,
        title="Hello",
        body="x",
        audience=Audience.CITIES,
        cities=[City.objects.get(slug="split")],
    )
    latest = Announcement.history.filter(id=announcement.pk).first()
    assert latest.history_user == secretariat_user
    assert [c.city_id for c in latest.cities.all()] == [City.objects.get(slug="split").pk]
