"""In a real Chromium: the secretariat drafts the annual report of an expired mandate in the
admin, writes its introduction and publishes it; a visitor reads it on the website (rule G2)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_secretariat_drafts_and_publishes_the_report_a_visitor_reads_it(
    site, page, settings, monkeypatch
):
    import threading

    from members.models import City
    from presidency.models import Mandate
    from reports import services
    from tests.factories import SecretariatUserFactory
    from tests.factories.members import PASSWORD

    Mandate.objects.create(year=2025, city=City.objects.get(slug="skopje"))
    SecretariatUserFactory(username="secretariat")
    settings.REPORTS_RENDER_PDFS_ON_CHANGE = True  # its PDFs rendered after each change
    # As without a broker (make run): built and rendered in a thread, the pages answer at once.
    settings.TASKS_IN_THREADS = True
    release = threading.Event()  # the build waits until the page has shown it under way
    compute = services.selectors.compute_figures

    def compute_figures(mandate, **kwargs):
        assert release.wait(60), "the test never let the build go on"
        return compute(mandate, **kwargs)

    monkeypatch.setattr(services.selectors, "compute_figures", compute_figures)

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
    # Built in a thread: the page says so, its script follows it and shows the report done.
    expect(page.get_by_text("This report is being built in the background")).to_be_visible()
    release.set()
    expect(page.get_by_text("Done", exact=True).first).to_be_visible(timeout=60_000)
    expect(page.get_by_text("being built in the background")).to_have_count(0)
    page.locator("#id_introduction_en").fill("A year of floods and solidarity.")
    page.get_by_role("button", name="Save and continue editing").click()

    page.get_by_role("button", name="Publish on the website").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Annual report 2025 is published on the website."
    )
    expect(page.get_by_role("button", name="Withdraw from the website")).to_be_visible()
    from common import background

    assert background.wait(120)  # the PDFs of the last edit, rendered in their thread

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
