"""Enrol a staff user in the admin's second factor, or reset it after a lost phone.

python manage.py enrol_totp <username>          # enrol from the terminal (link and backup codes)
python manage.py enrol_totp <username> --reset  # lost phone: old devices and codes removed; the
                                                # next login shows a new QR code to scan

A new staff member needs neither: their first login asks them to scan a QR code.
"""

from django.core.management.base import BaseCommand, CommandError

from members.models import User
from members.otp import enrol_totp, reset_second_factor


class Command(BaseCommand):
    help = (
        "Give a staff user a TOTP device for the admin and print its link and backup codes; "
        "with --reset, remove their devices so that the next login enrols a new phone."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Remove the devices and backup codes; the next login shows a new QR code.",
        )

    def handle(self, *args, username: str, reset: bool, **options) -> None:
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"No user {username!r}.") from exc
        if not user.is_staff:
            raise CommandError(f"{username} is not staff; only staff use the admin.")
        if reset:
            reset_second_factor(user=user)
            self.stdout.write(
                f"{username}'s authenticator and backup codes are removed. At the next login, "
                "after the password, the admin shows a new QR code to scan and new backup codes."
            )
            return
        if user.totpdevice_set.exists():
            raise CommandError(f"{username} already has a device; use --reset to replace it.")
        device, codes = enrol_totp(user=user)
        self.stdout.write(
            f"Add this to an authenticator app (Google Authenticator, Aegis, …):\n"
            f"  {device.config_url}"
        )
        self.stdout.write("Single-use backup codes (keep them safe; each works once):")
        self.stdout.write("  " + "  ".join(codes))
