"""The staff login: the password, then the code on its own page (django-two-factor-auth).

RELIABILITY 6 (throttled), 7 (second factor), 29 (a new session id at each step).
"""

import importlib
import re

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from members.otp import enrol_totp
from tests.factories import SecretariatUserFactory
from tests.factories.members import PASSWORD

LOGIN = "/accounts/staff/login/"
STEP = "staff_login_view-current_step"
WRONG_CODE = "This code is not valid."


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.ADMIN_REQUIRE_OTP = True


def code_of(device: TOTPDevice, drift: int = 0) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
    return f"{value:06d}"


def not_a_code_of(device: TOTPDevice) -> str:
    """Six digits that none of the accepted time steps (now, before, after) shows."""
    accepted = {code_of(device, drift) for drift in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in accepted)


def post_password(client, username: str, password: str = PASSWORD, next_url: str = "/admin/"):
    return client.post(
        f"{LOGIN}?next={next_url}",
        {STEP: "auth", "auth-username": username, "auth-password": password},
    )


def post_code(client, code: str, next_url: str = "/admin/"):
    return client.post(f"{LOGIN}?next={next_url}", {STEP: "token", "token-otp_token": code})


def session_id(client) -> str:
    return client.cookies["sessionid"].value


@pytest.fixture
def enrolled(db):
    staff = SecretariatUserFactory()
    device, codes = enrol_totp(user=staff)
    return staff, device, codes


def test_password_then_the_code_on_its_own_page_reaches_the_desk(client, enrolled):
    staff, device, _ = enrolled
    response = post_password(client, staff.username)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your code" in html and 'name="token-otp_token"' in html
    assert "<select" not in html and "OTP Device" not in html  # no device list
    assert 'name="auth-password"' not in html

    response = post_code(client, code_of(device))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_backup_code_in_the_same_field_works_once(client, enrolled):
    staff, _, codes = enrolled
    post_password(client, staff.username)
    response = post_code(client, f" {codes[0].upper()} ")  # as copied from a printout
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()

    client.logout()
    post_password(client, staff.username)
    response = post_code(client, codes[0])
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()


def test_a_wrong_code_is_refused_with_a_clear_message(client, enrolled):
    staff, device, _ = enrolled
    post_password(client, staff.username)
    response = post_code(client, not_a_code_of(device))
    assert response.status_code == 200
    html = response.content.decode()
    assert WRONG_CODE in html and "unused backup codes" in html
    assert 'name="token-otp_token"' in html  # asked again, on the same page
    assert client.get("/admin/").status_code == 302


def test_a_wrong_password_is_refused_before_any_code(client, enrolled):
    staff, _, _ = enrolled
    response = post_password(client, staff.username, password="wrong")
    assert response.status_code == 200
    assert 'name="auth-password"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_city_login_cannot_use_the_staff_login(client, mayor):
    response = post_password(client, mayor.username)
    assert response.status_code == 200
    assert "staff account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_session_id_changes_at_the_password_and_again_at_the_code(client, enrolled):
    staff, device, _ = enrolled
    client.get(LOGIN)
    before = session_id(client)
    post_password(client, staff.username)
    after_password = session_id(client)
    post_code(client, code_of(device))
    after_code = session_id(client)

    assert len({before, after_password, after_code}) == 3
    assert not Session.objects.filter(session_key__in=[before, after_password]).exists()
    for old in (before, after_password):  # a session id seen before the code gets nothing
        stale = Client()
        stale.cookies["sessionid"] = old
        assert stale.get("/admin/").status_code == 302
    assert client.get("/admin/").status_code == 200


def test_stepping_up_a_password_session_renews_its_id(client, enrolled):
    """Logged in on the site with a password, then the code: Django's login() alone would
    keep the id (same user); the second factor renews it (ASVS 3.2.1)."""
    staff, device, _ = enrolled
    client.post("/accounts/login/", {"username": staff.username, "password": PASSWORD})
    assert client.get("/admin/").status_code == 302  # a password alone is not enough
    post_password(client, staff.username)
    before_code = session_id(client)
    post_code(client, code_of(device))
    assert session_id(client) != before_code
    assert not Session.objects.filter(session_key=before_code).exists()
    assert client.get("/admin/").status_code == 200


def test_a_new_staff_member_enrols_with_a_qr_code_and_sees_backup_codes_once(client, db):
    staff = SecretariatUserFactory()
    response = post_password(client, staff.username, next_url="/admin/members/city/")
    assert response.status_code == 302 and response["Location"] == "/accounts/staff/setup/"
    assert client.get("/admin/").status_code == 302  # no second factor yet
    password_session = session_id(client)

    page = client.get("/accounts/staff/setup/")
    html = page.content.decode()
    assert '<img src="/accounts/staff/setup/qrcode/"' in html
    qr = client.get("/accounts/staff/setup/qrcode/")
    assert qr.status_code == 200 and qr["Content-Type"].startswith("image/svg+xml")
    secret = re.search(r'<code class="totp-secret[^"]*">([A-Z2-7]+)</code>', html).group(1)
    from base64 import b32decode

    from django_otp.oath import TOTP

    code = f"{TOTP(b32decode(secret)).token():06d}"
    response = client.post(
        "/accounts/staff/setup/",
        {"staff_setup_view-current_step": "generator", "generator-token": code},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/staff/setup/complete/"
    assert session_id(client) != password_session  # the step-up renews the id
    assert not Session.objects.filter(session_key=password_session).exists()

    shown = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<li>([0-9a-f]{8})</li>", shown)
    assert len(codes) == 10
    assert 'href="/admin/members/city/"' in shown  # back to where they were going
    again = client.get(response["Location"]).content.decode()
    assert not re.findall(r"<li>([0-9a-f]{8})</li>", again)  # shown once
    assert client.get("/admin/").status_code == 200
    assert TOTPDevice.objects.get(user=staff).name == "default"

    client.logout()
    post_password(client, staff.username)
    assert post_code(client, codes[3]).status_code == 302  # the codes shown work


def test_a_wrong_code_at_enrolment_adds_no_device(client, db):
    staff = SecretariatUserFactory()
    post_password(client, staff.username)
    client.get("/accounts/staff/setup/")
    response = client.post(
        "/accounts/staff/setup/",
        {"staff_setup_view-current_step": "generator", "generator-token": "12"},
    )
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    assert not TOTPDevice.objects.filter(user=staff).exists()


def test_the_staff_login_is_throttled_after_five_wrong_passwords(client, enrolled, settings):
    settings.AXES_ENABLED = True
    staff, _, _ = enrolled
    for _ in range(5):
        post_password(client, staff.username, password="wrong")
    response = post_password(client, staff.username)
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
    assert b"token-otp_token" not in response.content


def test_a_staff_member_without_a_verified_second_factor_cannot_reach_the_admin(client, enrolled):
    staff, _, _ = enrolled
    client.force_login(staff)  # a password login, no code
    for url in ("/admin/", "/admin/members/city/", "/admin/secretariat/application/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    response = client.get("/admin/login/?next=/admin/members/city/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/staff/login/?next=/admin/members/city/"


def test_a_staff_member_with_no_device_cannot_reach_the_admin(client, db):
    client.force_login(SecretariatUserFactory())
    assert client.get("/admin/members/city/").status_code == 302


def test_the_admin_login_sends_to_the_staff_login_and_keeps_only_safe_next(client, db):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/accounts/staff/login/?next=/admin/"


def test_devices_enrolled_before_the_staff_login_keep_working(client, db):
    """The TOTP devices enrol_totp named "authenticator" take the name the login asks for."""
    staff = SecretariatUserFactory()
    device, codes = enrol_totp(user=staff)
    TOTPDevice.objects.filter(pk=device.pk).update(name="authenticator")
    migration = importlib.import_module("members.migrations.0004_totp_device_default_name")
    migration.forwards(apps, None)
    device.refresh_from_db()
    assert device.name == "default"
    post_password(client, staff.username)
    assert post_code(client, code_of(device)).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_enrol_totp_reset_sends_the_next_login_to_a_new_qr_code(client, enrolled, capsys):
    staff, _, codes = enrolled
    call_command("enrol_totp", staff.username, "--reset")
    assert "new QR code" in capsys.readouterr().out
    assert not staff.totpdevice_set.exists()
    assert not StaticToken.objects.filter(token__in=codes).exists()
    response = post_password(client, staff.username)
    assert response["Location"] == "/accounts/staff/setup/"


def test_enrol_totp_from_the_terminal_gives_a_device_the_login_asks_for(client, db, capsys):
    staff = SecretariatUserFactory(username="anna")
    call_command("enrol_totp", "anna")
    assert "otpauth://" in capsys.readouterr().out
    device = staff.totpdevice_set.get()
    assert device.name == "default"
    with pytest.raises(CommandError, match="already has a device"):
        call_command("enrol_totp", "anna")
    post_password(client, "anna")
    assert post_code(client, code_of(device)).status_code == 302


def test_demo_otp_prints_the_demo_secretariats_current_code(db, settings, capsys):
    settings.DEBUG = True
    staff = SecretariatUserFactory(username="secretariat", email="secretariat@demo.b40.example")
    device, _ = enrol_totp(user=staff)
    call_command("demo_otp", "secretariat")
    assert capsys.readouterr().out.strip() == code_of(device)


def test_demo_otp_refuses_other_logins_and_production(db, settings):
    other = SecretariatUserFactory(username="anna")
    enrol_totp(user=other)
    settings.DEBUG = True
    with pytest.raises(CommandError, match="not one of the demo"):
        call_command("demo_otp", "anna")
    settings.DEBUG = False
    with pytest.raises(CommandError, match="demo only"):
        call_command("demo_otp", "secretariat")


@pytest.mark.parametrize(
    ("language", "heading", "code_heading"),
    [("bg", "Вход за секретариата", "Вашият код"), ("tr", "Sekretarya girişi", "Kodunuz")],
)
def test_the_staff_login_speaks_the_visitors_language(
    client, enrolled, language, heading, code_heading
):
    staff, device, _ = enrolled
    client.cookies["django_language"] = language
    assert heading in client.get(LOGIN).content.decode()
    post_password(client, staff.username)
    response = post_code(client, not_a_code_of(device))
    html = response.content.decode()
    assert code_heading in html
    assert WRONG_CODE not in html  # the refusal is translated too
