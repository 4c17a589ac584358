"""The account pages that are ours rather than Django's as they come."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

from members.client_ip import ratelimit_key


def reset_rate_per_client(group: str, request: HttpRequest) -> str:
    return getattr(settings, "PASSWORD_RESET_RATE_PER_CLIENT", "10/h")


def reset_rate_per_address(group: str, request: HttpRequest) -> str:
    return getattr(settings, "PASSWORD_RESET_RATE_PER_ADDRESS", "3/h")


def address_key(group: str, request: HttpRequest) -> str:
    """The address asked for, as the form looks it up (case-insensitively)."""
    return request.POST.get("email", "").strip().lower()


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset form with two limits (RELIABILITY 28).

    Per client address: a client that asks too often gets the 429 page, whatever it asks
    for. Per e-mail address: past the limit the answer is the same page as ever, but no mail
    is written, so nobody can fill a mailbox with resets. Both count unknown addresses as
    known ones, and the answer never says whether an address has an account.
    """

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if is_ratelimited(
            request,
            group="members.password-reset.client",
            key=ratelimit_key,
            rate=reset_rate_per_client,
            method="POST",
            increment=True,
        ):
            return render(request, "429.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form) -> HttpResponse:
        if is_ratelimited(
            self.request,
            group="members.password-reset.address",
            key=address_key,
            rate=reset_rate_per_address,
            method="POST",
            increment=True,
        ):
            return HttpResponseRedirect(self.get_success_url())  # as if sent, and nothing sent
        return super().form_valid(form)
