"""In a real Chromium: the secretariat drafts the annual report of an expired mandate in the
admin, writes its introduction and publishes it; a visitor reads it on the website (rule G2)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_secretariat_drafts_and_publishes_the_report_a_visitor_reads_it(site, page, settings):
    from members.models import City
    from presidency.models import Mandate
    from tests.factories import SecretariatUserFactory
    from tests.factories.members import PASSWORD

    Mandate.objects.create(year=2025, city=City.objects.get(slug="skopje"))
    SecretariatUserFactory(username="secretariat")
    settings.REPORTS_RENDER_PDFS_ON_CHANGE = (
        True  # its PDFs rendered (in-process) after each change
    )

    # Nothing is public before the secretariat publishes.
    page.goto(site + "/reports/")
    expect(page.get_by_text("No annual report has been published yet.")).to_be_visible()

    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill("secretariat")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("The annual report of 2025 is due (rule G2)")).to_be_visible()

    page.goto(site + "/admin/reports/annualreport/add/")
    page.locator("#id_mandate").select_option(label="Presidency 2025: Skopje")
    page.get_by_role("button", name="Save and continue editing").click()
    # Built in the background (in-process here); the form shows it done.
    expect(page.get_by_text("Done", exact=True).first).to_be_visible()
    page.locator("#id_introduction_en").fill("A year of floods and solidarity.")
    page.get_by_role("button", name="Save", exact=True).click()

    page.locator("input[name=_selected_action]").first.check()
    page.locator("select[name=action]").select_option(label="Publish on the website")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("1 published.")

    page.context.clear_cookies()
    page.goto(site + "/reports/")
    page.get_by_role("link", name="Annual report 2025").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2025")
    expect(page.get_by_text("A year of floods and solidarity.")).to_be_visible()
    pdf = page.request.get(site + "/reports/2025/report.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    # The visitor got the PDF stored after the secretariat's last edit, not one rendered now.
    from reports.models import AnnualReport
    from reports.selectors import pdf_documents

    report = AnnualReport.objects.get(year=2025)
    documents = dict(pdf_documents(report))
    assert all(documents.values()), documents
    assert pdf.body() == bytes(documents["en"].pdf)
