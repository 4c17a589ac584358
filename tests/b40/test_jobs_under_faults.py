"""Background jobs under faults, with a real worker (RELIABILITY 18, 20, 21)."""

import datetime
import uuid

import pytest
from django.db import connection
from kombu import pools

from b40.celery_app import app
from outbox import services
from outbox.enums import MailState
from outbox.models import Mail
from tests.b40.realworker import FakeSMTP, PrivateRedis, Worker, wait_for


@pytest.fixture
def services_up(postgres_transactional):
    redis = PrivateRedis()
    if not redis.binary:
        pytest.fail("redis-server is needed for the real-worker tests")
    redis.start()
    smtp = FakeSMTP()
    queue = f"b40-test-{uuid.uuid4().hex[:8]}"
    keys = (
        "task_always_eager",
        "task_default_queue",
        "broker_url",
        "broker_write_url",
        "broker_read_url",
    )
    saved = {k: app.conf[k] for k in keys}
    app.conf.update(
        task_always_eager=False,
        task_default_queue=queue,
        broker_url=redis.url,
        broker_write_url=redis.url,
        broker_read_url=redis.url,
    )
    _reset_publisher()  # publish through the private Redis
    worker = Worker(
        database_name=connection.settings_dict["NAME"],
        broker_url=redis.url,
        smtp_port=smtp.port,
        queue=queue,
    )
    yield redis, smtp, worker
    log = worker.stop()
    smtp.close()
    redis.stop()
    app.conf.update(saved)
    _reset_publisher()
    print(log[-3000:])


def _reset_publisher() -> None:
    """Forget every broker connection and producer pool, so the next publish (or the eager
    path, which also takes a producer) builds fresh ones for the current broker URL."""
    pools.reset()  # closes and empties kombu's global registry; a closed pool left in it breaks
    app._pool = None
    app.amqp._producer_pool = None


def _state(mail: Mail) -> str:
    mail.refresh_from_db()
    return mail.state


def test_a_worker_killed_mid_send_loses_nothing_and_sends_once(services_up):
    redis, smtp, worker = services_up
    smtp.hang.set()  # the worker's SMTP connection will hang: it is mid-task
    mail = services.queue_mail(to=["mayor@example.org"], subject="Summit", body="Hello")
    wait_for(lambda: smtp.connections >= 1, 30, "the worker to start sending")
    worker.kill_child()
    smtp.hang.clear()
    wait_for(lambda: _state(mail) == MailState.SENT, 60, "the mail to be sent after the kill")
    assert len(smtp.messages) == 1
    assert mail.attempts == 1  # the killed attempt was rolled back with its lock


def test_mail_queued_while_the_broker_is_down_goes_out_when_it_returns(services_up):
    redis, smtp, worker = services_up
    redis.stop()
    mail = services.queue_mail(to=["mayor@example.org"], subject="Summit", body="Hello")
    assert _state(mail) == MailState.QUEUED  # recorded, the caller was not failed
    redis.start()

    def swept_and_sent() -> bool:
        services.sweep(older_than=datetime.timedelta(0))  # what beat runs every five minutes
        return _state(mail) == MailState.SENT

    wait_for(swept_and_sent, 60, "the sweep to deliver the mail once the broker is back")
    assert len(smtp.messages) == 1  # swept many times, sent once
