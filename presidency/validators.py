"""Rule checks shared by the models' clean() and the services."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from members.models import City


def validate_not_consecutive(*, city: City, year: int, exclude_pk: int | None = None) -> None:
    """rule S4: no city holds the presidency in two consecutive years (the city, not the mayor)."""
    from presidency.models import Mandate

    neighbours = (
        Mandate.objects.filter(city=city, year__in=[year - 1, year + 1])
        .exclude(pk=exclude_pk)
        .values_list("year", flat=True)
    )
    for other in sorted(neighbours):
        raise ValidationError(
            _(
                "Rule S4: %(city)s holds the mandate of %(other)s; no city holds two "
                "consecutive mandates."
            )
            % {"city": city, "other": other},
            code="rule_s4",
        )
