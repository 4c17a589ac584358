"""Locks across processes: one copy at a time of a long task (RELIABILITY 19), and "once
within a while" for work several requests may ask for at the same moment.

A lock is a cache key taken with ``cache.add`` (atomic: Redis ``SET NX``), so it holds
across worker processes and machines when the cache is Redis (``CACHE_URL`` in
production; the default local-memory cache only spans one process). It expires after
``timeout`` seconds, which must be shorter than the broker's visibility timeout: a worker
killed while holding it cannot block the redelivered copy of its own task.
"""

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def task_lock_timeout() -> int:
    return settings.TASK_LOCK_TIMEOUT


@contextmanager
def single_run(name: str, *, timeout: int | None = None) -> Iterator[bool]:
    """Yield True when this caller holds the lock named ``name``; False when another does."""
    key = f"b40:lock:{name}"
    token = uuid.uuid4().hex
    acquired = cache.add(key, token, timeout or task_lock_timeout())
    if not acquired:
        logger.info("lock %s is held elsewhere; this copy does nothing", name)
    try:
        yield acquired
    finally:
        # Release only our own lock: after an expiry another copy may hold a new one.
        if acquired and cache.get(key) == token:
            cache.delete(key)


def once_within(name: str, seconds: int) -> bool:
    """True for the first caller asking under ``name`` within ``seconds``; False for the
    others until then (the first one's work is under way or done)."""
    return cache.add(f"b40:once:{name}", True, seconds)
