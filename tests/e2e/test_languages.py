"""A visitor switches the portal to Turkish on the membership form and applies in Turkish."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def field(page, label: str):
    """A form field by its label (crispy-forms marks required ones with an asterisk)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\*?\s*$"))


def test_switch_to_turkish_on_the_form_and_apply_in_turkish(site, page, settings):
    from outbox.models import Mail
    from secretariat.models.applications import Application

    settings.APPLICATION_MIN_FILL_SECONDS = 0  # Playwright types faster than people

    # The browser asks for English; the form is in English.
    page.goto(site + "/apply/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply to join the B40 network")

    # The visitor chooses Turkish in the footer and stays on the form.
    page.get_by_role("contentinfo").get_by_role("link", name="Türkçe").click()
    expect(page.locator("html")).to_have_attribute("lang", "tr")
    assert page.url == site + "/apply/"
    expect(page.get_by_role("heading", level=1)).to_have_text("B40 ağına katılmak için başvurun")
    expect(page.get_by_text("Üyelik ücretsizdir.")).to_be_visible()

    field(page, "Şehir").fill("Ljubljana")
    field(page, "Ülke").select_option(label="Slovenya")
    field(page, "Belediye başkanının adı").fill("Zoran Janković")
    field(page, "Şehrin web sitesi").fill("https://www.ljubljana.si")
    field(page, "İrtibat kişisi").fill("Maja Kranjc")
    field(page, "Görev").fill("Dış İlişkiler Müdürü")
    field(page, "E-posta").fill("maja@ljubljana.example")
    field(page, "Telefon").fill("+386 1 306 1000")
    field(page, "Şehriniz neden katılmak istiyor?").fill(
        "Ljubljana, yeşil başkent deneyimini Balkan şehirleriyle paylaşmak istiyor."
    )
    page.get_by_label(re.compile("B40 Daimi Sekretaryasının bu verileri")).check()
    page.get_by_role("button", name="Başvuruyu gönder").click()

    # The confirmation, in Turkish.
    expect(page.locator("html")).to_have_attribute("lang", "tr")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teşekkürler")
    application = Application.objects.get()
    assert application.language == "tr"
    expect(page.locator("#application-reference")).to_have_text(application.reference)
    page.get_by_role("link", name="Başvurunun durumunu görün").click()
    expect(page.locator("#application-state")).to_have_text("Gönderildi")

    # The applicant's mail, in Turkish; the secretariat's notice in English (rule T2).
    # The outbox records each mail as it is sent (sent by Celery after the commit).
    to_applicant = Mail.objects.get(kind="application-received")
    assert to_applicant.to == ["maja@ljubljana.example"]
    assert to_applicant.subject == f"B40 üyelik başvurunuz {application.reference}"
    assert to_applicant.body.startswith("Sayın Maja Kranjc,")
    assert "Başvuru numarası: " + application.reference in to_applicant.body
    assert "Ağa üyelik ücretsizdir." in to_applicant.body
    notice = Mail.objects.get(kind="application-notice")
    assert notice.subject.startswith("New membership application: Ljubljana")
