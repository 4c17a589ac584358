from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from b40 import health
from b40.admin_site import SecretariatAdminSite

admin.site.__class__ = SecretariatAdminSite  # the second factor for staff (RELIABILITY 7)
admin.site.site_header = _("B40 Permanent Secretariat")
admin.site.site_title = _("B40 secretariat")
admin.site.index_title = _("The secretariat's desk")

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path(
        "favicon.ico",
        RedirectView.as_view(url=settings.STATIC_URL + "img/favicon.svg", permanent=True),
    ),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("members.urls")),
    path("presidency/", include("presidency.urls")),
    path("working-groups/", include("workinggroups.urls")),
    path("reports/", include("reports.urls")),
    path("api/", include("api.urls")),
    path("", include("secretariat.urls")),
]

if settings.DEBUG:  # pragma: no cover - local media only
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
