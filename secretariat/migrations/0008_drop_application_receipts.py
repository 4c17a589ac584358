from django.db import migrations


def forget_the_receipts_sweep(apps, schema_editor):
    """Beat's stored schedule still names the sweep of the receipts, a task that is gone."""
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task="secretariat.sweep_application_receipts").delete()


class Migration(migrations.Migration):
    """The mails of a new application are written in its own transaction again: no receipt
    row, no sweep of filings left without one (issue 15)."""

    dependencies = [
        ("secretariat", "0007_application_receipts"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.DeleteModel(name="ApplicationReceipt"),
        migrations.RunPython(forget_the_receipts_sweep, migrations.RunPython.noop, elidable=True),
    ]
