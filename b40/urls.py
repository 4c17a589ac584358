from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from b40 import health

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
