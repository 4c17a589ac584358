"""Writes on membership applications (rules M2–M4). Every door comes through here:
the public form, the status link, the admin form, the admin actions and the shell."""

import datetime
import logging
import secrets
import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from members.enums import PersonRole
from members.models import City, Country, User
from members.services import appoint_person, create_city, readmit_city
from outbox.services import Message, queue_mail, queue_mails
from presidency.models import Summit
from secretariat.enums.applications import ApplicationState, allowed_transitions
from secretariat.models.applications import Application, ApplicationEvent
from secretariat.selectors import applications as selectors
from workinggroups.enums import GroupState
from workinggroups.models import WorkingGroup
from workinggroups.services import join_group

logger = logging.getLogger(__name__)

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone

# The columns a new application gets from submit_application, not from the applicant: a fresh
# reference, status token and submission key (unique, drawn at random; the key is looked up
# first), and the state "submitted" with no summit, member city or decision. The constraints
# on the state are the decisions' own (check_transition), but for rule M3's one open
# application per city, which validate_new_application asks in words just before.
SET_WHEN_FILED = frozenset(
    {
        "reference",
        "token",
        "submission_key",
        "state",
        "summit",
        "city",
        "decision_reason",
        "language",
        "submitted_at",
    }
)


def new_reference(today: datetime.date | None = None) -> str:
    year = (today or timezone.localdate()).year
    suffix = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"B40-{year}-{suffix}"


def status_link(application: Application) -> str:
    return f"{settings.SITE_URL}{application.get_status_url()}"


def validate_new_application(
    *, name: str, country: Country | None, exclude_pk: int | None = None
) -> None:
    """The rules a new application must meet beyond its fields' formats (rules M2, M3).

    The admin's change form asks the same when the secretariat corrects the city or the
    country of application ``exclude_pk``.
    """
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
    if selectors.has_open_application(name=name, country=country, exclude_pk=exclude_pk):
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
    """File an application (rule M3) and tell the applicant and the secretariat by mail.

    Returns the application and whether it is new: the same form posted twice, even at the
    same moment (same ``submission_key``, a unique column), gives the first application and
    writes nothing more.
    """
    if not consent:
        raise ValidationError(
            {"consent": _("The secretariat needs your consent to handle the application.")}
        )
    existing = _filed_with(submission_key)
    if existing is not None:
        return existing, False
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
    groups = sorted(
        (group for group in working_groups if group.state == GroupState.ACTIVE),
        key=lambda group: group.name,
    )
    try:
        validate_new_application(name=city_name, country=country)
        # What the applicant wrote, checked as a ModelForm checks its instance: those fields
        # and the constraints on them, before the writes begin; the rest is this service's
        # (SET_WHEN_FILED). The database's constraints still hold every column, and decide
        # between two posts racing past this point.
        application.full_clean(exclude=SET_WHEN_FILED)
        _file(application, groups)
    except (ValidationError, IntegrityError) as error:
        # The same form, filed meanwhile by a parallel post: that application is the answer.
        existing = _filed_with(submission_key)
        if existing is not None:
            return existing, False
        if isinstance(error, IntegrityError):
            # Another form for the same city won the race: the rule it broke (M3), in words.
            validate_new_application(name=city_name, country=country)
        raise
    return application, True


@transaction.atomic
def _file(application: Application, groups: list[WorkingGroup]) -> None:
    """The writes of a new application: all of them, or none."""
    application.save()
    application.working_groups.add(*groups)
    ApplicationEvent.objects.create(
        application=application,
        from_state="",
        to_state=ApplicationState.SUBMITTED,
        at=application.submitted_at,
    )
    _queue_receipts(application, groups)


def _filed_with(submission_key: uuid.UUID | None) -> Application | None:
    if submission_key is None:
        return None
    return Application.objects.filter(submission_key=submission_key).first()


def _queue_receipts(application: Application, groups: list[WorkingGroup]) -> None:
    """The applicant's receipt, in the language they filed in, and the secretariat's notice."""
    context = {
        "application": application,
        "groups": groups,
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
    # rule M2: a city joins at the Annual Summit: on its days, not before, not after
    if to_state == ApplicationState.ADMITTED and today < application.summit.starts_on:
        raise ValidationError(
            _("A city is admitted at its summit: not before %(date)s (rule M2).")
            % {"date": formats.date_format(application.summit.starts_on, "DATE_FORMAT")}
        )
    if to_state == ApplicationState.ADMITTED and today > application.summit.ends_on:
        raise ValidationError(
            _(
                "The %(summit)s ended on %(date)s: a city is admitted during its summit "
                "(rule M2). Propose the application to a coming summit."
            )
            % {
                "summit": application.summit,
                "date": formats.date_format(application.summit.ends_on, "DATE_FORMAT"),
            }
        )
    if to_state == ApplicationState.DECLINED and not reason.strip():
        raise ValidationError(_("Say why the application is declined."))


def _admit(application: Application, by: User | None) -> City:
    """Create the member city, its mayor and contact person from the application (rule M2).

    A city that left the network and applied again becomes a member again: the same row,
    its earlier membership kept in its history.
    """
    joined_on = application.summit.starts_on
    former = selectors.former_member(name=application.city_name, country=application.country)
    if former is not None:
        city = readmit_city(city=former, joined_on=joined_on, by=by)
    else:
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
        join_group(group=group, city=city, contact=contact, by=by)
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
        locked.city = _admit(locked, by)
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
    application.refresh_from_db()  # the caller's instance shows the new state too
    return locked


def withdraw_application(*, application: Application, reason: str = "") -> Application:
    """The applicant withdraws through the private status link."""
    return transition_application(
        application=application,
        to_state=ApplicationState.WITHDRAWN,
        by=None,
        reason=reason.strip() or _("Withdrawn by the applicant."),
    )
