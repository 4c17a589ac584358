"""The founding summit: Istanbul, 29–30 November 2021 (facts F1, rule M1)."""

import datetime

from django.db import migrations

from members.permissions import grant_model_permissions


def load(apps, schema_editor):
    Summit = apps.get_model("presidency", "Summit")
    City = apps.get_model("members", "City")
    Summit.objects.get_or_create(
        year=2021,
        defaults={
            "host_city": City.objects.get(slug="istanbul"),
            "starts_on": datetime.date(2021, 11, 29),
            "ends_on": datetime.date(2021, 11, 30),
            "venue": "Istanbul",
            "programme": "Founding forum of the B40 Balkan Cities Network: "
            "“Better cooperation – better future”. Signing of the founding declaration.",
            "state": "closed",
        },
    )
    grant_model_permissions(apps, app_label="presidency", models=["Summit", "Mandate"])


def unload(apps, schema_editor):
    apps.get_model("presidency", "Summit").objects.filter(year=2021).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("presidency", "0001_initial"),
        ("members", "0002_founding_members"),
    ]

    operations = [migrations.RunPython(load, unload)]
