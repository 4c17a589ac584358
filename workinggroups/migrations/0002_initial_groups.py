"""The four working groups the network started with (rule W2)."""

import datetime

from django.db import migrations

from members.permissions import grant_model_permissions

GROUPS = [
    ("Local climate action", "local-climate-action",
     "Climate adaptation and mitigation in cities: plans, green infrastructure, energy."),
    ("Local democracy and migration", "local-democracy-and-migration",
     "Strong local self-government, democratic values, and cities under refugee pressure."),
    ("Smart cities and digital transformation", "smart-cities-and-digital-transformation",
     "Digital public services, open data and smart urban infrastructure."),
    ("Local economic cooperation", "local-economic-cooperation",
     "Trade, tourism, investment and jobs between the member cities."),
]


def load(apps, schema_editor):
    WorkingGroup = apps.get_model("workinggroups", "WorkingGroup")
    # Reloaded by the browser tests on today's model (tests/e2e/conftest.py), whose CHECK
    # constraint asks the founding groups to say so (0007); the historical model has no flag.
    flags = (
        {"is_founding": True}
        if "is_founding" in {f.name for f in WorkingGroup._meta.get_fields()}
        else {}
    )
    for name, slug, topic in GROUPS:
        WorkingGroup.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "topic": topic,
                "state": "active",
                "created_on": datetime.date(2021, 11, 30),
                **flags,
            },
        )
    grant_model_permissions(
        apps, app_label="workinggroups", models=["WorkingGroup", "GroupMembership"],
        actions=["view", "add", "change", "delete"],
    )


def unload(apps, schema_editor):
    apps.get_model("workinggroups", "WorkingGroup").objects.filter(
        slug__in=[slug for _, slug, _ in GROUPS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workinggroups", "0001_initial"),
        ("members", "0002_founding_members"),
    ]

    operations = [migrations.RunPython(load, unload)]
