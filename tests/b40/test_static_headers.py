"""Static files carry the clickjacking and CSP headers of every page (issue 19, item 6).

WhiteNoise answers before the middleware that adds them; an SVG opened on its own is a
document, and a framed one is no less framed than a page.
"""

import pytest


@pytest.mark.parametrize("path", ["/static/css/b40.css", "/static/img/favicon.svg"])
def test_static_files_carry_the_security_headers(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
