"""Presidential mandates (rules S1, S4, S5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import City, Person
from presidency.models.summits import Summit


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
        # rule S4 is also an exclusion constraint on PostgreSQL (migration 0004): no city
        # holds the mandates of two consecutive years, whatever door wrote them.

    def __str__(self) -> str:
        return _("Presidency %(year)s: %(city)s") % {"year": self.year, "city": self.city}

    def clean(self) -> None:
        # The admin's form and every service call full_clean(); rule S4 lives in one validator.
        from presidency.validators import validate_not_consecutive

        if self.city_id and self.year:
            validate_not_consecutive(city=self.city, year=self.year, exclude_pk=self.pk)
