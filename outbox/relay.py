"""Handing committed work to the broker in batches, from a thread of the web process.

A publish through Celery costs about 0.4 ms of the process's time (kombu builds a message
and a Redis client each time), as much as the rest of a small request's writes. The web
server's processes (``b40/wsgi.py`` turns it on) therefore leave the mails of a committed
transaction with this relay, which publishes everything gathered in ``delay`` seconds as
one ``outbox.send_mails`` message: under load one publish serves many requests; alone, a
mail leaves ``delay`` seconds later than it would have.

Nothing can be lost that was not already safe: the mails are rows, recorded and committed
before they reach the relay. If the process dies before the relay publishes them (or the
broker refuses them), they stay queued and the outbox's sweep hands them over again
(RELIABILITY 21). At a normal exit the relay publishes what it holds.
"""

import atexit
import logging
import os
import threading
from collections.abc import Callable, Sequence

logger = logging.getLogger(__name__)


class Relay:
    def __init__(self, publish: Callable[[list[int]], object], *, delay: float):
        self.publish = publish
        self.delay = delay
        self._lock = threading.Lock()
        self._pending: list[int] = []
        self._wake = threading.Event()
        self._pid: int | None = None  # the process the thread runs in (a fork has none)

    def add(self, mail_ids: Sequence[int]) -> None:
        with self._lock:
            if self._pid != os.getpid():  # first use in this process: start its thread
                self._pid = os.getpid()
                self._pending = []
                self._wake = threading.Event()
                threading.Thread(target=self._run, name="outbox-relay", daemon=True).start()
            self._pending.extend(mail_ids)
            self._wake.set()

    def flush(self) -> None:
        """Publish what is waiting now (at exit, and in tests)."""
        with self._lock:
            mail_ids, self._pending = self._pending, []
            self._wake.clear()
        if mail_ids:
            try:
                self.publish(mail_ids)
            except Exception:  # the rows stay queued: the sweep hands them over again
                logger.exception("outbox: the relay could not hand over %s mails", len(mail_ids))

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


def stop(name: str) -> None:
    relay = _relays.pop(name, None)
    if relay is not None:
        atexit.unregister(relay.flush)
        relay.flush()


def current(name: str) -> Relay | None:
    return _relays.get(name)
