"""Load the demo network for ``make run`` (idempotent: safe to run again).

Everything it adds is marked "(demo)". Logins get one generated password, printed once.
"""

import importlib
import secrets

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from members import demo as members_demo
from members.models import User
from members.otp import enrol_totp
from secretariat import demo_history

# Each app's ``demo.load()`` — the present — in floor order, found by name like the admin's
# autodiscovery, after the five years of history (``secretariat/demo_history.py``).
DEMO_APPS = ["presidency", "workinggroups", "secretariat"]
# The annual reports of the expired mandates, built from that history once it is committed
# (reports sits above this app and is not imported directly): by then the history's mails
# are sent (without a broker they go at the commit), as the reports' figures count them.
REPORTS_APP = "reports"


class Command(BaseCommand):
    help = "Load demo people, logins and activity (all marked as demo) and print the logins."
    requires_system_checks = []  # the roster warning would show before the demo roster exists

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--new-password",
            action="store_true",
            help="Give every demo login a new generated password and print it.",
        )

    def handle(self, *args, **options) -> None:
        password = secrets.token_urlsafe(12)
        # The demo's own mails (announcements, applications…) are recorded in the outbox but
        # kept in memory, not printed: the logins below must not drown in them.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            transaction.atomic(),
        ):
            members_demo.load_people()
            created = members_demo.load_users(password=password)
            demo_history.load()
            for app in DEMO_APPS:
                importlib.import_module(f"{app}.demo").load()
            if options["new_password"]:
                demo_users = User.objects.filter(
                    username__in=["secretariat", *members_demo.DEMO_CITY_USERS]
                )
                for user in demo_users:
                    user.set_password(password)
                    user.save(update_fields=["password"])
                created = [user.username for user in demo_users]
            second_factor = None
            if "secretariat" in created:
                second_factor = enrol_totp(
                    user=User.objects.get(username="secretariat"), reset=True
                )
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            transaction.atomic(),
        ):
            importlib.import_module(f"{REPORTS_APP}.demo").load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded (everything marked “(demo)”)."))
        if created:
            self.stdout.write("")
            self.stdout.write(self.style.WARNING("Demo logins — the password is shown only now:"))
            for username in created:
                where = "/admin/" if username == "secretariat" else "/my-city/"
                self.stdout.write(f"  {username:<20} {password}   → http://127.0.0.1:8000{where}")
            self.stdout.write("")
        write = self.stdout.write
        write(self.style.WARNING("The secretariat's desk (the admin) asks for two things:"))
        write("  1. at http://127.0.0.1:8000/admin/ the username secretariat and its password;")
        write("  2. then the 6-digit code of its authenticator. For the demo, print it with")
        write("       .venv/bin/python manage.py demo_otp secretariat")
        if second_factor:
            device, codes = second_factor
            write(f"     or add it to an authenticator app: {device.config_url}")
            write(f"     or type a single-use backup code: {'  '.join(codes[:5])}")
        write("")
        if not created:
            self.stdout.write(
                "Demo logins exist already (secretariat, mayor.tirana, …). Forgot the password? "
                "Run: .venv/bin/python manage.py load_demo --new-password"
            )
