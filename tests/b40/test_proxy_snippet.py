"""The README's nginx snippet bounds the body as the portal does (issue 19, item 8)."""

import os
import re
import shutil
import subprocess  # nosec B404 - runs nginx -t on a file the test writes
from pathlib import Path

import pytest
from django.conf import settings

UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def snippet() -> str:
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    blocks = re.findall(r"```nginx\n(.*?)```", readme, flags=re.DOTALL)
    assert len(blocks) == 1, "the README's production section has one nginx block"
    return blocks[0]


def body_limit(text: str) -> int:
    match = re.search(r"^\s*client_max_body_size\s+(\d+)([kmg]?)\s*;", text, re.M | re.I)
    assert match, "the snippet sets client_max_body_size"
    return int(match.group(1)) * UNITS[match.group(2).lower()]


def test_the_proxy_refuses_what_the_portal_would_read_in_full():
    limit = body_limit(snippet())
    # Room for every form the portal takes, and not much more.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= limit <= 2 * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert limit < 10 * 1024**2  # the probe's 10 MB file is refused by the proxy


def test_the_proxy_passes_what_client_ip_reads():
    text = snippet()
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in text
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text  # SECURE_PROXY_SSL_HEADER


def test_nginx_accepts_the_snippet(tmp_path):
    nginx = (
        os.environ.get("NGINX_BIN")
        or shutil.which("nginx")
        or shutil.which("nginx", path="/usr/sbin:/sbin")
    )
    if not nginx:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("CI needs nginx to check the proxy snippet (.ci/run installs it)")
        pytest.skip("no nginx here (apt-get install nginx, or NGINX_BIN=/path/to/nginx)")
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path}/nginx.pid;\n"
        "error_log stderr;\n"
        "events {}\n"
        "http {\n"
        "  access_log off;\n"
        f"  client_body_temp_path {tmp_path}/body;\n"
        f"  proxy_temp_path {tmp_path}/proxy;\n"
        f"  fastcgi_temp_path {tmp_path}/fastcgi;\n"
        f"  uwsgi_temp_path {tmp_path}/uwsgi;\n"
        f"  scgi_temp_path {tmp_path}/scgi;\n"
        "  server {\n"
        "    listen 127.0.0.1:8080;\n"
        "    server_name portal.b40.example;\n"
        f"{snippet()}\n"
        "  }\n"
        "}\n"
    )
    result = subprocess.run(  # nosec B603 - a fixed binary and a file of ours
        [nginx, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", "stderr"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr
