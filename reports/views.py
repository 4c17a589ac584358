"""The public annual reports (rule T3: the secretariat maintains the website): published
reports only; drafts are seen in the admin."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.generic import ListView

from common.publicpages import public_page
from reports import rendering, selectors, services
from reports.models import AnnualReport


@public_page
class ReportListView(ListView):
    template_name = "reports/annualreport_list.html"
    context_object_name = "reports"

    def get_queryset(self):
        return selectors.published_reports()


def _published(year: int) -> AnnualReport:
    try:
        return selectors.published_report(year)
    except AnnualReport.DoesNotExist:
        raise Http404 from None


def html_response(request, report: AnnualReport, *, preview: bool = False) -> HttpResponse:
    context = {**rendering.report_context(report), "preview": preview}
    return render(request, "reports/annualreport_detail.html", context)


def pdf_response(report: AnnualReport) -> HttpResponse:
    """The stored PDF in the reader's language when it matches the report as it is now;
    otherwise rendered here (seconds) while the stored ones are brought up to date."""
    language = rendering.pdf_language()
    pdf = rendering.stored_pdf(report, language) if language else None
    if pdf is None:
        pdf = rendering.render_pdf(report, language)
        if language:
            services.pdf_missed(report=report, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="b40-annual-report-{report.year}.pdf"'
    return response


def csv_response(report: AnnualReport) -> HttpResponse:
    response = HttpResponse(rendering.render_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="b40-annual-report-{report.year}-annex.csv"'
    )
    return response


@public_page
def report_detail(request, year: int) -> HttpResponse:
    return html_response(request, _published(year))


def report_pdf(request, year: int) -> HttpResponse:
    return pdf_response(_published(year))


def report_csv(request, year: int) -> HttpResponse:
    return csv_response(_published(year))
