"""May this be done? Checks a working-group write runs before it writes; the selectors call
the same functions for the pages' ``can_*`` flags (see ``presidency.checks``)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from members.models import City
from workinggroups.enums import GroupState
from workinggroups.models import GroupMembership, WorkingGroup


def check_request_extra_session(*, group: WorkingGroup, city: City) -> None:
    """Rule W4: any member city of an active group may ask for an extra session."""
    if not GroupMembership.objects.filter(group=group, city=city).exists():
        raise PermissionDenied(_("Only a member city of the group may request an extra session."))
    if group.state != GroupState.ACTIVE:
        raise ValidationError(_("Only an active group can be convened."))
