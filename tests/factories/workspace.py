"""Factories for the secretariat's workspace (roster, goals, recommendations, announcements)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from members.models import City
from presidency.models import Mandate
from secretariat.enums.workspace import AdoptedBy, Audience, Party, RosterRole
from secretariat.models.workspace import Announcement, Goal, Recommendation, RosterMember
from tests.factories.members import SecretariatUserFactory


def current_mandate_of(slug: str = "tirana") -> Mandate:
    """The mandate of this calendar year, presided by the city ``slug``."""
    year = timezone.localdate().year
    mandate, _ = Mandate.objects.get_or_create(
        year=year, defaults={"city": City.objects.get(slug=slug)}
    )
    return mandate


class RosterMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RosterMember

    user = factory.SubFactory(SecretariatUserFactory)
    role = RosterRole.EXPERT
    languages = "Turkish, English"
    english_fluent = True
    active_from = datetime.date(2024, 1, 1)


class GoalFactory(factory.django.DjangoModelFactory):
    """A goal the secretariat proposed (and so agreed); the president has not agreed yet."""

    class Meta:
        model = Goal

    mandate = factory.LazyFunction(current_mandate_of)
    title = factory.Sequence(lambda n: f"Goal {n}")
    indicator = "Cities with a climate plan"
    unit = "cities"
    baseline = Decimal("4")
    target = Decimal("12")
    proposed_by = Party.SECRETARIAT
    secretariat_agreed_at = factory.LazyFunction(timezone.now)

    class Params:
        agreed = factory.Trait(presidency_agreed_at=factory.LazyFunction(timezone.now))


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    year = 2025
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Recommendation {n}")
    text = "Adopt a local climate action plan."
    adopted_by = AdoptedBy.PRESIDENCY
    adopted_on = datetime.date(2025, 3, 1)


class AnnouncementFactory(factory.django.DjangoModelFactory):
    """An unsent announcement; send it with ``services.send_announcement``."""

    class Meta:
        model = Announcement

    title = factory.Sequence(lambda n: f"Announcement {n}")
    body = "Dear colleagues, …"
    audience = Audience.ALL
