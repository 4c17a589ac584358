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
        # The admin's form and every service call full_clean(); each rule lives in one validator.
        from django.core.exceptions import ValidationError

        from presidency.validators import validate_mandate_host, validate_not_consecutive

        if self.city_id and self.year:
            validate_not_consecutive(city=self.city, year=self.year, exclude_pk=self.pk)
            validate_mandate_host(year=self.year, city=self.city)
        if self.elected_at_id and self.year and self.year != self.elected_at.year + 1:
            # rule S5: the mandate of the city elected at the summit of N is the year N + 1.
            raise ValidationError(
                {
                    "year": _(
                        "Rule S5: a city elected at the summit of %(summit)s holds the mandate "
                        "of %(year)s."
                    )
                    % {"summit": self.elected_at.year, "year": self.elected_at.year + 1}
                },
                code="rule_s5",
            )
        if self.mayor_id and self.city_id and self.mayor.city_id != self.city_id:
            raise ValidationError(
                {"mayor": _("The mayor of a mandate is a person of the presiding city.")},
                code="mayor_city",
            )
