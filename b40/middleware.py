"""Middleware of the project as a whole (plumbing: it may use any app)."""

import http.client

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.http.response import HttpResponseBase

# What a view can set to change its own policy (django-csp's decorators).
PER_VIEW = tuple(
    f"_csp_{part}{suffix}" for part in ("config", "update", "replace") for suffix in ("", "_ro")
)
DEBUG_EXEMPT = (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND)

_policies: dict[bool, tuple[str, tuple[str, ...]]] = {}


def _policy(*, report_only: bool) -> tuple[str, tuple[str, ...]]:
    """The site's policy and the path prefixes it skips, built once (django-csp builds it on
    every answer); forgotten when the setting changes."""
    policy = _policies.get(report_only)
    if policy is None:
        name = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
        prefixes = (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
        policy = _policies[report_only] = (build_policy(report_only=report_only), tuple(prefixes))
    return policy


@receiver(setting_changed)
def _forget_policies(*, setting: str, **_kwargs) -> None:
    if setting in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"):
        _policies.clear()


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, with the site-wide policy built once.

    An answer whose view changed its policy, or a request that used a nonce, goes to
    django-csp as it is; every other answer gets the same header, as django-csp would build it.
    """

    def process_response(self, request: HttpRequest, response: HttpResponseBase):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in PER_VIEW
        ):
            return super().process_response(request, response)
        if response.status_code in DEBUG_EXEMPT and settings.DEBUG:
            return response
        for report_only, header, exempt in (
            (False, HEADER, "_csp_exempt"),
            (True, HEADER_REPORT_ONLY, "_csp_exempt_ro"),
        ):
            csp, prefixes = _policy(report_only=report_only)
            if (
                csp
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(prefixes)
            ):
                response[header] = csp
        # As django-csp: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
