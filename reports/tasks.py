import logging
import time

from celery import shared_task
from django.db import InterfaceError, OperationalError

from common import background
from common.locks import single_run
from reports import services

logger = logging.getLogger(__name__)

TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
# The lock of a PDF render outlives its hard time limit and stays well below the broker's
# visibility timeout (settings): a killed worker's lock is gone before the job comes back.
PDF_LOCK_SECONDS = 15 * 60


@shared_task(
    name="reports.build_annual_report",
    bind=True,
    autoretry_for=TRANSIENT,
    retry_backoff=30,
    retry_backoff_max=60 * 10,
    retry_jitter=True,
    max_retries=5,
    # A killed worker loses nothing: the message is acknowledged only after the build and
    # goes back to the queue if the worker dies (RELIABILITY 18). The hard limit stays well
    # below the broker's visibility timeout (2 h, settings), so no live build is redelivered.
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=45 * 60,
    time_limit=50 * 60,
)
def build_annual_report(self, *, report_id: int) -> str:
    """Build one annual report (rule G2). Idempotent and locked: see services.build_report."""
    outcome = services.build_report(report_id=report_id)
    if outcome == services.Outcome.BUSY and not self.request.is_eager:
        # Another copy holds the lease. Come back once it would have expired: by then the
        # other copy has finished (nothing to do) or died (take the report over).
        raise self.retry(countdown=services.LEASE.total_seconds())
    logger.info("reports: build of report %s: %s", report_id, outcome)
    return str(outcome)


@shared_task(name="reports.request_due_reports", acks_late=True)
def request_due_reports() -> int:
    """The first days of January (beat): draft the report of every expired mandate that
    has none, and hand again to the broker the builds it lost."""
    requested = services.request_due_reports()
    requeued = services.requeue_stale()
    logger.info("reports: %s requested, %s re-queued", len(requested), requeued)
    return len(requested)


@shared_task(
    name="reports.render_report_pdfs",
    bind=True,
    autoretry_for=(Exception,),  # WeasyPrint, the database, a worker out of memory: try again
    retry_backoff=30,
    retry_backoff_max=60 * 10,
    retry_jitter=True,
    max_retries=4,
    # Idempotent (a copy finds the fresh PDFs and stops), so a redelivery does no harm.
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=PDF_LOCK_SECONDS - 3 * 60,
    time_limit=PDF_LOCK_SECONDS - 60,
)
def render_report_pdfs(self, *, report_id: int, force: bool = False) -> str:
    """Render and store the report's PDF in every language (see services.render_report_pdfs).

    One copy per report at a time (RELIABILITY 19): renders take seconds each, and a second
    copy would only render the same PDFs again. A copy that finds the lock taken comes back
    later: by then the PDFs are fresh (nothing to do) or the report changed meanwhile.
    """
    deadline = time.monotonic() + PDF_LOCK_SECONDS
    while True:
        with single_run(f"reports:pdfs:{report_id}", timeout=PDF_LOCK_SECONDS) as acquired:
            if acquired:
                outcomes = services.render_report_pdfs(report_id=report_id, force=force)
        if acquired:
            break
        if not self.request.is_eager:
            raise self.retry(countdown=60)
        if not background.in_threads() or time.monotonic() > deadline:
            return "busy"
        # A thread of the web process (no broker): nothing would bring this copy back later,
        # and the copy rendering may be drawing a report this one's change has made stale.
        time.sleep(2)
    logger.info("reports: PDFs of report %s: %s", report_id, outcomes)
    return ", ".join(f"{language}: {outcome}" for language, outcome in outcomes.items())


@shared_task(name="reports.refresh_report_pdfs", acks_late=True)
def refresh_report_pdfs() -> int:
    """Hourly (beat): queue the PDFs that are missing or out of date."""
    queued = services.refresh_report_pdfs()
    logger.info("reports: PDFs of %s reports queued again", queued)
    return queued
