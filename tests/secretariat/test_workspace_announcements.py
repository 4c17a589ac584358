"""Announcements (rule T3): addressed to all, one working group's cities or chosen cities;
shown in each addressed city's dashboard and mailed to its contacts through the outbox."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import City
from outbox.enums import MailState
from secretariat.enums.workspace import Audience, Party
from secretariat.models import Announcement, AnnouncementDelivery
from secretariat.selectors.workspace import announcements_for_city, desk_items
from secretariat.services import workspace as services
from tests.factories import CityUserFactory, PersonFactory
from tests.factories.workspace import current_mandate_of
from workinggroups.models import GroupMembership, WorkingGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(db):
    group = WorkingGroup.objects.get(slug="local-climate-action")
    for slug in ("tirana", "split"):
        GroupMembership.objects.create(group=group, city=City.objects.get(slug=slug))
    return group


def city(slug: str) -> City:
    return City.objects.get(slug=slug)


def post(by, **kwargs) -> Announcement:
    return services.post_announcement(
        by=by, title=kwargs.pop("title", "Quarterly meeting"), body="See you online.", **kwargs
    )


def test_announcement_to_all_reaches_every_active_city(secretariat_user):
    withdrawn = city("pula")
    withdrawn.status = "withdrawn"
    withdrawn.left_on = datetime.date(2025, 1, 1)
    withdrawn.withdrawal_reason = "Left (test)"
    withdrawn.save()
    announcement = post(secretariat_user, audience=Audience.ALL)
    assert announcement.deliveries.count() == 24
    assert not announcement.deliveries.filter(city=withdrawn).exists()
    assert announcement.author == Party.SECRETARIAT and announcement.sent_at is not None


def test_announcement_to_a_group_reaches_only_its_cities(secretariat_user, group):
    announcement = post(secretariat_user, audience=Audience.GROUP, working_group=group)
    assert sorted(d.city.slug for d in announcement.deliveries.all()) == ["split", "tirana"]
    assert list(announcements_for_city(city("tirana"))) == [announcement]
    assert list(announcements_for_city(city("edirne"))) == []


def test_dashboard_names_the_group_an_announcement_went_to(secretariat_user, group, mayor_client):
    post(secretariat_user, audience=Audience.GROUP, working_group=group, title="To the group")
    post(secretariat_user, audience=Audience.ALL, title="To all")
    html = mayor_client.get(reverse("secretariat:dashboard")).content.decode()
    assert "To the group" in html and "To all" in html
    assert html.count(" · Local climate action</p>") == 1


def test_announcement_to_chosen_cities(secretariat_user):
    announcement = post(secretariat_user, audience=Audience.CITIES, cities=[city("edirne")])
    assert [d.city.slug for d in announcement.deliveries.all()] == ["edirne"]


def test_addressing_must_be_complete(secretariat_user, group):
    with pytest.raises(ValidationError):
        post(secretariat_user, audience=Audience.GROUP)
    with pytest.raises(ValidationError):
        post(secretariat_user, audience=Audience.CITIES)
    with pytest.raises(ValidationError):
        post(secretariat_user, audience=Audience.ALL, working_group=group)
    assert not Announcement.objects.exists()


def test_announcement_is_mailed_to_the_city_contacts(
    secretariat_user, group, django_capture_on_commit_callbacks
):
    PersonFactory(city=city("tirana"), email="office@tirana.example")
    PersonFactory(city=city("tirana"), email="mayor@tirana.example", role="mayor")
    PersonFactory(city=city("tirana"), email="old@tirana.example", ended_on="2024-12-31")
    with django_capture_on_commit_callbacks(execute=True):
        announcement = post(secretariat_user, audience=Audience.GROUP, working_group=group)
    delivery = announcement.deliveries.get(city__slug="tirana")
    assert delivery.mail.to == ["mayor@tirana.example", "office@tirana.example"]
    assert delivery.mail.state == MailState.SENT  # sent after commit (eager Celery)
    assert announcement.deliveries.get(city__slug="split").mail is None  # no contact
    assert len(mail.outbox) == 1 and "Quarterly meeting" in mail.outbox[0].subject


def test_sending_twice_is_refused(secretariat_user):
    announcement = post(secretariat_user, audience=Audience.CITIES, cities=[city("split")])
    with pytest.raises(ValidationError):
        services.send_announcement(announcement=announcement, by=secretariat_user)
    assert AnnouncementDelivery.objects.count() == 1


def test_the_president_may_announce_another_mayor_may_not(mayor):
    current_mandate_of("tirana")
    announcement = post(mayor, audience=Audience.CITIES, cities=[city("split")])
    assert announcement.author == Party.PRESIDENCY
    with pytest.raises(PermissionDenied):
        post(CityUserFactory(city=city("edirne")), audience=Audience.ALL)


def test_dashboard_shows_only_what_is_addressed_to_the_city(
    secretariat_user, group, mayor_client, client
):
    post(
        secretariat_user,
        title="For the climate group",
        audience=Audience.GROUP,
        working_group=group,
    )
    post(
        secretariat_user, title="For Edirne only", audience=Audience.CITIES, cities=[city("edirne")]
    )
    post(secretariat_user, title="For everyone", audience=Audience.ALL)
    tirana = mayor_client.get(reverse("secretariat:dashboard")).content.decode()
    assert "For the climate group" in tirana and "For everyone" in tirana
    assert "For Edirne only" not in tirana
    client.force_login(CityUserFactory(city=city("edirne")))
    edirne = client.get(reverse("secretariat:dashboard")).content.decode()
    assert "For Edirne only" in edirne and "For everyone" in edirne
    assert "For the climate group" not in edirne


def test_admin_door_posts_and_sends(secretariat_client, secretariat_user, group):
    response = secretariat_client.post(
        reverse("admin:secretariat_announcement_add"),
        {
            "title_en": "Climate meeting",
            "body_en": "On 3 March, online.",
            "audience": Audience.GROUP,
            "working_group": group.pk,
            "is_public": "on",
            "deliveries-TOTAL_FORMS": "0",
            "deliveries-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    announcement = Announcement.objects.get()
    assert announcement.posted_by == secretariat_user and announcement.sent_at
    assert announcement.deliveries.count() == 2
    assert announcement.history.first().history_user == secretariat_user


def test_admin_door_refuses_incomplete_addressing(secretariat_client):
    response = secretariat_client.post(
        reverse("admin:secretariat_announcement_add"),
        {
            "title_en": "Climate meeting",
            "body_en": "x",
            "audience": Audience.GROUP,
            "deliveries-TOTAL_FORMS": "0",
            "deliveries-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Choose the working group to address." in response.content.decode()
    assert not Announcement.objects.exists()


def test_public_news_lists_only_public_announcements(secretariat_user, client):
    post(secretariat_user, title="Summit in Tirana", audience=Audience.ALL, is_public=True)
    post(secretariat_user, title="Internal note", audience=Audience.ALL)
    html = client.get(reverse("secretariat:news-list")).content.decode()
    assert "Summit in Tirana" in html and "Internal note" not in html


def test_failed_mails_show_on_the_desk(secretariat_user, secretariat_client):
    from outbox.models import Mail

    Mail.objects.create(to=["x@example.org"], subject="s", body="b", state=MailState.FAILED)
    item = next(i for i in desk_items() if "failed" in i.label)
    assert item.url.endswith("?state__exact=failed")
    html = secretariat_client.get(reverse("admin:index")).content.decode()
    assert "1 mail failed" in html and "Needs action today" in html
    assert secretariat_client.get(item.url).status_code == 200


def test_president_door_sends_to_chosen_cities(mayor_client, mayor):
    current_mandate_of("tirana")
    response = mayor_client.post(
        reverse("secretariat:announcement-add"),
        {
            "title": "Invitation to Tirana",
            "body": "Welcome to the summit.",
            "audience": Audience.CITIES,
            "cities": [city("split").pk, city("edirne").pk],
        },
    )
    assert response.status_code == 302
    announcement = Announcement.objects.get()
    assert announcement.author == Party.PRESIDENCY and announcement.posted_by == mayor
    assert sorted(d.city.slug for d in announcement.deliveries.all()) == ["edirne", "split"]


def test_president_door_shows_addressing_errors(mayor_client):
    current_mandate_of("tirana")
    response = mayor_client.post(
        reverse("secretariat:announcement-add"),
        {"title": "x", "body": "y", "audience": Audience.GROUP},
    )
    assert response.status_code == 200
    assert "Choose the working group to address." in response.content.decode()
    assert not Announcement.objects.exists()


def test_another_mayor_has_no_announcement_door(client):
    current_mandate_of("tirana")
    client.force_login(CityUserFactory(city=city("edirne")))
    assert client.get(reverse("secretariat:announcement-add")).status_code == 403


def test_dashboard_shows_a_new_announcement_at_once(secretariat_user, mayor_client):
    url = reverse("secretariat:dashboard")
    assert "Summer school" not in mayor_client.get(url).content.decode()
    post(secretariat_user, title="Summer school", audience=Audience.ALL)
    assert "Summer school" in mayor_client.get(url).content.decode()


def test_the_dashboards_forms_carry_the_visitors_own_csrf_token(mayor):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(mayor)
    browser.get(reverse("secretariat:dashboard"))
    html = browser.get(reverse("secretariat:dashboard")).content.decode()
    group = WorkingGroup.objects.get(slug="local-climate-action")
    join = reverse("workinggroups:group-join")
    form = html[html.index(f'action="{join}"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = browser.post(join, {"csrfmiddlewaretoken": token, "group": group.slug})
    assert response.status_code == 302
    assert GroupMembership.objects.filter(group=group, city=mayor.city).exists()


def test_sending_to_every_city_costs_the_same_queries_however_many_cities(
    secretariat_user, django_capture_on_commit_callbacks
):
    def queries_to_all() -> int:
        with CaptureQueriesContext(connection) as captured:
            post(secretariat_user, audience=Audience.ALL, title=f"To all {City.objects.count()}")
        return len(captured.captured_queries)

    for slug in ("tirana", "split"):
        PersonFactory(city=city(slug), email=f"office@{slug}.example")
    few = queries_to_all()
    for n in range(30):
        PersonFactory(email=f"contact{n}@many.example")  # a new city each, with a contact
    with django_capture_on_commit_callbacks(execute=True):
        many = post(secretariat_user, audience=Audience.ALL, title="To all, many")
    assert queries_to_all() == few
    assert many.deliveries.count() == City.objects.filter(status="active").count()
    assert many.deliveries.filter(mail__isnull=False).count() == 32
    assert len(mail.outbox) == 32
