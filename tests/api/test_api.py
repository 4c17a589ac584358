"""The open data API: the same data as the public pages, never a secret ballot's choice."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import City
from presidency import services as presidency_services
from presidency.models import Mandate
from presidency.selectors import round_results
from tests.factories import (
    CityFactory,
    GroupMembershipFactory,
    MeetingFactory,
    RecommendationFactory,
    WorkingGroupFactory,
)
from tests.presidency.conftest import start_voting, vote
from workinggroups.enums import MinutesVisibility

pytestmark = pytest.mark.django_db

LISTS = [
    "api:city-list",
    "api:mandate-list",
    "api:summit-list",
    "api:workinggroup-list",
    "api:recommendation-list",
    "api:annualreport-list",
]


def all_rows(client, name: str, **params) -> list[dict]:
    rows, url = [], reverse(name)
    while url:
        response = client.get(url, params)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/json"
        body = response.json()
        rows += body["results"]
        url, params = body["next"], {}
    return rows


def test_the_schema_validates_without_a_warning(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    schema = (tmp_path / "s.yml").read_text()
    for path in ("/api/v1/cities/", "/api/v1/summits/{year}/", "/api/v1/working-groups/"):
        assert path in schema


def test_every_field_of_the_schema_is_described(client):
    schema = json.loads(client.get(reverse("api:schema"), {"format": "json"}).content)
    missing = [
        f"{name}.{field}"
        for name, component in schema["components"]["schemas"].items()
        if not name.startswith("Paginated")
        for field, spec in component.get("properties", {}).items()
        if not spec.get("description")
    ]
    assert missing == []


def test_the_cities_are_those_of_the_member_list(client):
    CityFactory(
        name="Ohrid",
        slug="ohrid",
        status="withdrawn",
        left_on=datetime.date(2025, 1, 1),
        withdrawal_reason="Left (test)",
    )
    active = all_rows(client, "api:city-list", status="active")
    page = client.get(reverse("secretariat:city-list")).content.decode()
    assert len(active) == 25
    for row in active:
        assert f'href="/cities/{row["slug"]}/">{row["name"]}</a>' in page
    everyone = {row["slug"]: row for row in all_rows(client, "api:city-list")}
    assert everyone["ohrid"]["status"] == "withdrawn" and len(everyone) == 26
    durres = everyone["durres"]
    assert (durres["country"], durres["is_founding"], durres["joined_at_summit"]) == (
        "AL",
        True,
        None,
    )
    assert (durres["latitude"], durres["longitude"]) == (41.32306, 19.44139)
    detail = client.get(reverse("api:city-detail", args=["durres"])).json()
    assert detail == durres


def test_the_mandates_and_summits_are_those_of_the_presidency_page(client, election, staff):
    Mandate.objects.create(year=2022, city=City.objects.get(slug="istanbul"))
    page = client.get(reverse("presidency:timeline")).content.decode()
    mandates = all_rows(client, "api:mandate-list")
    assert [m["year"] for m in mandates] == [2026, 2022]
    for mandate in mandates:
        assert f'<th scope="row">{mandate["year"]}</th>' in page
    summits = all_rows(client, "api:summit-list")
    assert [(s["year"], s["host_city"]) for s in summits] == [(2026, "athens"), (2021, "istanbul")]
    for row in summits:
        assert f'href="/presidency/summits/{row["year"]}/"' in page
    assert summits[0]["election"]["is_secret"] is True


def test_a_secret_ballot_gives_counts_never_a_citys_choice(client, election, staff):
    round_, (skopje, split) = start_voting(election, "skopje", "split", by=staff)
    vote(round_, {"kotor": skopje, "prizren": skopje, "edirne": split, "pula": None}, by=staff)
    presidency_services.close_round(round=round_, by=staff)
    detail = client.get(reverse("api:summit-detail", args=[2026])).json()
    (result,) = detail["rounds"]
    expected = round_results(election)[0]
    assert (result["ballots"], result["abstentions"], result["electorate"]) == (
        expected.ballots,
        expected.abstentions,
        expected.electorate,
    )
    assert [(t["city"], t["votes"]) for t in result["tallies"]] == [("skopje", 2), ("split", 1)]
    # The summit's page shows the same counts.
    page = client.get(reverse("presidency:summit-detail", args=[2026])).content.decode()
    assert '<th scope="row">Skopje</th><td>2</td>' in page
    # Nowhere in the API but the member list does a voter appear, let alone its choice.
    everything = json.dumps(
        [client.get(reverse(name)).json() for name in LISTS if name != "api:city-list"]
        + [detail, client.get(reverse("api:schema"), {"format": "json"}).json()]
    )
    assert '"skopje"' in everything  # the candidates do
    for voter in ("kotor", "prizren", "edirne", "pula"):
        assert voter not in everything.lower(), voter
    for word in ("choice", "ballot_record", "voter", "named"):
        assert f'"{word}' not in everything


def test_working_groups_with_their_public_meetings_only(client):
    group = WorkingGroupFactory(name="Smart cities (test)")
    GroupMembershipFactory(group=group, city=City.objects.get(slug="split"))
    MeetingFactory(
        group=group,
        minutes="Public minutes.",
        minutes_visibility=MinutesVisibility.PUBLIC,
        online_link="https://meet.example/secret-room",
    )
    MeetingFactory(
        group=group,
        kind="extra",
        minutes="Members only.",
        online_link="https://meet.example/x",
    )
    rows = {row["slug"]: row for row in all_rows(client, "api:workinggroup-list")}
    page = client.get(reverse("workinggroups:group-list")).content.decode()
    for slug, row in rows.items():
        assert f"/working-groups/{slug}/" in page and row["name"] in page
    row = rows[group.slug]
    assert row["member_cities"] == ["split"]
    assert sorted(m["minutes"] or "" for m in row["meetings"]) == ["", "Public minutes."]
    dumped = json.dumps(rows)
    assert "meet.example" not in dumped and "Members only." not in dumped


def test_recommendations_and_their_follow_up_counts(client):
    recommendation = RecommendationFactory()
    (row,) = all_rows(client, "api:recommendation-list")
    assert (row["reference"], row["title"]) == (recommendation.reference, recommendation.title)
    assert row["title"] in client.get(reverse("secretariat:recommendation-list")).content.decode()


@pytest.mark.parametrize("name", LISTS)
def test_a_list_costs_the_same_queries_whatever_its_rows(client, name):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name)).status_code == 200
        return len(queries)

    def add_rows(n: int) -> None:
        city = CityFactory()
        group = WorkingGroupFactory()
        GroupMembershipFactory(group=group, city=city)
        MeetingFactory(group=group)
        RecommendationFactory()
        Mandate.objects.create(year=2030 + 2 * n, city=city)

    add_rows(0)  # one of each: an empty list skips its prefetches
    before = count()
    for n in range(1, 6):
        add_rows(n)
    assert count() == before


def test_the_csv_downloads_hold_the_member_list_and_the_mandates(client):
    Mandate.objects.create(year=2024, city=City.objects.get(slug="athens"))
    response = client.get(reverse("api:city-csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 25
    kirklareli = next(r for r in rows if r["slug"] == "kirklareli")
    assert (kirklareli["name"], kirklareli["country"], kirklareli["is_founding"]) == (
        "Kırklareli",
        "TR",
        "yes",
    )
    mandates = list(
        csv.DictReader(
            io.StringIO(client.get(reverse("api:mandate-csv")).content.decode("utf-8-sig"))
        )
    )
    assert [(m["year"], m["city"]) for m in mandates] == [("2024", "athens")]


def test_the_api_is_read_only(client):
    assert (
        client.post(reverse("api:city-list"), {}, content_type="application/json").status_code
        == 405
    )
    response = client.delete(reverse("api:city-detail", args=["durres"]))
    assert response.status_code == 405


def test_the_rate_limit_counts_per_client_and_a_forged_header_does_not_help(client, monkeypatch):
    from api.throttling import ClientRateThrottle

    monkeypatch.setattr(ClientRateThrottle, "rate", "3/minute", raising=False)
    url = reverse("api:mandate-list")
    # A new X-Forwarded-For each time: not a new client (no trusted proxy says so). A new
    # query string each time: the cache cannot answer, each one is rendered and counted.
    answers = [
        client.get(url, {"n": n}, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(4)
    ]
    assert answers == [200, 200, 200, 429]
    assert client.get(url, {"n": 9}, REMOTE_ADDR="192.0.2.7").status_code == 200  # another client
    assert (
        client.get(url, {"n": 0}).status_code == 200
    )  # a cached answer costs nothing: not counted


def test_the_docs_page_needs_nothing_from_another_server(client):
    response = client.get(reverse("api:docs"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>" not in html and " style=" not in html
    assert "cdn" not in html.lower() and "https://" not in html
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
