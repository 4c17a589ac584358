"""The city dashboard: the city's own people, editable by it with history (RELIABILITY 8, 26);
the admin index as the secretariat's desk."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members.enums import PersonRole
from members.models import City, Person
from presidency.models import Summit
from secretariat.selectors.workspace import desk_items
from tests.factories import GoalFactory, PersonFactory, RosterMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(mayor):
    return PersonFactory(city=mayor.city, name="Ana Office", email="ana@tirana.example")


def test_city_edits_its_contact_with_history(mayor_client, mayor, contact):
    response = mayor_client.post(
        reverse("secretariat:person-edit", args=[contact.pk]),
        {"name": "Ana Office", "position": "Head", "email": "ana.new@tirana.example", "phone": ""},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.email == "ana.new@tirana.example"
    latest = contact.history.first()
    assert (latest.history_user, latest.email) == (mayor, "ana.new@tirana.example")


def test_city_cannot_touch_another_city_person(mayor_client):
    other = PersonFactory(city=City.objects.get(slug="edirne"), name="Someone")
    for name in ("secretariat:person-edit", "secretariat:person-end"):
        assert mayor_client.get(reverse(name, args=[other.pk])).status_code == 404
        response = mayor_client.post(
            reverse(name, args=[other.pk]), {"name": "Hacked", "ended_on": "2026-01-01"}
        )
        assert response.status_code == 404
    other.refresh_from_db()
    assert (other.name, other.ended_on) == ("Someone", None)


def test_city_adds_a_contact(mayor_client, mayor):
    response = mayor_client.post(
        reverse("secretariat:person-add"),
        {"role": PersonRole.DELEGATE, "name": "Deni Delegate", "started_on": "2026-01-05"},
    )
    assert response.status_code == 302
    person = Person.objects.get(name="Deni Delegate")
    assert person.city == mayor.city and person.history.first().history_user == mayor


def test_city_cannot_add_a_mayor(mayor_client):
    response = mayor_client.post(
        reverse("secretariat:person-add"),
        {"role": PersonRole.MAYOR, "name": "New Mayor", "started_on": "2026-01-05"},
    )
    assert response.status_code == 200
    assert not Person.objects.filter(name="New Mayor").exists()


def test_city_ends_a_contact(mayor_client, contact):
    response = mayor_client.post(
        reverse("secretariat:person-end", args=[contact.pk]), {"ended_on": "2026-02-01"}
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.ended_on == datetime.date(2026, 2, 1)
    html = mayor_client.get(reverse("secretariat:dashboard")).content.decode()
    assert "Ana Office" not in html


def test_the_mayor_row_is_not_ended_by_the_city(mayor_client, mayor):
    person = PersonFactory(city=mayor.city, role=PersonRole.MAYOR)
    response = mayor_client.post(
        reverse("secretariat:person-end", args=[person.pk]), {"ended_on": "2026-02-01"}
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.ended_on is None


def test_the_dashboard_offers_to_end_exactly_whom_the_city_may_end(mayor_client, mayor):
    # The link and the service answer from one check (issue 15: templates ask, not repeat).
    people = {role: PersonFactory(city=mayor.city, role=role) for role in PersonRole.values}
    html = mayor_client.get(reverse("secretariat:dashboard")).content.decode()
    for role, person in people.items():
        offered = reverse("secretariat:person-end", args=[person.pk]) in html
        response = mayor_client.post(
            reverse("secretariat:person-end", args=[person.pk]), {"ended_on": "2026-02-01"}
        )
        person.refresh_from_db()
        assert offered is (person.ended_on is not None) is (role != PersonRole.MAYOR), role
        assert response.status_code == (302 if offered else 200)


def test_staff_without_a_city_cannot_use_city_doors(secretariat_client, contact):
    url = reverse("secretariat:person-edit", args=[contact.pk])
    assert secretariat_client.get(url).status_code == 403


def test_desk_lists_goals_awaiting_agreement_and_upcoming_summits(secretariat_client):
    for role in ("secretary", "expert", "expert"):
        RosterMemberFactory(role=role)
    GoalFactory()
    today = timezone.localdate()
    starts_on = today + datetime.timedelta(days=20)
    Summit.objects.create(
        year=starts_on.year,  # the year of its first day (a constraint)
        host_city=City.objects.get(slug="split"),
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=1),
    )
    items = desk_items()
    # the goal, the mandate's opening meeting not yet recorded (rule G1), the summit
    assert [i.level for i in items] == ["warning", "info", "info"]
    assert items[0].url.endswith("?agreement=awaiting")
    html = secretariat_client.get(reverse("admin:index")).content.decode()
    assert "1 annual goal awaits agreement" in html
    response = secretariat_client.get(items[0].url)
    assert response.status_code == 200 and response.context["cl"].result_count == 1


def test_desk_says_when_nothing_needs_action(secretariat_client):
    for role in ("secretary", "expert", "expert"):
        RosterMemberFactory(role=role)
    html = secretariat_client.get(reverse("admin:index")).content.decode()
    assert "Nothing needs action today." in html


def test_workspace_admin_pages_render(secretariat_client):
    for model in (
        "rostermember",
        "goal",
        "goalprogress",
        "recommendation",
        "followup",
        "announcement",
        "announcementdelivery",
    ):
        url = reverse(f"admin:secretariat_{model}_changelist")
        assert secretariat_client.get(url).status_code == 200, url
    for model in ("rostermember", "goal", "goalprogress", "recommendation", "announcement"):
        url = reverse(f"admin:secretariat_{model}_add")
        assert secretariat_client.get(url).status_code == 200, url


def test_desk_lists_applications_overdue_groups_and_open_elections(secretariat_client):
    from presidency.enums import ElectionState
    from presidency.models import Election
    from tests.factories import ApplicationFactory
    from workinggroups.models import WorkingGroup

    for role in ("secretary", "expert", "expert"):
        RosterMemberFactory(role=role)
    ApplicationFactory.create_batch(2)
    WorkingGroup.objects.filter(slug="local-climate-action").update(
        overdue_since=datetime.date(2026, 1, 1)
    )
    summit = Summit.objects.get(year=2021)
    Election.objects.create(summit=summit, state=ElectionState.CANDIDACY)
    items = desk_items()
    labels = [item.label for item in items]
    assert "2 membership applications wait for a decision" in labels
    assert "1 working group is overdue for its quarterly meeting (rule W3)" in labels
    assert any(label.endswith("Candidacy period open") for label in labels)
    # Every item links to a page that opens, filtered. Each asked once: a second answer
    # may come from the admin's cache of change lists, which has no template context.
    pages = {item.url: secretariat_client.get(item.url) for item in items}
    for url, page in pages.items():
        assert page.status_code == 200, url
    assert pages[items[0].url].context["cl"].result_count == 2
    assert pages[items[1].url].context["cl"].result_count == 1


# --- the dashboard's cost does not grow with its rows -----------------------------------


def test_the_dashboards_queries_do_not_grow_with_its_rows(mayor_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import AnnouncementFactory, PersonFactory

    url = reverse("secretariat:dashboard")
    mayor_client.get(url)
    with CaptureQueriesContext(connection) as few:
        mayor_client.get(url)
    for n in range(5):
        PersonFactory(city=City.objects.get(slug="tirana"), name=f"Extra contact {n}")
        AnnouncementFactory(title=f"Extra news {n}")
    with CaptureQueriesContext(connection) as more:
        page = mayor_client.get(url)
    assert page.content.decode().count("<strong>Extra contact") == 5
    assert len(more) <= len(few)


def test_the_dashboard_closes_the_registration_when_its_deadline_passes(mayor_client, monkeypatch):
    now = timezone.now()
    deadline = now + datetime.timedelta(hours=2)
    Summit.objects.all().delete()
    starts_on = timezone.localdate() + datetime.timedelta(days=30)
    Summit.objects.create(
        year=starts_on.year,  # the year of its first day (a constraint)
        host_city=City.objects.get(slug="athens"),
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=1),
        venue="Town hall",
        registration_deadline=deadline,
    )
    url = reverse("secretariat:dashboard")
    assert "Register the delegation" in mayor_client.get(url).content.decode()
    later = deadline + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Register the delegation" not in mayor_client.get(url).content.decode()
