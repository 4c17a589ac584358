"""Writes on working groups. Every door — browser, admin, shell, the daily job — comes here.

Membership (join, leave), two-key creation of new groups (rule W5), the quarterly cadence
(rule W3) and extra sessions at a member's request (rule W4).
"""

import datetime
import logging

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from common.text import unique_slug
from members.enums import PersonRole
from members.models import City, Person, User
from members.roles import is_secretariat
from outbox.services import queue_mail
from presidency.roles import acts_for_presidency, is_presiding_mayor
from presidency.selectors import mandate_for_year
from workinggroups.checks import check_join_group, check_request_extra_session
from workinggroups.enums import (
    ApprovalKey,
    GroupState,
    MeetingKind,
    MeetingState,
    MinutesVisibility,
    RequestState,
)
from workinggroups.models import (
    Attendance,
    ExtraSessionRequest,
    GroupMembership,
    Meeting,
    WorkingGroup,
)

logger = logging.getLogger(__name__)

CADENCE = relativedelta(months=3)  # rule W3: every three months


def reminder_days() -> int:
    return settings.WORKINGGROUPS_REMINDER_DAYS


def meeting_time() -> datetime.time:
    return datetime.time.fromisoformat(settings.WORKINGGROUPS_MEETING_TIME)


def meeting_length() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.WORKINGGROUPS_MEETING_MINUTES)


# ---------------------------------------------------------------------------
# Who holds which key


def is_presidency(user: User | None) -> bool:
    """The Presidency's key of rule W5 today: a user acting for the presiding city."""
    return acts_for_presidency(user, on=timezone.localdate())


def holds_key(user: User | None, key: str) -> bool:
    """Who turns a key of rule W5: the Presidency's is turned by the president, the mayor of
    the city presiding today (rules S1, S8; issue 16), not by its delegates."""
    if key == ApprovalKey.PRESIDENCY:
        return is_presiding_mayor(user, on=timezone.localdate())
    if key == ApprovalKey.SECRETARIAT:
        return is_secretariat(user)
    return False


def _site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# ---------------------------------------------------------------------------
# Membership


def default_contact(city: City) -> Person | None:
    """The city's current contact point, else its current mayor."""
    people = Person.objects.filter(city=city, ended_on__isnull=True)
    return (
        people.filter(role=PersonRole.CONTACT).order_by("-started_on", "pk").first()
        or people.filter(role=PersonRole.MAYOR).first()
    )


@transaction.atomic
def join_group(
    *, group: WorkingGroup, city: City, by: User | None = None, contact: Person | None = None
) -> GroupMembership:
    check_join_group(group=group, city=city, contact=contact)
    membership = GroupMembership(group=group, city=city, contact=contact or default_contact(city))
    membership.full_clean()
    membership.save()
    logger.debug("workinggroups: %s joined %s (by %s)", city, group, by)
    return membership


@transaction.atomic
def change_group_contact(
    *, membership: GroupMembership, contact: Person | None, by: User | None = None
) -> GroupMembership:
    """Name another of the city's people as its contact point for the group."""
    if contact is not None and contact.city_id != membership.city_id:
        raise ValidationError({"contact": _("The contact point must be one of the city's people.")})
    membership.contact = contact
    membership.full_clean()
    membership.save(update_fields=["contact"])
    return membership


@transaction.atomic
def leave_group(*, group: WorkingGroup, city: City, by: User | None = None) -> None:
    deleted, _rows = GroupMembership.objects.filter(group=group, city=city).delete()
    if not deleted:
        raise ValidationError(_("This city is not a member of this group."))
    logger.debug("workinggroups: %s left %s (by %s)", city, group, by)


@transaction.atomic
def withdraw_city_from_groups(*, city: City, by: User | None, reason: str) -> int:
    """A city leaving the network leaves every group: its memberships end (their history
    stays), its pending extra-session requests are declined with ``reason``, and it no
    longer coordinates a group. Called by the secretariat's city withdrawal."""
    for request in ExtraSessionRequest.objects.select_for_update().filter(
        city=city, state=RequestState.PENDING
    ):
        request.state = RequestState.DECLINED
        request.decline_reason = reason.strip()
        request.decided_by, request.decided_at = by, timezone.now()
        request.full_clean()
        request.save()
    for group in WorkingGroup.objects.select_for_update().filter(coordinating_city=city):
        group.coordinating_city = None
        group.save(update_fields=["coordinating_city"])
    ended = 0
    for membership in GroupMembership.objects.filter(city=city):
        membership.delete()  # one by one: each deletion is kept in the history
        ended += 1
    logger.debug("workinggroups: %s left %d groups (by %s)", city, ended, by)
    return ended


# ---------------------------------------------------------------------------
# New groups: two keys (rule W5)


@transaction.atomic
def propose_group(*, name: str, topic: str, by: User, is_permanent: bool = False) -> WorkingGroup:
    """The presidency or the secretariat proposes a group; it starts as proposed (rule W5)."""
    if not (is_presidency(by) or is_secretariat(by)):
        raise PermissionDenied(_("Only the presidency or the secretariat may propose a group."))
    group = WorkingGroup(
        name=name.strip(),
        slug=unique_slug(WorkingGroup, name, max_length=150, fallback="group"),
        topic=topic.strip(),
        is_permanent=is_permanent,
        state=GroupState.PROPOSED,
        proposed_by=by,
        proposed_at=timezone.now(),
    )
    group.full_clean()
    group.save()
    with translation.override(settings.LANGUAGE_CODE):  # rule T2
        queue_mail(
            to=[settings.SECRETARIAT_EMAIL],
            subject=_("New working group proposed: %(name)s") % {"name": group.name},
            body=_mail_body("proposed", group=group, user=by.get_full_name() or by.username),
            kind="workinggroups.proposed",
        )
    return group


def _locked_proposal(group: WorkingGroup) -> WorkingGroup:
    group = WorkingGroup.objects.select_for_update().get(pk=group.pk)
    if group.state != GroupState.PROPOSED:
        raise ValidationError(
            _("This group is %(state)s; only a proposed group can be approved or refused.")
            % {"state": group.get_state_display().lower()}
        )
    return group


@transaction.atomic
def approve_group(*, group: WorkingGroup, by: User, key: str) -> WorkingGroup:
    """Turn one of the two keys; the second key activates the group (rule W5)."""
    if not holds_key(by, key):
        raise PermissionDenied(
            _("You cannot approve for the %(key)s.") % {"key": ApprovalKey(key).label}
        )
    group = _locked_proposal(group)  # the row lock makes two simultaneous approvals serial
    now = timezone.now()
    if key == ApprovalKey.PRESIDENCY:
        if group.presidency_approved_at:
            raise ValidationError(_("The presidency has already approved this group."))
        other = group.secretariat_approved_by_id
        group.presidency_approved_by, group.presidency_approved_at = by, now
        # The mandate the key was turned under: the president of that day (rule S5).
        group.presidency_mandate = mandate_for_year(timezone.localdate(now).year)
    else:
        if group.secretariat_approved_at:
            raise ValidationError(_("The secretariat has already approved this group."))
        other = group.presidency_approved_by_id
        group.secretariat_approved_by, group.secretariat_approved_at = by, now
    if other is not None and other == by.pk:
        # rule W5: two parties agree, so two people turn the two keys
        raise ValidationError(
            _(
                "You turned the other key of this group: the second key must be turned by "
                "someone else (rule W5)."
            )
        )
    if group.presidency_approved_at and group.secretariat_approved_at:
        group.state = GroupState.ACTIVE
        group.created_on = timezone.localdate(now)
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def refuse_group(*, group: WorkingGroup, by: User, key: str, reason: str) -> WorkingGroup:
    """Either key may refuse, with a reason (rule W5)."""
    if not holds_key(by, key):
        raise PermissionDenied(
            _("You cannot refuse for the %(key)s.") % {"key": ApprovalKey(key).label}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the group is refused.")})
    group = _locked_proposal(group)
    group.state = GroupState.REFUSED
    group.refused_by, group.refused_key = by, key
    group.refused_at = timezone.now()
    group.refusal_reason = reason.strip()
    group.full_clean()
    group.save()
    if group.proposed_by and group.proposed_by.email:
        with translation.override(settings.LANGUAGE_CODE):  # rule T2
            queue_mail(
                to=[group.proposed_by.email],
                subject=_("Working group refused: %(name)s") % {"name": group.name},
                body=_mail_body("refused", group=group, key=ApprovalKey(key).label),
                kind="workinggroups.refused",
            )
    return group


@transaction.atomic
def close_group(*, group: WorkingGroup, by: User) -> WorkingGroup:
    """The secretariat closes an active group (topics change with priorities, rule W1)."""
    if not is_secretariat(by):
        raise PermissionDenied(_("Only the secretariat closes a working group."))
    group = WorkingGroup.objects.select_for_update().get(pk=group.pk)
    if group.state != GroupState.ACTIVE:
        raise ValidationError(_("Only an active group can be closed."))
    group.state = GroupState.CLOSED
    group.overdue_since = None
    group.full_clean()
    group.save()
    return group


# ---------------------------------------------------------------------------
# The cadence (rule W3)


def add_months(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same wall-clock time ``months`` later in the network's time zone.

    relativedelta clamps month ends (30 November + 3 months = 28/29 February) and the
    arithmetic runs on local wall-clock time, so a meeting at 11:00 stays at 11:00 across
    a daylight-saving change.
    """
    tz = timezone.get_default_timezone()
    local = timezone.localtime(moment, tz).replace(tzinfo=None)
    return timezone.make_aware(local + relativedelta(months=months), tz)


def next_regular_start(previous: datetime.datetime) -> datetime.datetime:
    return add_months(previous, 3)


def _cadence_anchor(group: WorkingGroup) -> datetime.datetime:
    last = (
        group.meetings.filter(kind=MeetingKind.REGULAR).order_by("-starts_at").only("starts_at")
    ).first()
    if last is not None:
        return last.starts_at
    start_day = group.created_on or timezone.localdate()
    return timezone.make_aware(
        datetime.datetime.combine(start_day, meeting_time()), timezone.get_default_timezone()
    )


@transaction.atomic
def plan_next_meeting(
    *, group: WorkingGroup, now: datetime.datetime | None = None
) -> Meeting | None:
    """Plan the group's next regular meeting three months after its previous one.

    Idempotent: the slot is a date computed from the database alone, and a unique
    constraint on (group, slot) means a second run — or a second worker — finds the
    meeting instead of planning another. Returns the meeting planned now, or None.
    """
    now = now or timezone.now()
    group = WorkingGroup.objects.select_for_update().get(pk=group.pk)
    if group.state != GroupState.ACTIVE:
        return None
    if group.meetings.filter(kind=MeetingKind.REGULAR, starts_at__gte=now).exists():
        return None
    anchor = _cadence_anchor(group)
    start, months = next_regular_start(anchor), 3
    while start < now:  # missed quarters (a new job, a long outage): the first slot ahead
        months += 3
        start = add_months(anchor, months)
    meeting, created = Meeting.objects.get_or_create(
        group=group,
        regular_slot=timezone.localdate(start),
        defaults={
            "kind": MeetingKind.REGULAR,
            "starts_at": start,
            "ends_at": start + meeting_length(),
            "agenda": _("Quarterly meeting of the working group (rule W3)."),
        },
    )
    return meeting if created else None


def overdue_reference(group: WorkingGroup, now: datetime.datetime) -> datetime.date | None:
    """The day of the group's last meeting actually held (rule W3), else its creation."""
    last = group.meetings.filter(state=MeetingState.HELD, starts_at__lte=now).aggregate(
        last=Max("starts_at")
    )["last"]
    return timezone.localdate(last) if last else group.created_on


@transaction.atomic
def update_overdue(*, group: WorkingGroup, now: datetime.datetime | None = None) -> bool:
    """Mark the group overdue when more than three months passed without a meeting (W3)."""
    now = now or timezone.now()
    group = WorkingGroup.objects.select_for_update().get(pk=group.pk)
    today = timezone.localdate(now)
    reference = overdue_reference(group, now)
    due = reference + CADENCE if reference else None
    overdue = group.state == GroupState.ACTIVE and due is not None and today > due
    overdue_since = (group.overdue_since or due) if overdue else None
    if overdue_since != group.overdue_since:
        group.overdue_since = overdue_since
        group.save(update_fields=["overdue_since"])
    return overdue


def _contact_emails(group: WorkingGroup) -> list[str]:
    return [
        m.contact.email
        for m in group.memberships.select_related("contact")
        if m.contact and m.contact.email and m.contact.ended_on is None
    ]


@transaction.atomic
def send_meeting_reminder(*, meeting: Meeting, now: datetime.datetime | None = None) -> bool:
    """Mail the member cities' contact points once per meeting (the row lock and the
    recorded ``reminder_sent_at`` keep a second run or worker from mailing again)."""
    now = now or timezone.now()
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("group").get(pk=meeting.pk)
    )
    if meeting.reminder_sent_at is not None or meeting.state != MeetingState.PLANNED:
        return False
    recipients = _contact_emails(meeting.group)
    if recipients:
        tz = timezone.get_default_timezone()
        with translation.override(settings.LANGUAGE_CODE):  # rule T2
            queue_mail(
                to=recipients,
                subject=_("Reminder: %(group)s meets on %(date)s")
                % {
                    "group": meeting.group.name,
                    "date": formats.date_format(
                        timezone.localtime(meeting.starts_at, tz), "SHORT_DATE_FORMAT"
                    ),
                },
                body=_mail_body(
                    "reminder",
                    meeting=meeting,
                    when=formats.date_format(
                        timezone.localtime(meeting.starts_at, tz), "SHORT_DATETIME_FORMAT"
                    ),
                    link=meeting.online_link or _("to follow"),
                    agenda=meeting.agenda,
                    url=_site_url(meeting.group.get_absolute_url()),
                ),
                kind="workinggroups.reminder",
            )
    meeting.reminder_sent_at = now
    meeting.save(update_fields=["reminder_sent_at"])
    return True


def _locked_meeting(meeting: Meeting, by: User) -> Meeting:
    if not is_secretariat(by):
        raise PermissionDenied(_("Only the secretariat cancels or records a meeting."))
    return (
        Meeting.objects.select_for_update(of=("self",)).select_related("group").get(pk=meeting.pk)
    )


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, by: User, reason: str) -> Meeting:
    """The secretariat cancels a planned meeting and tells the member cities why.

    The meeting stays, cancelled: a regular one keeps its quarterly slot, so the daily job
    never plans that slot again (rule W3).
    """
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the meeting is cancelled.")})
    meeting = _locked_meeting(meeting, by)
    if meeting.state != MeetingState.PLANNED:
        raise ValidationError(_("Only a planned meeting can be cancelled."))
    meeting.state = MeetingState.CANCELLED
    meeting.cancellation_reason = reason.strip()
    meeting.cancelled_by, meeting.cancelled_at = by, timezone.now()
    meeting._history_user = by  # simple_history: who, also outside a request
    meeting.full_clean()
    meeting.save()
    recipients = _contact_emails(meeting.group)
    if recipients:
        with translation.override(settings.LANGUAGE_CODE):  # rule T2
            queue_mail(
                to=recipients,
                subject=_("Cancelled: %(group)s meeting of %(date)s")
                % {
                    "group": meeting.group.name,
                    "date": formats.date_format(
                        timezone.localtime(meeting.starts_at), "SHORT_DATE_FORMAT"
                    ),
                },
                body=_mail_body(
                    "cancelled",
                    meeting=meeting,
                    when=formats.date_format(
                        timezone.localtime(meeting.starts_at), "SHORT_DATETIME_FORMAT"
                    ),
                    url=_site_url(meeting.group.get_absolute_url()),
                ),
                kind="workinggroups.cancelled",
            )
    return meeting


@transaction.atomic
def record_meeting(
    *,
    meeting: Meeting,
    by: User,
    present: list[City],
    minutes: str,
    minutes_visibility: str = MinutesVisibility.MEMBERS,
    now: datetime.datetime | None = None,
) -> Meeting:
    """The secretariat records that a meeting was held: who attended, and its minutes.

    Held meetings are what the cadence counts (rule W3).
    """
    now = now or timezone.now()
    meeting = _locked_meeting(meeting, by)
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError(_("A cancelled meeting was not held."))
    if meeting.starts_at > now:
        raise ValidationError(_("A meeting is recorded as held once it has started."))
    if not minutes.strip():
        raise ValidationError({"minutes": _("Write the minutes of the meeting.")})
    # the cities that were members on the meeting's day
    members = set(
        meeting.group.memberships.filter(
            joined_on__lte=timezone.localdate(meeting.starts_at)
        ).values_list("city_id", flat=True)
    )
    strangers = [city.name for city in present if city.pk not in members]
    if strangers:
        raise ValidationError(
            {
                "present": _("Not member cities of the group: %(cities)s")
                % {"cities": ", ".join(sorted(strangers))}
            }
        )
    meeting.state = MeetingState.HELD
    meeting.minutes = minutes.strip()
    meeting.minutes_visibility = minutes_visibility
    meeting._history_user = by
    meeting.full_clean()
    meeting.save()
    present_ids = {city.pk for city in present}
    for city_id in members:
        attendance, _created = Attendance.objects.get_or_create(
            meeting=meeting, city_id=city_id, defaults={"present": city_id in present_ids}
        )
        if attendance.present != (city_id in present_ids):
            attendance.present = city_id in present_ids
            attendance.save(update_fields=["present"])
    update_overdue(group=meeting.group, now=now)
    return meeting


def run_cadence(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The daily job: plan, mark overdue, remind. Safe to run twice."""
    now = now or timezone.now()
    planned = overdue = reminded = 0
    for group in WorkingGroup.objects.filter(state=GroupState.ACTIVE).only("pk"):
        planned += plan_next_meeting(group=group, now=now) is not None
        overdue += update_overdue(group=group, now=now)
    # Groups no longer active are not overdue.
    for group in WorkingGroup.objects.exclude(state=GroupState.ACTIVE).filter(
        overdue_since__isnull=False
    ):
        update_overdue(group=group, now=now)
    due = Meeting.objects.filter(
        state=MeetingState.PLANNED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + datetime.timedelta(days=reminder_days()),
        group__state=GroupState.ACTIVE,
    ).only("pk")
    for meeting in due:
        reminded += send_meeting_reminder(meeting=meeting, now=now)
    return {"planned": planned, "overdue": overdue, "reminded": reminded}


# ---------------------------------------------------------------------------
# Extra sessions (rule W4)


@transaction.atomic
def request_extra_session(
    *,
    group: WorkingGroup,
    city: City,
    by: User | None,
    reason: str,
    proposed_start: datetime.datetime,
    proposed_alternative: datetime.datetime | None = None,
) -> ExtraSessionRequest:
    """A member city asks that its group be convened sooner (rule W4)."""
    check_request_extra_session(group=group, city=city)
    now = timezone.now()
    errors = {}
    if proposed_start <= now:
        errors["proposed_start"] = _("Propose a date in the future.")
    if proposed_alternative is not None and proposed_alternative <= now:
        errors["proposed_alternative"] = _("Propose a date in the future.")
    if errors:
        raise ValidationError(errors)
    request = ExtraSessionRequest(
        group=group,
        city=city,
        requested_by=by,
        reason=reason.strip(),
        proposed_start=proposed_start,
        proposed_alternative=proposed_alternative,
    )
    request.full_clean()
    request.save()
    with translation.override(settings.LANGUAGE_CODE):  # rule T2
        queue_mail(
            to=[settings.SECRETARIAT_EMAIL],
            subject=_("%(city)s asks for an extra session of %(group)s")
            % {"city": city.name, "group": group.name},
            body=_mail_body(
                "extra_requested",
                request=request,
                when=formats.date_format(
                    timezone.localtime(proposed_start), "SHORT_DATETIME_FORMAT"
                ),
            ),
            kind="workinggroups.extra_requested",
        )
    return request


def _mail_body(name: str, **context) -> str:
    return render_to_string(f"workinggroups/mail/{name}.txt", context).strip()


def _tell_requesting_city(request: ExtraSessionRequest, subject: str, body: str) -> None:
    recipients = []
    if request.requested_by and request.requested_by.email:
        recipients.append(request.requested_by.email)
    membership = (
        GroupMembership.objects.select_related("contact")
        .filter(group=request.group, city=request.city)
        .first()
    )
    if membership and membership.contact and membership.contact.email:
        recipients.append(membership.contact.email)
    if recipients:
        queue_mail(to=recipients, subject=subject, body=body, kind="workinggroups.extra_decided")


def _locked_pending(request: ExtraSessionRequest, by: User) -> ExtraSessionRequest:
    if not is_secretariat(by):
        raise PermissionDenied(_("Only the secretariat convenes or declines an extra session."))
    request = (
        ExtraSessionRequest.objects.select_for_update(of=("self",))
        .select_related("group", "city", "requested_by")
        .get(pk=request.pk)
    )
    if request.state != RequestState.PENDING:
        raise ValidationError(_("This request has already been decided."))
    return request


@transaction.atomic
def convene_extra_session(
    *,
    request: ExtraSessionRequest,
    by: User,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None = None,
    online_link: str = "",
    agenda: str = "",
) -> Meeting:
    request = _locked_pending(request, by)
    meeting = Meeting(
        group=request.group,
        kind=MeetingKind.EXTRA,
        starts_at=starts_at,
        ends_at=ends_at or starts_at + meeting_length(),
        online_link=online_link,
        agenda=agenda or request.reason,
    )
    meeting.full_clean()
    meeting.save()
    request.state = RequestState.CONVENED
    request.meeting = meeting
    request.decided_by, request.decided_at = by, timezone.now()
    request.full_clean()
    request.save()
    with translation.override(settings.LANGUAGE_CODE):  # rule T2
        _tell_requesting_city(
            request,
            _("Extra session of %(group)s convened") % {"group": request.group.name},
            _mail_body(
                "extra_convened",
                when=formats.date_format(
                    timezone.localtime(meeting.starts_at), "SHORT_DATETIME_FORMAT"
                ),
                url=_site_url(request.group.get_absolute_url()),
            ),
        )
    return meeting


@transaction.atomic
def decline_extra_session(
    *, request: ExtraSessionRequest, by: User, reason: str
) -> ExtraSessionRequest:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the request is declined.")})
    request = _locked_pending(request, by)
    request.state = RequestState.DECLINED
    request.decline_reason = reason.strip()
    request.decided_by, request.decided_at = by, timezone.now()
    request.full_clean()
    request.save()
    with translation.override(settings.LANGUAGE_CODE):  # rule T2
        _tell_requesting_city(
            request,
            _("Extra session of %(group)s declined") % {"group": request.group.name},
            _mail_body("extra_declined", request=request),
        )
    return request
