"""A developer's laptop: SQLite, no broker, DEBUG on, a throwaway secret."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-only-insecure-key-not-for-production")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the source folders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# A quiet terminal for `make run`: warnings and errors only unless LOG_LEVEL says otherwise.
LOGGING["root"]["level"] = env("LOG_LEVEL", default="WARNING")  # noqa: F405
