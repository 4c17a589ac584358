from django.db import models
from django.utils.translation import pgettext_lazy


class SummitState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("summit state", "Planned")
    OPEN = "open", pgettext_lazy("summit state", "Open")
    CLOSED = "closed", pgettext_lazy("summit state", "Closed")


class DelegateRole(models.TextChoices):
    HEAD = "head", pgettext_lazy("delegate role", "Head of delegation")
    MEMBER = "member", pgettext_lazy("delegate role", "Member")


class ElectionState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("election state", "Planned")
    CANDIDACY = "candidacy", pgettext_lazy("election state", "Candidacy period open")
    CANDIDACY_CLOSED = "closed-cand", pgettext_lazy("election state", "Candidacy period closed")
    VOTING = "voting", pgettext_lazy("election state", "Voting")
    CLOSED = "closed", pgettext_lazy("election state", "Closed")


class CandidacyState(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("candidacy state", "Proposed, awaiting acceptance")
    ACTIVE = "active", pgettext_lazy("candidacy state", "Candidate")
    DECLINED = "declined", pgettext_lazy("candidacy state", "Proposal declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("candidacy state", "Withdrawn")
    RETRACTED = (
        "retracted",
        pgettext_lazy("candidacy state", "Proposal withdrawn by the proposing city"),
    )


class RoundState(models.TextChoices):
    OPEN = "open", pgettext_lazy("round state", "Open")
    CLOSED = "closed", pgettext_lazy("round state", "Closed")


class RoundOutcome(models.TextChoices):
    PENDING = "", pgettext_lazy("round outcome", "Not counted yet")
    ELECTED = "elected", pgettext_lazy("round outcome", "A candidate is elected")
    RUNOFF = "runoff", pgettext_lazy("round outcome", "No majority: a further round")
    TIE = "tie", pgettext_lazy("round outcome", "All candidates tied: settled by lot")
    SECOND_TIE = (
        "second-tie",
        pgettext_lazy("round outcome", "Tie for second place: a lot draws who goes through"),
    )
    LOT = "lot", pgettext_lazy("round outcome", "Elected by lot")
    NOT_ELECTED = (
        "not-elected",
        pgettext_lazy(
            "round outcome",
            "The single candidate did not receive more votes than abstentions: nobody is elected",
        ),
    )
    NO_BALLOTS = (
        "no-ballots",
        pgettext_lazy("round outcome", "No ballot named a candidate: nobody is elected"),
    )


class AttemptOutcome(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("ballot attempt", "Accepted")
    REFUSED = "refused", pgettext_lazy("ballot attempt", "Refused")
