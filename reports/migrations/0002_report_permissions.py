"""The Secretariat group writes and publishes the annual report (rules G2, T3)."""

from django.db import migrations

from members.permissions import grant_model_permissions


def load(apps, schema_editor):
    grant_model_permissions(apps, app_label="reports", models=["AnnualReport"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("members", "0002_founding_members"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
