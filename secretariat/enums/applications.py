"""States of a membership application and the one table of allowed moves (rules M2, M3)."""

from django.db import models
from django.utils.translation import pgettext_lazy


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("application state", "Submitted")
    UNDER_REVIEW = "review", pgettext_lazy("application state", "Under review")
    PROPOSED = "proposed", pgettext_lazy("application state", "Proposed to a summit")
    ADMITTED = "admitted", pgettext_lazy("application state", "Admitted")
    DECLINED = "declined", pgettext_lazy("application state", "Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("application state", "Withdrawn")


# An application is "open" until it is admitted, declined or withdrawn; a city has at
# most one open application at a time (a database constraint says so).
OPEN_STATES: frozenset[str] = frozenset(
    {ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW, ApplicationState.PROPOSED}
)

# The whole state machine: from a state, the states it may move to. Every door (the
# public status page, the admin form, the admin actions, the shell) goes through
# secretariat.services.applications.transition_application, which reads only this.
# Declining is a decision of the review: possible once the application is under review
# or proposed, not before anyone has read it. Withdrawing is possible from any open state.
TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationState.SUBMITTED: frozenset(
        {ApplicationState.UNDER_REVIEW, ApplicationState.WITHDRAWN}
    ),
    ApplicationState.UNDER_REVIEW: frozenset(
        {ApplicationState.PROPOSED, ApplicationState.DECLINED, ApplicationState.WITHDRAWN}
    ),
    ApplicationState.PROPOSED: frozenset(
        {ApplicationState.ADMITTED, ApplicationState.DECLINED, ApplicationState.WITHDRAWN}
    ),
    ApplicationState.ADMITTED: frozenset(),
    ApplicationState.DECLINED: frozenset(),
    ApplicationState.WITHDRAWN: frozenset(),
}


def allowed_transitions(state: str) -> frozenset[str]:
    return TRANSITIONS.get(state, frozenset())
