"""``/api/v1/``: the open data API, its OpenAPI schema and its documentation page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api import views
from common.publicpages import public_page

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False
router.register("cities", views.CityViewSet, basename="city")
router.register("mandates", views.MandateViewSet, basename="mandate")
router.register("summits", views.SummitViewSet, basename="summit")
router.register("working-groups", views.WorkingGroupViewSet, basename="workinggroup")
router.register("recommendations", views.RecommendationViewSet, basename="recommendation")
router.register("annual-reports", views.AnnualReportViewSet, basename="annualreport")

urlpatterns = [
    path("v1/cities.csv", views.cities_csv, name="city-csv"),
    path("v1/mandates.csv", views.mandates_csv, name="mandate-csv"),
    path(
        "v1/schema/",
        public_page(SpectacularAPIView).as_view(urlconf="api.schema_urls"),
        name="schema",
    ),
    # Swagger UI from the package's own copy (drf-spectacular-sidecar), its script served as a
    # file of its own: nothing from another server, no inline script (the CSP stays strict).
    path("v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("v1/", include(router.urls)),
]
