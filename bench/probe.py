"""Run inside the portal's environment: print the pages, session cookies and per-page query
counts as JSON for bench/run.py."""

import json
import os
import string
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b40.settings.local")


def session_cookie(user, *, otp: bool = False) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "members.backends.CityModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if otp:
        from members.otp import enrol_totp

        device, _ = enrol_totp(user=user, reset=True)
        session["otp_device_id"] = device.persistent_id
    session.save()
    return session.session_key


def form_post(path) -> dict:
    """What wrk needs to post the membership form: signed form tokens, a country, a CSRF secret."""
    from django.utils.crypto import get_random_string

    from members.models import Country
    from secretariat.forms.applications import new_form_token

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(new_form_token() for _ in range(20_000)) + "\n")
    return {
        "tokens": str(path),
        "country": Country.objects.filter(eligible=True).order_by("pk").first().pk,
        # A CSRF cookie's secret as Django makes one: 32 letters and digits.
        "csrf": get_random_string(32, string.ascii_letters + string.digits),
    }


def post_data(post: dict, n: int) -> dict:
    from secretariat.forms.applications import new_form_token

    return {
        "city_name": f"Probe applicant {n}",
        "country": post["country"],
        "mayor_name": "A Mayor",
        "contact_name": "A Contact",
        "contact_position": "Head of relations",
        "contact_email": f"probe{n}@bench.example",
        "contact_phone": "+90 212 455 1300",
        "website": "https://apply.example",
        "population": "12000",
        "motivation": "We want to join.",
        "consent": "on",
        "homepage": "",
        "form_token": new_form_token(),
    }


def main() -> None:
    django.setup()
    from pathlib import Path

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.pages import pages
    from common import publicpages
    from members.models import User

    publicpages.bump()  # the generator's bulk inserts send no signals
    post = form_post(Path(__file__).resolve().parent / "results" / "form-tokens.txt")

    cookies = {
        "city": session_cookie(User.objects.get(username="bench.mayor")),
        "admin": session_cookie(User.objects.get(username="bench.staff"), otp=True),
    }
    result = []
    for name, kind, url in pages():
        client = Client(HTTP_HOST="127.0.0.1")
        if kind in cookies:
            client.cookies["sessionid"] = cookies[kind]
        counts = []
        for _visit in range(2):  # the first render, then what wrk mostly gets (kept pages)
            with CaptureQueriesContext(connection) as queries:
                if kind == "post":
                    response = client.post(url, post_data(post, time.time_ns()), secure=True)
                else:
                    response = client.get(url, secure=True)
            counts.append(len(queries.captured_queries))
        result.append(
            {
                "name": name,
                "kind": kind,
                "url": url,
                "status": response.status_code,
                "queries_first": counts[0],
                "queries": counts[1],
            }
        )
    print(json.dumps({"pages": result, "cookies": cookies, "post": post}))


def count_applications(prefix: str) -> None:
    """Print how many applications a POST run filed (their city names start with prefix)."""
    django.setup()
    from secretariat.models import Application

    print(Application.objects.filter(city_name__startswith=prefix).count())


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["count"]:
        count_applications(sys.argv[2])
    else:
        main()
