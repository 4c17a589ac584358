"""The password reset form, throttled per address and per client (RELIABILITY 28)."""

from django.urls import reverse

from outbox.models import Mail

URL = reverse("password_reset")
DONE = reverse("password_reset_done")


def resets(mayor=None) -> int:
    mails = Mail.objects.filter(kind="password-reset")
    return sum(mayor.email in mail.to for mail in mails) if mayor else mails.count()


def test_one_address_gets_a_few_mails_however_often_it_is_asked_for(client, mayor, settings):
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = "3/h"
    settings.PASSWORD_RESET_RATE_PER_CLIENT = "100/h"
    answers = [client.post(URL, {"email": mayor.email.upper()}) for _ in range(15)]
    assert {(a.status_code, a.url) for a in answers} == {(302, DONE)}  # as ever, every time
    assert resets(mayor) == 3


def test_known_and_unknown_addresses_get_the_same_answers(client, mayor, settings):
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = "2/h"
    settings.PASSWORD_RESET_RATE_PER_CLIENT = "100/h"

    def answers(email: str) -> list[tuple[int, str]]:
        return [
            (r.status_code, r.url) for r in (client.post(URL, {"email": email}) for _ in range(4))
        ]

    assert answers(mayor.email) == answers("nobody@example.org")
    assert resets() == 2  # the known address's first two, nothing for the unknown one


def test_one_client_is_stopped_whatever_addresses_it_asks_for(client, mayor, settings):
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = "3/h"
    settings.PASSWORD_RESET_RATE_PER_CLIENT = "5/h"
    probe = {"REMOTE_ADDR": "203.0.113.7"}
    for n in range(5):
        assert client.post(URL, {"email": f"guess{n}@example.org"}, **probe).status_code == 302
    # A forged X-Forwarded-For does not make it another client (no trusted proxy).
    forged = {**probe, "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    refused = client.post(URL, {"email": mayor.email}, **forged)
    assert refused.status_code == 429
    assert b"Too many attempts" in refused.content
    assert resets() == 0
    other = client.post(URL, {"email": mayor.email}, REMOTE_ADDR="203.0.113.8")
    assert (other.status_code, resets(mayor)) == (302, 1)
