"""Signals of the outbox."""

from django.dispatch import Signal

# Mails recorded in one insert (``bulk_create`` sends no ``post_save``): caches that show
# mails listen to it. Arguments: ``sender`` (the Mail model), ``mails``, ``using``.
mails_queued = Signal()
