import datetime

import factory
from django.contrib.auth.models import Group

from members.enums import CityRole, CityStatus, PersonRole
from members.models import City, Country, Person, User
from members.permissions import SECRETARIAT_GROUP

PASSWORD = "pw-test-1234"  # noqa: S105


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    name = factory.Sequence(lambda n: f"Country {n}")
    eligible = True


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    name = factory.Sequence(lambda n: f"Testgrad {n}")
    slug = factory.Sequence(lambda n: f"testgrad-{n}")
    country = factory.LazyFunction(lambda: Country.objects.get(code="RS"))
    joined_on = datetime.date(2023, 11, 20)
    status = CityStatus.ACTIVE


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    city = factory.SubFactory(CityFactory)
    role = PersonRole.CONTACT
    name = factory.Faker("name")
    email = factory.Faker("email")
    started_on = datetime.date(2024, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CityUserFactory(UserFactory):
    city = factory.SubFactory(CityFactory)
    city_role = CityRole.MAYOR


class SecretariatUserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True

    @factory.post_generation
    def secretariat_group(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
