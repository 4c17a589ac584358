"""The annual report's map: the members at the end of the mandate, the newcomers marked."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from members.models import City
from reports import services

pytestmark = pytest.mark.django_db

DOT = re.compile(r'<a href="/cities/([^/]+)/" class="map-city map-city--(\w+)')


@pytest.fixture
def published(network, staff, django_capture_on_commit_callbacks):
    # Novo Mesto (admitted in 2025) has its coordinates; Ohrid (2024) has none yet.
    City.objects.filter(slug="novo-mesto").update(
        latitude=Decimal("45.80397"), longitude=Decimal("15.16886")
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(mandate=network)
    report.refresh_from_db()
    return services.publish_report(report=report, by=staff)


def test_the_report_page_maps_the_members_at_the_end_of_the_mandate(client, published):
    html = client.get(reverse("reports:report-detail", args=[2025])).content.decode()
    dots = dict(DOT.findall(html))
    assert dots["tirana"] == "highlight"  # the presiding city
    assert dots["novo-mesto"] == "new"  # joined during the mandate
    assert dots["athens"] == "founder"
    assert "pula" not in dots  # withdrew during the mandate
    assert "bitola" not in dots  # joins after it
    assert len(dots) == 25  # 24 founders left + Novo Mesto; Ohrid has no coordinates
    assert "1 member city has no coordinates yet and is not on the map." in html
    assert " style=" not in html


def test_the_report_pdf_contains_the_map(client, published):
    response = client.get(reverse("reports:report-pdf", args=[2025]))
    reader = PdfReader(io.BytesIO(response.content))
    text = re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))
    assert "Country outlines: Natural Earth." in text
    # The map names the presiding city and the newcomer, as labels drawn in the SVG: the
    # newcomer's name is in the admitted cities' table, and once more on the map.
    assert text.count("Novo Mesto") == 2  # 1 without the map
    # Hover labels are for the page only: a founder's name is not drawn in the PDF's map.
    assert "Laktaši" not in text
