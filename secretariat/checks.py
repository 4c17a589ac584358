"""System checks of the secretariat app (``manage.py check``)."""

from django.core.checks import Warning, register
from django.db import DatabaseError

CHECK_IDS = {"no_secretary": "secretariat.W001", "few_experts": "secretariat.W002"}


@register()
def check_roster(app_configs=None, **kwargs) -> list[Warning]:
    """Rule T2: a network secretary and at least two experts fluent in English."""
    from secretariat.selectors.workspace import roster_problems

    try:
        problems = roster_problems()
    except DatabaseError:  # no database yet, or before migrate: nothing to check
        return []
    return [
        Warning(
            message,
            hint="Record the roster in the admin: The secretariat's desk › roster.",
            obj="secretariat.RosterMember",
            id=CHECK_IDS[code],
        )
        for code, message in problems
    ]
