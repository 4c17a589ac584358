"""Enrol a staff user in the admin's second factor, or reset it after a lost phone.

python manage.py enrol_totp <username>          # first enrolment
python manage.py enrol_totp <username> --reset  # recovery: new secret, new backup codes
"""

from django.core.management.base import BaseCommand, CommandError

from members.models import User
from members.otp import enrol_totp


class Command(BaseCommand):
    help = "Give a staff user a TOTP device for the admin and print its secret and backup codes."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--reset", action="store_true", help="Remove the old devices first.")

    def handle(self, *args, username: str, reset: bool, **options) -> None:
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"No user {username!r}.") from exc
        if not user.is_staff:
            raise CommandError(f"{username} is not staff; only staff use the admin.")
        if not reset and user.totpdevice_set.exists():
            raise CommandError(f"{username} already has a device; use --reset to replace it.")
        device, codes = enrol_totp(user=user, reset=reset)
        self.stdout.write(
            f"Add this to an authenticator app (Google Authenticator, Aegis, …):\n"
            f"  {device.config_url}"
        )
        self.stdout.write("Single-use backup codes (keep them safe; each works once):")
        self.stdout.write("  " + "  ".join(codes))
