"""The Secretariat group's permissions on the workspace (roster, goals, recommendations,
announcements): it keeps the records, so it views, adds and changes them."""

from django.db import migrations

from members.permissions import grant_model_permissions

MODELS = [
    "RosterMember",
    "Goal",
    "GoalProgress",
    "Recommendation",
    "FollowUp",
    "Announcement",
    "AnnouncementDelivery",
]


def load(apps, schema_editor):
    grant_model_permissions(apps, app_label="secretariat", models=MODELS)


class Migration(migrations.Migration):
    dependencies = [
        ("secretariat", "0003_workspace"),
        ("members", "0002_founding_members"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
