"""The CSP middleware: django-csp's header, built once."""

import pytest
from csp.constants import NONCE
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpResponse
from django.test import override_settings

from b40.middleware import CSPMiddleware


def _headers(middleware_class, request, response=None):
    middleware = middleware_class(lambda request: response)
    middleware.process_request(request)
    response = middleware.process_response(request, response or HttpResponse("hi"))
    return response.get("Content-Security-Policy"), response.get(
        "Content-Security-Policy-Report-Only"
    )


def test_the_header_is_django_csps_own(rf):
    ours = _headers(CSPMiddleware, rf.get("/"))
    assert ours == _headers(DjangoCSPMiddleware, rf.get("/"))
    assert "default-src 'self'" in ours[0]
    assert ours == _headers(CSPMiddleware, rf.get("/cities/"))  # kept: the same again


def test_a_changed_setting_changes_the_header(rf):
    before = _headers(CSPMiddleware, rf.get("/"))
    policy = {"DIRECTIVES": {"default-src": ["'none'"]}}
    with override_settings(
        CONTENT_SECURITY_POLICY=policy, CONTENT_SECURITY_POLICY_REPORT_ONLY=policy
    ):
        assert _headers(CSPMiddleware, rf.get("/")) == ("default-src 'none'", "default-src 'none'")
        assert _headers(DjangoCSPMiddleware, rf.get("/")) == _headers(CSPMiddleware, rf.get("/"))
    with override_settings(CONTENT_SECURITY_POLICY={**policy, "EXCLUDE_URL_PREFIXES": ["/feeds/"]}):
        assert _headers(CSPMiddleware, rf.get("/feeds/x"))[0] is None
        assert _headers(CSPMiddleware, rf.get("/other/"))[0] == "default-src 'none'"
    assert _headers(CSPMiddleware, rf.get("/")) == before


@pytest.mark.parametrize("kind", ["update", "nonce", "exempt", "set"])
def test_a_view_of_its_own_policy_or_a_nonce_gets_what_django_csp_gives(rf, settings, kind):
    if kind == "nonce":
        settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}

    def answer(middleware_class):
        request = rf.get("/")
        middleware = middleware_class(lambda request: None)
        middleware.process_request(request)
        response = HttpResponse("hi")
        if kind == "update":
            response._csp_update = {"img-src": ["https://maps.example"]}
        elif kind == "nonce":
            str(request.csp_nonce)
        elif kind == "exempt":
            response._csp_exempt = True
        else:
            response["Content-Security-Policy"] = "default-src 'self'"
        response = middleware.process_response(request, response)
        return request, response.get("Content-Security-Policy")

    (request, ours), (theirs_request, theirs) = answer(CSPMiddleware), answer(DjangoCSPMiddleware)
    if kind == "nonce":  # a new nonce per request: the same header around it
        assert f"script-src 'self' 'nonce-{request._csp_nonce}'" in ours
        ours = ours.replace(request._csp_nonce, "N")
        theirs = theirs.replace(theirs_request._csp_nonce, "N")
    assert ours == theirs
    if kind == "update":
        assert "https://maps.example" in ours
    if kind == "exempt":
        assert ours is None


def test_a_nonce_asked_for_after_the_header_is_an_error(rf):
    from csp.exceptions import CSPNonceError

    request = rf.get("/")
    _headers(CSPMiddleware, request)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_the_site_sends_the_header(client, db):
    assert (
        client.get("/healthz")["Content-Security-Policy"]
        == _headers(DjangoCSPMiddleware, __import__("django.test").test.RequestFactory().get("/"))[
            0
        ]
    )
