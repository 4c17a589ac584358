"""The client's address behind proxies (RELIABILITY 6, 13): X-Forwarded-For is believed
only from a configured proxy, read from the right."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from members.client_ip import client_ip
from secretariat.models.applications import Application
from tests.factories.members import PASSWORD
from tests.secretariat.test_applications_views import URL, form_data

PROXY = "10.0.0.1"


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("198.51.100.9", "192.0.2.7")) == "198.51.100.9"


def test_a_header_from_an_untrusted_peer_is_ignored(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_ip(_request("198.51.100.9", "192.0.2.7")) == "198.51.100.9"


def test_behind_a_trusted_proxy_the_rightmost_address_is_the_client(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_ip(_request(PROXY, "192.0.2.7")) == "192.0.2.7"
    # The client wrote "1.2.3.4" itself; the proxy appended the address it saw.
    assert client_ip(_request(PROXY, "1.2.3.4, 192.0.2.7")) == "192.0.2.7"


@pytest.mark.parametrize("header", ["", "not-an-address", "1.2.3.4, garbage"])
def test_garbage_stops_at_the_last_believed_address(settings, header):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_ip(_request(PROXY, header)) == PROXY


def test_chains_of_trusted_proxies_and_networks(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8::/32"]
    assert client_ip(_request("10.1.1.1", "6.6.6.6, 192.0.2.7, 10.2.2.2")) == "192.0.2.7"
    assert client_ip(_request("2001:db8::1", "2001:db8::5, 2001:db9::7")) == "2001:db9::7"


def test_the_rate_limit_counts_the_real_client_behind_the_proxy(client, db, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.APPLICATION_RATE_LIMIT = "2/m"
    real = "192.0.2.7"
    for n in range(2):
        forged = f"203.0.113.{n}, {real}"
        response = client.post(
            URL, form_data(city_name=""), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forged
        )
        assert response.status_code == 200
    # A new forged left-hand address changes nothing: the proxy's entry is what counts.
    limited = client.post(
        URL, form_data(), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"203.0.113.99, {real}"
    )
    assert limited.status_code == 429
    # Another client behind the same proxy is not punished for the first one.
    other = client.post(URL, form_data(), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.8")
    assert other.status_code == 302
    assert Application.objects.count() == 1


def test_the_login_lockout_counts_the_real_client_behind_the_proxy(client, mayor, settings):
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXIES = [PROXY]
    login = reverse("login")
    for n in range(5):
        client.post(
            login,
            {"username": mayor.username, "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 192.0.2.7",
        )
    locked = client.post(
        login,
        {"username": mayor.username, "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.50, 192.0.2.7",
    )
    assert locked.status_code == 429
    # The mayor from another address behind the proxy still gets in.
    response = client.post(
        login,
        {"username": mayor.username, "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="192.0.2.8",
    )
    assert response.status_code == 302
