"""The WSGI entry point of the portal (gunicorn b40.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b40.settings.production")

application = get_wsgi_application()
