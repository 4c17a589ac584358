import pytest

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


@pytest.fixture
def summit(db):
    """The 2026 summit, hosted by Athens, which holds the 2026 mandate (rule S6)."""
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
    round_ = services.open_round(election=election, by=by)
    return round_, candidacies


def vote(round_, choices: dict, by):
    """``choices``: city slug -> candidacy (or None to abstain), entered as paper ballots."""
    for slug, choice in choices.items():
        services.cast_ballot(round=round_, city=city(slug), choice=choice, by=by, paper=True)
