"""Writes of the annual report: request it, build it (the task), publish it (rules G2, T3)."""

import datetime
import logging
import time
from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common.locks import once_within
from common.tasks import publish
from members.models import User
from members.roles import is_secretariat
from presidency.models import Mandate
from reports import rendering, selectors
from reports.enums import ReportState
from reports.models import AnnualReport, ReportDocument

logger = logging.getLogger(__name__)

# A building copy refreshes its lease at every step; a copy silent for longer is taken to
# be dead (a killed worker) and another may take the report over.
LEASE = datetime.timedelta(minutes=10)


class Outcome(StrEnum):
    BUILT = "built"
    BUSY = "busy"  # another copy holds the lease
    NOTHING = "nothing"  # already built (a duplicate delivery), or no such report


def _lease_free(now: datetime.datetime) -> Q:
    return Q(state__in=[ReportState.QUEUED, ReportState.FAILED]) | Q(
        Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - LEASE), state=ReportState.RUNNING
    )


def enqueue(*, report_id: int) -> bool:
    """Hand the build to the broker (without one, to a thread: the request does not wait
    for it); False (the row stays queued) when the broker is down."""
    from reports.tasks import build_annual_report

    # broker down: the row stays queued; "generate now" or the sweep retries
    return publish(build_annual_report, in_background=True, report_id=report_id)


@transaction.atomic
def request_report(
    *, mandate: Mandate, by: User | None = None, now: datetime.datetime | None = None
) -> AnnualReport:
    """Queue the building of ``mandate``'s report; idempotent (one report per mandate).

    A report being built stays as it is; a published one is not rebuilt (its figures are
    what the public read) until it is unpublished.
    """
    now = now or timezone.now()
    if mandate.year > timezone.localdate(now).year:
        raise ValidationError(
            _("The %(year)s mandate has not started: there is nothing to report yet.")
            % {"year": mandate.year}
        )
    report, created = AnnualReport.objects.get_or_create(
        mandate=mandate,
        defaults={"year": mandate.year, "state": ReportState.QUEUED, "queued_at": now},
    )
    if not created:
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        if report.published:
            raise ValidationError(
                _("The %(year)s report is published: unpublish it before generating it again.")
                % {"year": report.year}
            )
        building = report.state == ReportState.RUNNING and report.heartbeat_at is not None
        if building and report.heartbeat_at >= now - LEASE:
            return report  # being built right now; its builder holds a live lease
        report.state = ReportState.QUEUED
        report.progress = 0
        report.step = ""
        report.error = ""
        report.queued_at = now
        report.save(update_fields=["state", "progress", "step", "error", "queued_at"])
    logger.info("reports: report %s requested by %s", report.year, by or "the schedule")
    transaction.on_commit(lambda: enqueue(report_id=report.pk))
    return report


def request_due_reports(*, today: datetime.date | None = None) -> list[AnnualReport]:
    """Rule G2: once a mandate has expired, its report is drafted (the January job)."""
    return [request_report(mandate=mandate) for mandate in selectors.mandates_due(today)]


def requeue_stale(*, now: datetime.datetime | None = None) -> int:
    """Hand again to the broker the reports it lost: queued long ago, or whose builder died."""
    now = now or timezone.now()
    stale = AnnualReport.objects.filter(
        Q(state=ReportState.QUEUED, queued_at__lt=now - LEASE)
        | Q(state=ReportState.RUNNING, heartbeat_at__lt=now - LEASE)
    ).values_list("pk", flat=True)
    ids = list(stale)
    for report_id in ids:
        enqueue(report_id=report_id)
    return len(ids)


def claim(*, report_id: int, now: datetime.datetime) -> bool:
    """Take the report's lease in one conditional UPDATE: of two copies that try at once,
    exactly one succeeds (RELIABILITY 19)."""
    claimed = bool(
        AnnualReport.objects.filter(pk=report_id)
        .filter(_lease_free(now))
        .update(
            state=ReportState.RUNNING,
            started_at=now,
            heartbeat_at=now,
            progress=0,
            step="",
            error="",
            attempts=F("attempts") + 1,
        )
    )
    return claimed


def build_report(*, report_id: int, now: datetime.datetime | None = None) -> Outcome:
    """Compute the report's figures and store them as one snapshot.

    Deliberately not one transaction: the progress of each step is committed as it is
    made, so that the admin shows it while the build runs. The figures and the state
    "done" are written together at the end.
    """
    now = now or timezone.now()
    if not claim(report_id=report_id, now=now):
        state = AnnualReport.objects.filter(pk=report_id).values_list("state", flat=True).first()
        return Outcome.BUSY if state == ReportState.RUNNING else Outcome.NOTHING
    report = AnnualReport.objects.select_related("mandate").get(pk=report_id)

    def progress(percent: int, step: str) -> None:
        AnnualReport.objects.filter(pk=report_id, state=ReportState.RUNNING).update(
            progress=percent, step=step, heartbeat_at=timezone.now()
        )

    try:
        figures = selectors.compute_figures(report.mandate, now=now, progress=progress)
    except Exception as exc:
        AnnualReport.objects.filter(pk=report_id).update(
            state=ReportState.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            heartbeat_at=None,
        )
        raise
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report_id)
        report.figures = figures
        report.provisional = figures["mandate"]["provisional"]
        report.state = ReportState.DONE
        report.progress = 100
        report.step = ""
        report.error = ""
        report.heartbeat_at = None
        report.generated_at = timezone.now()
        report.save()
    logger.info("reports: report %s built", report.year)
    return Outcome.BUILT


def check_publishable(report: AnnualReport) -> None:
    """Rule G2 on the report itself: finished, and built after its mandate expired."""
    if report.state != ReportState.DONE:
        raise ValidationError(_("The report is not finished yet."))
    if report.provisional:
        raise ValidationError(
            _("This draft was made while the mandate was running: generate it again first.")
        )


@transaction.atomic
def publish_report(*, report: AnnualReport, by: User) -> AnnualReport:
    """Rule G2: the secretariat publishes the finished report of an expired mandate."""
    if not is_secretariat(by):
        raise PermissionDenied(_("Only the secretariat publishes the annual report."))
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.published:
        return report
    check_publishable(report)
    report.published = True
    report.published_at = timezone.now()
    report.published_by = by
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def unpublish_report(*, report: AnnualReport, by: User) -> AnnualReport:
    if not is_secretariat(by):
        raise PermissionDenied(_("Only the secretariat publishes the annual report."))
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    report.published = False
    report.published_at = None
    report.published_by = None
    report.save()
    return report


# --- the stored PDFs (one per language; rendered in the background) ----------------------


class PdfOutcome(StrEnum):
    STORED = "stored"
    FRESH = "fresh"  # the stored one already matches the report: nothing to do
    OUTDATED = "outdated"  # the report changed while it was rendered: that change queues its own


# A stale PDF served by the fallback queues one render per report, language and content for
# this long, however many readers ask for it meanwhile.
PDF_QUEUE_DEBOUNCE_SECONDS = 5 * 60


def enqueue_pdfs(*, report_id: int, force: bool = False) -> bool:
    """Hand the rendering of the report's PDFs to the broker; False when it is down (the
    next reader of a missing PDF, or the admin action, queues it again). Without a broker
    they render in a thread: the save that queued them does not wait for three renders."""
    from reports.tasks import render_report_pdfs

    # broker down: the request still succeeds (RELIABILITY 21)
    return publish(render_report_pdfs, in_background=True, report_id=report_id, force=force)


def schedule_pdfs(*, report_id: int, force: bool = False) -> None:
    """Queue the rendering once the current transaction commits (RELIABILITY 20)."""
    transaction.on_commit(lambda: enqueue_pdfs(report_id=report_id, force=force))


def pdf_missed(*, report: AnnualReport, language: str) -> None:
    """A reader got a PDF rendered in the request: have the stored ones brought up to date."""
    if not report.is_done:
        return
    key = f"reports:pdf-queued:{report.pk}:{language}:{rendering.pdf_fingerprint(report, language)}"
    if once_within(key, PDF_QUEUE_DEBOUNCE_SECONDS):
        schedule_pdfs(report_id=report.pk)


def render_report_pdfs(
    *, report_id: int, languages: list[str] | None = None, force: bool = False
) -> dict[str, PdfOutcome]:
    """Render and store the report's PDF in each language whose stored one is missing or
    out of date (every language with ``force``). Idempotent: a second copy finds them fresh.

    Not one transaction: a render takes seconds, and holding a lock on the report that long
    would block the secretariat's edits. Each PDF is stored in its own short transaction,
    and only if the report still is what it was rendered from.
    """
    report = AnnualReport.objects.filter(pk=report_id).first()
    if report is None or not report.is_done:
        return {}
    stored = dict(
        ReportDocument.objects.filter(report_id=report_id).values_list("language", "fingerprint")
    )
    outcomes: dict[str, PdfOutcome] = {}
    for language in languages or rendering.pdf_languages():
        fingerprint = rendering.pdf_fingerprint(report, language)
        if not force and stored.get(language) == fingerprint:
            outcomes[language] = PdfOutcome.FRESH
            continue
        started = time.monotonic()
        pdf = rendering.render_pdf_bytes(report, language)
        outcomes[language] = _store_pdf(
            report_id=report_id,
            language=language,
            fingerprint=fingerprint,
            pdf=pdf,
            seconds=time.monotonic() - started,
        )
    return outcomes


def refresh_report_pdfs() -> int:
    """Queue the PDFs of every finished report that lacks one up to date (the hourly sweep:
    a render lost while the broker was down, or a deploy that changed the layout)."""
    reports = AnnualReport.objects.filter(state=ReportState.DONE).prefetch_related(
        Prefetch("documents", queryset=ReportDocument.objects.defer("pdf"))
    )
    queued = 0
    for report in reports:
        if any(document is None for _language, document in selectors.pdf_documents(report)):
            queued += enqueue_pdfs(report_id=report.pk)
    return queued


@transaction.atomic
def _store_pdf(
    *, report_id: int, language: str, fingerprint: str, pdf: bytes, seconds: float
) -> PdfOutcome:
    # The report's row lock orders two copies storing at once (PostgreSQL); the unique
    # constraint and update_or_create keep one row per language whatever happens.
    current = AnnualReport.objects.select_for_update().filter(pk=report_id).first()
    if current is None or rendering.pdf_fingerprint(current, language) != fingerprint:
        return PdfOutcome.OUTDATED
    ReportDocument.objects.update_or_create(
        report_id=report_id,
        language=language,
        defaults={
            "fingerprint": fingerprint,
            "pdf": pdf,
            "size": len(pdf),
            "rendered_at": timezone.now(),
            "render_seconds": round(seconds, 3),
        },
    )
    return PdfOutcome.STORED
