"""The annual report in the admin: start it ("generate now"), follow its progress, write its
texts, preview it as a page, a PDF and a CSV, publish it (rules G2, T3)."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from common.adminlist import LeanListAdmin
from members.adminkit import AddedByServiceAdmin, EnglishRequiredAdmin, in_languages
from presidency.models import Mandate
from presidency.selectors import passes
from reports import selectors, services, views
from reports.models import AnnualReport, ReportDocument

STATUS_FIELDS = [
    "year",
    "mandate",
    "state",
    "progress_bar",
    "step",
    "error",
    "attempts",
    "provisional",
    "queued_at",
    "started_at",
    "generated_at",
    "previews",
    "pdf_documents",
]
PUBLICATION_FIELDS = ["published", "published_at", "published_by"]
TEXT_FIELDS = ["introduction", "highlights", "outlook"]


class GenerateReportForm(forms.ModelForm):
    """Adding a report means: choose a mandate, and the portal drafts its report."""

    class Meta:
        model = AnnualReport
        fields = ["mandate"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A mandate that has not started has nothing to report yet.
        self.fields["mandate"].queryset = Mandate.objects.filter(
            annual_report__isnull=True, year__lte=timezone.localdate().year
        ).select_related("city")
        self.fields["mandate"].help_text = _(
            "The report is drafted in the background; a report of a running mandate is provisional."
        )


@admin.register(AnnualReport)
class AnnualReportAdmin(
    AddedByServiceAdmin, EnglishRequiredAdmin, LeanListAdmin, SimpleHistoryAdmin
):
    translated_texts = tuple(TEXT_FIELDS)
    list_display = [
        "year",
        "presiding_city",
        "state",
        "progress_bar",
        "provisional",
        "published",
        "generated_at",
        "pdfs_ready",
    ]
    list_filter = ["state", "published", "provisional"]
    list_select_related = ["mandate__city"]
    search_fields = ["year", "mandate__city__name"]
    actions = ["generate_now", "publish", "unpublish", "render_pdfs_again"]
    # Says when the report is being built (a small script follows its progress without
    # reloading the texts being edited), and has the Publish / Withdraw button.
    change_form_template = "admin/reports/annualreport/change_form.html"

    # --- the form: a mandate to add, the texts to edit ----------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = GenerateReportForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["mandate"]})]
        return [
            (_("Generation"), {"fields": STATUS_FIELDS}),
            (_("Texts written by the secretariat"), {"fields": in_languages(*TEXT_FIELDS)}),
            (_("Publication"), {"fields": PUBLICATION_FIELDS}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return STATUS_FIELDS + PUBLICATION_FIELDS

    def get_queryset(self, request):
        # The stored PDFs' stamps, not their bytes: one query for the whole page.
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("documents", queryset=ReportDocument.objects.defer("pdf")))
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def create(self, request, form) -> AnnualReport:
        # Changes afterwards are the three texts only, in each language.
        return services.request_report(mandate=form.cleaned_data["mandate"], by=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        self.message_user(
            request,
            _("%(report)s is being built in the background: its page shows how far it is.")
            % {"report": obj},
            messages.INFO,
        )
        return response

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The change page's Publish button is offered by the publishing service's own check.
        context["can_publish"] = obj is not None and passes(services.check_publishable, report=obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- columns ----------------------------------------------------------------------

    @admin.display(description=_("presiding city"), ordering="mandate__city__name")
    def presiding_city(self, obj: AnnualReport) -> str:
        return obj.mandate.city.name

    @admin.display(description=_("progress"))
    def progress_bar(self, obj: AnnualReport) -> str:
        return format_html(
            '<progress max="100" value="{}">{} %</progress> <span class="report-progress-text">'
            "{}</span>",
            obj.progress,
            obj.progress,
            self.progress_text(obj),
        )

    @staticmethod
    def progress_text(obj: AnnualReport) -> str:
        step = selectors.STEPS.get(obj.step, obj.step)
        return f"{obj.progress} % — {step}" if step else f"{obj.progress} %"

    @admin.display(description=_("preview"))
    def previews(self, obj: AnnualReport) -> str:
        if not obj.pk or not obj.is_done:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:reports_annualreport_preview", args=[obj.pk]),
            _("page"),
            reverse("admin:reports_annualreport_preview_pdf", args=[obj.pk]),
            _("PDF"),
            reverse("admin:reports_annualreport_preview_csv", args=[obj.pk]),
            _("CSV annex"),
        )

    @admin.display(description=_("PDFs ready"), boolean=True)
    def pdfs_ready(self, obj: AnnualReport) -> bool | None:
        if not obj.is_done:
            return None
        return all(document is not None for _language, document in selectors.pdf_documents(obj))

    @admin.display(description=_("stored PDFs"))
    def pdf_documents(self, obj: AnnualReport) -> str:
        if not obj.pk or not obj.is_done:
            return "—"
        languages = dict(settings.LANGUAGES)
        rows = []
        for language, document in selectors.pdf_documents(obj):
            if document is None:
                state = _(
                    "not ready: rendered at each request until the background render stores it"
                )
            else:
                state = _("ready (%(size)s KB, rendered on %(at)s in %(seconds)s s)") % {
                    "size": formats.number_format(document.size / 1024, 0),
                    "at": formats.date_format(
                        timezone.localtime(document.rendered_at), "SHORT_DATETIME_FORMAT"
                    ),
                    "seconds": formats.number_format(document.render_seconds, 1),
                }
            rows.append((languages.get(language, language), state))
        return format_html_join("", "<div>{}: {}</div>", rows)

    # --- actions (through the services) ---------------------------------------------------

    @admin.action(description=_("Generate now"), permissions=["change"])
    def generate_now(self, request, queryset) -> None:
        done = 0
        for report in queryset.select_related("mandate"):
            try:
                services.request_report(mandate=report.mandate, by=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(n)d report queued: reload the page to follow its progress.",
                    "%(n)d reports queued: reload the page to follow their progress.",
                    done,
                )
                % {"n": done},
                messages.SUCCESS,
            )

    def _publication(self, request, queryset, service, message) -> None:
        done = 0
        for report in queryset:
            try:
                service(report=report, by=request.user)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(error.messages) if isinstance(error, ValidationError) else error
                self.message_user(request, f"{report}: {text}", messages.ERROR)
        if done:
            self.message_user(request, message % {"n": done}, messages.SUCCESS)

    @admin.action(description=_("Publish on the website"), permissions=["change"])
    def publish(self, request, queryset) -> None:
        self._publication(request, queryset, services.publish_report, _("%(n)d published."))

    @admin.action(description=_("Withdraw from the website"), permissions=["change"])
    def unpublish(self, request, queryset) -> None:
        self._publication(request, queryset, services.unpublish_report, _("%(n)d withdrawn."))

    @admin.action(description=_("Render the PDFs again"), permissions=["change"])
    def render_pdfs_again(self, request, queryset) -> None:
        done = 0
        for report in queryset:
            if not report.is_done:
                self.message_user(
                    request,
                    _("%(report)s is not finished yet.") % {"report": report},
                    messages.ERROR,
                )
                continue
            services.schedule_pdfs(report_id=report.pk, force=True)
            done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "The PDFs of %(n)d report are being rendered again.",
                    "The PDFs of %(n)d reports are being rendered again.",
                    done,
                )
                % {"n": done},
                messages.SUCCESS,
            )

    # --- previews of drafts (only here: the public sees published reports) ---------------

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view)

        return [
            path("<int:pk>/preview/", wrap(self.preview), name="reports_annualreport_preview"),
            path(
                "<int:pk>/progress.json",
                wrap(self.progress_json),
                name="reports_annualreport_progress",
            ),
            path("<int:pk>/publish/", wrap(self.publish_view), name="reports_annualreport_publish"),
            path(
                "<int:pk>/preview/report.pdf",
                wrap(self.preview_pdf),
                name="reports_annualreport_preview_pdf",
            ),
            path(
                "<int:pk>/preview/annex.csv",
                wrap(self.preview_csv),
                name="reports_annualreport_preview_csv",
            ),
            *super().get_urls(),
        ]

    def _viewable(self, request, pk: int) -> AnnualReport:
        report = get_object_or_404(AnnualReport.objects.select_related("mandate__city"), pk=pk)
        if not self.has_view_permission(request, report):
            raise PermissionDenied
        return report

    def preview(self, request, pk: int):
        return views.html_response(request, self._viewable(request, pk), preview=True)

    def preview_pdf(self, request, pk: int):
        return views.pdf_response(self._viewable(request, pk))

    def preview_csv(self, request, pk: int):
        return views.csv_response(self._viewable(request, pk))

    # --- the report's page: its progress while it is built, the Publish button ----------

    def progress_json(self, request, pk: int):
        """How far the build is, for the change page's script (report-progress.js)."""
        report = self._viewable(request, pk)
        return JsonResponse(
            {
                "building": report.is_building,
                "state": report.get_state_display(),
                "progress": report.progress,
                "text": self.progress_text(report),
            }
        )

    def publish_view(self, request, pk: int):
        """The change page's Publish / Withdraw button: the list actions' services."""
        return require_POST(self._publish_view)(request, pk)

    def _publish_view(self, request, pk: int):
        report = get_object_or_404(AnnualReport, pk=pk)
        if not self.has_change_permission(request, report):
            raise PermissionDenied
        withdraw = "_unpublish" in request.POST
        service = services.unpublish_report if withdraw else services.publish_report
        try:
            report = service(report=report, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            message = (
                _("%(report)s is withdrawn from the website.")
                if withdraw
                else _("%(report)s is published on the website.")
            )
            self.message_user(request, message % {"report": report}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:reports_annualreport_change", args=[pk]))
