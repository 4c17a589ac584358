import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import City, Person
from workinggroups.enums import (
    ApprovalKey,
    GroupState,
    MeetingKind,
    MeetingState,
    MinutesVisibility,
    RequestState,
)

# The four groups of rule W2 were created by the founding declaration itself (Istanbul,
# 30 November 2021), before there was a presidency or a secretariat to turn two keys.
CHARTER_DATE = datetime.date(2021, 11, 30)


class WorkingGroup(models.Model):
    """A structure for one area of the network's agenda (rule W1)."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    topic = models.TextField(_("topic"))
    is_permanent = models.BooleanField(
        _("permanent strategic topic"), default=False, help_text=_("Rule W1.")
    )
    # Set only by the data migration for the four groups of rule W2: the founding
    # declaration created them; every later group needs both keys (rule W5).
    is_founding = models.BooleanField(
        _("founding group (rule W2)"), default=False, db_default=False, editable=False
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=GroupState.choices,
        default=GroupState.PROPOSED,
        db_index=True,
    )
    coordinating_city = models.ForeignKey(
        City,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_groups",
        verbose_name=_("coordinating city"),
    )
    cities = models.ManyToManyField(
        City,
        through="GroupMembership",
        related_name="working_groups",
        verbose_name=_("member cities"),
        blank=True,
    )
    created_on = models.DateField(
        _("created on"), null=True, blank=True, help_text=_("The day the group became active.")
    )
    # Rule W5: who proposed the group, and each of the two keys with who turned it and when.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_groups",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    presidency_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved for the presidency by"),
    )
    presidency_approved_at = models.DateTimeField(
        _("approved by the presidency at"), null=True, blank=True
    )
    presidency_mandate = models.ForeignKey(
        "presidency.Mandate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved for the presidency under the mandate"),
    )
    secretariat_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved for the secretariat by"),
    )
    secretariat_approved_at = models.DateTimeField(
        _("approved by the secretariat at"), null=True, blank=True
    )
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("refused by"),
    )
    refused_key = models.CharField(
        _("refused for"), max_length=12, choices=ApprovalKey.choices, blank=True
    )
    refused_at = models.DateTimeField(_("refused at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    # Rules W3: set by the daily cadence job when three months pass without a meeting.
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["name"]
        constraints = [
            # rule W5: no door — browser, admin, shell — activates a group without both keys.
            models.CheckConstraint(
                condition=Q(state__in=[GroupState.PROPOSED, GroupState.REFUSED])
                | Q(presidency_approved_at__isnull=False, secretariat_approved_at__isnull=False)
                | Q(is_founding=True),
                name="workinggroups_group_two_keys",
                violation_error_message=_(
                    "A new working group becomes active only when both the presidency and "
                    "the secretariat have approved it (rule W5)."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state=GroupState.REFUSED)
                | Q(refused_at__isnull=False) & ~Q(refusal_reason=""),
                name="workinggroups_group_refusal_reasoned",
                violation_error_message=_("A refusal records when it happened and why."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workinggroups:group-detail", kwargs={"slug": self.slug})

    @property
    def is_active(self) -> bool:
        return self.state == GroupState.ACTIVE

    @property
    def is_closed(self) -> bool:
        return self.state == GroupState.CLOSED

    @property
    def is_overdue(self) -> bool:
        return self.overdue_since is not None


class GroupMembership(models.Model):
    group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("working group"),
    )
    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="group_memberships", verbose_name=_("city")
    )
    contact = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_memberships",
        verbose_name=_("contact point"),
    )
    joined_on = models.DateField(_("joined on"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        ordering = ["group", "city"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "city"],
                name="workinggroups_membership_unique",
                violation_error_message=_("This city is already a member of this group."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} — {self.group}"


class Meeting(models.Model):
    """An online meeting of a group: a regular quarterly one (W3) or an extra session (W4)."""

    group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("working group"),
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    regular_slot = models.DateField(
        _("quarterly slot"),
        null=True,
        blank=True,
        help_text=_("For a regular meeting: the date the cadence planned it for (rule W3)."),
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    # Moved only by the services: held (attendance and minutes recorded) or cancelled with a
    # reason. A cancelled regular meeting keeps its slot, so the cadence never plans it again.
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=MeetingState.choices,
        default=MeetingState.PLANNED,
        db_default=MeetingState.PLANNED,
        db_index=True,
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True, db_default="")
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    online_link = models.URLField(_("online link"), blank=True, max_length=500)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_visibility = models.CharField(
        _("minutes are"),
        max_length=10,
        choices=MinutesVisibility.choices,
        default=MinutesVisibility.MEMBERS,
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="workinggroups_meeting_ends_after_start",
                violation_error_message=_("A meeting ends after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(kind=MeetingKind.REGULAR, regular_slot__isnull=False)
                | Q(kind=MeetingKind.EXTRA, regular_slot__isnull=True),
                name="workinggroups_meeting_slot_iff_regular",
                violation_error_message=_(
                    "A regular meeting fills a quarterly slot; an extra session does not."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state=MeetingState.CANCELLED)
                | Q(cancelled_at__isnull=False) & ~Q(cancellation_reason=""),
                name="workinggroups_meeting_cancellation_reasoned",
                violation_error_message=_("A cancelled meeting records when and why."),
            ),
            # rule W3: the daily job may run twice or on two workers; one slot, one meeting.
            models.UniqueConstraint(
                fields=["group", "regular_slot"],
                condition=Q(regular_slot__isnull=False),
                name="workinggroups_meeting_one_per_slot",
                violation_error_message=_("This group already has a meeting in this slot."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} — {self.get_kind_display()} — {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return f"{self.group.get_absolute_url()}#meeting-{self.pk}"

    @property
    def present_cities(self) -> list[City]:
        """The cities recorded present (reads the prefetched attendance, no query per row)."""
        return [a.city for a in self.attendances.all() if a.present]

    @property
    def is_held(self) -> bool:
        return self.state == MeetingState.HELD

    @property
    def is_cancelled(self) -> bool:
        return self.state == MeetingState.CANCELLED

    @property
    def minutes_are_public(self) -> bool:
        return self.minutes_visibility == MinutesVisibility.PUBLIC


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="meeting_attendances", verbose_name=_("city")
    )
    present = models.BooleanField(_("present"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "city"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "city"],
                name="workinggroups_attendance_unique",
                violation_error_message=_("This city's attendance is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} — {self.meeting}"


class ExtraSessionRequest(models.Model):
    """A member city asks that its group be convened sooner (rule W4)."""

    group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.CASCADE,
        related_name="extra_requests",
        verbose_name=_("working group"),
    )
    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="extra_requests", verbose_name=_("city")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    reason = models.TextField(_("reason"))
    proposed_start = models.DateTimeField(_("proposed date"))
    proposed_alternative = models.DateTimeField(_("alternative date"), null=True, blank=True)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=RequestState.choices,
        default=RequestState.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="extra_request",
        verbose_name=_("meeting"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("extra session request")
        verbose_name_plural = _("extra session requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "city"],
                condition=Q(state=RequestState.PENDING),
                name="workinggroups_request_one_pending",
                violation_error_message=_(
                    "Your city already has a request pending for this group."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state=RequestState.DECLINED) | ~Q(decline_reason=""),
                name="workinggroups_request_decline_reasoned",
                violation_error_message=_("Say why the request is declined."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} — {self.group} ({self.get_state_display()})"

    @property
    def is_pending(self) -> bool:
        return self.state == RequestState.PENDING
