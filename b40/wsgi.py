import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b40.settings.production")
application = get_wsgi_application()

# The web server's processes hand committed work to the broker in batches (outbox/relay.py):
# the mails, and the new applications whose mails a worker writes.
from outbox.services import hand_over_in_batches  # noqa: E402  (needs the apps loaded)
from secretariat.services.applications import hand_over_receipts_in_batches  # noqa: E402

hand_over_in_batches()
hand_over_receipts_in_batches()
