"""Demo membership applications, through the services and marked "(demo)".

``file`` and ``move`` are the building blocks the demo's history
(``secretariat/demo_history.py``) calls at the moments they happened, the clock set to
each (``common.clock``): filed, reviewed, proposed to a summit and admitted there (rule
M2), declined or withdrawn. ``load()`` is the present: two applications still open.
Idempotent.
"""

from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify
from unidecode import unidecode

from members.models import Country, User
from presidency.models import Summit
from secretariat.enums.applications import ApplicationState
from secretariat.models.applications import Application
from secretariat.services.applications import (
    submit_application,
    transition_application,
)
from workinggroups.models import WorkingGroup

DEMO = "(demo)"

# (city, country code, state to bring it to, where it is: copied to the city at admission)
APPLICATIONS = [
    ("Maribor", "SI", ApplicationState.SUBMITTED, ("46.55465", "15.64588")),
    ("Mostar", "BA", ApplicationState.UNDER_REVIEW, ("43.34333", "17.80806")),
]


def file(
    *, city: str, code: str, groups: tuple[str, ...] = (), motivation: str = ""
) -> Application:
    """The city files the form (rule M3), which writes its receipt. The filing's
    time fields default to the real clock (their default is the function itself), so they
    are set to the demo clock's moment."""
    slug = slugify(unidecode(city))
    application, _created = submit_application(
        city_name=f"{city} {DEMO}",
        country=Country.objects.get(code=code),
        mayor_name=f"Mayor of {city} {DEMO}",
        contact_name=f"International office of {city} {DEMO}",
        contact_position="International relations",
        contact_email=f"international@{slug}.demo.b40.example",
        contact_phone="+00 000 000 000",
        website=f"https://{slug}.demo.b40.example",
        motivation=motivation
        or f"{city} wants to work with the Balkan cities on climate action. {DEMO}",
        consent=True,
        working_groups=WorkingGroup.objects.filter(slug__in=groups),
    )
    now = timezone.now()
    application.submitted_at = now
    application.save(update_fields=["submitted_at"])
    _stamp_last_event(application)
    return application


def move(
    *,
    application: Application,
    to_state: str,
    by: User | None,
    reason: str = "",
    summit: Summit | None = None,
) -> Application:
    """One step of the state machine, through the one service every door uses."""
    transition_application(
        application=application, to_state=to_state, by=by, reason=reason, summit=summit
    )
    _stamp_last_event(application)
    return application


def _stamp_last_event(application: Application) -> None:
    event = application.events.order_by("-pk").first()
    event.at = timezone.now()
    event.save(update_fields=["at"])


def load() -> None:
    staff = User.objects.filter(username="secretariat").first()
    for city, code, state, (latitude, longitude) in APPLICATIONS:
        name = f"{city} {DEMO}"
        if Application.objects.filter(city_name=name).exists():
            continue
        slug = city.lower()
        application, _created = submit_application(
            city_name=name,
            country=Country.objects.get(code=code),
            mayor_name=f"Mayor of {city} {DEMO}",
            contact_name=f"International office {DEMO}",
            contact_position="International relations",
            contact_email=f"international@{slug}.demo.b40.example",
            contact_phone="+00 000 000 000",
            website=f"https://{slug}.demo.b40.example",
            latitude=Decimal(latitude),
            longitude=Decimal(longitude),
            motivation=f"{city} wants to work with the Balkan cities on climate action. {DEMO}",
            consent=True,
        )
        if state == ApplicationState.UNDER_REVIEW:
            transition_application(
                application=application,
                to_state=ApplicationState.UNDER_REVIEW,
                by=staff,
                reason=f"The file is complete. {DEMO}",
            )
