"""Handing committed work to the broker in batches, from a thread of the web process.

A publish through Celery costs about 0.4 ms of the process's time (kombu builds a message
and a Redis client each time), as much as the rest of a small request's writes. The web
server's processes (``b40/wsgi.py`` turns it on) therefore leave the ids of committed work
(mails to send, new applications to mail) with a relay per kind, which publishes everything
gathered in ``delay`` seconds as one message: under load one publish serves many requests;
alone, the work starts ``delay`` seconds later than it would have.

Nothing can be lost that was not already safe: the work is rows, recorded and committed
before it reaches the relay. If the process dies before the relay publishes it (or the
broker refuses it), a sweep hands it over again (RELIABILITY 21). At a normal exit the relay
publishes what it holds.
"""

import atexit
import logging
import os
import threading
from collections.abc import Callable, Sequence

from django.conf import settings

logger = logging.getLogger(__name__)


class Relay:
    def __init__(self, publish: Callable[[list[int]], object], *, delay: float):
        self.publish = publish
        self.delay = delay
        self._lock = threading.Lock()
        self._pending: list[int] = []
        self._wake = threading.Event()
        self._pid: int | None = None  # the process the thread runs in (a fork has none)

    def add(self, ids: Sequence[int]) -> None:
        with self._lock:
            if self._pid != os.getpid():  # first use in this process: start its thread
                self._pid = os.getpid()
                self._pending = []
                self._wake = threading.Event()
                threading.Thread(target=self._run, name="outbox-relay", daemon=True).start()
            self._pending.extend(ids)
            self._wake.set()

    def flush(self) -> None:
        """Publish what is waiting now (at exit, and in tests)."""
        with self._lock:
            ids, self._pending = self._pending, []
            self._wake.clear()
        if ids:
            try:
                self.publish(ids)
            except Exception:  # the rows wait: their sweep hands them over again
                logger.exception("the relay could not hand over %s ids", len(ids))

    def _run(self) -> None:
        wake = self._wake
        while True:
            wake.wait()
            # Gather what the next requests commit meanwhile into the same message.
            threading.Event().wait(self.delay)
            self.flush()


_relays: dict[str, Relay] = {}


def start(name: str, publish: Callable[[list[int]], object], *, delay: float) -> None:
    """Turn batching on for ``name``'s hand-overs in this process (and the processes forked
    from it); ``publish`` gets the ids gathered."""
    if delay <= 0:
        return
    stop(name)
    _relays[name] = relay = Relay(publish, delay=delay)
    atexit.register(relay.flush)


def start_in_web_process(name: str, publish: Callable[[list[int]], object]) -> None:
    """``start`` with the project's delay (``OUTBOX_HANDOVER_SECONDS``), when there is a
    broker: without one, tasks run in-process at the commit and there is nothing to batch."""
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        start(name, publish, delay=settings.OUTBOX_HANDOVER_SECONDS)


def hand_over(name: str, ids: Sequence[int], publish: Callable[[list[int]], object]) -> None:
    """Leave ``ids`` with ``name``'s relay where this process batches, else publish them now.
    Call it once the work is committed (``transaction.on_commit``)."""
    batching = _relays.get(name)
    if batching is not None:
        batching.add(ids)
    else:
        publish(list(ids))


def stop(name: str) -> None:
    relay = _relays.pop(name, None)
    if relay is not None:
        atexit.unregister(relay.flush)
        relay.flush()


def current(name: str) -> Relay | None:
    return _relays.get(name)
