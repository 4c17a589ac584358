"""Writes on summits, delegations, candidacies, elections and mandates.

Every door (the city's pages, the admin, the shell) comes through these functions, so each
rule of the charter is checked in exactly one place and cited (``# rule S4``).
"""

import datetime
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history.utils import update_change_reason

from members.models import City, Person, User
from members.selectors import active_cities, contact_emails_of, current_mayor
from outbox.services import Message, queue_mail, queue_mails
from presidency import board, checks, counting
from presidency.checks import check_eligibility
from presidency.enums import (
    AttemptOutcome,
    CandidacyState,
    ElectionState,
    RoundOutcome,
    RoundState,
)
from presidency.models import (
    BallotAttempt,
    BallotRecord,
    Candidacy,
    Delegate,
    Delegation,
    Election,
    LotDraw,
    Mandate,
    Round,
    Summit,
    Vote,
)

logger = logging.getLogger("presidency.ballots")

LOT_SOURCE = "secrets.SystemRandom (the operating system's CSPRNG, os.urandom)"


# --- mandates (rules S1, S4, S5) -------------------------------------------------------


REASON_MAX = 100  # django-simple-history's history_change_reason
S4_CONSTRAINT = "presidency_mandate_not_consecutive"  # PostgreSQL's exclusion (migration 0004)


def _s4_refused(city: City, year: int) -> ValidationError:
    return ValidationError(
        _(
            "Rule S4: %(city)s holds a mandate next to %(year)s; no city holds two "
            "consecutive mandates."
        )
        % {"city": city, "year": year},
        code="rule_s4",
    )


def _save_mandate(mandate: Mandate) -> Mandate:
    """``full_clean`` (rules S4, S5, S6, the one-per-year constraint), then the save; a
    write the database refuses past ``clean()`` (a parallel one) gives the rule's message."""
    mandate.full_clean()
    try:
        with transaction.atomic():
            mandate.save()
    except IntegrityError as exc:
        if S4_CONSTRAINT in str(exc):
            raise _s4_refused(mandate.city, mandate.year) from exc
        raise ValidationError(
            _("There is already a mandate for this year (rule S1)."), code="rule_s1"
        ) from exc
    return mandate


@transaction.atomic
def record_mandate(
    *,
    year: int,
    city: City,
    mayor: Person | None = None,
    elected_at: Summit | None = None,
) -> Mandate:
    """Record a presidential mandate: by closing an election, or (the network's history
    before the portal) by the secretariat. Rules S4, S5 and S6 are checked by
    ``Mandate.clean``; on PostgreSQL an exclusion constraint backs rule S4 up."""
    return _save_mandate(Mandate(year=year, city=city, mayor=mayor, elected_at=elected_at))


@transaction.atomic
def correct_mandate_mayor(
    *, mandate: Mandate, mayor: Person | None, reason: str, by: User
) -> Mandate:
    """The one change a mandate admits: the mayor who serves it (the mayor changed, or was
    recorded wrongly), with the reason kept in the mandate's history. The city, the year and
    the summit that elected it are fixed (rules S4, S5, S6)."""
    checks.require_secretariat(by=by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the correction."))
    if len(reason) > REASON_MAX:
        raise ValidationError(_("Say the reason in at most %(n)d characters.") % {"n": REASON_MAX})
    mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
    mandate.mayor = mayor
    mandate.full_clean()
    mandate.save()
    update_change_reason(mandate, reason)  # the history row of this change keeps the reason
    return mandate


@transaction.atomic
def plan_summit(
    *,
    year: int,
    host_city: City,
    starts_on: datetime.date,
    ends_on: datetime.date,
    venue: str = "",
    programme: str = "",
    by: User,
) -> Summit:
    """Plan a summit: the host is the city holding that year's mandate (rule S6), its year
    the year of its first day (also a database constraint)."""
    checks.require_secretariat(by=by)
    summit = Summit(
        year=year,
        host_city=host_city,
        starts_on=starts_on,
        ends_on=ends_on,
        venue=venue,
        programme=programme,
    )
    summit.full_clean()
    summit.save()
    return summit


# --- delegations (rule S7) -------------------------------------------------------------


@dataclass(frozen=True)
class DelegateData:
    name: str
    role: str
    arrives_on: datetime.date
    departs_on: datetime.date


@transaction.atomic
def register_delegation(
    *, summit: Summit, city: City, delegates: Iterable[DelegateData], by: User
) -> Delegation:
    """Register (or replace) a member city's delegation before the summit's deadline: the
    one door for the city's page and the admin (its change form and delegates inline)."""
    checks.check_register_delegation(summit=summit, city=city, by=by)
    delegates = list(delegates)
    checks.check_delegates(summit=summit, delegates=delegates)  # head, stays (rule S7)
    delegation, _created = Delegation.objects.select_for_update().get_or_create(
        summit=summit, city=city, defaults={"registered_by": by}
    )
    delegation.registered_by = by
    delegation.save()
    delegation.delegates.all().delete()
    for d in delegates:
        delegate = Delegate(
            delegation=delegation,
            name=d.name.strip(),
            role=d.role,
            arrives_on=d.arrives_on,
            departs_on=d.departs_on,
        )
        delegate.full_clean()
        delegate.save()
    return delegation


@transaction.atomic
def set_delegation_presence(*, delegation: Delegation, present: bool, by: User) -> Delegation:
    checks.require_secretariat(by=by)
    delegation.present = present
    delegation.save(update_fields=["present", "updated_at"])
    return delegation


# --- the candidacy period and candidacies (rules S2–S4) --------------------------------


ELECTION_SUBJECTS = {
    "candidacy-open": gettext_lazy("B40: the candidacy period for the presidency is open"),
    "candidacy-closed": gettext_lazy("B40: the candidacy period is closed"),
    "round-open": gettext_lazy("B40: a round of the presidential election is open"),
    "result": gettext_lazy("B40: the result of the presidential election"),
    "board": gettext_lazy("B40: a round is closed: its count and the ballot board's digest"),
}


def _mail_member_cities(event: str, election: Election, **context) -> int:
    """Tell every active member city (its current people with an address) what happened in
    the election, through the outbox, in the network's working language (rule T2). One
    mail per city; sent after the commit. Returns the number of mails."""
    cities = list(active_cities())
    emails = contact_emails_of(cities)
    link = f"{settings.SITE_URL}{election.summit.get_absolute_url()}"
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(ELECTION_SUBJECTS[event])
        body = render_to_string(
            "presidency/mail/election_news.txt",
            {
                "event": event,
                "election": election,
                "next_year": election.summit.year + 1,
                "link": link,
                **context,
            },
        )
        messages = [
            Message(to=emails[city.pk], subject=subject, body=body, kind=f"election-{event}")
            for city in cities
            if emails.get(city.pk)
        ]
    return len(queue_mails(messages))


def _lock_election(election: Election) -> Election:
    return Election.objects.select_for_update().select_related("summit").get(pk=election.pk)


@transaction.atomic
def open_candidacy(*, election: Election, by: User) -> Election:
    checks.require_secretariat(by=by)
    election = _lock_election(election)
    if election.state not in (ElectionState.PLANNED, ElectionState.CANDIDACY_CLOSED):
        raise ValidationError(_("The candidacy period can only open before voting starts."))
    election.state = ElectionState.CANDIDACY
    election.candidacy_opened_at = timezone.now()
    election.save()
    _mail_member_cities("candidacy-open", election)
    return election


@transaction.atomic
def close_candidacy(*, election: Election, by: User) -> Election:
    checks.require_secretariat(by=by)
    election = _lock_election(election)
    if election.state != ElectionState.CANDIDACY:
        raise ValidationError(_("The candidacy period is not open."))
    election.state = ElectionState.CANDIDACY_CLOSED
    election.candidacy_closed_at = timezone.now()
    election.save()
    candidates = election.candidacies.filter(state=CandidacyState.ACTIVE).select_related("city")
    _mail_member_cities("candidacy-closed", election, candidates=candidates)
    return election


def _save_candidacy(candidacy: Candidacy) -> Candidacy:
    candidacy.full_clean()
    try:
        with transaction.atomic():
            candidacy.save()
    except IntegrityError as exc:  # a parallel submission won the race
        raise ValidationError(
            _("Rule S2: %(city)s already has a candidacy in this election (one per city).")
            % {"city": candidacy.city},
            code="rule_s2_one",
        ) from exc
    return candidacy


@transaction.atomic
def submit_candidacy(*, election: Election, city: City, statement: str = "", by: User) -> Candidacy:
    """A city declares its own candidacy (rules S2, S3).

    A proposal by another city that is pending or was declined does not stop the city from
    declaring itself: that row becomes its candidacy. A withdrawal is final (one candidacy
    per city per election).
    """
    election = _lock_election(election)
    existing = Candidacy.objects.select_for_update().filter(election=election, city=city).first()
    proposal = checks.declarable(existing)
    checks.check_declare(election=election, city=city, proposal=proposal, by=by)
    if proposal is not None:
        proposal.statement = statement.strip() or proposal.statement
        return _decide(proposal, CandidacyState.ACTIVE, by=by)
    return _save_candidacy(
        Candidacy(
            election=election,
            city=city,
            state=CandidacyState.ACTIVE,
            statement=statement.strip(),
            submitted_by=by,
            decided_by=by,
            decided_at=timezone.now(),
        )
    )


@transaction.atomic
def propose_candidacy(
    *, election: Election, city: City, proposed_by: City, statement: str = "", by: User
) -> Candidacy:
    """Another member city proposes ``city`` (rule S3); its mayor must accept."""
    election = _lock_election(election)
    checks.check_propose(election=election, proposed_by=proposed_by, by=by)
    if proposed_by.pk == city.pk:
        raise ValidationError(_("To stand yourself, declare your own city's candidacy."))
    check_eligibility(election=election, city=city)
    candidacy = _save_candidacy(
        Candidacy(
            election=election,
            city=city,
            state=CandidacyState.PROPOSED,
            statement=statement.strip(),
            proposed_by=proposed_by,
            submitted_by=by,
        )
    )
    mayor = current_mayor(city)
    if mayor is not None and mayor.email:
        with translation.override(settings.LANGUAGE_CODE):  # rule T2: mails in English
            queue_mail(
                to=[mayor.email],
                subject=_("%(proposer)s proposes %(city)s for the B40 presidency")
                % {"proposer": proposed_by.name, "city": city.name},
                body=render_to_string(
                    "presidency/mail/proposal.txt", {"candidacy": candidacy, "election": election}
                ),
                kind="candidacy-proposal",
            )
    return candidacy


def _lock_candidacy(candidacy: Candidacy) -> Candidacy:
    return (
        Candidacy.objects.select_for_update()
        .select_related("election__summit", "city")
        .get(pk=candidacy.pk)
    )


def _decide(candidacy: Candidacy, state: CandidacyState, *, by: User) -> Candidacy:
    """Record a decision on a candidacy: its new state, who took it and when."""
    candidacy.state = state
    candidacy.decided_by = by
    candidacy.decided_at = timezone.now()
    candidacy.save()
    return candidacy


@transaction.atomic
def accept_proposal(*, candidacy: Candidacy, by: User) -> Candidacy:
    """The proposed city's mayor accepts: only now is the city a candidate (rule S3)."""
    _lock_election(candidacy.election)
    candidacy = _lock_candidacy(candidacy)
    checks.check_accept(candidacy=candidacy, by=by)
    return _decide(candidacy, CandidacyState.ACTIVE, by=by)


@transaction.atomic
def record_paper_consent(*, candidacy: Candidacy, reference: str, by: User) -> Candidacy:
    """The secretariat records that the proposed city's mayor consented on paper (rule S3),
    with the document's reference, kept in the candidacy's history."""
    _lock_election(candidacy.election)
    candidacy = _lock_candidacy(candidacy)
    checks.check_paper_consent(candidacy=candidacy, reference=reference, by=by)
    candidacy.consent_reference = reference.strip()
    return _decide(candidacy, CandidacyState.ACTIVE, by=by)


@transaction.atomic
def withdraw_proposal(*, candidacy: Candidacy, by: User) -> Candidacy:
    """The proposing city withdraws its proposal before the proposed city answers."""
    candidacy = _lock_candidacy(candidacy)
    checks.check_withdraw_proposal(candidacy=candidacy, by=by)
    return _decide(candidacy, CandidacyState.RETRACTED, by=by)


@transaction.atomic
def decline_proposal(*, candidacy: Candidacy, by: User) -> Candidacy:
    candidacy = _lock_candidacy(candidacy)
    checks.check_decline(candidacy=candidacy, by=by)
    return _decide(candidacy, CandidacyState.DECLINED, by=by)


@transaction.atomic
def withdraw_candidacy(*, candidacy: Candidacy, by: User) -> Candidacy:
    """A candidate may withdraw until voting starts."""
    election = _lock_election(candidacy.election)
    candidacy = _lock_candidacy(candidacy)
    checks.check_withdraw(candidacy=candidacy, election=election, by=by)
    return _decide(candidacy, CandidacyState.WITHDRAWN, by=by)


@transaction.atomic
def withdraw_city_candidacies(*, city: City, by: User) -> list[Candidacy]:
    """A city leaving the network withdraws its candidacies and proposals still standing in
    elections not yet voting (called by the secretariat's city withdrawal). Once voting has
    started the candidacy stays: the count of a round in progress is not rewritten."""
    withdrawn = []
    standing = Candidacy.objects.filter(
        city=city,
        state__in=[CandidacyState.ACTIVE, CandidacyState.PROPOSED],
        election__state__in=[
            ElectionState.PLANNED,
            ElectionState.CANDIDACY,
            ElectionState.CANDIDACY_CLOSED,
        ],
        election__rounds__isnull=True,
    ).select_related("election")
    for candidacy in standing:
        withdrawn.append(withdraw_candidacy(candidacy=candidacy, by=by))
    return withdrawn


# --- the election (rule P1) ------------------------------------------------------------


@transaction.atomic
def open_round(*, election: Election, by: User) -> Round:
    """Open the next round and freeze its electorate: the active member cities now."""
    checks.require_secretariat(by=by)
    election = _lock_election(election)
    last = election.rounds.order_by("-number").first()
    if last is None:
        if election.state != ElectionState.CANDIDACY_CLOSED:
            raise ValidationError(_("Close the candidacy period before the first round opens."))
        candidates = list(
            election.candidacies.filter(state=CandidacyState.ACTIVE).select_related("city")
        )
        if not candidates:
            raise ValidationError(
                _(
                    "There is no candidate: nobody can be elected. Close the election without "
                    "a result, giving the reason."
                )
            )
    else:
        if election.state != ElectionState.VOTING:
            raise ValidationError(_("This election is not in its voting stage."))
        if last.state == RoundState.OPEN:
            raise ValidationError(_("Round %(n)s is still open.") % {"n": last.number})
        if last.outcome in (RoundOutcome.ELECTED, RoundOutcome.LOT):
            raise ValidationError(_("A candidate is elected already: close the election."))
        if last.outcome in counting.NO_RESULT:
            raise ValidationError(
                _("Nobody was elected: close the election without a result, giving the reason.")
            )
        if last.outcome == RoundOutcome.TIE or (
            last.outcome == RoundOutcome.SECOND_TIE and not LotDraw.objects.filter(round=last)
        ):
            raise ValidationError(_("The tie of the last round is settled by lot: draw it."))
        candidates = list(next_round_candidates(last))
    checks.check_summit_day(election.summit)  # rule S2: the election is held at the summit
    new_round = Round(
        election=election,
        number=(last.number + 1) if last else 1,
        state=RoundState.OPEN,
        opened_at=timezone.now(),
        opened_by=by,
    )
    new_round.full_clean()
    new_round.save()
    new_round.candidates.set(candidates)
    # rule P1: one city, one vote, the electorate frozen as the round opens (cities
    # admitted earlier at this summit included, being active members by now).
    new_round.electorate.set(active_cities())
    election.state = ElectionState.VOTING
    election.save()
    _mail_member_cities(
        "round-open",
        election,
        round=new_round,
        candidates=sorted(candidates, key=lambda c: c.city.name),
    )
    return new_round


def _count(round_: Round) -> tuple[dict[int, int], int]:
    candidate_ids = round_.candidates.values_list("pk", flat=True)
    choices = round_.votes.values_list("choice_id", flat=True)
    return counting.tally(candidate_ids, choices)


def next_round_candidates(round_: Round) -> Iterable[Candidacy]:
    """Who goes to the round after ``round_``: those the count sends there, and the one a
    lot drew from those tied for second place."""
    counts, abstentions = _count(round_)
    decision = counting.decide(counts, abstentions)
    ids = set(decision.next_candidates)
    if decision.lot_among:
        draw = LotDraw.objects.filter(round=round_).first()
        if draw is not None:
            ids.add(draw.winner_id)
    return Candidacy.objects.filter(pk__in=ids).select_related("city")


def _lock_round_for_ballot(round_: Round) -> tuple[str | None, str]:
    """Read the round's state and the head of its ballot chain under the round's row lock.

    Ballots and the closing take the same lock, so ballots come into the chain one after
    another, and a ballot that races the closing either commits before the count starts (and
    is counted) or sees the round closed (and is refused), never accepted and dropped
    (RELIABILITY 10). A thousand ballots a minute queue for milliseconds each.
    """
    row = (
        Round.objects.select_for_update()
        .filter(pk=round_.pk)
        .values_list("state", "chain_head")
        .first()
    )
    return row if row is not None else (None, "")


@dataclass(frozen=True)
class Ballot:
    """A cast ballot: the record that the city voted, and the tracker the voter is shown once.

    In a secret election nothing stores the tracker with the city: it lives only in this
    object, on the confirmation page and on the voter's printed receipt.
    """

    record: BallotRecord
    tracker: str


def cast_ballot(
    *,
    round: Round,  # noqa: A002 - the charter's word
    city: City,
    choice: Candidacy | None,
    by: User,
    paper: bool = False,
) -> Ballot:
    """One city, one ballot per round (rule P1): a candidate, or ``None`` to abstain.

    The mayor or a delegate votes for their city; the secretariat enters a paper ballot on
    the city's behalf (``paper=True``, recorded with who entered it). In a secret election
    the ballot record keeps no trace of the choice, and the vote row none of the city. The
    vote gets a tracker (issue 20), returned with the record and stored nowhere with the city.

    Every attempt is kept as a :class:`BallotAttempt` (RELIABILITY 12). The ballot is
    written in its own transaction with its "accepted" attempt; a refusal rolls that back
    and is then recorded in a transaction of its own, which is why this one service is
    not wrapped in ``@transaction.atomic`` as a whole.
    """
    try:
        with transaction.atomic():
            ballot = _cast_ballot(round_=round, city=city, choice=choice, by=by, paper=paper)
            _record_attempt(round_=round, city=city, by=by, paper=paper, refused=None)
    except (ValidationError, PermissionDenied) as exc:
        logger.info(
            "ballot refused: round=%s city=%s user=%s paper=%s reason=%s",
            round.pk,
            city.pk,
            by.pk,
            paper,
            exc,
        )
        with transaction.atomic():
            _record_attempt(round_=round, city=city, by=by, paper=paper, refused=exc)
        raise
    logger.info(
        "ballot accepted: round=%s city=%s user=%s paper=%s", round.pk, city.pk, by.pk, paper
    )
    return ballot


def record_refused_attempt(
    *,
    round: Round,  # noqa: A002
    city: City,
    by: User,
    reason: str,
    paper: bool = False,
) -> BallotAttempt:
    """Log a ballot refused before it reached :func:`cast_ballot` (a choice not on the
    ballot, a post after the round closed): every attempt leaves a row (RELIABILITY 12)."""
    logger.info(
        "ballot refused: round=%s city=%s user=%s paper=%s reason=%s",
        round.pk,
        city.pk,
        by.pk,
        paper,
        reason,
    )
    return BallotAttempt.objects.create(
        round=round,
        city=city,
        user=by,
        paper=paper,
        attempted_at=timezone.now(),
        outcome=AttemptOutcome.REFUSED,
        reason=reason[:40],
    )


def _record_attempt(
    *, round_: Round, city: City, by: User, paper: bool, refused: Exception | None
) -> BallotAttempt:
    if refused is None:
        reason = ""
    elif isinstance(refused, PermissionDenied):
        reason = "permission"
    else:
        reason = getattr(refused, "code", None) or "invalid"
    return BallotAttempt.objects.create(
        round=round_,
        city=city,
        user=by,
        paper=paper,
        attempted_at=timezone.now(),
        outcome=AttemptOutcome.REFUSED if refused else AttemptOutcome.ACCEPTED,
        reason=str(reason)[:40],
    )


def _cast_ballot(
    *, round_: Round, city: City, choice: Candidacy | None, by: User, paper: bool
) -> Ballot:
    state, head = _lock_round_for_ballot(round_)
    checks.check_ballot(round_=round_, state=state, city=city, by=by, paper=paper)
    if choice is not None:
        choice = round_.candidates.select_related("city__country").filter(pk=choice.pk).first()
        if choice is None:
            raise ValidationError(_("This city is not a candidate in this round."), code="choice")
    is_secret = round_.election.is_secret
    tracker = board.new_tracker()
    while round_.votes.filter(tracker=tracker).exists():  # under the round's lock
        tracker = board.new_tracker()
    record = BallotRecord(
        round=round_,
        city=city,
        cast_by=by,
        paper=paper,
        cast_at=timezone.now(),
        choice=None if is_secret else choice,
        abstained=None if is_secret else choice is None,
        tracker="" if is_secret else tracker,
    )
    try:
        with transaction.atomic():
            record.save()  # the unique constraint decides parallel ballots
    except IntegrityError as exc:
        raise ValidationError(checks.already_voted(city), code="already_voted") from exc
    previous = head or board.genesis(round_.election.summit.year, round_.number)
    item = board.entry(
        tracker,
        board.city_label(choice.city.name, choice.city.country.code) if choice else None,
        None if is_secret else board.city_label(city.name, city.country.code),
    )
    digest = board.link(previous, item)
    Vote.objects.create(
        round=round_, choice=choice, tracker=tracker, previous=previous, digest=digest
    )
    round_.chain_head = digest
    round_.save(update_fields=["chain_head"])  # under the round's lock
    return Ballot(record=record, tracker=tracker)


@transaction.atomic
def close_round(*, round: Round, by: User) -> Round:  # noqa: A002
    """Close the round, count it from the stored votes and seal its ballot board.

    The chain the ballots made as they came in must be whole (nothing changed or dropped
    while the round was open); the board is then sealed in tracker order and its final
    digest mailed to every member city (issue 20).
    """
    checks.require_secretariat(by=by)
    round_ = Round.objects.select_for_update().select_related("election__summit").get(pk=round.pk)
    if round_.state != RoundState.OPEN:
        raise ValidationError(_("This round is closed already."))
    items = _board_items(round_)
    problems = _arrival_chain_problems(round_, items)
    if problems:
        logger.error("ballot chain of round %s is broken: %s", round_.pk, "; ".join(problems))
        raise ValidationError(
            _(
                "The ballots' chain does not hold: a ballot was changed or removed while the "
                "round was open. The round stays open; the technical team has been told."
            )
        )
    round_.state = RoundState.CLOSED
    round_.closed_at = timezone.now()
    round_.closed_by = by
    counts, abstentions = _count(round_)
    decision = counting.decide(counts, abstentions)
    round_.outcome = decision.outcome
    round_.elected_id = decision.elected
    _seal_board(round_, [item for item, _vote in items])
    round_.save()
    if decision.elected is not None:
        _set_elected(round_, decision.elected)
    _mail_member_cities(
        "board",
        round_.election,
        round=round_,
        count=describe_count(round_),
        board_link=f"{settings.SITE_URL}{round_.get_board_url()}",
    )
    return round_


def _labelled(rows: Iterable[tuple]) -> dict:
    """``(key, city name, country code)`` rows as ``{key: "Tirana (AL)"}``, the board's names."""
    return {key: board.city_label(name, code) for key, name, code in rows}


def _board_items(round_: Round) -> list[tuple[dict, Vote]]:
    """Each stored vote as its board entry (an open ballot with its city), with the vote."""
    names = _labelled(round_.candidates.values_list("pk", "city__name", "city__country__code"))
    cities = {}
    if not round_.election.is_secret:
        cities = _labelled(
            round_.ballot_records.values_list("tracker", "city__name", "city__country__code")
        )
    return [
        (board.entry(vote.tracker, names.get(vote.choice_id), cities.get(vote.tracker)), vote)
        for vote in round_.votes.only("tracker", "choice_id", "previous", "digest")
    ]


def _arrival_chain_problems(round_: Round, items: list[tuple[dict, Vote]]) -> list[str]:
    """Walk the chain the ballots made in the order they came in, from the genesis to the
    round's head: every vote must be on it once, its digest following its predecessor."""
    by_previous = {vote.previous: (item, vote) for item, vote in items}
    digest = board.genesis(round_.election.summit.year, round_.number)
    walked = 0
    while digest in by_previous and walked < len(items):
        item, vote = by_previous[digest]
        if board.link(digest, item) != vote.digest:
            return [f"the vote after {digest[:12]}… does not give its digest"]
        digest = vote.digest
        walked += 1
    problems = []
    if walked != len(items) or len(by_previous) != len(items):
        problems.append(f"{walked} of {len(items)} votes on the chain")
    if items and digest != round_.chain_head:
        problems.append("the chain does not end at the round's head")
    return problems


def _seal_board(round_: Round, items: list[dict]) -> None:
    """Publish the round's board and rewrite its votes in tracker order, chained in that order
    and with new keys, so that neither their order, their keys nor their transaction ids
    follow the order of voting (RELIABILITY 11)."""
    labels = _labelled(round_.candidates.values_list("pk", "city__name", "city__country__code"))
    choices = {label: pk for pk, label in labels.items()}
    voted = _labelled(round_.ballot_records.values_list("pk", "city__name", "city__country__code"))
    document = board.document(
        year=round_.election.summit.year,
        number=round_.number,
        secret=round_.election.is_secret,
        candidates=list(choices),
        voted=list(voted.values()),
        items=items,
        closed_at=round_.closed_at.isoformat(),
    )
    round_.board = document
    round_.board_digest = document["digest"]
    round_.chain_head = document["digest"]
    round_.votes.all().delete()
    previous = document["genesis"]
    sealed = []
    for item in document["entries"]:
        sealed.append(
            Vote(
                round=round_,
                choice_id=choices.get(item["choice"]),
                tracker=item["tracker"],
                previous=previous,
                digest=item["digest"],
            )
        )
        previous = item["digest"]
    Vote.objects.bulk_create(sealed)


def describe_count(round_: Round) -> str:
    """What a closed round gave, in one line: "Round 1 of the 2026 election closed:
    Tirana 3, Edirne 2, 1 abstention. A further round: …"."""
    counts, abstentions = _count(round_)
    names = dict(Candidacy.objects.filter(pk__in=counts).values_list("pk", "city__name"))
    tallies = ", ".join(
        f"{names[pk]} {n}"
        for pk, n in sorted(counts.items(), key=lambda kv: (-kv[1], names[kv[0]]))
    )
    abstained = ngettext("%(n)d abstention", "%(n)d abstentions", abstentions) % {"n": abstentions}
    return _("%(round)s closed: %(tallies)s, %(abstained)s. %(outcome)s.") % {
        "round": round_,
        "tallies": tallies,
        "abstained": abstained,
        "outcome": round_.get_outcome_display(),
    }


@dataclass(frozen=True)
class Recount:
    """A closed round counted again from what is stored (RELIABILITY 12)."""

    counts: dict
    abstentions: int
    ballots: int  # ballot records: the cities that voted
    votes: int  # the votes counted
    decision: counting.Decision
    matches: bool  # the stored result is what the stored ballots give
    problems: tuple[str, ...] = ()


@transaction.atomic
def recount_round(*, round: Round) -> Recount:  # noqa: A002
    """Count a closed round again from its stored votes and compare with its result.

    Checks that there is one vote per ballot record, that (in a named election) the
    choices on the records give the same tally, and that the stored outcome and elected
    candidacy are what the count decides (a tie settled by lot: the lot's winner).
    Read-only; the count is the same pure function the closing used (``counting``).
    """
    round_ = Round.objects.select_related("election").get(pk=round.pk)
    if round_.state != RoundState.CLOSED:
        raise ValidationError(_("Only a closed round can be recounted."))
    counts, abstentions = _count(round_)
    decision = counting.decide(counts, abstentions)
    records = round_.ballot_records.all()
    ballots = records.count()
    votes = sum(counts.values()) + abstentions
    problems = []
    if ballots != votes:
        problems.append(f"{ballots} ballot records but {votes} votes")
    if not round_.election.is_secret:
        named = counting.tally(counts.keys(), records.values_list("choice_id", flat=True))
        if named != (counts, abstentions):
            problems.append("the named ballot records do not give the counted votes")
    expected_outcome, expected_elected = decision.outcome, decision.elected
    if round_.outcome == RoundOutcome.LOT and decision.outcome == RoundOutcome.TIE:
        draw = LotDraw.objects.filter(round=round_).first()
        expected_outcome = RoundOutcome.LOT
        expected_elected = draw.winner_id if draw else None
    if (round_.outcome, round_.elected_id) != (expected_outcome, expected_elected):
        problems.append(
            f"stored result {round_.outcome}/{round_.elected_id}, "
            f"recount {expected_outcome}/{expected_elected}"
        )
    if problems:
        logger.warning("recount of round %s differs: %s", round_.pk, "; ".join(problems))
    return Recount(
        counts=counts,
        abstentions=abstentions,
        ballots=ballots,
        votes=votes,
        decision=decision,
        matches=not problems,
        problems=tuple(problems),
    )


def verify_round_board(*, round: Round) -> board.Verification:  # noqa: A002
    """Check a closed round's board three ways (issue 20): the sealed board recomputes to
    itself, its final digest is the one mailed at the close, and the votes stored now give
    that same board. A vote changed, added or removed after the close is reported."""
    round_ = Round.objects.select_related("election__summit").get(pk=round.pk)
    if not round_.board:
        raise ValidationError(_("This round has no sealed ballot board."))
    result = board.verify(round_.board, expected_digest=round_.board_digest)
    stored = [item for item, _vote in _board_items(round_)]
    recomputed = board.chain(round_.board["genesis"], board.tracker_order(stored))
    digest = recomputed[-1] if recomputed else round_.board["genesis"]
    if digest != round_.board_digest:
        sealed = {e["tracker"]: e for e in round_.board["entries"]}
        now = {item["tracker"]: item for item in stored}
        changed = sorted(
            tracker
            for tracker in sealed.keys() | now.keys()
            if {k: v for k, v in sealed.get(tracker, {}).items() if k != "digest"}
            != now.get(tracker)
        )
        result.problems.append(
            f"the stored votes give the digest {digest}, not the one mailed; "
            f"ballots that differ: {', '.join(changed) or 'none (their order)'}"
        )
    if not result.ok:
        logger.warning("board of round %s does not verify: %s", round_.pk, result.problems)
    return result


def _set_elected(round_: Round, candidacy_id: int) -> None:
    election = _lock_election(round_.election)
    election.elected_id = candidacy_id
    election.save()  # through save(), so the election's history records it


@transaction.atomic
def draw_lot(*, round: Round, by: User) -> LotDraw:  # noqa: A002
    """Settle a tie by lot, between any number of tied candidates, drawn here and recorded
    for all to see (who started it, when, from which source, between whom, the index).

    All candidates tied (TIE): the drawn one is elected. A tie for second place
    (SECOND_TIE): the drawn one goes to the next round with the leader.
    """
    checks.require_secretariat(by=by)
    round_ = Round.objects.select_for_update().select_related("election__summit").get(pk=round.pk)
    if round_.outcome not in (RoundOutcome.TIE, RoundOutcome.SECOND_TIE):
        raise ValidationError(_("Only a tie is settled by lot."))
    if LotDraw.objects.filter(round=round_).exists():
        raise ValidationError(_("The lot of this round has been drawn already."))
    counts, abstentions = _count(round_)
    decision = counting.decide(counts, abstentions)
    tied = sorted(
        Candidacy.objects.filter(pk__in=decision.lot_among).select_related("city"),
        key=lambda c: (c.city.name, c.pk),
    )
    index = secrets.SystemRandom().randrange(len(tied))
    winner = tied[index]
    draw = LotDraw.objects.create(
        round=round_,
        started_by=by,
        drawn_at=timezone.now(),
        source=LOT_SOURCE,
        candidates=[{"candidacy": c.pk, "city": c.city.name} for c in tied],
        drawn_index=index,
        winner=winner,
    )
    if round_.outcome == RoundOutcome.TIE:
        round_.outcome = RoundOutcome.LOT
        round_.elected = winner
        round_.save()
        _set_elected(round_, winner.pk)
    return draw


def _next_year(date: datetime.date) -> datetime.date:
    try:
        return date.replace(year=date.year + 1)
    except ValueError:  # 29 February
        return date.replace(year=date.year + 1, day=28)


@transaction.atomic
def close_election(*, election: Election, by: User) -> Mandate:
    """Close the election: the mandate of the next calendar year (rule S5) and the next
    year's summit hosted by the elected city (rule S6)."""
    checks.require_secretariat(by=by)
    election = _lock_election(election)
    if election.state != ElectionState.VOTING:
        raise ValidationError(_("This election is not in its voting stage."))
    if election.rounds.filter(state=RoundState.OPEN).exists():
        raise ValidationError(_("Close the open round first."))
    if election.elected is None:
        raise ValidationError(
            _(
                "No candidate has been elected yet. If none can be, close the election "
                "without a result, giving the reason."
            )
        )
    summit = election.summit
    city = election.elected.city
    next_summit = Summit.objects.filter(year=summit.year + 1).first()
    if next_summit is None:
        next_summit = Summit(
            year=summit.year + 1,
            starts_on=_next_year(summit.starts_on),
            ends_on=_next_year(summit.ends_on),
            programme=_("Dates and venue to be confirmed by the host city."),
        )
    next_summit.host_city = city  # rule S6
    next_summit.full_clean()
    next_summit.save()
    mandate = record_mandate(  # rule S5 (and S4, S6 through Mandate.clean)
        year=summit.year + 1, city=city, mayor=current_mayor(city), elected_at=summit
    )
    election.state = ElectionState.CLOSED
    election.closed_at = timezone.now()
    election.closed_by = by
    election.full_clean()
    election.save()
    _mail_member_cities("result", election, mandate=mandate)
    return mandate


@transaction.atomic
def close_election_without_result(*, election: Election, reason: str, by: User) -> Election:
    """The secretariat's way out: close an election in which no city is (or can be)
    elected, with the reason, shown on the summit's public page. No mandate follows."""
    checks.require_secretariat(by=by)
    election = _lock_election(election)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason why the election ends without a result."))
    if election.state == ElectionState.CLOSED:
        raise ValidationError(_("This election is closed already."))
    if election.elected_id is not None:
        raise ValidationError(_("A candidate is elected: close the election with its result."))
    if election.rounds.filter(state=RoundState.OPEN).exists():
        raise ValidationError(_("Close the open round first."))
    election.state = ElectionState.CLOSED
    election.no_result_reason = reason
    election.closed_at = timezone.now()
    election.closed_by = by
    election.full_clean()
    election.save()
    _mail_member_cities("result", election, mandate=None)
    return election
