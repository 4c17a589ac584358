"""Fixtures shared by the whole suite."""

import os
import shutil

import pytest

# Sync Playwright runs an event loop in the test thread; Django must still allow the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if IN_CI:
            pytest.fail(f"CI needs Chromium for the browser tests, none at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium); browser test skipped")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _still_rate_limit_window(monkeypatch):
    """django-ratelimit counts in fixed windows; one turning over mid-test resets the count.

    A test posting three times under "2/m" failed when the second fell in the next window,
    so within a test the limiter's clock stands still.
    """
    import time

    import django_ratelimit.core

    now = time.time()
    clock = type("StillClock", (), {"time": staticmethod(lambda: now)})
    monkeypatch.setattr(django_ratelimit.core, "time", clock)


@pytest.fixture
def secretariat_user(db):
    from tests.factories import SecretariatUserFactory

    return SecretariatUserFactory()


@pytest.fixture
def mayor(db):
    """The mayor of Tirana (a founding city), logged-in-able with password 'pw-mayor-123'."""
    from members.models import City
    from tests.factories import CityUserFactory

    return CityUserFactory(city=City.objects.get(slug="tirana"), username="mayor.tirana")


@pytest.fixture
def mayor_client(client, mayor):
    client.force_login(mayor)
    return client


@pytest.fixture
def secretariat_client(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


def _require_postgres() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("this test must run on PostgreSQL in CI")
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://...)")


@pytest.fixture
def postgres_only(db):
    """For tests that need PostgreSQL (races SQLite hides). In CI's PostgreSQL run
    (REQUIRE_POSTGRES=1) a missing PostgreSQL fails instead of skipping (RELIABILITY 23)."""
    _require_postgres()


@pytest.fixture
def postgres_transactional(transactional_db):
    """PostgreSQL with committed data, for tests that other processes must see."""
    _require_postgres()


def pytest_report_header(config):
    import django
    from django.conf import settings

    django.setup()
    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    broker = settings.REAL_BROKER_URL or "none (eager)"
    return [f"b40: database={db}, broker={broker}, CI={IN_CI}"]
