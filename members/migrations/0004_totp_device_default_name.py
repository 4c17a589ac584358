"""The staff's TOTP devices take the name django-two-factor-auth asks a code of.

``enrol_totp`` named them "authenticator"; the staff login (django-two-factor-auth) looks
for the device named "default". Renaming keeps every enrolled phone and backup code valid.
"""

from django.db import migrations


def rename(apps, old: str, new: str) -> None:
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    TOTPDevice.objects.filter(name=old).update(name=new)


def forwards(apps, schema_editor) -> None:
    rename(apps, "authenticator", "default")


def backwards(apps, schema_editor) -> None:
    rename(apps, "default", "authenticator")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_country_history"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
