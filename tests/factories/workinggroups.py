import datetime

import factory
from django.utils import timezone

from tests.factories.members import CityFactory
from workinggroups.enums import GroupState, MeetingKind
from workinggroups.models import GroupMembership, Meeting, WorkingGroup


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    """An active group that went through both keys of rule W5."""

    class Meta:
        model = WorkingGroup

    name = factory.Sequence(lambda n: f"Working group {n}")
    slug = factory.Sequence(lambda n: f"working-group-{n}")
    topic = "A topic of the agenda."
    state = GroupState.ACTIVE
    created_on = datetime.date(2025, 1, 15)
    presidency_approved_at = factory.LazyFunction(timezone.now)
    secretariat_approved_at = factory.LazyFunction(timezone.now)


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(WorkingGroupFactory)
    city = factory.SubFactory(CityFactory)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.SubFactory(WorkingGroupFactory)
    kind = MeetingKind.REGULAR
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + datetime.timedelta(minutes=90))
    regular_slot = factory.LazyAttribute(
        lambda m: timezone.localdate(m.starts_at) if m.kind == MeetingKind.REGULAR else None
    )
    agenda = "Projects of the members."
