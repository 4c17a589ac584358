"""Build a synthetic network into the configured database: fast (bulk inserts), deterministic.

    DATABASE_URL=... python -m bench.generate --cities 1000

Each floor adds its rows in its own function, in floor order; all rows are marked "(bench)".
"""

import argparse
import datetime
import os
import random
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b40.settings.local")


def generate_members(rng: random.Random, *, cities: int) -> dict:
    from members.enums import CityRole, PersonRole
    from members.models import City, Country, Person, User

    countries = list(Country.objects.filter(eligible=True))
    existing = City.objects.count()
    new = []
    for n in range(existing, cities):
        country = rng.choice(countries)
        name = f"Benchgrad {n:04d}"
        new.append(
            City(
                name=name,
                slug=f"benchgrad-{n:04d}",
                search_name=name.lower(),
                country=country,
                joined_on=datetime.date(2022 + n % 5, 11, 20),
                website=f"https://bench{n}.example",
                population=rng.randint(5_000, 2_000_000),
            )
        )
    City.objects.bulk_create(new, batch_size=500)
    people = []
    for city in City.objects.filter(people__isnull=True):
        people.append(
            Person(
                city=city,
                role=PersonRole.MAYOR,
                name=f"Mayor of {city.name} (bench)",
                email=f"mayor@{city.slug}.bench.example",
                started_on=datetime.date(2024, 1, 1),
            )
        )
        people.append(
            Person(
                city=city,
                role=PersonRole.CONTACT,
                name="Contact (bench)",
                email=f"contact@{city.slug}.bench.example",
                started_on=datetime.date(2024, 1, 1),
            )
        )
    Person.objects.bulk_create(people, batch_size=1000)
    city = City.objects.get(slug="tirana")
    user, _ = User.objects.get_or_create(
        username="bench.mayor", defaults={"city": city, "city_role": CityRole.MAYOR}
    )
    staff, _ = User.objects.get_or_create(
        username="bench.staff", defaults={"is_staff": True, "is_superuser": True}
    )
    return {"mayor": user.pk, "staff": staff.pk}


# Each later floor appends its generator here: (name, function(rng) -> dict).
GENERATORS: list = []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cities", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=40)
    args = parser.parse_args()
    django.setup()
    from django.db import transaction

    rng = random.Random(args.seed)
    started = time.perf_counter()
    with transaction.atomic():
        generate_members(rng, cities=args.cities)
        for name, generator in GENERATORS:
            t = time.perf_counter()
            generator(rng)
            print(f"  {name}: {time.perf_counter() - t:.1f} s")
    print(f"generated in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
