"""May this be done? The checks a presidency write runs before it writes.

Each is a plain function that raises ``PermissionDenied`` (not this person) or
``ValidationError`` (not now, naming the rule). The services call them inside their
transaction, on locked rows; the selectors call the same functions to tell a page which
buttons to show (``can_declare``, ``can_withdraw``, ``can_vote``, ...), so a template never
repeats a rule in other words.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import City, User
from members.roles import acts_for_city, is_secretariat
from presidency.enums import CandidacyState, ElectionState, RoundState, SummitState
from presidency.models import BallotRecord, Candidacy, Election, Mandate, Round, Summit
from presidency.validators import validate_not_consecutive

# --- who may act ------------------------------------------------------------------------


def require_secretariat(*, by: User) -> None:
    if not is_secretariat(by):
        raise PermissionDenied(_("Only the secretariat may do this."))


def require_mayor_or_secretariat(*, by: User, city: City) -> None:
    """A candidacy is the mayor's act for their own city (rule S3); the secretariat may
    record one on the city's behalf in the admin."""
    if is_secretariat(by):
        return
    if not acts_for_city(by, city, mayor=True):
        raise PermissionDenied(_("Only the mayor of %(city)s may do this.") % {"city": city})


def require_city_user_or_secretariat(*, by: User, city: City) -> None:
    if is_secretariat(by):
        return
    if not acts_for_city(by, city):
        raise PermissionDenied(_("You do not act for %(city)s.") % {"city": city})


# --- delegations (rule S7) --------------------------------------------------------------


def check_register_delegation(*, summit: Summit, city: City, by: User) -> None:
    """A member city registers its delegation until the deadline; the secretariat also
    after it (a late registration by mail, entered in the admin)."""
    require_city_user_or_secretariat(by=by, city=city)
    if not city.is_active:
        raise ValidationError(_("Only an active member city sends a delegation."))
    if summit.state == SummitState.CLOSED:
        raise ValidationError(_("This summit is closed."))
    deadline = summit.registration_deadline
    if not is_secretariat(by) and (deadline is None or timezone.now() > deadline):
        raise ValidationError(_("Registration of delegations for this summit is not open."))


STAY_MARGIN_DAYS = 2  # rule S7: the host lodges delegates from two days before to two after


def check_delegates(*, summit: Summit, delegates) -> None:
    """A delegation's people (``DelegateData``-like: name, role, arrives_on, departs_on):
    at least one, exactly one head, every stay within the summit's days give or take
    ``STAY_MARGIN_DAYS`` (rule S7: the host pays lodging and meals of these stays)."""
    import datetime

    from presidency.enums import DelegateRole

    delegates = list(delegates)
    if not delegates:
        raise ValidationError(_("A delegation has at least one person."), code="empty")
    if sum(1 for d in delegates if d.role == DelegateRole.HEAD) != 1:
        raise ValidationError(_("A delegation has exactly one head of delegation."), code="head")
    margin = datetime.timedelta(days=STAY_MARGIN_DAYS)
    first, last = summit.starts_on - margin, summit.ends_on + margin
    for d in delegates:
        if d.departs_on < d.arrives_on:
            raise ValidationError(
                _("%(name)s cannot leave before arriving.") % {"name": d.name}, code="dates"
            )
        if d.arrives_on > summit.ends_on or d.departs_on < summit.starts_on:
            raise ValidationError(
                _("%(name)s's stay does not overlap the summit (%(start)s – %(end)s).")
                % {"name": d.name, "start": summit.starts_on, "end": summit.ends_on},
                code="rule_s7",
            )
        if d.arrives_on < first or d.departs_on > last:
            raise ValidationError(
                _(
                    "Rule S7: the host lodges delegates from %(first)s to %(last)s (two days "
                    "either side of the summit); %(name)s's stay goes beyond."
                )
                % {"first": first, "last": last, "name": d.name},
                code="rule_s7",
            )


def check_see_lodging(*, summit: Summit, by: User) -> None:
    """Rule S7 in numbers is for the host city and the secretariat."""
    if not (is_secretariat(by) or acts_for_city(by, summit.host_city)):
        raise PermissionDenied


# --- candidacies (rules S2–S4) ----------------------------------------------------------


def check_candidacy_period(election: Election) -> None:
    if election.state != ElectionState.CANDIDACY:
        # rule S2: cities declare their candidacy during the period the secretariat opens.
        raise ValidationError(
            _("Rule S2: the candidacy period of this election is not open."), code="rule_s2"
        )
    check_before_summit(election.summit)


def check_before_summit(summit: Summit) -> None:
    """rule S2 (Reading adopted): candidacies close before the summit opens."""
    if timezone.localdate() >= summit.starts_on:
        raise ValidationError(
            _(
                "Rule S2: candidacies close before the summit opens (%(date)s); the cities "
                "elect from the candidates declared by then."
            )
            % {"date": summit.starts_on},
            code="rule_s2_time",
        )


def check_summit_day(summit: Summit) -> None:
    """rule S2: the presiding city is elected at the summit; a round opens only on its days."""
    today = timezone.localdate()
    if not summit.starts_on <= today <= summit.ends_on:
        raise ValidationError(
            _(
                "Rule S2: the election is held at the summit; a round opens only on its days "
                "(%(start)s – %(end)s)."
            )
            % {"start": summit.starts_on, "end": summit.ends_on},
            code="rule_s2_time",
        )


def check_eligibility(
    *, election: Election, city: City, candidacy: Candidacy | None = None
) -> None:
    """Can ``city`` stand in ``election``? Raises a ValidationError naming the rule.

    The one check every door goes through: the city's page, the proposal and its
    acceptance, the admin, the shell.
    """
    check_candidacy_period(election)
    if not city.is_active:
        # rule S3: every member city may stand.
        raise ValidationError(
            _("Rule S3: only an active member city may stand; %(city)s is not one.")
            % {"city": city},
            code="rule_s3",
        )
    year = election.summit.year
    if Mandate.objects.filter(city=city, year=year).exists():
        # rule S4: the sitting president cannot be elected for the next year (the city, not
        # the person: a new mayor does not reset it).
        raise ValidationError(
            _(
                "Rule S4: %(city)s holds the presidency of %(year)s; the sitting president "
                "cannot be elected for the next year."
            )
            % {"city": city, "year": year},
            code="rule_s4",
        )
    validate_not_consecutive(city=city, year=year + 1)  # rule S4, e.g. a mandate typed for N+2
    others = Candidacy.objects.filter(election=election, city=city)
    if candidacy is not None:
        others = others.exclude(pk=candidacy.pk)
    if others.exists():
        # rule S2: one candidacy per city per election (also a database constraint).
        raise ValidationError(
            _("Rule S2: %(city)s already has a candidacy in this election (one per city).")
            % {"city": city},
            code="rule_s2_one",
        )


def declarable(candidacy: Candidacy | None) -> Candidacy | None:
    """The row a city's own declaration turns into its candidacy: a proposal by another city
    that is pending, was declined or withdrawn by its proposer (a city's own withdrawal is
    final)."""
    if candidacy is not None and candidacy.state in (
        CandidacyState.PROPOSED,
        CandidacyState.DECLINED,
        CandidacyState.RETRACTED,
    ):
        return candidacy
    return None


def check_declare(*, election: Election, city: City, proposal: Candidacy | None, by: User) -> None:
    """The mayor declares the city's own candidacy (rules S2, S3); ``proposal`` is
    :func:`declarable` of the city's row in this election."""
    require_mayor_or_secretariat(by=by, city=city)
    check_eligibility(election=election, city=city, candidacy=proposal)


def check_propose(*, election: Election, proposed_by: City, by: User) -> None:
    """The mayor of ``proposed_by`` may propose another member city (rule S3) now; the
    proposed city's own eligibility is checked when it is named."""
    require_mayor_or_secretariat(by=by, city=proposed_by)
    if not proposed_by.is_active:
        raise ValidationError(_("Rule S3: only an active member city may propose a candidate."))
    check_candidacy_period(election)


def check_decline(*, candidacy: Candidacy, by: User) -> None:
    require_mayor_or_secretariat(by=by, city=candidacy.city)
    if candidacy.state != CandidacyState.PROPOSED:
        raise ValidationError(_("This proposal is no longer awaiting an answer."))


def check_accept(*, candidacy: Candidacy, by: User) -> None:
    """The proposed city's mayor accepts: only then is the city a candidate (rule S3).

    Nobody stands in for that consent, the secretariat included: it may only record a
    consent given on paper, with the document's reference (:func:`check_paper_consent`)."""
    if not acts_for_city(by, candidacy.city, mayor=True):
        raise PermissionDenied(
            _("Rule S3: only the mayor of %(city)s accepts a proposal for %(city)s.")
            % {"city": candidacy.city}
        )
    _check_pending(candidacy)
    check_eligibility(election=candidacy.election, city=candidacy.city, candidacy=candidacy)


def _check_pending(candidacy: Candidacy) -> None:
    if candidacy.state != CandidacyState.PROPOSED:
        raise ValidationError(_("This proposal is no longer awaiting an answer."))


def check_paper_consent(*, candidacy: Candidacy, reference: str, by: User) -> None:
    """The secretariat records the proposed mayor's consent given on paper (rule S3): only
    with the reference of the document that carries it."""
    require_secretariat(by=by)
    if not (reference or "").strip():
        raise ValidationError(
            _("Rule S3: give the reference of the document in which the mayor consents."),
            code="rule_s3_reference",
        )
    _check_pending(candidacy)
    check_eligibility(election=candidacy.election, city=candidacy.city, candidacy=candidacy)


def check_withdraw_proposal(*, candidacy: Candidacy, by: User) -> None:
    """The proposing city may withdraw its proposal while it awaits an answer."""
    if candidacy.proposed_by is None:
        raise ValidationError(_("This candidacy was not proposed by another city."))
    require_mayor_or_secretariat(by=by, city=candidacy.proposed_by)
    _check_pending(candidacy)


def check_withdraw(*, candidacy: Candidacy, election: Election, by: User) -> None:
    """A candidate may withdraw until voting starts."""
    require_mayor_or_secretariat(by=by, city=candidacy.city)
    if election.state in (ElectionState.VOTING, ElectionState.CLOSED) or election.rounds.exists():
        raise ValidationError(_("Voting has started: a candidacy can no longer be withdrawn."))
    if candidacy.state not in (CandidacyState.ACTIVE, CandidacyState.PROPOSED):
        raise ValidationError(_("This candidacy is not standing."))


# --- ballots (rule P1) --------------------------------------------------------------------


def check_ballot(
    *, round_: Round, state: str | None, city: City, by: User, paper: bool = False
) -> None:
    """May ``city`` cast its ballot in ``round_`` now (whose state is ``state``, read under
    the service's lock)? The mayor or a delegate votes for their own city; the secretariat
    enters a paper ballot on a city's behalf."""
    if paper:
        require_secretariat(by=by)
    elif not acts_for_city(by, city):
        raise PermissionDenied(_("You vote only for your own city."))
    if state != RoundState.OPEN:
        raise ValidationError(_("This round is not open for voting."), code="round_closed")
    if not round_.electorate.filter(pk=city.pk).exists():
        raise ValidationError(
            _(
                "Rule P1: %(city)s is not in the electorate of this round (the active member "
                "cities when it opened)."
            )
            % {"city": city},
            code="not_elector",
        )
    if BallotRecord.objects.filter(round=round_, city=city).exists():
        raise ValidationError(already_voted(city), code="already_voted")


def already_voted(city: City) -> str:
    return _("Rule P1: %(city)s has already voted in this round.") % {"city": city}
