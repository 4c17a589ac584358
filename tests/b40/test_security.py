"""Security properties of every response and of logging in (RELIABILITY 2–7)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from members.otp import enrol_totp
from tests.factories import SecretariatUserFactory
from tests.factories.members import PASSWORD

PAGES = [
    "/",
    "/about/",
    "/cities/",
    "/cities/tirana/",
    "/accounts/login/",
    "/accounts/staff/login/",
    "/admin/login/",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_carries_the_security_headers(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("url", PAGES[:6])
def test_our_pages_have_no_inline_script_or_style(client, db, url):
    html = client.get(url).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html and "<style" not in html


def test_unknown_page_is_a_generic_404_without_debug_details(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "Traceback" not in html and "urlpatterns" not in html


def test_server_error_shows_the_generic_page(db, settings):
    from django.urls import path

    def boom(request):
        raise RuntimeError("secret detail")

    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [path("boom/", boom)]})
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b"secret detail" not in response.content


def test_csrf_is_enforced_on_login(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_session_id_changes_at_login_and_dies_at_logout(client, mayor):
    client.get(reverse("login"))
    client.cookies["sessionid"] = "attacker-chosen-session-id"
    response = client.post(reverse("login"), {"username": mayor.username, "password": PASSWORD})
    assert response.status_code == 302
    session_id = client.cookies["sessionid"].value
    assert session_id != "attacker-chosen-session-id"
    client.post(reverse("logout"))
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=session_id).exists()


def test_sessions_expire(settings):
    assert settings.SESSION_COOKIE_AGE <= 60 * 60 * 12
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_login_is_throttled_after_five_failures(client, mayor, settings):
    settings.AXES_ENABLED = True
    for _ in range(5):
        client.post(reverse("login"), {"username": mayor.username, "password": "wrong"})
    response = client.post(reverse("login"), {"username": mayor.username, "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
    assert "_auth_user_id" not in client.session


def test_a_forged_forwarded_for_header_does_not_lift_the_lockout(client, mayor, settings):
    settings.AXES_ENABLED = True
    for n in range(6):
        client.post(
            reverse("login"),
            {"username": mayor.username, "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )
    response = client.post(
        reverse("login"),
        {"username": mayor.username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="10.9.9.9",
    )
    assert response.status_code == 429


def test_admin_login_is_throttled_too(client, db, settings):
    settings.AXES_ENABLED = True
    staff = SecretariatUserFactory()
    for _ in range(5):
        client.post("/admin/login/", {"username": staff.username, "password": "wrong"})
    response = client.post("/admin/login/", {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 429


# The second factor of the admin (the staff login: password, then the code; enrolment,
# backup codes, the session id at each step) is tested in tests/members/test_views.py.
def test_admin_requires_a_second_factor(client, db, settings):
    settings.ADMIN_REQUIRE_OTP = True
    staff = SecretariatUserFactory()
    enrol_totp(user=staff)
    client.force_login(staff)
    response = client.get("/admin/")  # a password alone is not enough
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response["Location"] == "/accounts/staff/login/?next=/admin/"
