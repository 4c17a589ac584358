"""The test suite: SQLite by default, PostgreSQL when DATABASE_URL says so.

Tasks always run eagerly here (and propagate their errors) so tests see their effects;
the tests that need a real worker switch ``app.conf`` themselves.
"""

from .base import *  # noqa: F403
from .base import env

# Only the test suite uses it; production reads DJANGO_SECRET_KEY with no default.
SECRET_KEY = "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105  # nosec B105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REAL_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Eager tasks run at the commit, in the test's thread (the tests of common/background.py
# turn the threads on).
TASKS_IN_THREADS = False
# Three WeasyPrint renders per report build: only the tests of the PDFs want them
# (tests/reports/test_documents.py switches it on).
REPORTS_RENDER_PDFS_ON_CHANGE = False
# Serve static files from the source folders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Off by default in tests (client.login() carries no request); the tests of the lockout
# and of the second factor switch them on.
AXES_ENABLED = False
ADMIN_REQUIRE_OTP = False
INSTALLED_APPS = [*INSTALLED_APPS, "django_migration_linter"]  # noqa: F405
# Third-party apps' migrations are theirs to lint; an initial migration runs on empty tables.
MIGRATION_LINTER_OPTIONS = {
    "exclude_apps": [
        "admin",
        "auth",
        "contenttypes",
        "sessions",
        "axes",
        "django_celery_beat",
        "otp_totp",
        "otp_static",
        "two_factor",
        "simple_history",
    ],
    # These create their tables and add foreign keys to them in the same migration (the
    # linter reads that as a NOT NULL column on an existing table), and all predate the first
    # deployment. New migrations are linted in full: add NOT NULL columns with db_default.
    "ignore_name": [
        "0001_initial",
        "0001_applications",
        "0003_workspace",
        "0003_delegations_elections",
        "0003_groups_meetings_requests",
        # These only drop indexes no query uses (``sqlmigrate`` on PostgreSQL: DROP INDEX and
        # one CREATE INDEX); SQLite rebuilds the table for them, which the linter reads as
        # new NOT NULL columns and a new unique constraint.
        "0003_mail_kind_plain_index",
        "0006_application_leaner_indexes",
        # Nullable columns and a CHECK constraint (PostgreSQL: ADD COLUMN … NULL, ADD
        # CONSTRAINT … CHECK, linted clean there); SQLite rebuilds the table for the check.
        "0005_city_coordinates",
        "0009_application_coordinates",
        # varchar(100) to text (a folded name outgrew it): on PostgreSQL an ALTER COLUMN TYPE
        # that is binary-coercible (no table rewrite, old code reads the column alike);
        # SQLite rebuilds the table, read as above.
        "0007_search_name_text",
        "0011_search_name_text",
        # One-to-one becomes a foreign key (a city admitted again): on PostgreSQL it drops a
        # unique constraint and keeps the column; SQLite rebuilds the table.
        "0012_application_city_readmission",
        # Drops the ApplicationReceipt table (issue 15): nothing reads it since the mails of
        # a filing are written in its own transaction; old code still running during a
        # deploy only wrote receipts, which are not needed any more.
        "0008_drop_application_receipts",
        # New columns with db_default: SQLite adds them by rebuilding the table (read as NOT
        # NULL columns); on PostgreSQL both lint clean (warnings on the new indexes only).
        "0008_city_withdrawal",
        "0007_founding_groups_and_meeting_states",
        # Adds two columns with db_default and two CHECK constraints; SQLite rebuilds the
        # tables for the constraints, which the linter reads as new NOT NULL columns. On
        # PostgreSQL the linter passes it (DATABASE_URL=postgres://... lintmigrations).
        "0007_presidency_doors",
        # The ballot board (issue 20): every vote gets a tracker, drawn here for the votes
        # already stored, then unique within its round. Code older than this migration casts
        # ballots without a tracker and would be refused: upgrade while no round is open
        # (the migration's docstring and the README say so).
        "0008_ballot_board",
    ],
}
LOGGING["loggers"]["django_migration_linter"] = {"level": "WARNING"}  # noqa: F405
