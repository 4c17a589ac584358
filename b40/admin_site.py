"""The admin site: staff must pass a TOTP second factor (django-otp) when required.

``ADMIN_REQUIRE_OTP`` is on by default and in production (a deploy check refuses it off);
the test settings turn it off so that ordinary admin tests need not enrol a device.

The site also makes our apps' change lists cheaper (issue 9): a checkbox column that does
not go through the template engine for every row, and rendered lists kept under the admin
data version (``members.admincache``). It is done here, at the project level, because the
admin classes live on every floor and outbox (floor 0) cannot import ``members``.
"""

from functools import wraps
from types import MethodType

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.utils.html import format_html
from django.utils.translation import gettext
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from simple_history.admin import SimpleHistoryAdmin
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_model_for_model

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


def history_model(model):
    """The model django-simple-history keeps ``model``'s past versions in, if any."""
    try:
        return get_history_model_for_model(model)
    except NotHistoricalModelError:
        return None


# django-simple-history's views that pass the id in the URL to the database unchecked.
HISTORY_VIEWS = frozenset({"history_view", "history_form_view"})


def ids_checked(view):
    """An admin view for which an id that cannot be a row's is a 404 (RELIABILITY 27).

    Django's own views check the id in the URL (an id of no row: back to the index with a
    message); two libraries' do not. django-simple-history's history pages passed
    ``/admin/members/city/abc/history/`` to the database as it was (a ``ValueError``), so
    their ids are checked by the model's own field first; django-otp's device pages look an
    unknown id up with ``get()`` (a ``DoesNotExist``), which is a 404 for every admin view.
    """
    model_admin = getattr(view, "__self__", None)
    if not isinstance(model_admin, admin.ModelAdmin):
        return view
    history = isinstance(model_admin, SimpleHistoryAdmin) and view.__name__ in HISTORY_VIEWS
    models = [model_admin.model, history_model(model_admin.model)] if history else []

    @wraps(view)
    def checked(request, *args, **kwargs):
        # The history page gets the object's id; a version's page (a regex) the object's
        # and the version's, in that order.
        ids = list(args) or [kwargs.get("object_id")]
        try:
            for model, value in zip(models, ids, strict=False):
                if model is not None and value is not None:
                    model._meta.pk.to_python(unquote(value))
        except ValidationError as exc:
            raise Http404 from exc
        try:
            return view(request, *args, **kwargs)
        except ObjectDoesNotExist as exc:
            raise Http404 from exc

    return checked


class SecretariatAdminSite(OTPAdminSite):
    def admin_view(self, view, cacheable=False):
        return super().admin_view(ids_checked(view), cacheable)

    def has_permission(self, request) -> bool:
        if not settings.ADMIN_REQUIRE_OTP:
            return admin.AdminSite.has_permission(self, request)
        return super().has_permission(request)

    def login(self, request, extra_context=None):
        self.login_form = (
            OTPAdminAuthenticationForm if settings.ADMIN_REQUIRE_OTP else AdminAuthenticationForm
        )
        return super().login(request, extra_context)

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
