"""The admin site: staff must pass a TOTP second factor (django-otp) when required.

``ADMIN_REQUIRE_OTP`` is on by default and in production (a deploy check refuses it off);
the test settings turn it off so that ordinary admin tests need not enrol a device.

It is the default site (``b40.apps.B40AdminConfig``), so ``admin.site`` is this site
everywhere.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class SecretariatAdminSite(OTPAdminSite):
    site_header = _("B40 Permanent Secretariat")
    site_title = _("B40 secretariat")
    index_title = _("The secretariat's desk")
    # The sidebar lists every model on every page: a sixth of a change list's time, for
    # links the index page (one click on "Home") gives as well.
    enable_nav_sidebar = False

    def __init__(self, name: str = "admin") -> None:
        # OTPAdminSite names itself "otpadmin"; ours keeps the "admin" namespace.
        super().__init__(name)

    def get_app_list(self, request, app_label=None):
        # Every page's context asks for it (for the sidebar, off above): build it only when
        # a page shows it (the index, an app's index), not on every change list.
        build = super().get_app_list
        return SimpleLazyObject(lambda: build(request, app_label))

    def has_permission(self, request) -> bool:
        if not settings.ADMIN_REQUIRE_OTP:
            return admin.AdminSite.has_permission(self, request)
        return super().has_permission(request)

    def login(self, request, extra_context=None):
        self.login_form = (
            OTPAdminAuthenticationForm if settings.ADMIN_REQUIRE_OTP else AdminAuthenticationForm
        )
        return super().login(request, extra_context)
