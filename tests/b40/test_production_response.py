"""What production itself answers (RELIABILITY 2, 3, 5): the headers come from the
production settings, not from the test settings, so they are checked in a process that
runs with ``b40.settings.production``."""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
from django.conf import settings
# Production's static storage needs collectstatic's manifest; these checks are about the
# headers and the error page, not the static files, so plain storage stands in.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
django.setup()
from django.test import Client
c = Client(HTTP_HOST="portal.b40.example")
out = {}
for url in ("/healthz", "/no/such/page/"):
    r = c.get(url, secure=True)
    out[url] = {"status": r.status_code, "headers": dict(r.headers), "body": r.content.decode()}
r = c.get("/healthz")
out["http"] = {"status": r.status_code, "location": r.headers.get("Location", "")}
print(json.dumps(out))
"""


def _production(code: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="b40.settings.production",
        DJANGO_SECRET_KEY="x" * 20 + "production-like-secret-key-0123456789",
        ALLOWED_HOSTS="portal.b40.example",
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="ERROR",
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_responses_carry_hsts_and_the_strict_headers():
    out = _production(PROBE)
    for url in ("/healthz", "/no/such/page/"):
        headers = out[url]["headers"]
        assert "max-age=31536000" in headers["Strict-Transport-Security"]
        assert "includeSubDomains" in headers["Strict-Transport-Security"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "default-src 'self'" in headers["Content-Security-Policy"]
    not_found = out["/no/such/page/"]
    assert not_found["status"] == 404
    assert "Traceback" not in not_found["body"] and "urlpatterns" not in not_found["body"]


def test_production_sends_plain_http_to_https_except_health():
    out = _production(PROBE.replace('c.get("/healthz")', 'c.get("/about/")'))
    assert out["http"]["status"] == 301
    assert out["http"]["location"].startswith("https://")


def test_no_view_of_ours_is_csrf_exempt():
    found = []
    for app in (
        "outbox",
        "members",
        "presidency",
        "workinggroups",
        "secretariat",
        "reports",
        "b40",
    ):
        for path in (ROOT / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Name | ast.Attribute) and "csrf_exempt" in ast.unparse(
                    node
                ):
                    found.append(f"{path.name}:{node.lineno}")
    assert found == []
