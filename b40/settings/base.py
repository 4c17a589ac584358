"""Settings shared by every environment, read from the environment via django-environ."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from common.headers import add_static_headers

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, as it asks: content in several languages
    "b40.apps.B40AdminConfig",  # django.contrib.admin with our site (b40/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # Django's widget templates, for FORM_RENDERER below
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "two_factor",  # the staff login: password, then the code on its own page (members/views.py)
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from here (no CDN)
    # ours, from the ground floor up (STYLE.md: the floors)
    "common",
    "outbox",
    "members",
    "presidency",
    "workinggroups",
    "secretariat",
    "reports",
    "api",  # the open data API: reads every floor, nothing imports it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # a NUL byte anywhere (path, query, headers, form) is a 400 before anything reads it
    "common.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # after the others, as django-axes asks: it turns a lockout into its response
    "axes.middleware.AxesMiddleware",
    # last: sees the view's answer before the middleware above adds cookies and headers
    "common.publicpages.PublicPageMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out login first
    "members.backends.CityModelBackend",  # Django's, reading the user's city with the user
]

ROOT_URLCONF = "b40.urls"
WSGI_APPLICATION = "b40.wsgi.application"
ASGI_APPLICATION = "b40.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# Widgets render through the templates above, so that ours (templates/admin/widgets/,
# templates/auth/widgets/) replace the few of Django's admin that are not accessible
# (issue 18); the rest come from the "django.forms" app.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite: no persistent connections across threads; wait for locks instead of failing.
    # A transaction takes the write lock when it begins (BEGIN IMMEDIATE), so writers queue
    # up front: a read-then-write such as the ballot chain's head is never raced, and a
    # second writer waits instead of failing with "database is locked" half-way.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://b40")}
SHARED_CACHE = CACHES["default"]["BACKEND"].endswith("RedisCache")
if SHARED_CACHE:
    # django-redis: a Redis outage is answered as a miss (pages rendered uncached, sessions
    # read from the database, the rate limit open), after short timeouts (RELIABILITY 21).
    CACHES["default"]["BACKEND"] = "django_redis.cache.RedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 1}
    )
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True  # an outage is logged, not raised
# How long a public page is kept for anonymous visitors (common/publicpages.py); 0: never.
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=300)
# Without the cache the form's rate limit cannot count: let posts through (the honeypot and
# the minimum fill time still stand) rather than refuse every applicant.
RATELIMIT_FAIL_OPEN = True

AUTH_USER_MODEL = "members.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "secretariat:dashboard"
LOGOUT_REDIRECT_URL = "secretariat:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 7  # an invitation link stays valid a week

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("bg", _("Bulgarian")), ("tr", _("Turkish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers as each language writes them (b40/formats/<code>/formats.py).
FORMAT_MODULE_PATH = ["b40.formats"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "Europe/Istanbul"
USE_I18N = True
# Content people write (group topics, goals, recommendations, announcements) in several
# languages, django-modeltranslation: a column per language on the same row, so no join and
# no extra query. English first (rule T2), then whatever language it was written in.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "tr", "bg")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise answers before the clickjacking and CSP middleware: it adds their headers itself.
WHITENOISE_ADD_HEADERS_FUNCTION = add_static_headers
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Mail: the console by default; EMAIL_URL=smtp+tls://user:pass@host:587 in production.
vars().update(env.email("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="B40 Secretariat <secretariat@b40.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SECRETARIAT_EMAIL = env("SECRETARIAT_EMAIL", default="secretariat@b40.example")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Celery: without a broker every task runs in-process, so nothing needs Redis locally.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
# Without a broker, the long tasks (the annual report, its PDFs) run in a thread of the web
# process rather than inside the request that queued them (common/background.py).
TASKS_IN_THREADS = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Longer than the longest task (the annual report): an unacked job is redelivered after it.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60 * 2}
# Locks of long periodic tasks (common/locks.py) expire well before an unacked job returns.
TASK_LOCK_TIMEOUT = 60 * 30
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {
        "task": "outbox.sweep_mails",
        "schedule": crontab(minute="*/5"),
    },
    "workinggroups-plan-meetings": {
        "task": "workinggroups.plan_meetings",
        "schedule": crontab(hour=6, minute=15),
    },
    # Rule G2: the first days of January, draft the report of the mandate that expired.
    "reports-request-due": {
        "task": "reports.request_due_reports",
        "schedule": crontab(minute=30, hour=5, day_of_month="1-7", month_of_year="1"),
    },
    # The stored PDFs of the reports: queue again the renders a broker outage or a deploy
    # (a new layout) left undone. Usually finds nothing to do: one query and a few hashes.
    "reports-refresh-pdfs": {
        "task": "reports.refresh_report_pdfs",
        "schedule": crontab(minute=40),
    },
}
# The annual report's PDFs are rendered in the background whenever the report changes in
# what they show (reports/receivers.py). The test settings turn it off so that the many
# tests of the figures do not pay WeasyPrint three times per build; the PDF tests turn it on.
REPORTS_RENDER_PDFS_ON_CHANGE = True
# Rule W3: days before a working-group meeting that its member cities are reminded.
WORKINGGROUPS_REMINDER_DAYS = env.int("WORKINGGROUPS_REMINDER_DAYS", default=7)
# When a planned working-group meeting starts (local time) and how long it lasts.
WORKINGGROUPS_MEETING_TIME = env("WORKINGGROUPS_MEETING_TIME", default="11:00")
WORKINGGROUPS_MEETING_MINUTES = env.int("WORKINGGROUPS_MEETING_MINUTES", default=90)

# The public membership form (RELIABILITY 13-16): posts per client address, the largest body
# accepted, and the fewest seconds a person takes to fill it in (faster is a bot).
APPLICATION_RATE_LIMIT = env("APPLICATION_RATE_LIMIT", default="10/h")
APPLICATION_MAX_BODY_BYTES = 64 * 1024
APPLICATION_MIN_FILL_SECONDS = env.int("APPLICATION_MIN_FILL_SECONDS", default=3)
# Password resets (RELIABILITY 28): per client address, and mails per e-mail address.
PASSWORD_RESET_RATE_PER_CLIENT = env("PASSWORD_RESET_RATE_PER_CLIENT", default="10/h")
PASSWORD_RESET_RATE_PER_ADDRESS = env("PASSWORD_RESET_RATE_PER_ADDRESS", default="3/h")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
if CELERY_TASK_ALWAYS_EAGER:  # the in-memory broker has no host name, and says so each time
    LOGGING["loggers"]["kombu.connection"] = {"level": "ERROR"}

# Bounds on what a request may carry (RELIABILITY 16).
DATA_UPLOAD_MAX_MEMORY_SIZE = 512 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# Throttled logins on the site and the admin (RELIABILITY 6): after 5 failures for one
# username from one address, that pair waits an hour. The address is members.client_ip's,
# which a forged X-Forwarded-For header cannot change.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The proxies in front of gunicorn (addresses or networks, e.g. "127.0.0.1,10.0.0.0/8"): only
# their X-Forwarded-For is read, from the right (members/client_ip.py); none by default.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
AXES_CLIENT_IP_CALLABLE = "members.client_ip.client_ip"

# The admin asks staff for a TOTP code (RELIABILITY 7); see b40/admin_site.py.
ADMIN_REQUIRE_OTP = env.bool("ADMIN_REQUIRE_OTP", default=True)
OTP_TOTP_ISSUER = "B40 portal"
# django-two-factor-auth: the admin's login redirects to its wizard through our admin site
# (b40/admin_site.py), not through its patch of every AdminSite.
TWO_FACTOR_PATCH_ADMIN = False

# A strict Content Security Policy: no inline script or style anywhere (STYLE 15).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# The open data API (api/): read-only and anonymous, JSON only (a cached answer must not
# depend on the Accept header), paginated, rate-limited per client address.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env("API_RATE_LIMIT", default="300/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "B40 Balkan Cities Network — open data",
    "DESCRIPTION": (
        "What the network's public website shows, for machines: member cities (with their "
        "coordinates), presidential mandates, Annual Summits and their election results (counts "
        "per round, never a city's choice), working groups and their meetings, recommendations "
        "and published annual reports. Read-only, anonymous, paginated, rate-limited per client."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": False,
    "ENUM_NAME_OVERRIDES": {
        "SummitStateEnum": ["planned", "open", "closed"],
        "ElectionStateEnum": ["planned", "candidacy", "closed-cand", "voting", "closed"],
        "GroupStateEnum": ["active", "closed"],
    },
}
PERMISSIONS_POLICY = "geolocation=(), camera=(), microphone=()"

SESSION_COOKIE_AGE = 60 * 60 * 8
if SHARED_CACHE:
    # Read from the shared cache, written through to the database: no query per page view.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
