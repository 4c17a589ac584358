"""The public pages (published reports only), the PDF (its text extracted) and the CSV annex."""

import csv
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reports import services
from reports.models import AnnualReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(mandate=network)
    report.refresh_from_db()
    report.introduction = "A year of floods & solidarity."
    report.outlook = "Next: Skopje."
    report.save()
    return report


@pytest.fixture
def published(report, staff):
    return services.publish_report(report=report, by=staff)


def test_drafts_are_not_public(client, report):
    assert client.get(reverse("reports:report-list")).content.count(b"/reports/2025/") == 0
    for name in ("reports:report-detail", "reports:report-pdf", "reports:report-csv"):
        assert client.get(reverse(name, args=[2025])).status_code == 404


def test_published_report_page(client, published, django_assert_max_num_queries):
    assert b"/reports/2025/" in client.get(reverse("reports:report-list")).content
    with django_assert_max_num_queries(3):  # the report, its mandate's city; session none
        response = client.get(reverse("reports:report-detail", args=[2025]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "A year of floods &amp; solidarity." in html
    assert "Novo Mesto" in html and "Erion Veliaj" in html
    assert html.count("<svg") == 4  # meetings, attendance, goals, the map
    assert 'fill="#1f3a5f"' in html
    assert " style=" not in html and "<style" not in html  # the CSP forbids inline styles


def test_pdf_has_the_same_content(client, published):
    response = client.get(reverse("reports:report-pdf", args=[2025]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = re.sub(r"\s+", " ", text)
    for expected in (
        "Annual report 2025",
        "Tirana",
        "Erion Veliaj",
        "Novo Mesto",
        "A year of floods & solidarity.",
        "Local climate action",
        "Climate plans",
        "Ayşe Yılmaz",
        "Next: Skopje.",
        "2 visiting delegates, 3 nights of lodging, 15 meals",
    ):
        assert expected in text, expected


def test_csv_annex_holds_the_figures(client, published):
    response = client.get(reverse("reports:report-csv", args=[2025]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows[0] == ["section", "item", "measure", "value"]
    assert ["working groups", "Local climate action", "held", "4"] in rows
    assert ["working groups", "Local climate action", "attendance_rate", "69"] in rows
    assert ["attendance by city", "Athens", "rate", "50"] in rows
    assert ["goals", "Climate plans", "progress", "75"] in rows
    assert ["membership", "applications", "open_at_end", "1"] in rows
    assert ["summit", "", "hosted_meals", "15"] in rows
    assert ["election", "round 1", "votes: Skopje", "2"] in rows
    assert ["recommendations", "2025/1", "rate", "8"] in rows
    assert ["information exchange", "", "mails_failed", "1"] in rows


def test_report_before_figures_shows_a_note(client, network, staff):
    report = services.request_report(mandate=network)  # never built
    AnnualReport.objects.filter(pk=report.pk).update(state="done")
    report.refresh_from_db()
    services.publish_report(report=report, by=staff)
    response = client.get(reverse("reports:report-detail", args=[2025]))
    assert b"have not been generated yet" in response.content


def test_publishing_shows_at_once_on_the_cached_list(client, report, staff):
    url = reverse("reports:report-list")
    assert b"/reports/2025/" not in client.get(url).content  # now in the page cache
    services.publish_report(report=report, by=staff)
    assert b"/reports/2025/" in client.get(url).content  # never a stale list
    services.unpublish_report(report=report, by=staff)
    assert b"/reports/2025/" not in client.get(url).content
