"""Reads on working groups."""

from django.db.models import Count, Q, QuerySet

from members.enums import CityStatus
from members.models import City
from workinggroups.enums import GroupState
from workinggroups.models import GroupMembership, WorkingGroup


def public_groups() -> QuerySet[WorkingGroup]:
    return (
        WorkingGroup.objects.exclude(state=GroupState.PROPOSED)
        .select_related("coordinating_city")
        .annotate(
            city_count=Count("memberships", filter=Q(memberships__city__status=CityStatus.ACTIVE))
        )
    )


def groups_of_city(city: City) -> QuerySet[WorkingGroup]:
    return WorkingGroup.objects.filter(memberships__city=city, state=GroupState.ACTIVE)


def group_memberships(group: WorkingGroup) -> QuerySet[GroupMembership]:
    return group.memberships.select_related("city", "city__country", "contact").order_by(
        "city__name"
    )
