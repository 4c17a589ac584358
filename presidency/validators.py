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


def validate_summit_host(*, year: int, city: City) -> None:
    """rule S6 (Reading): the summit of year Y is hosted by the city holding mandate Y."""
    from presidency.models import Mandate

    holder = Mandate.objects.filter(year=year).select_related("city").first()
    if holder is not None and holder.city_id != city.pk:
        raise ValidationError(
            _(
                "Rule S6: the summit of %(year)s is hosted by %(holder)s, which holds the "
                "mandate of %(year)s, not by %(city)s."
            )
            % {"year": year, "holder": holder.city, "city": city},
            code="rule_s6",
        )


def validate_mandate_host(*, year: int, city: City) -> None:
    """rule S6 from the mandate's side: a summit of the mandate's year already planned is
    hosted by the mandate's city."""
    from presidency.models import Summit

    summit = Summit.objects.filter(year=year).select_related("host_city").first()
    if summit is not None and summit.host_city_id != city.pk:
        raise ValidationError(
            _(
                "Rule S6: the summit of %(year)s is hosted by %(host)s; the mandate of "
                "%(year)s belongs to the host city, not to %(city)s."
            )
            % {"year": year, "host": summit.host_city, "city": city},
            code="rule_s6",
        )
