"""The report built by a real Celery worker through Redis (RELIABILITY 18, 19), on PostgreSQL."""

import uuid

import pytest
from django.db import connection
from kombu import pools

from b40.celery_app import app
from reports import services
from reports.enums import ReportState
from reports.models import AnnualReport
from tests.b40.realworker import FakeSMTP, PrivateRedis, Worker, wait_for

KEYS = (
    "task_always_eager",
    "task_default_queue",
    "broker_url",
    "broker_write_url",
    "broker_read_url",
)


def _reset_publisher() -> None:
    """Forget every broker connection and producer pool, so the next publish (or the eager
    path, which also takes a producer) builds fresh ones for the current broker URL."""
    pools.reset()  # closes and empties kombu's global registry; a closed pool left in it breaks
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def worker(postgres_transactional):
    redis = PrivateRedis()
    if not redis.binary:
        pytest.fail("redis-server is needed for the real-worker tests")
    redis.start()
    smtp = FakeSMTP()
    queue = f"b40-reports-{uuid.uuid4().hex[:8]}"
    saved = {key: app.conf[key] for key in KEYS}
    app.conf.update(
        task_always_eager=False,
        task_default_queue=queue,
        broker_url=redis.url,
        broker_write_url=redis.url,
        broker_read_url=redis.url,
    )
    _reset_publisher()
    process = Worker(
        database_name=connection.settings_dict["NAME"],
        broker_url=redis.url,
        smtp_port=smtp.port,
        queue=queue,
    )
    yield process
    log = process.stop()
    smtp.close()
    redis.stop()
    app.conf.update(saved)
    _reset_publisher()
    print(log[-3000:])


def _state(report: AnnualReport) -> str:
    report.refresh_from_db()
    return report.state


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_report_once(founding_data, worker, network):
    report = services.request_report(mandate=network)  # committed: enqueued at once
    wait_for(lambda: _state(report) == ReportState.DONE, 90, "the worker to build the report")
    assert report.figures["groups"]["totals"]["held"] == 5
    assert report.figures["membership"]["cities_at_end"] == 26
    # A duplicate delivery of the same job finds nothing to do.
    services.enqueue(report_id=report.pk)
    services.request_report(mandate=network)  # a new request builds it again, on the same row
    wait_for(lambda: _state(report) == ReportState.DONE and report.attempts == 2, 90, "rebuild")
    assert AnnualReport.objects.count() == 1
