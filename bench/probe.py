"""Run inside the portal's environment: print the pages, session cookies and per-page query
counts as JSON for bench/run.py."""

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b40.settings.local")


def session_cookie(user, *, otp: bool = False) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if otp:
        from members.otp import enrol_totp

        device, _ = enrol_totp(user=user, reset=True)
        session["otp_device_id"] = device.persistent_id
    session.save()
    return session.session_key


def main() -> None:
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.pages import pages
    from members.models import User

    cookies = {
        "city": session_cookie(User.objects.get(username="bench.mayor")),
        "admin": session_cookie(User.objects.get(username="bench.staff"), otp=True),
    }
    result = []
    for name, kind, url in pages():
        client = Client(HTTP_HOST="127.0.0.1")
        if kind in cookies:
            client.cookies["sessionid"] = cookies[kind]
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, secure=True)
        result.append(
            {
                "name": name,
                "kind": kind,
                "url": url,
                "status": response.status_code,
                "queries": len(queries.captured_queries),
            }
        )
    print(json.dumps({"pages": result, "cookies": cookies}))


if __name__ == "__main__":
    main()
