"""Handing work to Celery once the transaction commits (RELIABILITY 20, 21)."""

import logging
from functools import partial

from celery import Task
from django.db import transaction

from common import background

logger = logging.getLogger(__name__)


def publish(task: Task, /, *, in_background: bool = False, **kwargs) -> bool:
    """Hand ``task`` to the broker now; False, after a logged warning, when it is down.

    The caller's rows are the record of the work to do: a sweep queues it again later.
    ``in_background``: without a broker, run it in a thread rather than in this request
    (``common.background``: for long tasks that record their progress on a row).
    """
    try:
        if in_background:
            background.delay(task, **kwargs)
        else:
            task.delay(**kwargs)
    except Exception:  # the broker is down or refuses: the rows wait for the sweep
        logger.warning("could not hand %s over to the broker", task.name, exc_info=True)
        return False
    return True


def publish_on_commit(task: Task, /, **kwargs) -> None:
    """``publish`` once the surrounding transaction commits (at once outside one)."""
    transaction.on_commit(partial(publish, task, **kwargs))
