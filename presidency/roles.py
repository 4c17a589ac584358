"""The roles that come from a mandate (STYLE 17): the presiding mayor and the presidency.

The secretariat and "acts for their own city" are in ``members.roles``; these need the
mandates, one floor up.
"""

import datetime
from dataclasses import dataclass

from members.models import User
from members.roles import acts_for_city
from presidency.models import Mandate


def presiding_city_id(on: datetime.date) -> int | None:
    """The city holding the mandate of ``on``'s calendar year (rule S5), if any."""
    return Mandate.objects.filter(year=on.year).values_list("city_id", flat=True).first()


def is_presiding_mayor(user: User | None, *, on: datetime.date) -> bool:
    """The president on ``on``: the mayor of the presiding city (rules S1, S8).

    A delegate of that city is not the president; a new mayor of the city is (the mandate
    is the city's, rule S4's reading).
    """
    return presidency_roles(user, on=on).is_presiding_mayor


def acts_for_presidency(user: User | None, *, on: datetime.date) -> bool:
    """The Presidency's key of rule W5: the presiding city's mayor or one of its delegates
    (the presiding city's team, rule T1)."""
    return presidency_roles(user, on=on).acts_for_presidency


@dataclass(frozen=True)
class PresidencyRoles:
    """Both roles of one user on one day, for a page that asks both (the city dashboard)."""

    acts_for_presidency: bool
    is_presiding_mayor: bool


NO_PRESIDENCY_ROLE = PresidencyRoles(acts_for_presidency=False, is_presiding_mayor=False)


def presidency_roles(user: User | None, *, on: datetime.date) -> PresidencyRoles:
    """:func:`acts_for_presidency` and :func:`is_presiding_mayor` of ``user`` on ``on``."""
    if not acts_for_city(user):
        return NO_PRESIDENCY_ROLE  # nobody's mandate to read
    return presidency_roles_under(user, presiding_city_id=presiding_city_id(on))


def presidency_roles_under(user: User | None, *, presiding_city_id: int | None) -> PresidencyRoles:
    """Both roles of ``user`` in the year whose mandate ``presiding_city_id`` holds, read by
    the caller (the city dashboard reads it with the city's own mandates). The one place
    that says who acts for the presidency and who presides."""
    presides = acts_for_city(user) and user.city_id == presiding_city_id
    return PresidencyRoles(
        acts_for_presidency=presides,
        is_presiding_mayor=presides and acts_for_city(user, mayor=True),
    )
