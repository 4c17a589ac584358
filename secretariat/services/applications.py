"""Writes on membership applications (rules M2–M4). Every door comes through here:
the public form, the status link, the admin form, the admin actions and the shell."""

import datetime
import logging
import secrets
import uuid
from collections.abc import Iterable
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from members.enums import PersonRole
from members.models import City, Country, User
from members.services import appoint_person, create_city
from outbox import relay
from outbox.services import Message, queue_mail, queue_mails
from presidency.models import Summit
from secretariat.enums.applications import ApplicationState, allowed_transitions
from secretariat.models.applications import Application, ApplicationEvent, ApplicationReceipt
from secretariat.selectors import applications as selectors
from workinggroups.enums import GroupState
from workinggroups.models import GroupMembership, WorkingGroup

logger = logging.getLogger(__name__)

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


def new_reference(today: datetime.date | None = None) -> str:
    year = (today or timezone.localdate()).year
    suffix = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"B40-{year}-{suffix}"


def status_link(application: Application) -> str:
    return f"{settings.SITE_URL}{application.get_status_url()}"


def validate_new_application(
    *, name: str, country: Country | None, check_open: bool = True
) -> None:
    """The rules a new application must meet beyond its fields' formats (rules M2, M3).

    ``check_open=False`` leaves the one-open-application rule to the insert that follows
    (the constraint ``secretariat_application_one_open_per_city``)."""
    if country is None:
        return
    if not country.eligible:
        # rule M2: the network is open to Balkan cities; the secretariat marks the countries
        raise ValidationError(
            {
                "country": _(
                    "Cities of %(country)s cannot apply: the network is open to the "
                    "countries listed on the form."
                )
                % {"country": country.local_name}
            }
        )
    if not name.strip():
        return
    member = selectors.member_city_name(name=name, country=country)
    if member is not None:
        raise ValidationError(
            {"city_name": _("%(city)s is already a member of the network.") % {"city": member}}
        )
    if check_open and selectors.has_open_application(name=name, country=country):
        raise ValidationError(
            {
                "city_name": _(
                    "%(city)s already has an open application; the secretariat is handling it."
                )
                % {"city": name.strip()}
            }
        )


def submit_application(
    *,
    city_name: str,
    country: Country,
    mayor_name: str,
    contact_name: str,
    contact_position: str,
    contact_email: str,
    contact_phone: str,
    website: str,
    motivation: str,
    consent: bool,
    population: int | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    working_groups: Iterable[WorkingGroup] = (),
    submission_key: uuid.UUID | None = None,
) -> tuple[Application, bool]:
    """File an application (rule M3) and tell the applicant and the secretariat.

    Returns the application and whether it is new: the same form posted twice (same
    ``submission_key``) returns the first application and writes nothing. The mails to the
    applicant and the secretariat are written after the commit by a worker (``mail_receipt``;
    the sweep mails a filing whose hand-over was lost).

    The common case costs few round trips: the rules are checked before the insert except
    the one-open-application rule, which the insert checks (its constraint) together with
    the unique columns, in one transaction without a savepoint; a second post of the same
    form or a duplicate is told apart after the rollback, and the form's own application
    is looked for only then.
    """
    if not consent:
        raise ValidationError(
            {"consent": _("The secretariat needs your consent to handle the application.")}
        )
    try:
        validate_new_application(name=city_name, country=country, check_open=False)
    except ValidationError:
        existing = _filed_with(submission_key)  # the same form, posted again
        if existing is not None:
            return existing, False
        raise
    groups = [group for group in working_groups if group.state == GroupState.ACTIVE]
    for _attempt in range(3):
        application = Application(
            reference=new_reference(),
            token=secrets.token_urlsafe(32),
            submission_key=submission_key or uuid.uuid4(),
            city_name=city_name.strip(),
            country=country,
            mayor_name=mayor_name.strip(),
            contact_name=contact_name.strip(),
            contact_position=contact_position.strip(),
            contact_email=contact_email.strip(),
            contact_phone=contact_phone.strip(),
            website=website.strip(),
            population=population,
            latitude=latitude,
            longitude=longitude,
            motivation=motivation.strip(),
            consent=consent,
            # The form's language: later mails to the applicant are written in it.
            language=_supported_language(translation.get_language()),
        )
        # The fields' formats; the country was read by the form, the unique columns and the
        # constraints (M3's duplicate rule, the states) are the insert's to check.
        application.full_clean(
            exclude=["country"], validate_unique=False, validate_constraints=False
        )
        try:
            with transaction.atomic():
                _record_submission(application, groups)
        except IntegrityError:
            existing = _filed_with(submission_key)  # a parallel post of the same form won
            if existing is not None:
                return existing, False
            if selectors.has_open_application(name=city_name, country=country):
                raise ValidationError(
                    {"city_name": _("This city already has an open application.")}
                ) from None
            continue  # a reference or token drawn twice (one in a billion): draw again
        return application, True
    raise RuntimeError("could not draw a unique application reference")


def _filed_with(submission_key: uuid.UUID | None) -> Application | None:
    if submission_key is None:
        return None
    return Application.objects.filter(submission_key=submission_key).first()


RECEIPTS_RELAY = "secretariat.receipts"  # the web processes' batched hand-over of new filings
RECEIPT_SWEEP_AFTER = datetime.timedelta(minutes=2)
RECEIPT_SWEEP_WITHIN = datetime.timedelta(days=7)


def _record_submission(application: Application, groups: list[WorkingGroup]) -> None:
    application.save()
    if groups:  # a new application has none yet: nothing to read or remove
        application.working_groups.add(*groups)
    ApplicationEvent.objects.create(
        application=application,
        from_state="",
        to_state=ApplicationState.SUBMITTED,
        at=application.submitted_at,
    )
    # The mails are written after the commit, by a worker: the application row is the
    # record that they are due (no receipt yet), so a lost hand-over is the sweep's.
    transaction.on_commit(
        partial(relay.hand_over, RECEIPTS_RELAY, [application.pk], _publish_receipts)
    )


def _publish_receipts(application_ids: list[int]) -> None:
    from secretariat.tasks import mail_application_receipts

    try:
        mail_application_receipts.delay(application_ids=list(application_ids))
    except Exception:  # broker down: the applications wait, unmailed, for the sweep
        logger.warning(
            "could not hand over the receipts of %s applications; the sweep will",
            len(application_ids),
            exc_info=True,
        )


def hand_over_receipts_in_batches() -> None:
    """Batch this process's hand-overs of new filings (``outbox.relay``); the web server's
    entry point, ``b40/wsgi.py``, asks. Without a broker the receipt is mailed at the commit."""
    relay.start_in_web_process(RECEIPTS_RELAY, _publish_receipts)


@transaction.atomic
def mail_receipt(*, application_id: int) -> bool:
    """Write the applicant's receipt (in the language they filed in) and the secretariat's
    notice of a new application, once (rule M3). False if they were written already or the
    application is gone; run twice at once, the receipt's key lets one through."""
    application = Application.objects.select_related("country").filter(pk=application_id).first()
    if application is None:
        return False
    _receipt, created = ApplicationReceipt.objects.get_or_create(application=application)
    if not created:
        return False
    context = {
        "application": application,
        "groups": list(application.working_groups.order_by("name")),
        "status_link": status_link(application),
        "admin_link": settings.SITE_URL
        + reverse("admin:secretariat_application_change", args=[application.pk]),
    }
    with translation.override(application.language or settings.LANGUAGE_CODE):
        to_applicant = Message(
            to=[application.contact_email],
            subject=_("Your B40 membership application %(reference)s")
            % {"reference": application.reference},
            body=render_to_string("secretariat/mail/application_received.txt", context),
            kind="application-received",
        )
    with translation.override(settings.LANGUAGE_CODE):  # rule T2: the secretariat works in English
        to_secretariat = Message(
            to=[settings.SECRETARIAT_EMAIL],
            subject=_("New membership application: %(city)s (%(country)s)")
            % {"city": application.city_name, "country": application.country.local_name},
            body=render_to_string("secretariat/mail/application_notice.txt", context),
            kind="application-notice",
        )
    queue_mails([to_applicant, to_secretariat])
    return True


def sweep_receipts(*, now: datetime.datetime | None = None) -> int:
    """Hand over again the filings of the last week left without their mails (the broker
    was down, or a process died before its hand-over); return how many."""
    now = now or timezone.now()
    waiting = list(
        Application.objects.filter(
            receipt__isnull=True,
            submitted_at__lt=now - RECEIPT_SWEEP_AFTER,
            submitted_at__gte=now - RECEIPT_SWEEP_WITHIN,
        )
        .order_by("submitted_at")
        .values_list("pk", flat=True)[:500]
    )
    if waiting:
        _publish_receipts(waiting)
    return len(waiting)


def _supported_language(code: str | None) -> str:
    try:
        return translation.get_supported_language_variant(code or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def check_transition(
    *,
    application: Application,
    to_state: str,
    reason: str = "",
    summit: Summit | None = None,
    today: datetime.date | None = None,
) -> None:
    """Raise ValidationError if ``application`` may not move to ``to_state``; write nothing.

    The one place the state machine (enums.applications.TRANSITIONS) is enforced.
    """
    today = today or timezone.localdate()
    if to_state not in allowed_transitions(application.state):
        raise ValidationError(
            _("An application that is “%(from)s” cannot become “%(to)s”.")
            % {
                "from": ApplicationState(application.state).label,
                "to": ApplicationState(to_state).label
                if to_state in ApplicationState.values
                else to_state,
            },
            code="invalid_transition",
        )
    if to_state == ApplicationState.PROPOSED:
        if summit is None:
            raise ValidationError(_("Choose the summit the application is proposed to."))
        if summit.ends_on < today:
            raise ValidationError(
                _("The %(summit)s is over: propose the application to a coming summit.")
                % {"summit": summit}
            )
    # rule M2: a city joins at the Annual Summit, not before it starts
    if to_state == ApplicationState.ADMITTED and today < application.summit.starts_on:
        raise ValidationError(
            _("A city is admitted at its summit: not before %(date)s (rule M2).")
            % {"date": formats.date_format(application.summit.starts_on, "DATE_FORMAT")}
        )
    if to_state == ApplicationState.DECLINED and not reason.strip():
        raise ValidationError(_("Say why the application is declined."))


def _admit(application: Application) -> City:
    """Create the member city, its mayor and contact person from the application (rule M2)."""
    joined_on = application.summit.starts_on
    city = create_city(
        name=application.city_name,
        country=application.country,
        joined_on=joined_on,
        website=application.website,
        population=application.population,
        latitude=application.latitude,
        longitude=application.longitude,
    )
    appoint_person(
        city=city, role=PersonRole.MAYOR, name=application.mayor_name, started_on=joined_on
    )
    contact = appoint_person(
        city=city,
        role=PersonRole.CONTACT,
        name=application.contact_name,
        position=application.contact_position,
        email=application.contact_email,
        phone=application.contact_phone,
        started_on=joined_on,
    )
    for group in application.working_groups.filter(state=GroupState.ACTIVE):
        membership = GroupMembership(group=group, city=city, contact=contact)
        membership.full_clean()
        membership.save()
    return city


@transaction.atomic
def transition_application(
    *,
    application: Application,
    to_state: str,
    by: User | None,
    reason: str = "",
    summit: Summit | None = None,
) -> Application:
    """Move an application along the state machine, record who, when and why, tell the
    applicant. ``by`` is the secretariat user, or None for the applicant (status link).

    Admitting creates the member city, its mayor and contact person in the same
    transaction: all of it happens, or none of it.
    """
    locked = (
        Application.objects.select_for_update(of=("self",))  # summit is an outer join
        .select_related("country", "summit")
        .get(pk=application.pk)
    )
    check_transition(application=locked, to_state=to_state, reason=reason, summit=summit)
    from_state = locked.state
    if to_state == ApplicationState.PROPOSED:
        locked.summit = summit
    if to_state == ApplicationState.ADMITTED:
        locked.city = _admit(locked)
    if to_state in (ApplicationState.DECLINED, ApplicationState.WITHDRAWN):
        locked.decision_reason = reason.strip()
    locked.state = to_state
    locked._history_user = by  # simple_history: who, also outside a request
    locked.full_clean()
    locked.save()
    event = ApplicationEvent.objects.create(
        application=locked,
        from_state=from_state,
        to_state=to_state,
        by=by,
        reason=reason.strip(),
        summit=locked.summit if to_state == ApplicationState.PROPOSED else None,
    )
    with translation.override(
        locked.language or settings.LANGUAGE_CODE
    ):  # the applicant's language, not the staff's
        queue_mail(
            to=[locked.contact_email],
            subject=_("Your B40 membership application %(reference)s: %(state)s")
            % {"reference": locked.reference, "state": ApplicationState(to_state).label},
            body=render_to_string(
                "secretariat/mail/application_changed.txt",
                {"application": locked, "event": event, "status_link": status_link(locked)},
            ),
            kind="application-changed",
        )
    # The caller's instance shows the new state too.
    for field in ("state", "summit_id", "city_id", "decision_reason", "updated_at"):
        setattr(application, field, getattr(locked, field))
    for cached in ("summit", "city"):
        application._state.fields_cache.pop(cached, None)
    return locked


def withdraw_application(*, application: Application, reason: str = "") -> Application:
    """The applicant withdraws through the private status link."""
    return transition_application(
        application=application,
        to_state=ApplicationState.WITHDRAWN,
        by=None,
        reason=reason.strip() or _("Withdrawn by the applicant."),
    )
