"""Where the 25 founding cities are (fact F2), for the network's map: city centres, WGS 84."""

from decimal import Decimal

from django.db import migrations

# slug: (latitude, longitude)
FOUNDERS = {
    "istanbul": ("41.00824", "28.97836"),
    "belgrade": ("44.78657", "20.44892"),
    "athens": ("37.98381", "23.72754"),
    "sarajevo": ("43.85626", "18.41308"),
    "thessaloniki": ("40.64007", "22.94442"),
    "podgorica": ("42.43042", "19.25936"),
    "kardzhali": ("41.63380", "25.37770"),
    "kotor": ("42.42467", "18.77118"),
    "split": ("43.50891", "16.44019"),
    "laktasi": ("44.90861", "17.30111"),
    "dubrovnik": ("42.65066", "18.09442"),
    "tirana": ("41.32750", "19.81889"),
    "durres": ("41.32306", "19.44139"),
    "skopje": ("41.99646", "21.43141"),
    "patras": ("38.24664", "21.73444"),
    "kirklareli": ("41.73508", "27.22521"),
    "shkoder": ("42.06828", "19.51258"),
    "edirne": ("41.67719", "26.55597"),
    "tekirdag": ("40.97801", "27.51104"),
    "trikala": ("39.55493", "21.76837"),
    "pula": ("44.86833", "13.84806"),
    "constanta": ("44.17333", "28.63833"),
    "canakkale": ("40.15531", "26.41416"),
    "pristina": ("42.66291", "21.16550"),
    "prizren": ("42.21389", "20.73972"),
}


def load(apps, schema_editor):
    City = apps.get_model("members", "City")
    for slug, (latitude, longitude) in FOUNDERS.items():
        # Only where none is set: coordinates the secretariat corrected stay as they are.
        City.objects.filter(slug=slug, latitude__isnull=True).update(
            latitude=Decimal(latitude), longitude=Decimal(longitude)
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0005_city_coordinates")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
