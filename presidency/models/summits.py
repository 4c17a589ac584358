"""The Annual Summit and the delegations the member cities send to it (rules S6, S7)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import City
from presidency.enums import DelegateRole, SummitState


class Summit(models.Model):
    """The Annual Summit (rules S2, S6): one a year, hosted by the presiding city."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    host_city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="hosted_summits", verbose_name=_("host city")
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    programme = models.TextField(_("programme"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=SummitState.choices, default=SummitState.PLANNED
    )
    registration_deadline = models.DateTimeField(
        _("delegation registration deadline"),
        null=True,
        blank=True,
        help_text=_("Member cities register their delegation until then; empty: not open yet."),
    )
    meals_per_day = models.PositiveSmallIntegerField(
        _("meals per day covered by the host"),
        default=3,
        help_text=_("Rule S7: the host pays lodging and meals of the visiting delegations."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("summit")
        verbose_name_plural = _("summits")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="presidency_summit_dates_ordered",
                violation_error_message=_("A summit cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(year=ExtractYear("starts_on")),
                name="presidency_summit_year_of_first_day",
                violation_error_message=_("The summit's year is the year of its first day."),
            ),
        ]

    def __str__(self) -> str:
        return _("Summit %(year)s, %(city)s") % {"year": self.year, "city": self.host_city}

    def get_absolute_url(self) -> str:
        return reverse("presidency:summit-detail", kwargs={"year": self.year})

    def clean(self) -> None:
        from presidency.validators import validate_summit_host

        if self.year and self.host_city_id:
            validate_summit_host(year=self.year, city=self.host_city)


class Delegation(models.Model):
    """A member city's delegation to a summit. Travel is its own; the host pays lodging and
    meals (rule S7)."""

    summit = models.ForeignKey(
        Summit, on_delete=models.CASCADE, related_name="delegations", verbose_name=_("summit")
    )
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="delegations", verbose_name=_("city")
    )
    present = models.BooleanField(_("present at the summit"), default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["summit", "city__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["summit", "city"],
                name="presidency_delegation_one_per_city",
                violation_error_message=_("This city already has a delegation at this summit."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(city)s at the %(year)s summit") % {"city": self.city, "year": self.summit.year}


class Delegate(models.Model):
    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="delegates", verbose_name=_("delegation")
    )
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(
        _("role"), max_length=10, choices=DelegateRole.choices, default=DelegateRole.MEMBER
    )
    arrives_on = models.DateField(_("arrival"))
    departs_on = models.DateField(_("departure"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        ordering = ["delegation", "role", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(departs_on__gte=F("arrives_on")),
                name="presidency_delegate_dates_ordered",
                violation_error_message=_("A delegate cannot leave before arriving."),
            ),
            models.UniqueConstraint(
                fields=["delegation"],
                condition=Q(role=DelegateRole.HEAD),
                name="presidency_delegate_one_head",
                violation_error_message=_("A delegation has one head."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    @property
    def nights(self) -> int:
        return (self.departs_on - self.arrives_on).days
