"""Recommendations (rule M5) and each city's follow-up of them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from members.models import City
from presidency.models import Summit
from secretariat.enums.workspace import AdoptedBy, FollowUpState
from secretariat.models import FollowUp
from secretariat.services import workspace as services
from tests.factories import CityUserFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def adopt(year: int = 2026, **kwargs):
    return services.adopt_recommendation(
        year=year,
        title=kwargs.pop("title", "Plan for heat waves"),
        text="Every city adopts a heat-wave plan.",
        adopted_by=kwargs.pop("adopted_by", AdoptedBy.PRESIDENCY),
        adopted_on=datetime.date(year, 3, 1),
        **kwargs,
    )


def test_recommendations_are_numbered_per_year():
    assert [adopt(2026).reference, adopt(2026).reference, adopt(2027).reference] == [
        "2026/1",
        "2026/2",
        "2027/1",
    ]


def test_a_summit_recommendation_names_its_summit():
    summit = Summit.objects.get(year=2021)
    recommendation = adopt(2021, adopted_by=AdoptedBy.SUMMIT, summit=summit)
    assert recommendation.summit == summit
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        adopt(2021, adopted_by=AdoptedBy.SUMMIT)


def test_city_records_its_follow_up(mayor_client, mayor):
    recommendation = RecommendationFactory()
    url = reverse("secretariat:followup-edit", args=[recommendation.pk])
    response = mayor_client.post(url, {"state": FollowUpState.IN_PROGRESS, "reason": ""})
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert (follow_up.city, follow_up.state, follow_up.updated_by) == (
        mayor.city,
        FollowUpState.IN_PROGRESS,
        mayor,
    )
    # a second answer updates the same row, and history keeps both
    mayor_client.post(url, {"state": FollowUpState.DONE})
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.DONE
    assert FollowUp.objects.count() == 1
    assert [h.state for h in follow_up.history.all()] == ["done", "in_progress"]
    assert follow_up.history.first().history_user == mayor


def test_city_edits_only_its_own_follow_up(mayor_client, mayor):
    """The city comes from the logged-in user; a city id in the request is ignored."""
    recommendation = RecommendationFactory()
    edirne = City.objects.get(slug="edirne")
    FollowUp.objects.create(
        recommendation=recommendation, city=edirne, state=FollowUpState.WILL_FOLLOW
    )
    mayor_client.post(
        reverse("secretariat:followup-edit", args=[recommendation.pk]),
        {"state": FollowUpState.WILL_NOT_FOLLOW, "reason": "No budget", "city": edirne.pk},
    )
    assert FollowUp.objects.get(city=edirne).state == FollowUpState.WILL_FOLLOW
    assert FollowUp.objects.get(city=mayor.city).state == FollowUpState.WILL_NOT_FOLLOW


def test_will_not_follow_needs_a_reason(mayor_client):
    recommendation = RecommendationFactory()
    response = mayor_client.post(
        reverse("secretariat:followup-edit", args=[recommendation.pk]),
        {"state": FollowUpState.WILL_NOT_FOLLOW, "reason": "  "},
    )
    assert response.status_code == 200
    assert "Say why your city will not follow" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_secretariat_and_anonymous_cannot_record_a_follow_up(secretariat_client, client):
    recommendation = RecommendationFactory()
    url = reverse("secretariat:followup-edit", args=[recommendation.pk])
    assert secretariat_client.post(url, {"state": FollowUpState.DONE}).status_code == 403
    client.logout()
    assert client.post(url, {"state": FollowUpState.DONE}).status_code == 302  # to login
    assert not FollowUp.objects.exists()


def test_service_refuses_a_user_without_a_city(secretariat_user):
    with pytest.raises(PermissionDenied):
        services.record_follow_up(
            recommendation=RecommendationFactory(), by=secretariat_user, state=FollowUpState.DONE
        )


def test_follow_up_admin_is_read_only(secretariat_client):
    assert secretariat_client.get(reverse("admin:secretariat_followup_add")).status_code == 403


def test_public_list_shows_follow_up_rates(client, django_assert_max_num_queries):
    recommendations = [RecommendationFactory() for _ in range(3)]
    for slug in ("tirana", "edirne", "split"):
        FollowUp.objects.create(
            recommendation=recommendations[0],
            city=City.objects.get(slug=slug),
            state=FollowUpState.DONE,
        )
    FollowUp.objects.create(
        recommendation=recommendations[0],
        city=City.objects.get(slug="athens"),
        state=FollowUpState.WILL_NOT_FOLLOW,
        reason="Another plan already",
    )
    with django_assert_max_num_queries(4):
        response = client.get(reverse("secretariat:recommendation-list"))
    rows = {r.pk: r for r in response.context["recommendations"]}
    first = rows[recommendations[0].pk]
    assert (first.following, first.done, first.declined, first.rate) == (3, 3, 1, 12)  # 3 of 25
    assert rows[recommendations[1].pk].rate == 0


def test_public_detail_shows_each_city(client, django_assert_max_num_queries):
    recommendation = RecommendationFactory()
    FollowUp.objects.create(
        recommendation=recommendation,
        city=City.objects.get(slug="athens"),
        state=FollowUpState.WILL_NOT_FOLLOW,
        reason="Another plan already",
    )
    with django_assert_max_num_queries(4):
        response = client.get(recommendation.get_absolute_url())
    html = response.content.decode()
    assert "Another plan already" in html and "Will not follow" in html
    assert len(response.context["rows"]) == 25


def test_city_page_shows_its_own_follow_ups(client):
    recommendation = RecommendationFactory(title="Green roofs")
    FollowUp.objects.create(
        recommendation=recommendation,
        city=City.objects.get(slug="athens"),
        state=FollowUpState.DONE,
    )
    athens = client.get(reverse("secretariat:city-detail", kwargs={"slug": "athens"}))
    split = client.get(reverse("secretariat:city-detail", kwargs={"slug": "split"}))
    assert "Green roofs" in athens.content.decode()
    assert "Green roofs" not in split.content.decode()


def test_dashboard_lists_recommendations_with_constant_queries(
    mayor_client, django_assert_max_num_queries, settings
):
    settings.PUBLIC_CACHE_SECONDS = 0  # measure the renders, not the kept panels
    for _ in range(2):
        RecommendationFactory()
    mayor_client.get(reverse("secretariat:dashboard"))
    with django_assert_max_num_queries(20) as few:
        mayor_client.get(reverse("secretariat:dashboard"))
    for _ in range(10):
        RecommendationFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = mayor_client.get(reverse("secretariat:dashboard"))
    assert len(response.context["recommendation_rows"]) == 5  # the latest; the rest listed


def test_withdrawn_city_cannot_follow_up():
    city = City.objects.get(slug="split")
    city.status = "withdrawn"
    city.left_on = datetime.date(2025, 1, 1)
    city.withdrawal_reason = "Left (test)"
    city.save()
    with pytest.raises(PermissionDenied):
        services.record_follow_up(
            recommendation=RecommendationFactory(),
            by=CityUserFactory(city=city),
            state=FollowUpState.DONE,
        )


@pytest.mark.parametrize("name", ["secretariat:news-list", "secretariat:recommendation-list"])
def test_workspace_public_pages_render_in_the_layout(client, name):
    response = client.get(reverse(name))
    html = response.content.decode()
    assert response.status_code == 200 and '<main id="main"' in html
    assert 'aria-current="page"' in html  # the nav link of the page is marked


def test_unknown_recommendation_is_404(client):
    assert client.get("/recommendations/2025/99/").status_code == 404


def test_dashboard_shows_the_most_recent_recommendations_and_links_to_all(mayor_client):
    from secretariat.views.workspace import DASHBOARD_RECOMMENDATIONS

    for _ in range(DASHBOARD_RECOMMENDATIONS + 2):
        RecommendationFactory()
    response = mayor_client.get(reverse("secretariat:dashboard"))
    assert len(response.context["recommendation_rows"]) == DASHBOARD_RECOMMENDATIONS
    assert reverse("secretariat:recommendation-list") in response.content.decode()


def test_dashboard_shows_the_citys_own_answer_only(mayor_client, mayor):
    answered, unanswered = RecommendationFactory(), RecommendationFactory()
    FollowUp.objects.create(
        recommendation=answered,
        city=mayor.city,
        state=FollowUpState.WILL_NOT_FOLLOW,
        reason="No budget",
    )
    edirne = City.objects.get(slug="edirne")
    FollowUp.objects.create(recommendation=unanswered, city=edirne, state=FollowUpState.DONE)
    html = mayor_client.get(reverse("secretariat:dashboard")).content.decode()
    assert html.count("Your city: Will not follow") == 1
    assert html.count("Your city has not answered yet.") == 1
    assert html.count(" selected>") == 1
    assert f'<option value="{FollowUpState.WILL_NOT_FOLLOW}" selected>' in html
    assert f'id="id_fu{answered.pk}_reason">No budget</textarea>' in html
    assert f'id="id_fu{unanswered.pk}_reason"></textarea>' in html
