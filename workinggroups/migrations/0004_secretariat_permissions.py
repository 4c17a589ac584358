"""The secretariat runs meetings, attendance and extra-session requests in the admin."""

from django.db import migrations

from members.permissions import grant_model_permissions


def load(apps, schema_editor):
    grant_model_permissions(
        apps,
        app_label="workinggroups",
        models=["WorkingGroup", "GroupMembership", "Meeting", "Attendance", "ExtraSessionRequest"],
        actions=["view", "add", "change", "delete"],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("workinggroups", "0003_groups_meetings_requests"),
        ("members", "0002_founding_members"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
