"""The Secretariat group reviews membership applications (rule M3) in the admin."""

from django.db import migrations

from members.permissions import grant_model_permissions


def load(apps, schema_editor):
    grant_model_permissions(
        apps, app_label="secretariat", models=["Application"], actions=["view", "change"]
    )
    grant_model_permissions(
        apps, app_label="secretariat", models=["ApplicationEvent"], actions=["view"]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("secretariat", "0001_applications"),
        ("members", "0002_founding_members"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
