"""Production: every secret from the environment, HTTPS everywhere.

Start with DJANGO_SETTINGS_MODULE=b40.settings.production; it refuses to start
without DJANGO_SECRET_KEY.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")  # no default: a missing secret stops the start
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True

ADMIN_REQUIRE_OTP = True  # never off in production (RELIABILITY 7)

if not SHARED_CACHE:  # noqa: F405
    # The public pages' data version must be one every process shares (Redis: CACHE_URL):
    # with a per-process cache each would miss another's writes.
    PUBLIC_CACHE_SECONDS = 0
