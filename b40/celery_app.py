"""The Celery application of the portal.

Tasks run on a real broker when ``CELERY_BROKER_URL`` is set; without it the settings
make them run in-process (eagerly), so the portal works on a laptop with no Redis.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b40.settings.local")

app = Celery("b40")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
