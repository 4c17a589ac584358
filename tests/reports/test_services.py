"""Requesting, building (the task, eagerly), locking and publishing the report."""

import datetime
import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.utils import timezone

from presidency.models import Mandate
from reports import services, tasks
from reports.enums import ReportState
from reports.models import AnnualReport
from tests.reports.conftest import city

pytestmark = pytest.mark.django_db


def test_request_builds_the_report_through_the_task(network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(mandate=network)
    report.refresh_from_db()
    assert (report.state, report.progress, report.attempts) == (ReportState.DONE, 100, 1)
    assert report.provisional is False
    assert report.figures["groups"]["totals"]["held"] == 5
    assert report.generated_at is not None


def test_the_task_run_twice_leaves_one_report(network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(mandate=network)
    generated_at = AnnualReport.objects.get().generated_at
    assert tasks.build_annual_report.delay(report_id=report.pk).get() == "nothing"
    with django_capture_on_commit_callbacks(execute=True):
        services.request_report(mandate=network)
    assert AnnualReport.objects.count() == 1
    report = AnnualReport.objects.get()
    assert (report.state, report.attempts) == (ReportState.DONE, 2)
    assert report.generated_at > generated_at


def test_a_second_copy_finds_the_lease_taken(network):
    report = services.request_report(mandate=network)  # queued (on_commit not run)
    assert services.claim(report_id=report.pk, now=timezone.now())
    assert services.build_report(report_id=report.pk) == services.Outcome.BUSY
    report.refresh_from_db()
    assert (report.state, report.figures) == (ReportState.RUNNING, {})


def test_a_dead_builder_lease_is_taken_over(network):
    report = services.request_report(mandate=network)
    long_ago = timezone.now() - services.LEASE - datetime.timedelta(seconds=1)
    assert services.claim(report_id=report.pk, now=long_ago)  # then its worker was killed
    assert services.build_report(report_id=report.pk) == services.Outcome.BUILT
    report.refresh_from_db()
    assert (report.state, report.attempts) == (ReportState.DONE, 2)


def test_requesting_a_report_being_built_leaves_it_alone(network):
    report = services.request_report(mandate=network)
    services.claim(report_id=report.pk, now=timezone.now())
    services.request_report(mandate=network)
    report.refresh_from_db()
    assert report.state == ReportState.RUNNING


def test_a_transient_failure_is_retried(network, monkeypatch):
    calls = []
    real = services.selectors.compute_figures

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    monkeypatch.setattr(services.selectors, "compute_figures", flaky)
    report = services.request_report(mandate=network)
    # apply() without propagating runs the retry at once, as a worker would after backoff.
    result = tasks.build_annual_report.apply(kwargs={"report_id": report.pk}, throw=False)
    assert result.get() == "built"
    report.refresh_from_db()
    assert len(calls) == 2  # autoretry on the transient error
    assert (report.state, report.attempts, report.error) == (ReportState.DONE, 2, "")


def test_a_lasting_error_leaves_the_report_failed_with_the_error(network, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("no such figure")

    monkeypatch.setattr(services.selectors, "compute_figures", broken)
    report = services.request_report(mandate=network)
    with pytest.raises(ValueError, match="no such figure"):
        tasks.build_annual_report.delay(report_id=report.pk)
    report.refresh_from_db()
    assert report.state == ReportState.FAILED
    assert report.error == "ValueError: no such figure"


def test_a_running_mandate_gives_a_provisional_draft_that_cannot_be_published(
    network, staff, django_capture_on_commit_callbacks
):
    year = timezone.localdate().year
    mandate = Mandate.objects.create(year=year, city=city("kotor"))
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(mandate=mandate)
    report.refresh_from_db()
    assert (report.state, report.provisional) == (ReportState.DONE, True)
    with pytest.raises(ValidationError):
        services.publish_report(report=report, by=staff)


def test_publish_and_a_published_report_is_not_rebuilt(
    network, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(mandate=network)
    report = services.publish_report(report=report, by=staff)
    assert (report.published, report.published_by) == (True, staff)
    with pytest.raises(ValidationError):
        services.request_report(mandate=network)
    report = services.unpublish_report(report=report, by=staff)
    assert report.published is False


def test_a_city_user_cannot_publish(network, mayor, django_capture_on_commit_callbacks):
    from django.core.exceptions import PermissionDenied

    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(mandate=network)
    with pytest.raises(PermissionDenied):
        services.publish_report(report=report, by=mayor)


def test_january_job_requests_expired_mandates_without_a_report(
    network, django_capture_on_commit_callbacks
):
    Mandate.objects.create(year=2023, city=city("athens"))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.request_due_reports.delay().get() == 2
    assert sorted(AnnualReport.objects.values_list("year", "state")) == [
        (2023, ReportState.DONE),
        (2025, ReportState.DONE),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.request_due_reports.delay().get() == 0


def test_the_beat_schedule_starts_it_in_january():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["reports-request-due"]
    assert entry["task"] == "reports.request_due_reports"
    assert entry["schedule"].month_of_year == {1}
    assert entry["schedule"].day_of_month == set(range(1, 8))


def test_the_task_settings_keep_a_killed_job():
    from django.conf import settings

    task = tasks.build_annual_report
    assert (task.acks_late, task.reject_on_worker_lost) == (True, True)
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > task.time_limit


@pytest.mark.django_db(transaction=True)
def test_two_copies_at_once_build_once(founding_data, network):
    with mock.patch("reports.services.enqueue"):  # queued, not built: the two copies race
        report = services.request_report(mandate=network)
    outcomes = []
    barrier = threading.Barrier(2)

    def copy():
        try:
            barrier.wait()
            outcomes.append(services.build_report(report_id=report.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=copy) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["built", "busy"] or sorted(outcomes) == ["built", "nothing"]
    report.refresh_from_db()
    assert (report.state, report.attempts) == (ReportState.DONE, 1)
