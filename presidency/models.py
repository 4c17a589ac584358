from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import City, Person
from presidency.enums import SummitState


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
        ]

    def __str__(self) -> str:
        return _("Summit %(year)s, %(city)s") % {"year": self.year, "city": self.host_city}

    def get_absolute_url(self) -> str:
        return reverse("presidency:summit-detail", kwargs={"year": self.year})


class Mandate(models.Model):
    """A presidential mandate: one calendar year led by one member city (S1, S5)."""

    year = models.PositiveSmallIntegerField(
        _("year"),
        unique=True,
        error_messages={"unique": _("There is already a mandate for this year (rule S1).")},
    )
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="mandates", verbose_name=_("presiding city")
    )
    mayor = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mandates",
        verbose_name=_("mayor"),
    )
    elected_at = models.ForeignKey(
        Summit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="elected_mandates",
        verbose_name=_("elected at"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["-year"]

    def __str__(self) -> str:
        return _("Presidency %(year)s: %(city)s") % {"year": self.year, "city": self.city}
