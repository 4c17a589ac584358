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

# The public pages' cache keeps its data version in the cache (members/publiccache.py): it
# must be one every worker shares (Redis: CACHE_URL). With a per-process cache it is off.
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):  # noqa: F405
    PUBLIC_CACHE_SECONDS = 0
