"""The admin site: staff must pass a TOTP second factor when required.

Its login is the staff login of django-two-factor-auth (``members/views.py``): the
password, then the code on its own page; the first login enrols a phone with a QR code.
``ADMIN_REQUIRE_OTP`` is on by default and in production (a deploy check refuses it off);
the test settings turn it off so that ordinary admin tests need not enrol a device: the
admin then has Django's own password login.

It is the default site (``b40.apps.B40AdminConfig``), so ``admin.site`` is this site
everywhere.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from two_factor.admin import AdminSiteOTPRequired


class SecretariatAdminSite(AdminSiteOTPRequired):
    site_header = _("B40 Permanent Secretariat")
    site_title = _("B40 secretariat")
    index_title = _("The secretariat's desk")
    # The sidebar lists every model on every page: a sixth of a change list's time, for
    # links the index page (one click on "Home") gives as well.
    enable_nav_sidebar = False

    def get_app_list(self, request, app_label=None):
        # Every page's context asks for it (for the sidebar, off above): build it only when
        # a page shows it (the index, an app's index), not on every change list.
        build = super().get_app_list
        return SimpleLazyObject(lambda: build(request, app_label))

    def has_permission(self, request) -> bool:
        """An active staff member whose session passed the second factor."""
        if not settings.ADMIN_REQUIRE_OTP:
            return admin.AdminSite.has_permission(self, request)
        return super().has_permission(request)

    def login(self, request, extra_context=None):
        """The staff login (password, then the code), coming back to where they were going."""
        if not settings.ADMIN_REQUIRE_OTP:
            return admin.AdminSite.login(self, request, extra_context)
        next_url = request.POST.get(REDIRECT_FIELD_NAME, request.GET.get(REDIRECT_FIELD_NAME))
        if not next_url or not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index", current_app=self.name)
        if self.has_permission(request):
            return HttpResponseRedirect(next_url)
        return redirect_to_login(next_url, reverse("two_factor:login"))
