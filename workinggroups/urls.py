from django.urls import path

from workinggroups import views

app_name = "workinggroups"

urlpatterns = [
    path("", views.GroupListView.as_view(), name="group-list"),
    path("<slug:slug>/", views.GroupDetailView.as_view(), name="group-detail"),
]
