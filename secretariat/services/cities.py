"""The secretariat's writes on member cities that reach across floors.

A city's withdrawal touches its row (members, floor 1), its candidacies (presidency,
floor 2) and its working groups (floor 3). Only this floor may import all three, so the
whole withdrawal lives here and calls each floor's own service; every door — the City
admin's action, the shell, the demo — comes through it. (Signals from ``members`` would
hide the rule in receivers, which the house style keeps for caches.)
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from members import services as member_services
from members.models import City, User
from members.roles import is_secretariat
from presidency import services as presidency_services
from workinggroups import services as group_services


@transaction.atomic
def withdraw_member_city(*, city: City, on: datetime.date, reason: str, by: User) -> City:
    """``city`` leaves the network on ``on`` for ``reason``.

    Its group memberships end and its pending extra-session requests are declined, its
    candidacies still standing before a vote are withdrawn, its accounts no longer act for
    it, and later rounds' electorates (the active cities) leave it out. Its history stays;
    it may apply again (rule M3) and be admitted at a summit (rule M2).
    ``by`` is the secretariat user who records it.
    """
    if not is_secretariat(by):
        raise PermissionDenied(_("Only the secretariat records that a city leaves."))
    city = member_services.withdraw_city(city=city, on=on, reason=reason, by=by)
    group_services.withdraw_city_from_groups(
        city=city,
        by=by,
        reason=_("%(city)s left the network.") % {"city": city.name},
    )
    presidency_services.withdraw_city_candidacies(city=city, by=by)
    return city
