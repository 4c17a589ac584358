import re

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from two_factor.forms import AuthenticationTokenForm, TOTPDeviceForm

from outbox.services import queue_mail


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the mail goes through the outbox (recorded, retried)."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        queue_mail(to=[to_email], subject=subject, body=body, kind="password-reset")


# The code a TOTP app shows: six digits (django-two-factor-auth's TWO_FACTOR_TOTP_DIGITS).
TOTP_CODE = re.compile(r"[0-9]{6}")


class StaffCodeForm(AuthenticationTokenForm):
    """The staff login's second step: one field for the app's code or a backup code.

    Six digits are checked against the authenticator app (the device named "default");
    anything else against the user's single-use backup codes. Only that device is tried,
    so a typo does not count as a failure against the other one (django-otp throttles
    each device after failures).
    """

    otp_token = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code of your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "one-time-code"}),
    )
    use_required_attribute = True
    otp_error_messages = {
        **AuthenticationTokenForm.otp_error_messages,
        "token_required": _("Enter the code your authenticator app shows."),
        "invalid_token": _(
            "This code is not valid. Enter the 6-digit code your authenticator app shows "
            "now, or one of your unused backup codes."
        ),
        "device_required": _(
            "This code is not valid. Enter the 6-digit code your authenticator app shows "
            "now, or one of your unused backup codes."
        ),
        "n_failed_attempts": _("Too many wrong codes in a row: wait a minute, then try again."),
        "verification_not_allowed": _(
            "Too many wrong codes in a row: wait a minute, then try again."
        ),
    }

    def clean_otp_token(self) -> str:
        # People copy codes with spaces ("123 456") or in capitals from a printout.
        return "".join(self.cleaned_data["otp_token"].split()).replace("-", "").lower()

    def clean(self):
        token = self.cleaned_data.get("otp_token")
        if token and not TOTP_CODE.fullmatch(token):
            self.initial_device = StaticDevice.objects.filter(user=self.user).first()
        return super().clean()


class StaffEnrolForm(TOTPDeviceForm):
    """The first login's step: the code the freshly scanned app shows confirms the device."""

    token = forms.IntegerField(
        label=_("Code"),
        min_value=0,
        max_value=999999,
        widget=forms.TextInput(
            attrs={"autofocus": True, "inputmode": "numeric", "autocomplete": "one-time-code"}
        ),
    )
    error_messages = {
        "invalid_token": _(
            "This code is not valid. Enter the 6-digit code your authenticator app shows now."
        ),
    }
