import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b40.settings.production")
application = get_wsgi_application()

# The web server's processes hand committed mails to the broker in batches (outbox/relay.py).
from outbox.services import hand_over_in_batches  # noqa: E402  (needs the apps loaded)

hand_over_in_batches()
