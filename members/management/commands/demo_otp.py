"""Print the current code of a demo staff login's authenticator (the demo only).

python manage.py demo_otp secretariat

``make run`` enrols the demo's ``secretariat`` login with a device of its own; this prints
the 6-digit code that device shows now, so that the demo needs no phone. It refuses any
login that is not the demo's, and runs only with DEBUG on (the local settings).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from two_factor.utils import default_device

from members.demo import DEMO_STAFF_USERS
from members.models import User


class Command(BaseCommand):
    help = "Print the current second-factor code of the demo's staff login (demo only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", nargs="?", default="secretariat")

    def handle(self, *args, username: str, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("demo_otp is for the local demo only (DEBUG on).")
        user = User.objects.filter(username=username, email=DEMO_STAFF_USERS.get(username)).first()
        if user is None:
            raise CommandError(f"{username!r} is not one of the demo's staff logins.")
        device = default_device(user)
        if device is None:
            raise CommandError(
                f"{username} has no authenticator yet: log in once to scan its QR code, "
                "or run load_demo --new-password."
            )
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        self.stdout.write(f"{code:0{device.digits}d}")
