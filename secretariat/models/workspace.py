"""The secretariat's workspace: its roster (T2), the annual goals (G1, S8), the network's
recommendations and the cities' follow-ups (M5), and announcements to the cities (T3)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import City
from outbox.models import Mail
from presidency.models import Mandate, Summit
from secretariat.enums.workspace import (
    AdoptedBy,
    Audience,
    FollowUpState,
    Party,
    RosterRole,
)
from workinggroups.models import WorkingGroup


class RosterMember(models.Model):
    """One person of the Permanent Secretariat for a period (rule T2)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="roster_entries",
        verbose_name=_("user"),
        limit_choices_to={"is_staff": True},  # rule T1: the secretariat's own staff accounts
    )
    role = models.CharField(_("role"), max_length=10, choices=RosterRole.choices)
    languages = models.CharField(
        _("working languages"),
        max_length=200,
        blank=True,
        help_text=_("The languages they work in, e.g. “Turkish, English, Greek”."),
    )
    english_fluent = models.BooleanField(
        _("fluent in English"), default=False, help_text=_("Rule T2.")
    )
    active_from = models.DateField(_("active from"))
    active_to = models.DateField(_("active until"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("roster member")
        verbose_name_plural = _("the secretariat's roster")
        ordering = ["role", "-active_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=F("active_from")),
                name="secretariat_rostermember_dates_ordered",
                violation_error_message=_("A roster period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        name = self.user.get_full_name() or self.user.get_username()
        return f"{name} ({self.get_role_display()})"


class OpeningMeeting(models.Model):
    """The meeting at the start of a mandate where the year's goals are set (rule G1)."""

    mandate = models.OneToOneField(
        Mandate,
        on_delete=models.PROTECT,
        related_name="opening_meeting",
        verbose_name=_("mandate"),
    )
    held_on = models.DateField(_("held on"))
    minutes = models.TextField(_("minutes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opening meeting of a mandate")
        verbose_name_plural = _("opening meetings of the mandates")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return str(_("Opening meeting of the %(year)s mandate") % {"year": self.mandate.year})


class Goal(models.Model):
    """One of the network's goals for a mandate year (rule G1).

    It is proposed by the president or the secretariat and counts as set once both
    agreed (rule S8); the proposer's agreement is recorded with the proposal.
    """

    mandate = models.ForeignKey(
        Mandate, on_delete=models.PROTECT, related_name="goals", verbose_name=_("mandate")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("working group"),
    )
    indicator = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    proposed_by = models.CharField(_("proposed by"), max_length=12, choices=Party.choices)
    presidency_agreed_at = models.DateTimeField(_("the president agreed at"), null=True, blank=True)
    presidency_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreed for the presidency by"),
    )
    secretariat_agreed_at = models.DateTimeField(
        _("the secretariat agreed at"), null=True, blank=True
    )
    secretariat_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreed for the secretariat by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annual goal")
        verbose_name_plural = _("annual goals")
        ordering = ["-mandate__year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(target=F("baseline")),
                name="secretariat_goal_target_differs",
                violation_error_message=_("The target must differ from the baseline."),
            ),
            # rule S8: whoever proposes a goal has agreed to it.
            models.CheckConstraint(
                condition=Q(proposed_by=Party.SECRETARIAT, secretariat_agreed_at__isnull=False)
                | Q(proposed_by=Party.PRESIDENCY, presidency_agreed_at__isnull=False),
                name="secretariat_goal_proposer_agreed",
                violation_error_message=_("The party that proposes a goal agrees to it."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mandate.year}: {self.title}"

    @property
    def is_set(self) -> bool:
        """Rule S8: a goal counts once the president and the secretariat both agreed."""
        return self.presidency_agreed_at is not None and self.secretariat_agreed_at is not None

    @property
    def awaiting(self) -> str:
        """The party whose agreement is still missing, or ''."""
        if self.presidency_agreed_at is None:
            return Party.PRESIDENCY
        if self.secretariat_agreed_at is None:
            return Party.SECRETARIAT
        return ""


class GoalProgress(models.Model):
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="progress", verbose_name=_("goal")
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    recorded_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal progress")
        verbose_name_plural = _("goal progress")
        ordering = ["goal", "-recorded_on", "-id"]

    def __str__(self) -> str:
        return f"{self.goal.title}: {self.value} ({self.recorded_on})"


class Recommendation(models.Model):
    """A recommendation of the network, numbered per year; not binding (rule M5)."""

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("number"), editable=False)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    adopted_by = models.CharField(_("adopted by"), max_length=12, choices=AdoptedBy.choices)
    summit = models.ForeignKey(
        Summit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("summit"),
    )
    adopted_on = models.DateField(_("adopted on"))
    working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("prepared by the working group"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"],
                name="secretariat_recommendation_number_per_year",
                violation_error_message=_("This year already has a recommendation of this number."),
            ),
            models.CheckConstraint(
                condition=Q(adopted_by=AdoptedBy.SUMMIT, summit__isnull=False)
                | Q(adopted_by=AdoptedBy.PRESIDENCY, summit__isnull=True),
                name="secretariat_recommendation_summit_iff_adopted_there",
                violation_error_message=_(
                    "A recommendation adopted at a summit names the summit; "
                    "one adopted by the presidency names none."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"{self.year}/{self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "secretariat:recommendation-detail", kwargs={"year": self.year, "number": self.number}
        )


class FollowUp(models.Model):
    """How one member city follows one recommendation, as the city recorded it (rule M5)."""

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("recommendation"),
    )
    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("city")
    )
    state = models.CharField(_("follow-up"), max_length=12, choices=FollowUpState.choices)
    reason = models.TextField(
        _("reason"), blank=True, help_text=_("Required when the city will not follow.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["recommendation", "city"]
        indexes = [
            # The admin's list, latest answers first (ordering by the recommendation and the
            # city's name would sort every follow-up of the network on each page).
            models.Index(fields=["-updated_at", "-id"], name="secretariat_followup_recent"),
            # The admin's recommendations count their follow-ups by state (index only).
            models.Index(fields=["recommendation", "state"], name="secretariat_followup_state"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "city"],
                name="secretariat_followup_one_per_city",
                violation_error_message=_("This city already follows up this recommendation."),
            ),
            models.CheckConstraint(
                condition=~Q(state=FollowUpState.WILL_NOT_FOLLOW) | ~Q(reason=""),
                name="secretariat_followup_reason_when_not_following",
                violation_error_message=_("Say why the city will not follow the recommendation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} — {self.recommendation.reference}: {self.get_state_display()}"


class Announcement(models.Model):
    """A message from the secretariat or the president to member cities (rule T3).

    Whom it reached is frozen when it is sent, as one delivery per city.
    """

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    author = models.CharField(
        _("from"), max_length=12, choices=Party.choices, default=Party.SECRETARIAT
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("posted by"),
    )
    audience = models.CharField(
        _("addressed to"), max_length=10, choices=Audience.choices, default=Audience.ALL
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="announcements",
        verbose_name=_("working group"),
        help_text=_("Only when addressed to one working group's cities."),
    )
    cities = models.ManyToManyField(
        City,
        blank=True,
        related_name="chosen_announcements",
        verbose_name=_("chosen cities"),
        help_text=_("Only when addressed to chosen cities."),
    )
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Also shown in the news on the website.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    history = HistoricalRecords(m2m_fields=[cities])

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-sent_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience=Audience.GROUP, working_group__isnull=False)
                | (~Q(audience=Audience.GROUP) & Q(working_group__isnull=True)),
                name="secretariat_announcement_group_iff_addressed",
                violation_error_message=_(
                    "Name the working group exactly when the announcement is addressed to one."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AnnouncementDelivery(models.Model):
    """An announcement reaching one city: shown in its dashboard, mailed to its contacts."""

    announcement = models.ForeignKey(
        Announcement,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("announcement"),
    )
    city = models.ForeignKey(
        City,
        on_delete=models.CASCADE,
        related_name="announcement_deliveries",
        verbose_name=_("city"),
    )
    mail = models.ForeignKey(
        Mail,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mail"),
        help_text=_("Empty when the city has no contact with an email address."),
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["announcement", "city"]
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "city"],
                name="secretariat_delivery_once_per_city",
                violation_error_message=_("The announcement already reached this city."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.announcement} → {self.city}"
