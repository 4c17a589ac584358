import datetime
import zoneinfo

import pytest
from django.utils import timezone

from members.models import City
from presidency import services
from presidency.models import Mandate
from tests.factories import CityUserFactory, ElectionFactory, SummitFactory


def city(slug: str) -> City:
    return City.objects.get(slug=slug)


def mayor_of(slug: str):
    return CityUserFactory(city=city(slug), username=f"mayor.{slug}")


@pytest.fixture
def staff(secretariat_user):
    return secretariat_user


ISTANBUL = zoneinfo.ZoneInfo("Europe/Istanbul")
# The 2026 summit of the factory is held on 20–21 November 2026. The step from its eve to
# its first day is shorter than a session (SESSION_COOKIE_AGE), so logins made on the eve last.
SUMMIT_EVE = datetime.datetime(2026, 11, 19, 23, 0, tzinfo=ISTANBUL)
SUMMIT_DAY = datetime.datetime(2026, 11, 20, 0, 30, tzinfo=ISTANBUL)


class Clock:
    """The portal's time for a test (``timezone.now``), set by the test: rule S2 makes
    candidacies close before the summit and rounds open only on its days."""

    def __init__(self, moment: datetime.datetime):
        self.moment = moment

    def __call__(self) -> datetime.datetime:
        return self.moment

    def set(self, moment: datetime.datetime) -> None:
        self.moment = moment

    def to_summit(self) -> None:
        self.moment = max(self.moment, SUMMIT_DAY)


CLOCK = Clock(SUMMIT_EVE)


@pytest.fixture
def clock(monkeypatch):
    CLOCK.set(SUMMIT_EVE)
    monkeypatch.setattr(timezone, "now", CLOCK)
    return CLOCK


@pytest.fixture
def summit(db, clock):
    """The 2026 summit, hosted by Athens, which holds the 2026 mandate (rule S6).

    The clock stands on the summit's eve (the candidacy period); ``start_voting`` moves it
    to the summit's first day."""
    summit = SummitFactory(year=2026, host_city=city("athens"))
    Mandate.objects.create(year=2026, city=city("athens"))
    return summit


@pytest.fixture
def election(summit, staff):
    """The 2026 election with its candidacy period open."""
    election = ElectionFactory(summit=summit)
    return services.open_candidacy(election=election, by=staff)


def stand(election, *slugs, by):
    return [services.submit_candidacy(election=election, city=city(s), by=by) for s in slugs]


def start_voting(election, *slugs, by, secret=True):
    """Candidacies for ``slugs``, period closed, round 1 open."""
    if election.is_secret != secret:
        election.is_secret = secret
        election.save()
    candidacies = stand(election, *slugs, by=by)
    services.close_candidacy(election=election, by=by)
    CLOCK.to_summit()
    round_ = services.open_round(election=election, by=by)
    return round_, candidacies


def vote(round_, choices: dict, by):
    """``choices``: city slug -> candidacy (or None to abstain), entered as paper ballots."""
    for slug, choice in choices.items():
        services.cast_ballot(round=round_, city=city(slug), choice=choice, by=by, paper=True)
