"""The annual report on the development of cooperation in a mandate (rules G2, T3)."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from presidency.models import Mandate
from reports.enums import ReportState


class AnnualReport(models.Model):
    """One report per presidential mandate.

    The portal computes the figures (a snapshot in ``figures``, from which the page, the
    PDF and the CSV annex are all rendered); the secretariat writes the free-text sections
    and publishes it (rule G2).
    """

    year = models.PositiveSmallIntegerField(
        _("mandate year"),
        unique=True,
        error_messages={"unique": _("There is already a report for this mandate.")},
    )
    mandate = models.OneToOneField(
        Mandate,
        on_delete=models.PROTECT,
        related_name="annual_report",
        verbose_name=_("mandate"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ReportState.choices, default=ReportState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("current step"), max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_("Drafted while the mandate was still running: the figures are not final."),
    )
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # The lease of the copy that builds it: refreshed at every step (see services.claim).
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    generated_at = models.DateTimeField(_("figures generated at"), null=True, blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    introduction = models.TextField(_("introduction"), blank=True)
    highlights = models.TextField(_("highlights"), blank=True)
    outlook = models.TextField(_("outlook"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords(
        excluded_fields=["progress", "step", "heartbeat_at", "figures", "updated_at"]
    )

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="reports_annualreport_progress_percent",
                violation_error_message=_("Progress is a percentage."),
            ),
            # rule G2: what the public reads is a finished report of an expired mandate.
            models.CheckConstraint(
                condition=Q(published=False)
                | Q(state=ReportState.DONE, provisional=False, published_at__isnull=False),
                name="reports_annualreport_published_when_final",
                violation_error_message=_(
                    "Only a finished, final report (not a provisional draft) can be published."
                ),
            ),
        ]

    def __str__(self) -> str:
        year = self.year
        if year is None and self.mandate_id is not None:  # not saved yet: its mandate's
            year = self.mandate.year
        if year is None:
            return str(_("New annual report"))
        return _("Annual report %(year)s") % {"year": year}

    def get_absolute_url(self) -> str:
        return reverse("reports:report-detail", kwargs={"year": self.year})

    @property
    def is_done(self) -> bool:
        return self.state == ReportState.DONE

    @property
    def is_building(self) -> bool:
        """Queued or running: the task has not finished with it."""
        return self.state in (ReportState.QUEUED, ReportState.RUNNING)


class ReportDocument(models.Model):
    """The report's PDF in one language, rendered in the background (reports.tasks).

    Kept in the database, not in MEDIA storage: a few hundred KB per language and one
    report a year; the bytes are written in the same transaction as their stamp (never a
    file without its row or the reverse), every web process and worker sees them without
    a shared volume, and ``pg_dump`` keeps them. Written only by the system, so it keeps
    no history; it is a derived artefact, rendered again from the report at any time.
    """

    report = models.ForeignKey(
        AnnualReport,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("annual report"),
    )
    language = models.CharField(_("language"), max_length=10)
    # What the PDF was rendered from (rendering.pdf_fingerprint): a PDF whose fingerprint
    # is not the report's current one is never served.
    fingerprint = models.CharField(_("rendered for"), max_length=64)
    pdf = models.BinaryField(_("PDF"))
    size = models.PositiveIntegerField(_("size (bytes)"))
    rendered_at = models.DateTimeField(_("rendered at"))
    render_seconds = models.FloatField(_("rendering time (s)"))

    class Meta:
        verbose_name = _("report PDF")
        verbose_name_plural = _("report PDFs")
        ordering = ["report", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "language"],
                name="reports_reportdocument_one_per_language",
                violation_error_message=_("The report has a PDF in this language already."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} ({self.language})"
