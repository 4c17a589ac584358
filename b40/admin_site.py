"""The admin site: staff must pass a TOTP second factor when required.

Its login is the staff login of django-two-factor-auth (``members/views.py``): the
password, then the code on its own page; the first login enrols a phone with a QR code.
``ADMIN_REQUIRE_OTP`` is on by default and in production (a deploy check refuses it off);
the test settings turn it off so that ordinary admin tests need not enrol a device: the
admin then has Django's own password login.

The site also makes our apps' change lists cheaper (issue 9): a checkbox column that does
not go through the template engine for every row, and rendered lists kept under the admin
data version (``members.admincache``). It is done here, at the project level, because the
admin classes live on every floor and outbox (floor 0) cannot import ``members``.
"""

from types import MethodType

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from two_factor.admin import AdminSiteOTPRequired

from members import admincache

OUR_APPS = frozenset({"outbox", "members", "presidency", "workinggroups", "secretariat", "reports"})
# Django's own msgid (django/contrib/admin/options.py), so that its translations apply.
SELECT_ONE = "Select this object for an action - {}"
CHECKBOX = '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">'


def action_checkbox(model_admin, obj):
    """The HTML ``ModelAdmin.action_checkbox`` renders, without a widget and a template."""
    return format_html(
        CHECKBOX, ACTION_CHECKBOX_NAME, obj.pk, format_html(gettext(SELECT_ONE), obj)
    )


class SecretariatAdminSite(AdminSiteOTPRequired):
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

    def get_urls(self):
        # ModelAdmin.get_urls() routes to self.changelist_view: set it on the instance first.
        for model, model_admin in self._registry.items():
            if model._meta.app_label not in OUR_APPS or getattr(model_admin, "_b40_lean", False):
                continue
            model_admin.action_checkbox = MethodType(action_checkbox, model_admin)
            model_admin.changelist_view = admincache.cached_changelist(
                model_admin, model_admin.changelist_view
            )
            model_admin._b40_lean = True
        return super().get_urls()
