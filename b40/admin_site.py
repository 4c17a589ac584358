"""The admin site: staff must pass a TOTP second factor when required.

Its login is the staff login of django-two-factor-auth (``members/views.py``): the
password, then the code on its own page; the first login enrols a phone with a QR code.
``ADMIN_REQUIRE_OTP`` is on by default and in production (a deploy check refuses it off);
the test settings turn it off so that ordinary admin tests need not enrol a device: the
admin then has Django's own password login.

It is the default site (``b40.apps.B40AdminConfig``), so ``admin.site`` is this site
everywhere.
"""

from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import smart_split
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_model_for_model
from two_factor.admin import AdminSiteOTPRequired


class SecretariatAdminSite(AdminSiteOTPRequired):
    site_header = _("B40 Permanent Secretariat")
    site_title = _("B40 secretariat")
    index_title = _("The secretariat's desk")
    # The sidebar lists every model on every page: a sixth of a change list's time, for
    # links the index page (one click on "Home") gives as well.
    enable_nav_sidebar = False

    def admin_view(self, view, cacheable=False):
        return super().admin_view(ids_checked(view), cacheable)

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


def history_model(model):
    """The model django-simple-history keeps ``model``'s past versions in, if any."""
    try:
        return get_history_model_for_model(model)
    except NotHistoricalModelError:
        return None


# django-simple-history's views that pass the id in the URL to the database unchecked.
HISTORY_VIEWS = frozenset({"history_view", "history_form_view"})


MAX_SEARCH_TERMS = 10  # words of a change list's search; each one is an OR over the fields
MAX_SEARCH_LENGTH = 200


def bound_search(request) -> None:
    """Keep a change list's search to its first words (RELIABILITY 27).

    Django ANDs one OR-group per word: a search of 500 words was one SQL expression too deep
    for SQLite (a 500) and a heavy query on PostgreSQL. Nobody searches with more than a few.
    """
    query = request.GET.get(SEARCH_VAR)
    if query is None:
        return
    terms = list(smart_split(query[: MAX_SEARCH_LENGTH * 2]))[:MAX_SEARCH_TERMS]
    bounded = " ".join(terms)[:MAX_SEARCH_LENGTH]
    if bounded != query:
        request.GET = request.GET.copy()
        request.GET[SEARCH_VAR] = bounded


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
        bound_search(request)
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
