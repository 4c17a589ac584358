"""The report built by a real Celery worker through Redis (RELIABILITY 18, 19), on PostgreSQL."""

import pytest
from django.db import connection

from reports import services
from reports.enums import ReportState
from reports.models import AnnualReport
from tests.b40.realworker import running_worker, wait_for


@pytest.fixture
def worker(postgres_transactional):
    with running_worker(
        database_name=connection.settings_dict["NAME"], queue_prefix="b40-reports"
    ) as (_redis, _smtp, process):
        yield process


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
