"""Who reaches what (RELIABILITY 7, 8), as a matrix that fails when anything moves.

- The ``Secretariat`` group against every page of the admin (iterating the admin's
  registry: a newly registered model fails the test until it is given a row here).
- City users, visitors, and staff without a group against the same pages.
- A mayor of city A against every city-scoped URL of the site, with city B's ids for
  objects of every kind: 403 or 404, and not one of city B's rows changes.
"""

import datetime

import pytest
from django.apps import apps
from django.core import serializers
from django.test import RequestFactory
from django.urls import get_resolver, reverse
from django.utils import timezone

from common.clock import frozen_at
from members.models import City
from presidency import services as presidency_services
from presidency.models import BallotRecord, Candidacy
from secretariat.enums.workspace import FollowUpState
from secretariat.services import workspace as workspace_services
from tests.admin import registered_admins
from tests.factories import (
    CityUserFactory,
    ElectionFactory,
    PersonFactory,
    RecommendationFactory,
    SecretariatUserFactory,
    SummitFactory,
    UserFactory,
)
from tests.factories.workinggroups import GroupMembershipFactory, WorkingGroupFactory
from tests.factories.workspace import GoalFactory, current_mandate_of

# --- the admin --------------------------------------------------------------------------

# What the Secretariat group gets from each admin page: (changelist, add form). Reviewed for
# least privilege: no access to users' groups and permissions, the login logs, the second
# factor's devices or the task schedule (a superuser's business); read-only where a record
# is written only by a service (rounds, ballot attempts, lots, mails, applications,
# follow-ups, deliveries, extra-session requests).
SECRETARIAT = {
    "auth.Group": (403, 403),
    "django_celery_beat.PeriodicTask": (403, 403),
    "django_celery_beat.ClockedSchedule": (403, 403),
    "django_celery_beat.CrontabSchedule": (403, 403),
    "django_celery_beat.SolarSchedule": (403, 403),
    "django_celery_beat.IntervalSchedule": (403, 403),
    "axes.AccessAttempt": (403, 403),
    "axes.AccessLog": (403, 403),
    "axes.AccessFailureLog": (403, 403),
    "otp_totp.TOTPDevice": (403, 403),
    "otp_static.StaticDevice": (403, 403),
    "outbox.Mail": (200, 403),
    "members.Country": (200, 200),
    "members.City": (200, 403),  # rule M2: a city joins by admission, never added here
    "members.Person": (200, 200),
    "members.User": (200, 200),  # city users only: see the privilege tests below
    "presidency.Summit": (200, 200),
    "presidency.Mandate": (200, 200),
    "presidency.Delegation": (200, 200),
    "presidency.Candidacy": (200, 200),
    "presidency.Election": (200, 200),
    "presidency.BallotRecord": (200, 200),  # a paper ballot, through cast_ballot
    "presidency.Round": (200, 403),
    "presidency.BallotAttempt": (200, 403),
    "presidency.LotDraw": (200, 403),
    "workinggroups.WorkingGroup": (200, 200),
    "workinggroups.Meeting": (200, 200),
    "workinggroups.ExtraSessionRequest": (200, 403),
    "secretariat.Application": (200, 403),
    "secretariat.RosterMember": (200, 200),
    "secretariat.Goal": (200, 200),
    "secretariat.OpeningMeeting": (200, 200),
    "secretariat.GoalProgress": (200, 200),
    "secretariat.Recommendation": (200, 200),
    "secretariat.FollowUp": (200, 403),
    "secretariat.Announcement": (200, 200),
    "secretariat.AnnouncementDelivery": (200, 403),
    "reports.AnnualReport": (200, 200),  # built by a task; published by an admin action
}
# The only thing the secretariat deletes in the admin: a meeting (a cancelled one). Groups
# are closed and requests answered, never erased; everything else is history.
# Nothing: a meeting is cancelled with a reason (a deleted quarterly slot would be planned
# again, rule W3), a city withdrawn, a group closed.
SECRETARIAT_DELETES: set[str] = set()


def admin_urls(model) -> tuple[str, str]:
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    return reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")


def registered() -> dict[str, type]:
    return {model._meta.label: model for model, _model_admin in registered_admins()}


def test_every_admin_page_has_a_row_in_the_matrix():
    assert set(registered()) == set(SECRETARIAT)


@pytest.mark.parametrize("label", sorted(SECRETARIAT))
def test_the_secretariat_reaches_exactly_its_share_of_the_admin(secretariat_client, label):
    changelist, add = admin_urls(registered()[label])
    got = (secretariat_client.get(changelist).status_code, secretariat_client.get(add).status_code)
    assert got == SECRETARIAT[label]


def test_the_secretariat_deletes_nothing(secretariat_user):
    request = RequestFactory().get("/admin/")
    request.user = secretariat_user
    deletes = {
        model._meta.label
        for model, model_admin in registered_admins()
        if model_admin.has_delete_permission(request)
    }
    assert deletes == SECRETARIAT_DELETES


@pytest.mark.parametrize("label", sorted(SECRETARIAT))
def test_city_users_visitors_and_bare_staff_reach_no_admin_page(client, mayor, label):
    urls = admin_urls(registered()[label])
    for url in urls:  # a visitor
        assert client.get(url).status_code == 302
    client.force_login(mayor)  # a mayor is not staff: sent to the admin's login
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response.url
    client.force_login(UserFactory(is_staff=True))  # staff in no group: nothing
    for url in urls:
        assert client.get(url).status_code == 403


def test_the_secretariat_cannot_raise_anyones_privileges(secretariat_client, secretariat_user):
    city_user = CityUserFactory(city=City.objects.get(slug="skopje"))
    url = reverse("admin:members_user_change", args=[city_user.pk])
    page = secretariat_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        city=city_user.city_id,
        is_superuser="on",
        is_staff="on",
        date_joined_0="2026-01-01",
        date_joined_1="10:00:00",
        groups=[g.pk for g in secretariat_user.groups.all()],
    )
    secretariat_client.post(url, data)
    city_user.refresh_from_db()
    assert (city_user.is_superuser, city_user.is_staff, city_user.groups.count()) == (
        False,
        False,
        0,
    )


def test_the_secretariat_cannot_touch_a_staff_account_or_its_password(
    secretariat_client, secretariat_user
):
    boss = UserFactory(is_staff=True, is_superuser=True)
    for target in (boss, secretariat_user, SecretariatUserFactory()):
        change = reverse("admin:members_user_change", args=[target.pk])
        password = reverse("admin:auth_user_password_change", args=[target.pk])
        assert secretariat_client.post(change, {"is_superuser": "on"}).status_code == 403
        response = secretariat_client.post(
            password, {"password1": "Pwned-123456", "password2": "Pwned-123456"}
        )
        assert response.status_code == 403
        target.refresh_from_db()
        assert not target.check_password("Pwned-123456")
    secretariat_user.refresh_from_db()
    assert not secretariat_user.is_superuser


# --- city-scoped pages: a mayor of city A with city B's ids ----------------------------

OUR_APPS = {"members", "presidency", "workinggroups", "secretariat", "outbox", "reports"}


def rows_of(city: City) -> dict:
    """Every stored row that belongs to ``city`` (history tables included)."""
    rows = {"city": serializers.serialize("json", City.objects.filter(pk=city.pk))}
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is City:
                qs = model._default_manager.filter(**{field.attname: city.pk}).order_by("pk")
                rows[f"{model._meta.label}.{field.name}"] = serializers.serialize("json", qs)
    return rows


@pytest.fixture
def world(db, mayor):
    """City A is Tirana (the ``mayor`` fixture); city B is Skopje, with one of everything."""
    a, b = mayor.city, City.objects.get(slug="skopje")
    staff = SecretariatUserFactory()
    mayor_b = CityUserFactory(city=b, username="mayor.skopje")
    current_mandate_of("athens")  # neither A nor B presides
    summit = SummitFactory(year=timezone.localdate().year, host_city=b)
    day = summit.starts_on
    # rule S2: candidacies close before the summit opens; the vote is held on its days.
    with frozen_at(timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))):
        eve = timezone.now() - datetime.timedelta(days=1)
        with frozen_at(eve):
            election = presidency_services.open_candidacy(
                election=ElectionFactory(summit=summit), by=staff
            )
            candidacy = presidency_services.submit_candidacy(election=election, city=b, by=mayor_b)
            presidency_services.submit_candidacy(
                election=election, city=City.objects.get(slug="split"), by=staff
            )
            presidency_services.register_delegation(
                summit=summit,
                city=b,
                delegates=[presidency_services.DelegateData("B's head", "head", day, day)],
                by=staff,
            )
            presidency_services.close_candidacy(election=election, by=staff)
        round_ = presidency_services.open_round(election=election, by=staff)
        presidency_services.cast_ballot(round=round_, city=b, choice=candidacy, by=mayor_b)
    person = PersonFactory(city=b, name="Person of Skopje")
    recommendation = RecommendationFactory()
    workspace_services.record_follow_up(
        recommendation=recommendation,
        by=mayor_b,
        state=FollowUpState.IN_PROGRESS,
        reason="B's plan",
    )
    group = WorkingGroupFactory(coordinating_city=b)
    GroupMembershipFactory(group=group, city=b)
    proposed = WorkingGroupFactory(state="proposed", coordinating_city=b)
    goal = GoalFactory()
    return {
        "a": a,
        "b": b,
        "summit": summit,
        "candidacy": candidacy,
        "person": person,
        "recommendation": recommendation,
        "group": group,
        "proposed": proposed,
        "goal": goal,
        "round": round_,
    }


def _cases(w):
    """(url name, kwargs with B's ids, POST data with B's ids, statuses allowed)."""
    year = w["summit"].year
    b, cand, person = w["b"], w["candidacy"], w["person"]
    deny = {403, 404}
    any_ok = {200, 302}
    return [
        # ids of B's objects in the URL: refused outright
        ("secretariat:person-edit", {"pk": person.pk}, {"name": "Hacked"}, deny),
        ("secretariat:person-end", {"pk": person.pk}, {"ended_on": "2026-01-01"}, deny),
        ("secretariat:goal-agree", {"pk": w["goal"].pk}, {}, deny),
        *[
            ("presidency:candidacy-action", {"pk": cand.pk, "action": action}, {}, deny)
            for action in ("accept", "decline", "withdraw")
        ],
        ("presidency:summit-lodging", {"year": year}, None, deny),  # B hosts
        ("workinggroups:group-approve", {"pk": w["proposed"].pk}, {}, deny),
        ("workinggroups:group-refuse", {"pk": w["proposed"].pk}, {"reason": "no"}, deny),
        ("secretariat:goal-propose", {}, {"title": "x"}, deny),  # only the president
        ("secretariat:announcement-add", {}, {"title": "x", "body": "y"}, deny),
        ("workinggroups:group-propose", {}, {"name": "x"}, deny),
        # the city comes from the user: B's ids in the body are ignored
        (
            "secretariat:followup-edit",
            {"pk": w["recommendation"].pk},
            {"state": FollowUpState.DONE, "reason": "", "city": b.pk},
            any_ok,
        ),
        ("secretariat:person-add", {}, {"name": "New", "city": b.pk, "role": "contact"}, any_ok),
        ("presidency:candidacy-submit", {"year": year}, {"statement": "x", "city": b.pk}, any_ok),
        (
            "presidency:delegation-register",
            {"year": year},
            {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0", "city": b.pk},
            any_ok,
        ),
        ("presidency:ballot-cast", {"year": year}, {"choice": "abstain", "city": b.pk}, any_ok),
        ("workinggroups:group-leave", {"slug": w["group"].slug}, {"city": b.pk}, any_ok),
        ("workinggroups:group-join", {}, {"group": w["group"].slug, "city": b.pk}, any_ok),
        (
            "workinggroups:request-create",
            {},
            {"group": w["group"].pk, "reason": "x", "city": b.pk},
            any_ok,
        ),
        ("secretariat:dashboard", {}, None, {200}),
    ]


# Pages open to everyone (or keyed by an unguessable token) that write nothing for a city;
# and the one page that rightly names another city: a mayor proposes another member city,
# whose own mayor must accept (rule S3), tested in tests/presidency.
NOT_CITY_SCOPED = {
    "secretariat:home",
    "secretariat:language",
    "secretariat:about",
    "secretariat:declaration",
    "secretariat:city-list",
    "secretariat:city-detail",
    "secretariat:application-create",
    "secretariat:application-submitted",
    "secretariat:application-status",
    "secretariat:news-list",
    "secretariat:recommendation-list",
    "secretariat:recommendation-detail",
    "presidency:timeline",
    "presidency:summit-detail",
    "presidency:candidacy-propose",
    "presidency:round-board",  # a closed round's published ballot board
    "presidency:round-board-json",
    "presidency:ballot-check",  # a tracker in, its recorded choice out; no city, no write
    "workinggroups:group-list",
    "workinggroups:feed-all",
    "workinggroups:group-detail",
    "workinggroups:feed-group",
    "reports:report-list",  # published annual reports only (404 for any other year)
    "reports:report-detail",
    "reports:report-pdf",
    "reports:report-csv",
}


def _site_url_names() -> set[str]:
    names = set()
    for namespace in ("secretariat", "presidency", "workinggroups", "reports"):
        _prefix, resolver = get_resolver().namespace_dict[namespace]
        names |= {f"{namespace}:{p.name}" for p in resolver.url_patterns if p.name}
    return names


def test_every_url_of_the_site_is_in_the_matrix(world):
    covered = {name for name, *_rest in _cases(world)} | NOT_CITY_SCOPED
    assert _site_url_names() == covered


def test_a_mayor_of_city_a_gets_nothing_of_city_b(world, mayor_client):
    before = rows_of(world["b"])
    for name, kwargs, data, allowed in _cases(world):
        url = reverse(name, kwargs=kwargs)
        get = mayor_client.get(url)
        assert get.status_code in allowed | {405}, (name, get.status_code)
        if data is not None:
            post = mayor_client.post(url, data)
            assert post.status_code in allowed, (name, post.status_code)
        assert rows_of(world["b"]) == before, name
    dashboard = mayor_client.get(reverse("secretariat:dashboard")).content.decode()
    assert "Person of Skopje" not in dashboard and "B&#x27;s plan" not in dashboard
    assert Candidacy.objects.get(pk=world["candidacy"].pk).state == "active"
    # The ballot A cast (with B's id in the body) is A's own.
    assert set(
        BallotRecord.objects.filter(round=world["round"]).values_list("city__slug", flat=True)
    ) == {"tirana", "skopje"}


def test_city_pages_refuse_visitors_and_staff(world, client, secretariat_user):
    for name, kwargs, _data, _allowed in _cases(world):
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        assert response.status_code in {302, 405}, name  # to the login page
    client.force_login(secretariat_user)  # staff do not act for a city on the site
    before = rows_of(world["b"])
    for name, kwargs, data, _allowed in _cases(world):
        if data is not None:
            assert client.post(reverse(name, kwargs=kwargs), data).status_code in {403, 302}
    assert rows_of(world["b"]) == before
