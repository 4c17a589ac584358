import importlib

import pytest
from django.apps import apps

# Transactional tests flush the database after each test; these data migrations put the
# network's own data (founders, founding summit, the W2 groups, the group) back first.
DATA_MIGRATIONS = [
    "members.migrations.0002_founding_members",
    "members.migrations.0006_founders_coordinates",
    "presidency.migrations.0002_founding_summit",
    "presidency.migrations.0004_mandate_s4_guard_and_permissions",
    "workinggroups.migrations.0002_initial_groups",
    "secretariat.migrations.0002_application_permissions",
    "workinggroups.migrations.0004_secretariat_permissions",
    "workinggroups.migrations.0006_founding_groups_in_languages",
    "secretariat.migrations.0004_workspace_permissions",
    "presidency.migrations.0005_ballot_attempts",
    "reports.migrations.0002_report_permissions",
    "members.migrations.0008_city_withdrawal",
    "secretariat.migrations.0014_mandate_opening_meeting",
]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A desktop wide enough for the full menu: below 1400 px it folds behind a toggle
    (issue 18), and these journeys click its links. test_accessibility.py checks 1280,
    1440 and 390 px itself."""
    return {**browser_context_args, "viewport": {"width": 1440, "height": 900}}


@pytest.fixture
def founding_data(transactional_db):
    from members.models import City

    if not City.objects.exists():
        for module in DATA_MIGRATIONS:
            importlib.import_module(module).load(apps, None)


@pytest.fixture
def site(founding_data, live_server, page):
    """A Chromium page and the live server's address, on the network's founding data."""
    page.set_default_timeout(10_000)
    return live_server.url


@pytest.fixture
def summit_eve(founding_data, monkeypatch):
    """The eve of the 2026 summit at Athens, whose city holds the 2026 mandate (the sitting
    president hosts, rule S6), and a secretariat user: ``(summit, staff)``. Candidacies are
    made on the eve, the vote on the first day (rule S2): the live server runs in this
    process and reads the same clock (``CLOCK.to_summit()``)."""
    from django.utils import timezone

    from members.models import City
    from presidency.models import Mandate
    from tests.factories import SecretariatUserFactory, SummitFactory
    from tests.presidency.conftest import CLOCK, SUMMIT_EVE

    CLOCK.set(SUMMIT_EVE)
    monkeypatch.setattr(timezone, "now", CLOCK)
    athens = City.objects.get(slug="athens")
    summit = SummitFactory(year=2026, host_city=athens)
    Mandate.objects.create(year=2026, city=athens)
    return summit, SecretariatUserFactory(username="secretariat")


def as_user(page, base_url: str, username: str) -> None:
    """Log in afresh as ``username`` (the factories' password)."""
    from tests.factories.members import PASSWORD

    page.context.clear_cookies()
    login(page, base_url, username, PASSWORD)


def login(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
