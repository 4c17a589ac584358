"""Two copies of a long periodic task never run at once (RELIABILITY 19)."""

import threading

from django.conf import settings

from common.locks import single_run
from outbox import tasks as outbox_tasks
from workinggroups import tasks as group_tasks


def test_the_lock_is_taken_once_and_released(db):
    with single_run("x", timeout=60) as first, single_run("x", timeout=60) as second:
        assert (first, second) == (True, False)
    with single_run("x", timeout=60) as again:
        assert again


def test_the_lock_expires_before_the_broker_redelivers_a_lost_task():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert 0 < settings.TASK_LOCK_TIMEOUT < visibility


def _race(task, service_module, name, monkeypatch, result_when_running):
    """Start one copy, hold it inside the service, start a second copy meanwhile."""
    inside, release = threading.Event(), threading.Event()
    calls = []

    def slow(*args, **kwargs):
        calls.append(1)
        inside.set()
        release.wait(10)
        return result_when_running

    monkeypatch.setattr(service_module, name, slow)
    results = []
    first = threading.Thread(target=lambda: results.append(task()))
    first.start()
    assert inside.wait(10)
    second = task()  # while the first copy holds the lock
    release.set()
    first.join(10)
    return calls, second, results


def test_a_second_copy_of_the_cadence_does_nothing_while_the_first_runs(db, monkeypatch):
    calls, second, results = _race(
        group_tasks.plan_meetings,
        group_tasks.services,
        "run_cadence",
        monkeypatch,
        {"planned": 1, "overdue": 0, "reminded": 0},
    )
    assert calls == [1]
    assert second == {"skipped": 1}
    assert results == [{"planned": 1, "overdue": 0, "reminded": 0}]
    assert group_tasks.plan_meetings() == {"planned": 1, "overdue": 0, "reminded": 0}


def test_a_second_copy_of_the_outbox_sweep_does_nothing_while_the_first_runs(db, monkeypatch):
    calls, second, results = _race(
        outbox_tasks.sweep_mails, outbox_tasks.services, "sweep", monkeypatch, 3
    )
    assert calls == [1]
    assert (second, results) == (0, [3])
    assert outbox_tasks.sweep_mails() == 3  # released: the next run goes ahead
