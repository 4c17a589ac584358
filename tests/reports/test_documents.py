"""The report's PDFs stored per language: rendered in the background after every change they
show, served without WeasyPrint, never served out of date, rendered in the request (and
queued) when missing."""

import io
import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from reports import demo, rendering, selectors, services, tasks
from reports.models import AnnualReport, ReportDocument
from tests.factories import SecretariatUserFactory

pytestmark = pytest.mark.django_db

PDF = "reports:report-pdf"
CHANGELIST = "admin:reports_annualreport_changelist"


def text_of(pdf: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", text)


def stored(report: AnnualReport) -> dict[str, bytes]:
    return {
        document.language: bytes(document.pdf)
        for document in ReportDocument.objects.filter(report=report)
    }


@pytest.fixture
def on_change(settings):
    settings.REPORTS_RENDER_PDFS_ON_CHANGE = True


@pytest.fixture
def report(network, on_change, django_capture_on_commit_callbacks):
    """The 2025 report with an English and a Bulgarian introduction, built and published;
    its PDFs rendered by the eager task once each change committed."""
    with django_capture_on_commit_callbacks(execute=True):  # the build, then its PDFs
        report = services.request_report(mandate=network)
        report.introduction_en = "Floods and solidarity."
        report.introduction_bg = "Наводнения и солидарност."
        report.save()
    report.refresh_from_db()
    return report


@pytest.fixture
def published(report, staff):
    return services.publish_report(report=report, by=staff)


def test_pdfs_are_stored_after_a_build_one_per_language(report):
    documents = stored(report)
    assert sorted(documents) == ["bg", "en", "tr"]
    assert "Floods and solidarity." in text_of(documents["en"])
    assert "Наводнения и солидарност." in text_of(documents["bg"])
    assert "Floods and solidarity." in text_of(documents["tr"])  # no Turkish text: English
    for document in ReportDocument.objects.filter(report=report):
        assert document.fingerprint == rendering.pdf_fingerprint(report, document.language)
        assert document.size == len(bytes(document.pdf)) and document.render_seconds > 0


def test_a_stored_pdf_is_served_without_weasyprint(
    client, published, django_assert_max_num_queries
):
    documents = stored(published)
    with (
        mock.patch.object(rendering, "render_pdf_bytes") as render,
        django_assert_max_num_queries(4),  # per request: the report, its PDF
    ):
        english = client.get(reverse(PDF, args=[2025]))
        bulgarian = client.get(reverse(PDF, args=[2025]), HTTP_ACCEPT_LANGUAGE="bg")
    render.assert_not_called()
    assert english.status_code == 200 and english["Content-Type"] == "application/pdf"
    assert english.content == documents["en"]
    assert bulgarian.content == documents["bg"]


def test_publishing_renders_nothing_again(report, staff, django_capture_on_commit_callbacks):
    before = {d.language: d.rendered_at for d in ReportDocument.objects.filter(report=report)}
    with (
        mock.patch.object(rendering, "render_pdf_bytes") as render,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        services.publish_report(report=report, by=staff)
        services.unpublish_report(report=report, by=staff)
    assert callbacks  # queued, and found the PDFs up to date
    render.assert_not_called()
    after = {d.language: d.rendered_at for d in ReportDocument.objects.filter(report=report)}
    assert after == before


def test_a_text_edit_renders_the_pdfs_again(client, published, staff):
    client.force_login(staff)
    url = reverse("admin:reports_annualreport_change", args=[published.pk])
    with mock.patch.object(rendering, "render_pdf_bytes", wraps=rendering.render_pdf_bytes) as r:
        response = client.post(
            url, {"introduction_en": "Rewritten.", "introduction_bg": "Наводнения и солидарност."}
        )
        assert response.status_code == 302
        # The post's transaction is the test's: its callbacks do not run. Run the task.
        assert services.render_report_pdfs(report_id=published.pk) == {
            "en": services.PdfOutcome.STORED,
            "bg": services.PdfOutcome.FRESH,  # its text did not change
            "tr": services.PdfOutcome.STORED,  # shows the English text
        }
    assert r.call_count == 2
    documents = stored(published)
    assert "Rewritten." in text_of(documents["en"]) and "Rewritten." in text_of(documents["tr"])
    client.logout()
    assert "Rewritten." in text_of(client.get(reverse(PDF, args=[2025])).content)


def test_an_out_of_date_pdf_is_never_served_the_request_renders_and_queues(
    client, published, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_RENDER_PDFS_ON_CHANGE = False  # the change's own render is lost
    published.outlook_en = "A new outlook."
    published.save()
    old = stored(published)["en"]
    with (
        mock.patch.object(services, "enqueue_pdfs") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = client.get(reverse(PDF, args=[2025]))
        second = client.get(reverse(PDF, args=[2025]))
    assert first.content != old and "A new outlook." in text_of(first.content)
    assert second.content == first.content  # the request's render is cached meanwhile
    enqueue.assert_called_once_with(report_id=published.pk, force=False)  # once, not per reader
    # The queued task brings the stored one up to date; it is served from then on.
    services.render_report_pdfs(report_id=published.pk)
    with mock.patch.object(rendering, "render_pdf_bytes") as render:
        third = client.get(reverse(PDF, args=[2025]))
    render.assert_not_called()
    assert "A new outlook." in text_of(third.content)


def test_a_missing_pdf_is_rendered_in_the_request_and_queued(
    client, published, django_capture_on_commit_callbacks
):
    ReportDocument.objects.filter(report=published, language="tr").delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse(PDF, args=[2025]), HTTP_ACCEPT_LANGUAGE="tr")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert sorted(stored(published)) == ["bg", "en", "tr"]  # the queued (eager) task stored it


def test_the_task_run_twice_renders_once(report):
    with mock.patch.object(rendering, "render_pdf_bytes") as render:
        result = tasks.render_report_pdfs.delay(report_id=report.pk).get()
    render.assert_not_called()
    assert result == "en: fresh, bg: fresh, tr: fresh"
    assert ReportDocument.objects.filter(report=report).count() == 3


def test_a_second_copy_waits_for_the_one_rendering(report):
    from common.locks import single_run

    with (
        single_run(f"reports:pdfs:{report.pk}") as acquired,
        mock.patch.object(rendering, "render_pdf_bytes") as render,
    ):
        assert acquired
        # Eager here: it cannot wait, so it says so (a worker retries it in a minute).
        assert tasks.render_report_pdfs.delay(report_id=report.pk, force=True).get() == "busy"
    render.assert_not_called()


def test_a_report_not_built_has_no_pdf(network, on_change):
    report = services.request_report(mandate=network)  # queued: its build has not run
    assert services.render_report_pdfs(report_id=report.pk) == {}
    assert services.render_report_pdfs(report_id=0) == {}


def test_two_renders_at_once_leave_one_pdf_per_language(report):
    """A second copy renders and stores while the first one is rendering: the first then
    finds the row there and replaces it, without an IntegrityError."""
    real = rendering.render_pdf_bytes
    calls = []

    def render_racing(report_, language):
        calls.append(language)
        if len(calls) == 1:  # the first copy, mid-render: another copy runs to the end
            assert services.render_report_pdfs(report_id=report.pk, force=True) == {
                "en": services.PdfOutcome.STORED,
                "bg": services.PdfOutcome.STORED,
                "tr": services.PdfOutcome.STORED,
            }
        return real(report_, language)

    with mock.patch.object(rendering, "render_pdf_bytes", side_effect=render_racing):
        outcomes = services.render_report_pdfs(report_id=report.pk, force=True)
    assert set(outcomes.values()) == {services.PdfOutcome.STORED}
    assert ReportDocument.objects.filter(report=report).count() == 3


def test_a_render_overtaken_by_an_edit_is_not_stored(report, settings):
    settings.REPORTS_RENDER_PDFS_ON_CHANGE = False
    real = rendering.render_pdf_bytes

    def render_then_edit(report_, language):
        pdf = real(report_, language)
        edited = AnnualReport.objects.get(pk=report.pk)
        edited.introduction_en = "Edited meanwhile."
        edited.save()
        return pdf

    with mock.patch.object(rendering, "render_pdf_bytes", side_effect=render_then_edit):
        outcomes = services.render_report_pdfs(report_id=report.pk, languages=["en"], force=True)
    assert outcomes == {"en": services.PdfOutcome.OUTDATED}
    report.refresh_from_db()
    assert rendering.stored_pdf(report, "en") is None  # the old one is out of date too


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_storing_at_once_keep_one_row(founding_data, network):
    """Two threads store the same language at the same moment (PostgreSQL)."""
    import threading

    report = services.request_report(mandate=network)
    services.build_report(report_id=report.pk)
    report.refresh_from_db()
    ReportDocument.objects.all().delete()
    fingerprint = rendering.pdf_fingerprint(report, "en")
    barrier = threading.Barrier(2)
    errors, outcomes = [], []

    def store():
        try:
            barrier.wait(5)
            outcomes.append(
                services._store_pdf(
                    report_id=report.pk,
                    language="en",
                    fingerprint=fingerprint,
                    pdf=b"%PDF-1.7 test",
                    seconds=0.1,
                )
            )
        except Exception as error:  # pragma: no cover - the failure is reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=store) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert outcomes == [services.PdfOutcome.STORED, services.PdfOutcome.STORED]
    assert ReportDocument.objects.filter(report=report, language="en").count() == 1


def test_the_task_settings_keep_a_killed_job_and_retry():
    from django.conf import settings

    task = tasks.render_report_pdfs
    assert (task.acks_late, task.reject_on_worker_lost) == (True, True)
    assert task.autoretry_for == (Exception,) and task.retry_backoff and task.max_retries
    assert task.time_limit < tasks.PDF_LOCK_SECONDS
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > tasks.PDF_LOCK_SECONDS


def test_a_broker_down_does_not_break_the_request(published):
    with mock.patch.object(tasks.render_report_pdfs, "delay", side_effect=ConnectionError):
        assert services.enqueue_pdfs(report_id=published.pk) is False


def test_the_hourly_sweep_queues_the_out_of_date_ones(report, settings):
    settings.REPORTS_RENDER_PDFS_ON_CHANGE = False
    with mock.patch.object(services, "enqueue_pdfs", return_value=True) as enqueue:
        assert services.refresh_report_pdfs() == 0
        report.highlights_en = "New."
        report.save()
        assert services.refresh_report_pdfs() == 1
    enqueue.assert_called_once_with(report_id=report.pk)


def test_the_demo_ends_with_its_pdfs_stored(network, on_change, django_capture_on_commit_callbacks):
    SecretariatUserFactory(username="secretariat")
    with django_capture_on_commit_callbacks(execute=True):
        demo.load()
    report = AnnualReport.objects.get(year=2025)
    assert report.published
    ready = [language for language, document in selectors.pdf_documents(report) if document]
    assert ready == ["en", "bg", "tr"]
    assert report.outlook.startswith("(demo)")  # written from the report's own figures
    assert report.introduction.split(". ")[0] in text_of(stored(report)["en"])


# --- the admin ------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def test_the_admin_shows_whether_the_pdfs_are_ready(admin_client, report, settings):
    page = admin_client.get(reverse(CHANGELIST)).content.decode()
    assert "PDFs ready" in page and 'src="/static/admin/img/icon-yes.svg"' in page
    change = admin_client.get(reverse("admin:reports_annualreport_change", args=[report.pk]))
    assert change.content.decode().count("ready (") == 3
    settings.REPORTS_RENDER_PDFS_ON_CHANGE = False
    report.introduction_en = "Changed."
    report.save()
    page = admin_client.get(reverse(CHANGELIST)).content.decode()
    assert 'src="/static/admin/img/icon-no.svg"' in page
    change = admin_client.get(reverse("admin:reports_annualreport_change", args=[report.pk]))
    assert change.content.decode().count("ready (") == 1  # Bulgarian: its own text unchanged


def test_the_admin_list_reads_no_pdf_bytes(admin_client, report):
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get(reverse(CHANGELIST)).status_code == 200
    documents = [q["sql"] for q in queries if 'FROM "reports_reportdocument"' in q["sql"]]
    assert len(documents) == 1 and '"pdf"' not in documents[0]


def test_the_admin_action_renders_the_pdfs_again(
    admin_client, report, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(rendering, "render_pdf_bytes", return_value=b"%PDF-again") as render,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = admin_client.post(
            reverse(CHANGELIST),
            {"action": "render_pdfs_again", "_selected_action": [report.pk]},
            follow=True,
        )
    assert b"The PDFs of 1 report are being rendered again." in response.content
    assert render.call_count == 3
    assert set(stored(report).values()) == {b"%PDF-again"}


def test_the_admin_action_refuses_a_report_not_built(
    admin_client, network, django_capture_on_commit_callbacks
):
    report = services.request_report(mandate=network)
    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "render_pdfs_again", "_selected_action": [report.pk]},
        follow=True,
    )
    assert b"is not finished yet." in response.content
    assert not ReportDocument.objects.exists()
