"""Background jobs under faults, with a real worker (RELIABILITY 18, 20, 21)."""

import datetime

import pytest
from django.db import connection

from outbox import services
from outbox.enums import MailState
from outbox.models import Mail
from tests.b40.realworker import running_worker, wait_for


@pytest.fixture
def services_up(postgres_transactional):
    with running_worker(
        database_name=connection.settings_dict["NAME"], queue_prefix="b40-test"
    ) as running:
        yield running


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
