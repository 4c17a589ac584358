"""The audited models' history (members/history.py): recorded as before, its manager class
built once per model instead of on every read of ``.history``."""

from members.models import City
from tests.factories import CityFactory


def test_the_history_manager_class_is_built_once(db):
    city = CityFactory()
    assert type(city.history) is type(City.objects.get(pk=city.pk).history)
    assert type(City.history) is type(city.history)


def test_every_save_is_still_recorded_with_its_type(db):
    city = CityFactory(name="Historigrad")
    city.name = "Historigrad Renamed"
    city.save()
    assert [h.history_type for h in city.history.order_by("history_date")] == ["+", "~"]
    assert city.history.first().name == "Historigrad Renamed"
