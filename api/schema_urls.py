"""What the OpenAPI schema describes: the API's own addresses, under /api/v1/."""

from django.urls import include, path

from api.urls import router

urlpatterns = [path("api/v1/", include(router.urls))]
