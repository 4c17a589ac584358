"""Enrolling staff in the admin's second factor (TOTP, with single-use backup codes)."""

import secrets

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from members.models import User

BACKUP_CODES = 10


@transaction.atomic
def enrol_totp(*, user: User, reset: bool = False) -> tuple[TOTPDevice, list[str]]:
    """Give ``user`` a confirmed TOTP device and fresh backup codes.

    ``reset`` is the recovery path for a lost phone: the old devices are removed first.
    """
    if reset:
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    backup, _ = StaticDevice.objects.get_or_create(
        user=user, name="backup codes", defaults={"confirmed": True}
    )
    backup.token_set.all().delete()
    codes = [secrets.token_hex(4) for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    return device, codes
