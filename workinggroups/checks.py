"""May this be done? Checks a working-group write runs before it writes; the selectors call
the same functions for the pages' ``can_*`` flags (see ``presidency.checks``)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from members.models import City, Person
from workinggroups.enums import GroupState
from workinggroups.models import GroupMembership, WorkingGroup


def check_join_group(*, group: WorkingGroup, city: City, contact: Person | None = None) -> None:
    """An active member city joins an active group; its contact point is one of its people.
    The site's join button and the admin's membership inline both ask this."""
    if group.state != GroupState.ACTIVE:
        raise ValidationError(_("Only an active working group can be joined."))
    if not city.is_active:
        raise ValidationError(_("Only an active member city can join a working group."))
    if contact is not None and contact.city_id != city.pk:
        raise ValidationError({"contact": _("The contact point must be one of the city's people.")})


def check_request_extra_session(*, group: WorkingGroup, city: City) -> None:
    """Rule W4: any active member city of an active group may ask for an extra session."""
    if not city.is_active:
        raise PermissionDenied(_("Only an active member city may request an extra session."))
    if not GroupMembership.objects.filter(group=group, city=city).exists():
        raise PermissionDenied(_("Only a member city of the group may request an extra session."))
    if group.state != GroupState.ACTIVE:
        raise ValidationError(_("Only an active group can be convened."))
