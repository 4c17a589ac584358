"""Long tasks that do not hold the request, with or without a broker.

With a broker, ``delay`` publishes the task and returns at once. Without one (a laptop,
``make run``) Celery runs every task eagerly, inside the request that queued it: a task of
seconds (the annual report and its PDFs) then holds the page for seconds. ``delay`` here
runs such a task in a thread of the web process instead, so the request answers at once
and the task's progress shows on the next page.

Only for tasks that record their state on a row and are idempotent: a thread lost with its
process (a restart) leaves the row as a broker outage would, for the task's sweep or a
person to queue again. The test settings turn the threads off (``TASKS_IN_THREADS``): a
test sees the task's effect when the commit's callbacks have run.
"""

import logging
import threading

from celery import Task
from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

_threads: set[threading.Thread] = set()
_threads_lock = threading.Lock()


def in_threads() -> bool:
    return settings.CELERY_TASK_ALWAYS_EAGER and settings.TASKS_IN_THREADS


def delay(task: Task, /, **kwargs) -> None:
    """``task.delay(**kwargs)``; without a broker, in a thread of this process."""
    if not in_threads():
        task.delay(**kwargs)
        return
    # Not a daemon: a process that exits (a management command, a server stopped) first
    # lets its tasks finish, as a worker's warm shutdown would.
    thread = threading.Thread(target=_run, args=(task, kwargs), name=f"task {task.name}")
    with _threads_lock:
        _threads.add(thread)
    thread.start()


def _run(task: Task, kwargs: dict) -> None:
    try:
        result = task.apply(kwargs=kwargs)
        if result.failed():
            logger.error("background task %s%s failed: %r", task.name, kwargs, result.result)
    finally:
        connections.close_all()  # this thread's own connections
        with _threads_lock:
            _threads.discard(threading.current_thread())


def wait(timeout: float = 60) -> bool:
    """Wait for the running tasks (and those they start); False if some still run (tests)."""
    for _attempt in range(100):
        with _threads_lock:
            running = list(_threads)
        if not running:
            return True
        for thread in running:
            thread.join(timeout)
            if thread.is_alive():
                return False
    return False
