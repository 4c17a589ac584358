"""Every admin change list asks the database the same number of queries, however many rows
it shows (STYLE 5, 8): measured on a small synthetic network, then again after it grew."""

import datetime
import itertools

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.helpers import ActionForm
from django.db import connection
from django.test import Client, RequestFactory
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common.adminlist import LeanActionForm, LeanListAdmin
from members.enums import PersonRole
from members.models import City, User
from outbox.services import queue_mail
from presidency.enums import AttemptOutcome, RoundState
from presidency.models import BallotAttempt, Candidacy, Election, LotDraw, Mandate, Round, Summit
from reports.models import AnnualReport
from secretariat.models import Announcement, AnnouncementDelivery
from tests.bench.test_pages import _grow, network  # noqa: F401 - the fixture
from tests.factories import ApplicationFactory, CountryFactory
from tests.factories.workspace import GoalFactory, RosterMemberFactory
from workinggroups.models import ExtraSessionRequest, WorkingGroup

BENCHMARKED = ["members_city", "members_person", "outbox_mail"]
OUR_APPS = {"outbox", "members", "presidency", "workinggroups", "secretariat", "reports"}


def _lists() -> list[str]:
    return sorted(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and admin.site.is_registered(model)
    )


_serial = itertools.count()


def _add_rows(count: int) -> None:
    """Rows for the lists the benchmark's network leaves empty or short."""
    now = timezone.now()
    done = ExtraSessionRequest.objects.count()  # one request per city: the next cities
    cities = list(City.objects.order_by("pk")[done : done + count])
    staff = User.objects.get(username="bench.staff")
    group = WorkingGroup.objects.order_by("pk").first()
    announcement = Announcement.objects.order_by("pk").first()
    election = Election.objects.filter(rounds__isnull=False).order_by("pk").first()
    last = election.rounds.order_by("-number").first()
    candidacy = Candidacy.objects.filter(election=election).first()
    for city in cities:
        n = next(_serial)
        CountryFactory(code=f"Z{chr(65 + n)}", name=f"Zland {n}")
        ApplicationFactory()
        RosterMemberFactory()
        GoalFactory(title=f"Goal {n}")
        ExtraSessionRequest.objects.create(
            group=group, city=city, reason="More", proposed_start=now + datetime.timedelta(n + 9)
        )
        BallotAttempt.objects.create(
            round=last, city=city, user=staff, attempted_at=now, outcome=AttemptOutcome.REFUSED
        )
        mail = queue_mail(to=[f"d{n}@bench.example"], subject="More", body="More", kind="bench")
        AnnouncementDelivery.objects.create(
            announcement=Announcement.objects.exclude(deliveries__city=city).first()
            or announcement,
            city=city,
            mail=mail,
        )
        summit = Summit.objects.create(
            year=2100 + n,
            host_city=city,
            starts_on=datetime.date(2100 + n, 11, 20),
            ends_on=datetime.date(2100 + n, 11, 21),
        )
        mayor = city.people.filter(role=PersonRole.MAYOR).first()
        mandate = Mandate.objects.create(year=2101 + n, city=city, mayor=mayor, elected_at=summit)
        AnnualReport.objects.create(year=mandate.year, mandate=mandate)
        tied = Round.objects.create(
            election=Election.objects.create(summit=summit),
            number=1,
            state=RoundState.CLOSED,
            opened_at=now,
            opened_by=staff,
        )
        LotDraw.objects.create(
            round=tied,
            started_by=staff,
            drawn_at=now,
            source="test",
            candidates=[candidacy.pk],
            drawn_index=0,
            winner=candidacy,
        )


def _measure(client: Client) -> dict[str, tuple[int, int]]:
    """Per list: (queries, rows shown)."""
    seen = {}
    for name in _lists():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name))
        assert response.status_code == 200, name
        seen[name] = (len(queries.captured_queries), len(response.context["cl"].result_list))
    return seen


def test_every_admin_list_has_a_query_count_constant_in_rows(network):  # noqa: F811
    client = Client()
    client.force_login(User.objects.get(username="bench.staff"))
    _add_rows(1)
    before = _measure(client)
    _add_rows(4)
    _grow(
        network,
        city=City.objects.order_by("-pk").first(),
        group=WorkingGroup.objects.order_by("pk").first(),
        summit=Summit.objects.filter(election__isnull=False).order_by("-year").first(),
    )
    after = _measure(client)
    queries = {name: count for name, (count, _rows) in after.items()}
    # The session, the user, counting and reading the page, a filter or two; the
    # applications show a count next to every filter choice (facets).
    assert queries.pop("admin:secretariat_application_changelist") <= 22
    # The benchmark's three (issue 15): the session (none when a shared cache keeps it), the
    # user, counting and reading the page, and one filter's choices (the countries; the
    # mails' kinds). No date hierarchy on the cities: it asked for their first and last
    # dates and for every city's year.
    benchmarked = [queries[f"admin:{name}_changelist"] for name in BENCHMARKED]
    assert max(benchmarked) <= 5, benchmarked
    assert max(queries.values()) <= 8, queries
    for name in before:  # more rows, or a full page already (or a list nothing here fills)
        grown = after[name][1] > before[name][1] or before[name][1] == LeanListAdmin.list_per_page
        assert grown or after[name][1] == 0, name
    assert {name: after[name][0] for name in after} == {name: before[name][0] for name in before}


def test_the_lean_checkbox_is_the_one_django_renders(db):
    city = City.objects.get(slug="tirana")
    model_admin = admin.site.get_model_admin(City)
    assert isinstance(model_admin, LeanListAdmin)
    assert model_admin.action_checkbox(city) == admin.ModelAdmin.action_checkbox(model_admin, city)


def test_the_lean_action_form_is_the_one_django_renders(admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    model_admin = admin.site.get_model_admin(City)
    assert model_admin.action_form is LeanActionForm
    for data in [None, {"action": "export_as_csv", "select_across": "1"}]:
        html = []
        for form_class in (ActionForm, LeanActionForm):
            form = form_class(data, auto_id=None)  # as ModelAdmin.changelist_view makes it
            form.fields["action"].choices = model_admin.get_action_choices(request)
            form.is_valid()
            html.append("".join(str(field) for field in form))
        assert parse_html(html[1]) == parse_html(html[0])
        assert ('value="export_as_csv" selected' in html[1]) is bool(data)


def test_every_list_of_ours_is_lean():
    lean = {
        model._meta.label
        for model in apps.get_models()
        if admin.site.is_registered(model)
        and isinstance(admin.site.get_model_admin(model), LeanListAdmin)
    }
    assert {name.split(":")[1].rsplit("_", 1)[0] for name in _lists()} == {
        label.lower().replace(".", "_") for label in lean
    }
