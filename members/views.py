"""Account pages of ours: the throttled password reset (RELIABILITY 28), and the staff
login: the password, then the code on its own page (django-two-factor-auth).

The admin's login redirects here (``b40/admin_site.py``). A staff member with no device
yet (the first login, or after ``enrol_totp --reset``) scans a QR code and confirms it
with a code, then sees their backup codes once. The session id changes at the password
and again when the second factor is passed (RELIABILITY 29, ASVS 3.2.1): a session id
seen before the code was entered never reaches the desk.
"""

from base64 import b32encode
from binascii import unhexlify

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from django_otp.decorators import otp_required
from django_ratelimit.core import is_ratelimited
from two_factor.forms import MethodForm
from two_factor.utils import default_device, get_otpauth_url, totp_digits
from two_factor.views import LoginView, QRGeneratorView, SetupView

from members.client_ip import ratelimit_key
from members.forms import StaffCodeForm, StaffEnrolForm
from members.otp import replace_backup_codes

# The backup codes made at enrolment, kept in the session until the page that shows them.
NEW_BACKUP_CODES = "members.new_backup_codes"
# Where the staff member was going when the login sent them to enrol.
NEXT_AFTER_ENROLMENT = "next"  # django-two-factor-auth's own session key for it


def safe_next(request, url: str | None) -> str | None:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


class StaffLoginView(LoginView):
    """Step one: username and password of a staff account; step two: the code."""

    form_list = (
        (LoginView.AUTH_STEP, AdminAuthenticationForm),
        (LoginView.TOKEN_STEP, StaffCodeForm),
    )
    template_name = "two_factor/core/login.html"

    def get_form_list(self):
        # The library picks the token step's form by device; ours takes backup codes too.
        form_list = super().get_form_list()
        if self.TOKEN_STEP in form_list:
            form_list[self.TOKEN_STEP] = StaffCodeForm
        return form_list

    def get_success_url(self) -> str:
        return self.get_redirect_url() or reverse("admin:index")

    def get_context_data(self, form, **kwargs):
        return {**super().get_context_data(form, **kwargs), "issuer": settings.OTP_TOTP_ISSUER}

    def process_step(self, form):
        data = super().process_step(form)
        if self.steps.current == self.AUTH_STEP:
            # The password is right: whoever held the old session id must not follow.
            self.request.session.cycle_key()
        return data

    def done(self, form_list, **kwargs):
        user = self.get_user()
        if settings.ADMIN_REQUIRE_OTP and default_device(user) is None:
            # The first login (or after enrol_totp --reset): scan a QR code first.
            login(self.request, user)
            self.request.session[NEXT_AFTER_ENROLMENT] = self.get_success_url()
            return redirect("two_factor:setup")
        response = super().done(form_list, **kwargs)
        # Django's login() keeps the session id of a user already logged in with a password
        # (on the site): the second factor must renew it all the same.
        self.request.session.cycle_key()
        return response


class StaffSetupView(SetupView):
    """A staff member's first login: scan the QR code, confirm with a code."""

    # No welcome page: the only method (an authenticator app) goes straight to its QR.
    form_list = (("method", MethodForm),)
    success_url = "two_factor:setup_complete"
    qrcode_url = "two_factor:qr"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_staff:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_list(self):
        form_list = super().get_form_list()
        if "generator" in form_list:
            form_list["generator"] = StaffEnrolForm
        return form_list

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        if self.steps.current == "generator":
            secret = b32encode(unhexlify(self.get_key("generator").encode())).decode()
            context["issuer"] = settings.OTP_TOTP_ISSUER
            context["otpauth_url"] = get_otpauth_url(
                self.request.user.get_username(), secret, settings.OTP_TOTP_ISSUER
            )
            context["totp_digits"] = totp_digits()
        return context

    def done(self, form_list, **kwargs):
        response = super().done(form_list, **kwargs)
        # The step-up to a verified session: a new session id (RELIABILITY 29).
        self.request.session.cycle_key()
        self.request.session[NEW_BACKUP_CODES] = replace_backup_codes(user=self.request.user)
        return response


class StaffQRView(QRGeneratorView):
    """The QR code of the secret being enrolled, as an SVG image from our own origin."""

    def get_issuer(self) -> str:
        return settings.OTP_TOTP_ISSUER


@method_decorator([never_cache, otp_required], name="dispatch")
class EnrolmentCompleteView(TemplateView):
    """The backup codes, shown once, right after the enrolment."""

    template_name = "two_factor/core/setup_complete.html"

    def get_context_data(self, **kwargs):
        session = self.request.session
        return {
            **super().get_context_data(**kwargs),
            "codes": session.pop(NEW_BACKUP_CODES, None),
            "next_url": safe_next(self.request, session.pop(NEXT_AFTER_ENROLMENT, None))
            or reverse("admin:index"),
        }


def reset_rate_per_client(group: str, request: HttpRequest) -> str:
    return settings.PASSWORD_RESET_RATE_PER_CLIENT


def reset_rate_per_address(group: str, request: HttpRequest) -> str:
    return settings.PASSWORD_RESET_RATE_PER_ADDRESS


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
