"""The web processes' batched hand-over of committed mails (outbox/relay.py)."""

import threading
from unittest import mock

import pytest

from outbox import relay, services


class Recorder:
    def __init__(self, fail: bool = False):
        self.calls: list[list[int]] = []
        self.published = threading.Event()
        self.fail = fail

    def __call__(self, mail_ids):
        self.calls.append(list(mail_ids))
        self.published.set()
        if self.fail:
            raise ConnectionError("broker down")


def test_mails_committed_within_the_delay_leave_in_one_message():
    publish = Recorder()
    batching = relay.Relay(publish, delay=0.2)
    batching.add([1])
    batching.add([2, 3])
    assert publish.published.wait(5)
    assert publish.calls == [[1, 2, 3]]
    publish.published.clear()
    batching.add([4])  # after the hand-over: the next message
    assert publish.published.wait(5)
    assert publish.calls == [[1, 2, 3], [4]]


def test_a_refused_hand_over_is_logged_and_the_relay_goes_on(caplog):
    publish = Recorder(fail=True)
    batching = relay.Relay(publish, delay=0.05)
    batching.add([1])
    assert publish.published.wait(5)
    publish.published.clear()
    batching.add([2])  # the thread survived the failure
    assert publish.published.wait(5)
    assert publish.calls == [[1], [2]]
    assert "could not hand over" in caplog.text


def test_at_exit_what_waits_is_published_at_once():
    publish = Recorder()
    batching = relay.Relay(publish, delay=60)
    batching.add([7, 8])
    batching.flush()
    assert publish.calls == [[7, 8]]
    batching.flush()  # nothing more
    assert publish.calls == [[7, 8]]


def test_a_forked_process_starts_its_own_thread_without_the_parents_mails():
    publish = Recorder()
    batching = relay.Relay(publish, delay=60)
    batching.add([1])
    batching._pid = -1  # as seen from a child forked after that add
    started = threading.active_count()
    batching.add([2])
    assert threading.active_count() == started + 1
    batching.flush()
    assert publish.calls == [[2]]


def test_a_commit_leaves_its_mails_with_the_relay_when_batching(
    db, django_capture_on_commit_callbacks
):
    publish = Recorder()
    relay.start(services.RELAY, publish, delay=60)
    try:
        with (
            mock.patch("outbox.services.enqueue_many") as at_once,
            django_capture_on_commit_callbacks(execute=True),
        ):
            mails = services.queue_mails(
                [services.Message(to=[f"m{n}@example.org"], subject="S", body="B") for n in (1, 2)]
            )
        at_once.assert_not_called()
        relay.current(services.RELAY).flush()
        assert publish.calls == [[m.pk for m in mails]]
    finally:
        relay.stop(services.RELAY)


@pytest.mark.parametrize(("eager", "batching"), [(True, False), (False, True)])
def test_only_processes_with_a_broker_batch(settings, eager, batching):
    settings.CELERY_TASK_ALWAYS_EAGER = eager
    try:
        services.hand_over_in_batches()
        assert (relay.current(services.RELAY) is not None) is batching
    finally:
        relay.stop(services.RELAY)


def test_the_relay_publishes_through_the_outbox_task(db):
    with mock.patch("outbox.tasks.send_mails.delay") as send_mails:
        services._publish([3, 4])
    send_mails.assert_called_once_with(mail_ids=[3, 4])
