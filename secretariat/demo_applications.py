"""Demo membership applications for ``make run``, all marked "(demo)". Idempotent."""

from decimal import Decimal

from members.models import Country, User
from secretariat.enums.applications import ApplicationState
from secretariat.models.applications import Application
from secretariat.services.applications import submit_application, transition_application

DEMO = "(demo)"

# (city, country code, state to bring it to, where it is: copied to the city at admission)
APPLICATIONS = [
    ("Maribor", "SI", ApplicationState.SUBMITTED, ("46.55465", "15.64588")),
    ("Mostar", "BA", ApplicationState.UNDER_REVIEW, ("43.34333", "17.80806")),
]


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
