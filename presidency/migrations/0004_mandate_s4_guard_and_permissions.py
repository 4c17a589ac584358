"""Rule S4 in the database, and the secretariat's permissions on the new models.

On PostgreSQL an exclusion constraint refuses two mandates of one city in consecutive
years, whatever door writes them (admin, shell, a bulk load): the ranges [year, year + 2)
of one city may not overlap. SQLite has no such constraint; there ``Mandate.clean`` and the
services hold the rule.
"""

from django.db import migrations

from members.permissions import grant_model_permissions

CONSTRAINT = "presidency_mandate_not_consecutive"


def add_s4_guard(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE presidency_mandate ADD CONSTRAINT {CONSTRAINT} "
        "EXCLUDE USING gist (city_id WITH =, int4range(year, year + 2) WITH &&)"
    )


def drop_s4_guard(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE presidency_mandate DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


def load(apps, schema_editor):
    grant_model_permissions(
        apps,
        app_label="presidency",
        models=["Delegation", "Delegate", "Election", "Candidacy"],
    )
    grant_model_permissions(
        apps,
        app_label="presidency",
        models=["Round", "BallotRecord", "LotDraw"],
        actions=["view", "add"],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("presidency", "0003_delegations_elections"),
    ]

    operations = [
        migrations.RunPython(add_s4_guard, drop_s4_guard),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
