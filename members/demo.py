"""Demo data for the member-city registry: people and city logins, all marked as demo."""

import datetime

from django.contrib.auth.models import Group

from members.enums import CityRole, PersonRole
from members.models import City, Person, User
from members.permissions import SECRETARIAT_GROUP
from members.services import appoint_person

DEMO = "(demo)"
# The demo's staff login: username -> its address (``demo_otp`` prints its current code).
DEMO_STAFF_USERS = {"secretariat": "secretariat@demo.b40.example"}
# The founding summit (fact F1): the founders' demo mayors and contacts serve since then.
FOUNDED = datetime.date(2021, 11, 29)
# Cities whose mayor and delegate get a demo login: username -> (city slug, role).
DEMO_CITY_USERS = {
    "mayor.tirana": ("tirana", CityRole.MAYOR),
    "mayor.edirne": ("edirne", CityRole.MAYOR),
    "mayor.split": ("split", CityRole.MAYOR),
    "mayor.athens": ("athens", CityRole.MAYOR),
    "mayor.istanbul": ("istanbul", CityRole.MAYOR),
    "delegate.pristina": ("pristina", CityRole.DELEGATE),
}


def load_people() -> None:
    """A demo mayor and contact point for every city that has none."""
    started = FOUNDED
    for city in City.objects.all():
        if not Person.objects.filter(city=city).exists():
            appoint_person(
                city=city,
                role=PersonRole.MAYOR,
                name=f"Mayor of {city.name} {DEMO}",
                started_on=started,
                email=f"mayor@{city.slug}.demo.b40.example",
            )
            appoint_person(
                city=city,
                role=PersonRole.CONTACT,
                name=f"International office {DEMO}",
                position="International relations",
                started_on=started,
                email=f"international@{city.slug}.demo.b40.example",
                phone="+00 000 000 000",
            )


def load_users(*, password: str) -> list[str]:
    """The secretariat login and a few city logins, all with the same generated password."""
    created = []
    secretariat, new = User.objects.get_or_create(
        username="secretariat",
        defaults={
            "email": DEMO_STAFF_USERS["secretariat"],
            "first_name": "Demo",
            "last_name": "Secretariat",
            "is_staff": True,
        },
    )
    if new:
        secretariat.set_password(password)
        secretariat.save()
        secretariat.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
        created.append("secretariat")
    for username, (slug, role) in DEMO_CITY_USERS.items():
        city = City.objects.get(slug=slug)
        user, new = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@demo.b40.example",
                "city": city,
                "city_role": role,
                "first_name": role.label,
                "last_name": f"{city.name} {DEMO}",
            },
        )
        if new:
            user.set_password(password)
            user.save()
            created.append(username)
    return created


def city_actor(city: City, *, role: str = CityRole.DELEGATE) -> User:
    """The demo user who acts for ``city`` in the demo's history (a follow-up, a request,
    a delegation, the president's agreement): the city's demo login when it has one with
    that role, else an account without a usable password — a record of who acted, not a
    login."""
    user = User.objects.filter(city=city, city_role=role).order_by("pk").first()
    if user is not None:
        return user
    prefix = "mayor" if role == CityRole.MAYOR else "office"
    user = User(
        username=f"{prefix}.{city.slug}",
        email=f"{prefix}@{city.slug}.demo.b40.example",
        city=city,
        city_role=role,
        first_name=CityRole(role).label,
        last_name=f"{city.name} {DEMO}" if DEMO not in city.name else city.name,
    )
    user.set_unusable_password()
    user.save()
    return user
