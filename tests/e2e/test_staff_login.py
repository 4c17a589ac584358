"""In a real Chromium: the secretariat's front door (issue 18). A new staff member types the
password, scans a QR code, confirms it with a code, sees the backup codes and lands on the
desk; an enrolled one types the password, then the code. No device list anywhere."""

from base64 import b32decode

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff_site(site, settings, page):
    settings.ADMIN_REQUIRE_OTP = True
    problems = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    yield site
    assert problems == []  # e.g. a Content Security Policy violation


def no_device_list(page) -> None:
    expect(page.get_by_text("OTP Device")).to_have_count(0)
    expect(page.locator("select")).to_have_count(0)
    expect(page.get_by_text("Please select a device")).to_have_count(0)


def type_password(page, site: str, username: str) -> None:
    from tests.factories.members import PASSWORD

    page.goto(site + "/admin/")  # the desk sends them to the staff login
    expect(page.get_by_role("heading", level=1)).to_have_text("Secretariat login")
    no_device_list(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()


def test_a_new_staff_member_enrols_with_a_qr_code_and_lands_on_the_desk(staff_site, page):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import SecretariatUserFactory

    staff = SecretariatUserFactory(username="new.staff")
    type_password(page, staff_site, "new.staff")

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    qr = page.get_by_role("img", name="QR code to scan with your authenticator app")
    expect(qr).to_be_visible()
    # served, not blocked: wait for the image to load (it is fetched after the page)
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=qr.element_handle(), timeout=10000
    )
    secret = page.locator("code.totp-secret").inner_text()
    page.get_by_label("Code").fill(f"{TOTP(b32decode(secret)).token():06d}")
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your backup codes")
    expect(page.locator(".backup-codes li")).to_have_count(10)
    page.get_by_role("link", name="Continue to the secretariat's desk").click()
    expect(page.get_by_role("heading", name="Needs action today")).to_be_visible()
    assert page.url == staff_site + "/admin/"
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).count() == 1


def test_an_enrolled_staff_member_types_the_password_then_the_code(staff_site, page):
    from django_otp.oath import totp

    from members.otp import enrol_totp
    from tests.factories import SecretariatUserFactory

    device, _ = enrol_totp(user=SecretariatUserFactory(username="secretariat"))
    type_password(page, staff_site, "secretariat")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your code")
    no_device_list(page)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("Code").fill(f"{code:06d}")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Needs action today")).to_be_visible()
    assert page.url == staff_site + "/admin/"
