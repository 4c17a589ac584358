"""Staff's second factor: one TOTP device and single-use backup codes (django-otp).

The staff login (django-two-factor-auth, ``members/views.py``) asks for the code of the
device named ``default``; backup codes are the user's ``StaticDevice``. A staff member
enrols in the browser with a QR code at the first login; ``enrol_totp`` does it from the
terminal, and ``reset_second_factor`` (``enrol_totp --reset``) sends them back to the QR.
"""

import secrets

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from members.models import User

BACKUP_CODES = 10
# The name django-two-factor-auth looks up for the device it asks a code of.
DEVICE_NAME = "default"


@transaction.atomic
def replace_backup_codes(*, user: User) -> list[str]:
    """Give ``user`` fresh single-use backup codes; the old ones stop working."""
    backup, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "backup codes", "confirmed": True}
    )
    backup.token_set.all().delete()
    codes = [secrets.token_hex(4) for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    return codes


@transaction.atomic
def reset_second_factor(*, user: User) -> None:
    """Remove the user's devices and backup codes (a lost phone).

    Their next login asks them to scan a new QR code, as at their first.
    """
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@transaction.atomic
def enrol_totp(*, user: User, reset: bool = False) -> tuple[TOTPDevice, list[str]]:
    """Give ``user`` a confirmed TOTP device and fresh backup codes (from the terminal).

    ``reset`` removes the old devices first.
    """
    if reset:
        reset_second_factor(user=user)
    device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
    return device, replace_backup_codes(user=user)
