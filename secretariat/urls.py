from django.urls import path

from secretariat.views import applications as application_views
from secretariat.views import public as views

app_name = "secretariat"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("declaration/", views.DeclarationView.as_view(), name="declaration"),
    path("cities/", views.CityListView.as_view(), name="city-list"),
    path("cities/<slug:slug>/", views.CityDetailView.as_view(), name="city-detail"),
    path("my-city/", views.DashboardView.as_view(), name="dashboard"),
    path("apply/", application_views.ApplicationCreateView.as_view(), name="application-create"),
    path(
        "apply/sent/<str:token>/",
        application_views.ApplicationSubmittedView.as_view(),
        name="application-submitted",
    ),
    path(
        "apply/status/<str:token>/",
        application_views.ApplicationStatusView.as_view(),
        name="application-status",
    ),
]
