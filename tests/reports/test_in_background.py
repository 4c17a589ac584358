"""Without a broker (``make run``), the report is built and its PDFs rendered in a thread of
the web process: the admin's save answers at once and the report's page shows the progress
(common/background.py). The tests' settings run tasks in the test's thread; these turn the
threads on, with committed data that the threads' own connections can read."""

import importlib
import threading

import pytest
from django.apps import apps
from django.urls import reverse

from common import background
from members.models import City
from reports import services
from reports.enums import ReportState
from reports.models import AnnualReport, ReportDocument

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def threads(transactional_db, settings):
    """The founding data back (a transactional test starts from a flushed database), and the
    portal as it runs without a broker."""
    from tests.e2e.conftest import DATA_MIGRATIONS

    if not City.objects.exists():
        for module in [*DATA_MIGRATIONS, "reports.migrations.0002_report_permissions"]:
            importlib.import_module(module).load(apps, None)
    settings.TASKS_IN_THREADS = True
    yield
    assert background.wait(120), "a background task still runs"


@pytest.fixture
def held(monkeypatch):
    """The build waits in its thread until the test lets it go on."""
    started, release = threading.Event(), threading.Event()
    compute = services.selectors.compute_figures

    def compute_figures(mandate, **kwargs):
        started.set()
        assert release.wait(60), "the test never let the build go on"
        return compute(mandate, **kwargs)

    monkeypatch.setattr(services.selectors, "compute_figures", compute_figures)
    yield started, release
    release.set()


def test_adding_a_report_answers_before_it_is_built(threads, network, staff, client, held):
    started, release = held
    client.force_login(staff)
    response = client.post(reverse("admin:reports_annualreport_add"), {"mandate": network.pk})
    assert response.status_code == 302
    assert started.wait(60), "the build did not start in the background"
    report = AnnualReport.objects.get()
    assert report.state == ReportState.RUNNING  # the request did not wait for the build
    page = client.get(reverse("admin:reports_annualreport_change", args=[report.pk]))
    assert "This report is being built in the background" in page.content.decode()

    release.set()
    assert background.wait(120)
    report.refresh_from_db()
    assert (report.state, report.progress) == (ReportState.DONE, 100)
    page = client.get(reverse("admin:reports_annualreport_change", args=[report.pk]))
    assert "being built" not in page.content.decode()


def test_saving_the_texts_renders_the_pdfs_in_the_background(
    threads, network, staff, client, settings, monkeypatch
):
    settings.REPORTS_RENDER_PDFS_ON_CHANGE = True
    report = services.request_report(mandate=network)
    assert background.wait(120)  # the build, then its PDFs
    report.refresh_from_db()
    assert sorted(ReportDocument.objects.values_list("language", flat=True)) == ["bg", "en", "tr"]

    release = threading.Event()
    rendering_started = threading.Event()
    render = services.rendering.render_pdf_bytes

    def render_pdf_bytes(report, language):
        rendering_started.set()
        assert release.wait(60), "the test never let the render go on"
        return render(report, language)

    monkeypatch.setattr(services.rendering, "render_pdf_bytes", render_pdf_bytes)
    client.force_login(staff)
    url = reverse("admin:reports_annualreport_change", args=[report.pk])
    try:
        response = client.post(
            url, {"introduction_en": "Floods.", "highlights_en": "High", "outlook_en": "Out"}
        )
        assert response.status_code == 302  # answered while the render waits
        assert rendering_started.wait(60), "the PDFs were not rendered again"
    finally:
        release.set()
    assert background.wait(120)
    report.refresh_from_db()
    english = ReportDocument.objects.get(report=report, language="en")
    assert english.fingerprint == services.rendering.pdf_fingerprint(report, "en")


def test_a_render_that_finds_another_copy_at_work_waits_for_it(
    threads, network, staff, client, settings, monkeypatch
):
    """Without a broker nothing brings a busy copy back later: it waits in its thread, else
    the edit that queued it would never reach the PDFs (the copy at work draws the old text)."""
    from contextlib import contextmanager

    from common.locks import single_run
    from reports import tasks

    settings.REPORTS_RENDER_PDFS_ON_CHANGE = True
    report = services.request_report(mandate=network)
    assert background.wait(120)
    found_busy = threading.Event()

    @contextmanager
    def watched_single_run(name, **kwargs):
        with single_run(name, **kwargs) as acquired:
            if not acquired:
                found_busy.set()
            yield acquired

    monkeypatch.setattr(tasks, "single_run", watched_single_run)
    client.force_login(staff)
    with single_run(f"reports:pdfs:{report.pk}", timeout=120) as acquired:  # another copy
        assert acquired
        response = client.post(
            reverse("admin:reports_annualreport_change", args=[report.pk]),
            {"introduction_en": "Floods.", "highlights_en": "High", "outlook_en": "Out"},
        )
        assert response.status_code == 302
        assert found_busy.wait(60), "the render did not meet the other copy"
    assert background.wait(120)
    report.refresh_from_db()
    stored = dict(ReportDocument.objects.values_list("language", "fingerprint"))
    assert stored == {
        language: services.rendering.pdf_fingerprint(report, language)
        for language in ("bg", "en", "tr")
    }
